//! The query checker against a real server: every statement of `fixtures/queries/corpus.sql`,
//! plus mutants of each (one identifier misspelt at a time), is PREPAREd on a database loaded
//! with `fixtures/queries/schema.sql` and checked offline against that database's snapshot.
//!
//! - Verdicts agree: the server's SQLSTATE (42601 syntax, 42P01 undefined table or missing
//!   FROM entry, 42703 undefined column, 42702 ambiguous column, 42P18 untyped parameter gap,
//!   428C9 generated column written, 42883 undefined function) is one pgcanon reports, and a
//!   statement the server accepts gets no error. Errors outside those classes (type
//!   mismatches...) are out of the checker's scope and counted, not compared.
//! - Result shapes agree: inferred column names and types equal the row description's, and a
//!   column inferred NOT NULL holds no NULL when the statement runs (in a rolled-back
//!   transaction) on the fixture's rows, which have NULLs in every nullable column.
//!
//! One test on the local server, one per major 13–18 (each on a throwaway server of its own).
#![cfg(feature = "queries")]

use std::collections::BTreeSet;

use postgres::SimpleQueryMessage;
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_queries::diag;
use schema_queries::{check_sql, Catalog, Checked, Options};
use test_support::{major_under_test, PgServer, TestDb};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/queries/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"))
}

/// The corpus statements (blank-line separated, comments dropped).
fn corpus() -> Vec<String> {
    fixture("corpus.sql")
        .split("\n\n")
        .map(|s| s.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n"))
        .map(|s| s.trim().trim_end_matches(';').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Each statement with one table or column name misspelt, up to three per statement (first,
/// middle and last such identifier outside quotes).
fn mutants(stmts: &[String], names: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for s in stmts {
        let bytes = s.as_bytes();
        let mut spots = Vec::new();
        let (mut i, mut quote) = (0, None);
        while i < bytes.len() {
            let c = bytes[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'\'' || c == b'"' => quote = Some(c),
                None if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = i;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                        i += 1;
                    }
                    if names.contains(&s[start..i]) {
                        spots.push((start, i));
                    }
                    continue;
                }
                None => {}
            }
            i += 1;
        }
        let mut picks: Vec<usize> = [0, spots.len() / 2, spots.len().saturating_sub(1)].into_iter().filter(|&p| p < spots.len()).collect();
        picks.dedup();
        for p in picks {
            let (a, b) = spots[p];
            out.push(format!("{}{}x{}", &s[..a], &s[a..b], &s[b..]));
        }
    }
    out
}

/// The SQLSTATEs pgcanon's diagnostics stand for.
fn states(c: &Checked) -> BTreeSet<&'static str> {
    c.diagnostics
        .iter()
        .filter_map(|d| match d.rule {
            diag::SYNTAX_ERROR => Some("42601"),
            diag::UNKNOWN_TABLE | diag::UNKNOWN_ALIAS => Some("42P01"),
            diag::UNKNOWN_COLUMN => Some("42703"),
            diag::AMBIGUOUS_COLUMN => Some("42702"),
            diag::PARAM_COUNT => Some("42P18"),
            diag::WRITE_GENERATED => Some("428C9"),
            diag::UNKNOWN_FUNCTION => Some("42883"),
            _ => None,
        })
        .collect()
}

const MODELED: &[&str] = &["42601", "42P01", "42703", "42702", "42P18", "428C9", "42883"];

#[derive(Default)]
struct Tally {
    agreed: usize,
    rejected: usize,
    out_of_scope: usize,
    unverifiable: usize,
    shapes: usize,
    nonnull_checked: usize,
    mismatches: Vec<String>,
}

fn differential(url: &str, label: &str) -> Tally {
    let snapshot = introspect_url(url, &IntrospectOptions::default()).unwrap_or_else(|e| panic!("introspection failed: {e}"));
    let catalog = Catalog::new(&snapshot);
    let mut names = BTreeSet::new();
    for s in &snapshot.schemas {
        for r in s.relations() {
            names.insert(r.name().to_owned());
            names.extend(r.columns().iter().map(|c| c.name.clone()));
        }
    }
    let base = corpus();
    let mut all = base.clone();
    all.extend(mutants(&base, &names));
    let options = Options::default();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let mut t = Tally::default();
    for sql in &all {
        let checked = check_sql(&catalog, &options, sql, None);
        let ours = states(&checked);
        let server = client.prepare(sql);
        let code = server.as_ref().err().map(|e| match (e.code(), e.as_db_error()) {
            // PostgreSQL 13 files writes to generated columns under 42601; 14 and later use 428C9.
            (Some(c), Some(d)) if c.code() == "42601" && (d.message().starts_with("cannot insert into column") || d.message().contains("can only be updated to DEFAULT")) => "428C9".to_owned(),
            (Some(c), _) => c.code().to_owned(),
            (None, _) => format!("no SQLSTATE: {e}"),
        });
        t.rejected += usize::from(code.is_some());
        match (&code, ours.is_empty()) {
            (None, true) => t.agreed += 1,
            (None, false) => t.mismatches.push(format!("{label}: server accepts, pgcanon reports {ours:?}: {sql}\n  {:?}", checked.diagnostics)),
            (Some(c), _) if !MODELED.contains(&c.as_str()) => t.out_of_scope += 1,
            (Some(c), _) if ours.contains(c.as_str()) => t.agreed += 1,
            (Some(_), true) if checked.unverifiable.is_some() => t.unverifiable += 1,
            (Some(c), _) => {
                let msg = server.as_ref().err().and_then(|e| e.as_db_error()).map(|d| d.message().to_owned()).unwrap_or_default();
                t.mismatches.push(format!("{label}: server {c} ({msg}), pgcanon {ours:?}: {sql}\n  {:?}", checked.diagnostics));
            }
        }
        let (Ok(stmt), Some(cols)) = (&server, checked.statements.last().and_then(|s| s.columns.as_ref())) else { continue };
        t.shapes += 1;
        let got: Vec<(&str, &str)> = stmt.columns().iter().map(|c| (c.name(), c.type_().name())).collect();
        let want: Vec<(&str, Option<&str>)> = cols.iter().map(|c| (c.name.as_str(), c.typname.as_deref())).collect();
        let agree = got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| g.0 == w.0 && w.1.is_none_or(|ty| ty == g.1));
        if !agree {
            t.mismatches.push(format!("{label}: columns {want:?} inferred, server says {got:?}: {sql}"));
            continue;
        }
        if checked.statements.last().is_some_and(|s| s.params > 0) || cols.iter().all(|c| c.nullable) {
            continue;
        }
        client.batch_execute("BEGIN").unwrap();
        let rows = client.simple_query(sql);
        client.batch_execute("ROLLBACK").unwrap();
        let Ok(rows) = rows else { continue };
        for msg in rows {
            if let SimpleQueryMessage::Row(row) = msg {
                for (i, c) in cols.iter().enumerate().filter(|(_, c)| !c.nullable) {
                    t.nonnull_checked += 1;
                    if row.get(i).is_none() {
                        t.mismatches.push(format!("{label}: `{}` inferred NOT NULL, but a row has NULL: {sql}", c.name));
                    }
                }
            }
        }
    }
    eprintln!(
        "{label}: {} statements ({} rejected by the server): {} verdicts agree, {} out of scope, {} unverifiable; {} result shapes agree, {} NOT NULL values checked",
        all.len(),
        t.rejected,
        t.agreed,
        t.out_of_scope,
        t.unverifiable,
        t.shapes,
        t.nonnull_checked
    );
    t
}

fn assert_clean(t: &Tally) {
    assert!(t.mismatches.is_empty(), "{} disagreements:\n{}", t.mismatches.len(), t.mismatches.join("\n"));
    assert!(t.agreed >= 500 && t.rejected >= 200, "only {} verdicts compared, {} of them errors", t.agreed, t.rejected);
    assert!(t.shapes >= 80 && t.nonnull_checked >= 100, "only {} shapes, {} NOT NULL values compared", t.shapes, t.nonnull_checked);
}

#[test]
fn local_server_agrees() {
    let db = TestDb::with_sql("queries_diff", &fixture("schema.sql"));
    // The golden tests read the committed snapshot of the same schema: it must be current.
    let live = introspect_url(db.url(), &IntrospectOptions::default()).unwrap();
    assert_eq!(live.to_json(), fixture("snapshot.json"), "fixtures/queries/snapshot.json is stale: re-snapshot schema.sql");
    assert_clean(&differential(db.url(), "local"));
}

fn matrix(major: u32) {
    if !major_under_test(major) {
        eprintln!("PostgreSQL {major} is not in PGCANON_PG_VERSIONS; not run");
        return;
    }
    let server = PgServer::start(major);
    let db = server.db_with_sql("queries_diff", &fixture("schema.sql"));
    assert_clean(&differential(db.url(), &format!("pg{major}")));
}

test_support::per_major!(matrix);
