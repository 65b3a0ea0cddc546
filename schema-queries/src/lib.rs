//! pgcanon's query checker: the SQL in Rust sources and `.sql` files, parsed by PostgreSQL's
//! own grammar ([`pg_query`], libpg_query) and resolved against the committed snapshot, with
//! no database.
//!
//! - [`extract`]: finds the SQL (string literals passed to `postgres`/`tokio-postgres` and sqlx
//!   calls and macros, `concat!`, `const` items, `include_str!`/`query_file!`, `.sql` files),
//!   with the exact file position of every byte, escapes included;
//! - [`check_sql`]: one SQL text → [`Diagnostic`]s (rule, byte offset, message, suggestion) and
//!   the inferred result columns of each statement;
//! - [`diag::RULES`]: the rules, their default levels and why they matter.
//!
//! The crate reports plain diagnostics; `schema-gen` turns them into its findings model.

mod analyze;
pub mod catalog;
pub mod diag;
mod dml;
pub mod extract;
pub mod scope;
mod types;

pub use analyze::Options;
pub use catalog::Catalog;
pub use diag::{Diagnostic, Rule, Severity, RULES};
pub use scope::OutCol;

use serde::Serialize;

/// One statement of a checked SQL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Byte offset of the statement in the text.
    pub offset: usize,
    /// The result columns, when the statement returns rows and they could be inferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<OutCol>>,
    /// The highest `$n` it uses.
    pub params: usize,
}

/// What [`check_sql`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// Problems, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// The statements, in order (none when the text does not parse).
    pub statements: Vec<Statement>,
    /// Why some names could not be checked (a function in FROM, a catalog outside the
    /// snapshot): byte offset and reason.
    pub unverifiable: Option<(usize, String)>,
}

/// Checks one SQL text. `binds` is the number of values the call binds, when it can be
/// counted (`Some(0)` for APIs that take none, such as `batch_execute`).
pub fn check_sql(catalog: &Catalog, options: &Options, sql: &str, binds: Option<usize>) -> Checked {
    let parsed = match pg_query::parse(sql, 0) {
        Ok(p) => p,
        Err(e) => {
            let message = match e {
                pg_query::Error::Parse(m) => m,
                other => other.to_string(),
            };
            let offset = syntax_error_offset(sql, &message);
            let d = Diagnostic::new(diag::SYNTAX_ERROR, offset, message);
            return Checked { diagnostics: vec![d], ..Checked::default() };
        }
    };
    let mut an = analyze::Analyzer::new(catalog, options);
    let mut statements = Vec::new();
    for raw in &parsed.protobuf.stmts {
        let Some(node) = raw.stmt.as_deref() else { continue };
        let columns = an.statement(node);
        statements.push(Statement { offset: usize::try_from(raw.stmt_location).unwrap_or(0), columns, params: 0 });
    }
    let mut diagnostics = an.diags;
    // Parameters: every `$n` token of the text, wherever it is (the scanner sees them all).
    let mut params: Vec<(i32, i32)> = Vec::new();
    if let Ok(scanned) = pg_query::scan(sql) {
        for t in scanned.tokens.iter().filter(|t| t.token == pg_query::protobuf::Token::Param as i32) {
            let text = usize::try_from(t.start).ok().zip(usize::try_from(t.end).ok()).and_then(|(s, e)| sql.get(s + 1..e));
            if let Some(n) = text.and_then(|n| n.parse::<i32>().ok()) {
                params.push((n, t.start));
            }
        }
    }
    params.sort_unstable();
    let max = params.last().map_or(0, |p| usize::try_from(p.0).unwrap_or(0));
    for s in &mut statements {
        s.params = max;
    }
    if let Some(&(_, at)) = params.last() {
        let missing: Vec<String> = (1..=max).filter(|n| !params.iter().any(|p| usize::try_from(p.0).ok() == Some(*n))).map(|n| format!("${n}")).collect();
        if !missing.is_empty() {
            diagnostics.push(Diagnostic::new(
                diag::PARAM_COUNT,
                usize::try_from(at).unwrap_or(0),
                format!("parameters skip {}: the server cannot infer a type for {}", missing.join(", "), if missing.len() == 1 { "it" } else { "them" }),
            ).suggest(Some("number parameters $1, $2, ... without gaps".into())));
        }
    }
    if let Some(b) = binds {
        if b != max {
            let at = params.last().map_or(0, |p| usize::try_from(p.1).unwrap_or(0));
            let msg = if max == 0 {
                format!("{b} value{} bound but the statement has no parameters", if b == 1 { " is" } else { "s are" })
            } else {
                format!("the statement uses ${max} but {b} value{} bound", if b == 1 { " is" } else { "s are" })
            };
            diagnostics.push(Diagnostic::new(diag::PARAM_COUNT, at, msg).suggest(Some(format!("bind exactly {max} value{}", if max == 1 { "" } else { "s" }))));
        }
    }
    diagnostics.sort_by_key(|d| d.offset);
    Checked { diagnostics, statements, unverifiable: an.unverifiable }
}

/// Where a syntax error is. libpg_query's message names the token (`at or near "FORM"`) but
/// the crate drops its cursor position: the first occurrence of that token whose prefix is
/// still a valid beginning (it fails only "at end of input") is the one.
fn syntax_error_offset(sql: &str, message: &str) -> usize {
    if message.contains("at end of input") {
        return sql.trim_end().len();
    }
    let Some(token) = message.split("at or near \"").nth(1).and_then(|t| t.rsplit_once('"')).map(|(t, _)| t) else { return 0 };
    let Ok(scanned) = pg_query::scan(sql) else { return 0 };
    let starts: Vec<usize> = scanned
        .tokens
        .iter()
        .filter_map(|t| {
            let (s, e) = (usize::try_from(t.start).ok()?, usize::try_from(t.end).ok()?);
            (sql.get(s..e)? == token).then_some(s)
        })
        .collect();
    for &s in &starts {
        match pg_query::parse(&sql[..s], 0) {
            Ok(_) => return s,
            Err(pg_query::Error::Parse(m)) if m.contains("at end of input") => return s,
            Err(_) => {}
        }
    }
    starts.first().copied().unwrap_or(0)
}
