//! `schema-gen queries`: the SQL in Rust sources and `.sql` files, checked against the
//! snapshot by [`schema_queries`] (PostgreSQL's own parser, no database), reported through the
//! one findings model ([`crate::findings`]): same formatters, levels and exit codes as `lint`.
//!
//! - [`config`]: the `[queries]` sections of `pgcanon.toml`;
//! - [`check_paths`]: files → a [`QueryReport`] (findings plus each query's inferred columns);
//! - [`build`]: the same from `build.rs`, as `cargo:warning=` lines.

pub mod build;
pub mod config;

use std::path::{Path, PathBuf};

use serde::Serialize;

use schema_core::Snapshot;
use std::collections::HashMap;

use schema_queries::extract::{self, Extracted, RowStruct, SqlSite};
use schema_queries::{check_sql, Catalog, OutCol};

pub use config::QueriesConfig;

use crate::findings::{Finding, Location, Report, RuleInfo};
use crate::{Error, Result};

/// One SQL text that was checked, with what it returns.
#[derive(Debug, Clone, Serialize)]
pub struct QueryEntry {
    /// The file.
    pub file: String,
    /// 1-based line of the SQL's first byte.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// How it was found (`.query_one`, `sqlx::query`, `query_as!`, `const SELECT`, `.sql file`).
    pub via: String,
    /// The SQL text.
    pub sql: String,
    /// The highest `$n`.
    pub params: usize,
    /// The values bound, when countable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binds: Option<usize>,
    /// The result columns of its last statement, when it returns rows and they could be
    /// inferred: name, type, nullability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<OutCol>>,
}

/// What [`check_paths`] found.
#[derive(Debug, Clone, Default)]
pub struct QueryReport {
    /// The findings, ready for a formatter.
    pub report: Report,
    /// Every query checked, in file order.
    pub queries: Vec<QueryEntry>,
    /// Files read.
    pub files: usize,
}

/// The rules, as the findings model lists them (SARIF's rule table).
pub fn rule_infos(config: &QueriesConfig) -> Vec<RuleInfo> {
    schema_queries::RULES
        .iter()
        .filter_map(|r| config.level_of(r).map(|level| RuleInfo { id: r.id, default_level: Some(level), summary: r.summary, why: r.why }))
        .collect()
}

/// The `.rs` and `.sql` files under `paths` (directories walked, skipping `target` and hidden
/// directories), minus the config's ignore globs, sorted.
pub fn source_files(paths: &[PathBuf], config: &QueriesConfig) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { action: "list", path: dir.display().to_string(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io { action: "list", path: dir.display().to_string(), source })?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    walk(&path, out)?;
                }
            } else if name.ends_with(".rs") || name.ends_with(".sql") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| Error::Io { action: "read", path: p.display().to_string(), source })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.retain(|p| !config.ignored(&p.display().to_string()));
    out.sort();
    out.dedup();
    Ok(out)
}

/// Checks every query in the files under `paths` against `snapshot`. Files are read and
/// checked on every available core; the report is in file order whatever the schedule.
pub fn check_paths(paths: &[PathBuf], snapshot: &Snapshot, config: &QueriesConfig) -> Result<QueryReport> {
    let files = source_files(paths, config)?;
    let catalog = Catalog::new(snapshot);
    let extracted: Vec<Extracted> = par_map(&files, |f| extract_file(f)).into_iter().collect::<Result<_>>()?;
    // Row types may be defined in any file; a name defined twice differently is not checked.
    let mut structs: HashMap<&str, Option<&RowStruct>> = HashMap::new();
    for s in extracted.iter().flat_map(|x| &x.structs) {
        structs.entry(&s.name).and_modify(|e| if e.is_some_and(|o| o != s) { *e = None }).or_insert(Some(s));
    }
    let per_file = par_map(&extracted, |x| check_extracted(&catalog, config, x, &structs));
    let mut out = QueryReport { files: files.len(), ..QueryReport::default() };
    for r in per_file {
        out.report.findings.extend(r.report.findings);
        out.queries.extend(r.queries);
    }
    let f = &mut out.report.findings;
    f.sort_by(|a, b| (a.location.file(), line_col(a), &a.rule, &a.message).cmp(&(b.location.file(), line_col(b), &b.rule, &b.message)));
    f.dedup_by(|a, b| a.rule == b.rule && a.location == b.location && a.message == b.message);
    out.report.rules = rule_infos(config);
    Ok(out)
}

/// `f` over `items` on every available core, results in input order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    let mut slots: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || items.iter().enumerate().skip(t).step_by(threads).map(|(i, x)| (i, f(x))).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    slots.sort_by_key(|(i, _)| *i);
    slots.into_iter().map(|(_, r)| r).collect()
}

/// One file's SQL (a `.sql` file is one site).
fn extract_file(file: &Path) -> Result<Extracted> {
    let text = schema_core::fsutil::read_to_string(file, "read")?;
    let name = file.display().to_string();
    if name.ends_with(".sql") {
        return Ok(Extracted { sites: vec![extract::sql_file(&name, &text, None, ".sql file")], ..Extracted::default() });
    }
    let (x, warnings) = extract::rust_file(&name, &text).map_err(|e| Error::Config(e.to_string()))?;
    if let Some(w) = warnings.first() {
        return Err(Error::Config(format!("{w}; fix the path, or leave the file out")));
    }
    Ok(x)
}

/// One file's findings and queries.
fn check_extracted(catalog: &Catalog, config: &QueriesConfig, x: &Extracted, structs: &HashMap<&str, Option<&RowStruct>>) -> QueryReport {
    let mut out = QueryReport::default();
    for site in &x.sites {
        check_site(catalog, config, site, &mut out);
        if let (Some((ty, line, column)), Some(cols)) = (&site.row_type, out.queries.last().and_then(|q| q.columns.as_ref())) {
            if let Some(Some(st)) = structs.get(ty.as_str()) {
                let loc = Location::Source { file: site.file.clone(), line: *line, column: *column };
                for f in row_findings(config, st, cols, &loc) {
                    if !site.allowed(&f.rule, *line) {
                        out.report.findings.push(f.with("via", site.via.clone()));
                    }
                }
            }
        }
    }
    for d in &x.dynamic {
        if d.allowed.iter().any(|r| r == schema_queries::diag::UNVERIFIABLE) {
            continue;
        }
        if let Some(level) = config.level(schema_queries::diag::UNVERIFIABLE) {
            let loc = Location::Source { file: d.file.clone(), line: d.line, column: d.column };
            let msg = format!("{}: SQL built at run time cannot be checked", d.reason);
            out.report.findings.push(Finding::at(schema_queries::diag::UNVERIFIABLE, level, loc, msg, Some("use a literal with `$n` parameters, or a `const`".into())));
        }
    }
    out
}

/// The row struct against the inferred result columns, field by field, as sqlx's
/// `query_as!` would check them against a live database.
fn row_findings(config: &QueriesConfig, st: &RowStruct, cols: &[OutCol], loc: &Location) -> Vec<Finding> {
    use schema_queries::diag::{ROW_NULLABILITY, ROW_STRUCT};
    let mut out = Vec::new();
    if !st.checkable {
        return out;
    }
    let name = &st.name;
    if let Some(level) = config.level(ROW_STRUCT) {
        for c in cols.iter().filter(|c| !st.model && !st.fields.iter().any(|(f, _)| *f == c.name)) {
            let hint = schema_core::check::closest(&c.name, st.fields.iter().map(|(f, _)| f.as_str())).map(|f| format!("did you mean field `{f}`? (rename the column with AS, or the field with #[sqlx(rename)])"));
            out.push(Finding::at(ROW_STRUCT, level, loc.clone(), format!("result column `{}` has no field in `{name}`", c.name), hint));
        }
        for (f, _) in st.fields.iter().filter(|(f, _)| !cols.iter().any(|c| c.name == *f)) {
            let fix = if st.model {
                format!("select a column named `{f}`, map the field to another with #[model(column = \"...\")], or #[model(skip)] it")
            } else {
                format!("select a column named `{f}`, or remove the field")
            };
            out.push(Finding::at(ROW_STRUCT, level, loc.clone(), format!("field `{name}.{f}` is not a result column of the query"), Some(fix)));
        }
    }
    if let Some(level) = config.level(ROW_NULLABILITY) {
        for c in cols.iter().filter(|c| c.nullable) {
            if st.fields.iter().any(|(f, opt)| *f == c.name && !opt) {
                out.push(Finding::at(ROW_NULLABILITY, level, loc.clone(), format!("result column `{}` is not proven NOT NULL, but `{name}.{}` is not an `Option`", c.name, c.name), Some("make the field an Option, or prove it in SQL (WHERE … IS NOT NULL, COALESCE)".into())));
            }
        }
    }
    out
}

fn line_col(f: &Finding) -> (usize, usize) {
    match f.location {
        Location::Source { line, column, .. } => (line, column),
        _ => (0, 0),
    }
}

fn check_site(catalog: &Catalog, config: &QueriesConfig, site: &SqlSite, out: &mut QueryReport) {
    let checked = check_sql(catalog, &config.options(), &site.text, site.binds);
    let (line, column) = site.position(site.text.len() - site.text.trim_start().len());
    let mut findings = Vec::new();
    for d in &checked.diagnostics {
        let Some(level) = config.level(d.rule) else { continue };
        let (l, c) = site.position(d.offset);
        if site.allowed(d.rule, l) || site.allowed(d.rule, line) {
            continue;
        }
        let loc = Location::Source { file: site.file.clone(), line: l, column: c };
        findings.push(Finding::at(d.rule, level, loc, d.message.clone(), d.suggestion.clone()).with("via", site.via.clone()));
    }
    if let (Some((at, why)), Some(level)) = (&checked.unverifiable, config.level(schema_queries::diag::UNVERIFIABLE)) {
        let (l, c) = site.position(*at);
        if !site.allowed(schema_queries::diag::UNVERIFIABLE, l) && !site.allowed(schema_queries::diag::UNVERIFIABLE, line) {
            let loc = Location::Source { file: site.file.clone(), line: l, column: c };
            findings.push(Finding::at(schema_queries::diag::UNVERIFIABLE, level, loc, format!("{why}; its names there are not checked"), None).with("via", site.via.clone()));
        }
    }
    out.report.findings.extend(findings);
    if checked.statements.is_empty() {
        out.queries.push(QueryEntry { file: site.file.clone(), line, column, via: site.via.clone(), sql: site.text.trim().to_owned(), params: 0, binds: site.binds, columns: None });
    }
    for st in &checked.statements {
        let body = site.text.get(st.offset..st.offset + st.len).unwrap_or_default();
        let start = st.offset + leading_noise(body);
        let (line, column) = site.position(start);
        out.queries.push(QueryEntry {
            file: site.file.clone(),
            line,
            column,
            via: site.via.clone(),
            sql: site.text.get(start..st.offset + st.len).unwrap_or_default().trim_end().to_owned(),
            params: st.params,
            binds: site.binds,
            columns: st.columns.clone(),
        });
    }
}

/// Bytes of whitespace and `--` comment lines before a statement's first token.
fn leading_noise(s: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &s[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("--") {
            at += trimmed.find('\n').map_or(trimmed.len(), |n| n + 1);
        } else {
            return at;
        }
    }
}

/// The JSON output of `queries`: the findings report's `{summary, findings}` plus `queries`,
/// each with its inferred result columns.
pub fn render_json(q: &QueryReport) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&crate::findings::render_json(&q.report)).unwrap_or_default();
    if let serde_json::Value::Object(map) = &mut doc {
        map.insert("queries".into(), serde_json::to_value(&q.queries).unwrap_or_default());
    }
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
