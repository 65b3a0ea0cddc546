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
mod expr;
mod literal;
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
    /// Its length in bytes (to the end of the text for the last one).
    pub len: usize,
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
    let mut an = analyze::Analyzer::new(catalog, options, sql);
    let mut statements = Vec::new();
    for raw in &parsed.protobuf.stmts {
        let Some(node) = raw.stmt.as_deref() else { continue };
        let columns = an.statement(node);
        let offset = usize::try_from(raw.stmt_location).unwrap_or(0).min(sql.len());
        let len = match usize::try_from(raw.stmt_len).unwrap_or(0) {
            0 => sql.len() - offset,
            n => n.min(sql.len() - offset),
        };
        statements.push(Statement { offset, len, columns, params: 0 });
    }
    let mut diagnostics = an.diags;
    // Parameters: every `$n` of the text, wherever it is (outside literals and comments).
    let mut params = param_refs(sql);
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

/// Every `$n` outside string literals, quoted identifiers, comments and dollar quotes:
/// `(n, byte offset)`. A small lexer, since the parse tree's own walk misses `VALUES` lists.
fn param_refs(sql: &str) -> Vec<(i32, i32)> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let find = |from: usize, pat: &[u8]| b[from..].windows(pat.len()).position(|w| w == pat).map(|p| from + p + pat.len());
    while i < b.len() {
        match b[i] {
            b'\'' => {
                // E'...' strings may escape quotes with a backslash.
                let escapes = i > 0 && (b[i - 1] == b'E' || b[i - 1] == b'e');
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'"' => i = find(i + 1, b"\"").unwrap_or(b.len()),
            b'-' if b.get(i + 1) == Some(&b'-') => i = find(i, b"\n").unwrap_or(b.len()),
            b'/' if b.get(i + 1) == Some(&b'*') => i = find(i + 2, b"*/").unwrap_or(b.len()),
            b'$' => {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
                if digits > 0 && !prev_ident {
                    if let Ok(n) = sql[i + 1..i + 1 + digits].parse::<i32>() {
                        out.push((n, i32::try_from(i).unwrap_or(i32::MAX)));
                    }
                    i += 1 + digits;
                    continue;
                }
                // A dollar quote: `$tag$ ... $tag$`.
                let tag_len = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                if !prev_ident && b.get(i + 1 + tag_len) == Some(&b'$') {
                    let tag = &b[i..i + 2 + tag_len];
                    i = find(i + tag.len(), tag).unwrap_or(b.len());
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
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
