//! Inferred nullability of view columns against real servers: `fixtures/views/nullability.sql`
//! (inner, left and right joins, `IS NOT NULL`, `COALESCE`, `count(*)`, views over views, a
//! UNION, a subquery in FROM, expressions, whole rows, a materialized view) is introspected,
//! and for every view
//! - the snapshot's nullability is exactly the expected one, the same on every major;
//! - differentially: no column the snapshot marks NOT NULL returns a NULL when the view is
//!   selected, over rows with NULLs in every nullable base column;
//! - the generated model drops `Option` for exactly the proven columns.
//!
//! One test on the local server, one per major 13–18 (each on a throwaway server of its own).
#![cfg(feature = "queries")]

use std::collections::BTreeSet;

use postgres::SimpleQueryMessage;
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_gen::{Config, Snapshot};
use test_support::{major_under_test, PgServer, TestDb};

const FIXTURE: &str = include_str!("fixtures/views/nullability.sql");

/// Every view of the fixture with its columns proven NOT NULL; the others are nullable.
const PROVEN: &[(&str, &[&str])] = &[
    ("a_top", &["id", "subtitle"]),
    ("book_counts", &["id", "books", "counted"]),
    ("coalesced", &["id", "heading"]),
    ("expressions", &["id", "next_id", "exclaimed"]),
    ("from_subquery", &["id", "heading"]),
    ("inner_join", &["id", "title", "name"]),
    ("left_join", &["id", "name"]),
    ("mat_counts", &["id", "name", "books"]),
    ("over_views", &["id", "subtitle"]),
    ("right_join", &["title"]),
    ("unioned", &["id", "label"]),
    ("whole_rows", &["author"]),
    ("with_subtitle", &["id", "subtitle"]),
];

/// Columns the fixture's rows make NULL: proof that the differential check sees NULLs at all.
const SEEN_NULL: &[&str] = &[
    "book_counts.top_price",
    "coalesced.maybe_price",
    "expressions.doubled",
    "expressions.label",
    "left_join.title",
    "right_join.name",
    "unioned.extra",
    "whole_rows.book",
];

fn check(url: &str, label: &str) {
    let snapshot: Snapshot = introspect_url(url, &IntrospectOptions::default()).unwrap_or_else(|e| panic!("{label}: introspection failed: {e}"));
    let app = snapshot.schema("app").expect("schema app");
    let names: Vec<&str> = app.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, PROVEN.iter().map(|(v, _)| *v).collect::<Vec<_>>(), "{label}: the fixture's views");

    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let mut seen_null = BTreeSet::new();
    for (view, proven) in PROVEN {
        let v = app.views.iter().find(|v| v.name == *view).expect("view");
        let not_null: Vec<&str> = v.columns.iter().filter(|c| !c.nullable).map(|c| c.name.as_str()).collect();
        assert_eq!(&not_null, proven, "{label}: NOT NULL columns of `app.{view}`");

        // The differential check: what the server returns, NULLs as the wire has them.
        let rows = client.simple_query(&format!("SELECT * FROM app.{view}")).expect("select the view");
        let mut n = 0;
        for row in rows.iter().filter_map(|m| if let SimpleQueryMessage::Row(r) = m { Some(r) } else { None }) {
            n += 1;
            for (i, c) in v.columns.iter().enumerate() {
                if row.get(i).is_none() {
                    assert!(c.nullable, "{label}: `app.{view}.{}` is marked NOT NULL but returned a NULL", c.name);
                    seen_null.insert(format!("{view}.{}", c.name));
                }
            }
        }
        assert!(n > 0, "{label}: `app.{view}` returned no rows, so nothing was checked");
    }
    let expected: BTreeSet<String> = SEEN_NULL.iter().map(|s| (*s).to_owned()).collect();
    assert!(expected.is_subset(&seen_null), "{label}: NULLs expected in {expected:?}, seen in {seen_null:?}");

    // Generated models follow: `Option` exactly on the columns not proven.
    let code = Config::new().generate(&snapshot).expect("generate").code;
    let inner = struct_body(&code, "InnerJoin");
    for field in ["pub id: i32,", "pub title: String,", "pub name: String,", "pub bio: Option<String>,"] {
        assert!(inner.contains(field), "{label}: `{field}` not in\n{inner}");
    }
    let counts = struct_body(&code, "BookCounts");
    for field in ["pub books: i64,", "pub counted: i64,", "pub top_price: Option<"] {
        assert!(counts.contains(field), "{label}: `{field}` not in\n{counts}");
    }
}

/// The body of `pub struct name { ... }` in generated code.
fn struct_body<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code.find(&format!("pub struct {name} {{")).unwrap_or_else(|| panic!("no struct `{name}` in the generated code"));
    let end = code[start..].find("\n}").map_or(code.len(), |e| start + e);
    &code[start..end]
}

#[test]
fn local_server() {
    let db = TestDb::with_sql("view_nullability", FIXTURE);
    check(db.url(), "local server");
}

fn matrix(major: u32) {
    if !major_under_test(major) {
        eprintln!("PostgreSQL {major} is not in PGCANON_PG_VERSIONS; not run");
        return;
    }
    let server = PgServer::start(major);
    let db = server.db_with_sql("view_nullability", FIXTURE);
    check(db.url(), &format!("PostgreSQL {major}"));
}

test_support::per_major!(matrix);
