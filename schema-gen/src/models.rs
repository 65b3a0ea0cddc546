//! Finding `#[derive(Model)]` structs in source trees and checking them all: the library side
//! of `schema-gen models` (the "compare all models with the database" report).
//!
//! Files are parsed with `syn` and each model's attributes go through the very parser the
//! derive uses ([`schema_core::check::syntax`]), then through the same checker, so the report
//! and the compiler always agree. Structs are found at any depth of inline `mod { ... }`
//! blocks; structs declared inside function bodies or produced by other macros are not seen.

use std::path::{Path, PathBuf};

use schema_core::check::syntax;
use schema_core::check::check_model;
use schema_core::typemap::TypeMap;
use schema_core::Snapshot;
use serde::Serialize;

use crate::findings::{self, Examined, Level, Location, RuleInfo};
use crate::{Error, Result};

macro_rules! rule {
    ($id:literal, $summary:literal, $why:literal) => {
        RuleInfo { id: $id, default_level: Some(Level::Error), summary: $summary, why: $why }
    };
}

/// The rules of the models report: the checker's codes (the derive's compile errors), plus
/// `invalid-attribute`. Every one is an error: the derive would not compile the struct.
pub const RULES: &[RuleInfo] = &[
    rule!("invalid-attribute", "a `#[model(...)]` attribute the derive rejects", "The derive stops at a malformed attribute before checking anything else."),
    rule!("unknown-table", "the model's table or view is not in the snapshot", "The struct would decode rows of a relation that does not exist."),
    rule!("unknown-column", "a field maps to a column the relation does not have", "Every query built from the struct would fail on that column."),
    rule!("duplicate-column", "two fields map to the same column", "Row decoding would read one column into two fields; one of them is misnamed."),
    rule!("type-mismatch", "a field's Rust type cannot hold the column's SQL type", "Decoding fails at run time (or truncates); the derive catches it at compile time."),
    rule!("unsupported-type", "the column's SQL type has no Rust mapping", "Mark the field `#[model(custom)]` with a type that implements `FromSql` for it."),
    rule!("nullability-mismatch", "`Option` on a NOT NULL column, or a nullable column without `Option`", "A NULL decoded into a non-`Option` field fails at run time."),
    rule!("missing-column", "`deny_missing_columns` and a column has no field", "The model asked to cover every column; a new column went unnoticed."),
    rule!("primary-key-mismatch", "`primary_key = \"...\"` differs from the table's primary key", "Code that addresses rows by the declared key would update or fetch the wrong rows."),
];

/// A position in a source file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The file, as found under the given paths.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One discrepancy (or attribute error) of one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The checker's stable code (`unknown-column`, ...), or `invalid-attribute` for a
    /// `#[model(...)]` the derive would reject before checking.
    pub code: String,
    /// The message, exactly as the derive prints it.
    pub message: String,
    /// Where it points.
    pub position: Position,
}

/// One model and what the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelResult {
    /// The struct name.
    pub name: String,
    /// The `table = "..."` value (empty when the attribute is missing).
    pub table: String,
    /// The struct's position.
    pub position: Position,
    /// Empty when the model fits the snapshot.
    pub findings: Vec<Finding>,
}

/// The whole report, models in file then source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every model found.
    pub models: Vec<ModelResult>,
}

impl Report {
    /// Total number of findings.
    pub fn finding_count(&self) -> usize {
        self.models.iter().map(|m| m.findings.len()).sum()
    }

    /// The report in the shared findings model: every model as an [`Examined`] subject
    /// (`ok` or `failing`, with its table), each discrepancy as an error at its source
    /// position with rule = the checker's code and properties `model` and `table`.
    pub fn to_findings(&self) -> findings::Report {
        let mut out = findings::Report { rules: RULES.to_vec(), subject: Some("model"), ..findings::Report::default() };
        for m in &self.models {
            let table = (!m.table.is_empty()).then(|| format!("table {}", m.table));
            out.examined.push(Examined {
                kind: "model",
                name: m.name.clone(),
                location: source(&m.position),
                status: if m.findings.is_empty() { "ok" } else { "failing" }.to_owned(),
                ok: m.findings.is_empty(),
                against: table,
                fix: None,
                findings: m.findings.len(),
            });
            for f in &m.findings {
                let mut finding = findings::Finding::at(&f.code, Level::Error, source(&f.position), f.message.clone(), None).with("model", m.name.clone());
                if !m.table.is_empty() {
                    finding = finding.with("table", m.table.clone());
                }
                out.findings.push(finding);
            }
        }
        out
    }
}

fn source(p: &Position) -> Location {
    Location::Source { file: p.file.display().to_string(), line: p.line, column: p.column }
}

/// The `.rs` files under `paths` (files are taken as given; directories are walked, skipping
/// `target` and hidden directories), sorted for a stable report.
pub fn rust_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| Error::Io { action: "read", path: p.display().to_string(), source })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

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
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Checks every model in the `.rs` files under `paths` against `snapshot`.
pub fn check_paths(paths: &[PathBuf], snapshot: &Snapshot, types: &TypeMap) -> Result<Report> {
    let mut report = Report::default();
    for file in rust_files(paths)? {
        let text = schema_core::fsutil::read_to_string(&file, "read")?;
        report.models.extend(check_source(&file, &text, snapshot, types)?);
    }
    Ok(report)
}

/// Checks the models in one file's text (`file` is used for positions and errors).
pub fn check_source(file: &Path, text: &str, snapshot: &Snapshot, types: &TypeMap) -> Result<Vec<ModelResult>> {
    let parsed = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        Error::RustParse { path: file.display().to_string(), detail: format!("{e} at line {}, column {}", at.line, at.column + 1) }
    })?;
    let mut structs = Vec::new();
    collect_structs(&parsed.items, &mut structs);
    Ok(structs.into_iter().map(|item| check_struct(file, item, snapshot, types)).collect())
}

fn collect_structs<'a>(items: &'a [syn::Item], out: &mut Vec<&'a syn::ItemStruct>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if syntax::has_model_derive(&s.attrs) => out.push(s),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_structs(items, out);
                }
            }
            _ => {}
        }
    }
}

fn position(file: &Path, span: proc_macro2::Span) -> Position {
    let start = span.start();
    Position { file: file.to_owned(), line: start.line, column: start.column + 1 }
}

fn check_struct(file: &Path, item: &syn::ItemStruct, snapshot: &Snapshot, types: &TypeMap) -> ModelResult {
    let name = item.ident.to_string();
    let at = position(file, item.ident.span());
    match syntax::parse_model(&item.ident, &item.attrs, &item.fields) {
        Err(errors) => ModelResult {
            name,
            table: String::new(),
            position: at,
            findings: errors
                .into_iter()
                .map(|e| Finding { code: "invalid-attribute".into(), message: e.to_string(), position: position(file, e.span()) })
                .collect(),
        },
        // A query model's columns come from its SQL, which `schema-gen queries` checks (it has
        // PostgreSQL's parser); here there is no relation to compare with.
        Ok(model) if model.query.is_some() => ModelResult { name, table: "(query)".to_owned(), position: at, findings: Vec::new() },
        Ok(model) => {
            let findings = check_model(&model.def, snapshot, types)
                .into_iter()
                .map(|d| Finding {
                    code: d.code.as_str().to_owned(),
                    message: d.message,
                    position: position(file, model.span(d.location)),
                })
                .collect();
            ModelResult { name, table: model.def.table.clone(), position: at, findings }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNAPSHOT: &str = include_str!("../../schema-derive/tests/fixtures/snapshot.json");

    #[test]
    fn finds_models_in_nested_modules_and_reports_attribute_errors() {
        let snapshot = Snapshot::from_json(SNAPSHOT, "fixture").unwrap();
        let source = r#"
#[derive(Debug)]
struct NotAModel { x: i32 }

mod inner {
    #[derive(schema_derive::Model)]
    #[model(table = "users")]
    struct User { id: i32 }
}

#[derive(Model)]
#[model(tabel = "users")]
struct Broken { id: i64 }
"#;
        let found = check_source(Path::new("src/lib.rs"), source, &snapshot, &TypeMap::default()).unwrap();
        // (model, [(code, line, column)])
        type Summary<'a> = Vec<(&'a str, Vec<(&'a str, usize, usize)>)>;
        let summary: Summary = found
            .iter()
            .map(|m| {
                (m.name.as_str(), m.findings.iter().map(|f| (f.code.as_str(), f.position.line, f.position.column)).collect())
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("User", vec![("type-mismatch", 8, 23)]),
                ("Broken", vec![("invalid-attribute", 12, 9), ("invalid-attribute", 13, 8)]),
            ]
        );
    }

    #[test]
    fn every_checker_code_has_a_rule() {
        use schema_core::check::Code::*;
        for code in [UnknownTable, UnknownColumn, DuplicateColumn, TypeMismatch, UnsupportedType, NullabilityMismatch, MissingColumn, PrimaryKeyMismatch] {
            assert!(RULES.iter().any(|r| r.id == code.as_str()), "{code} has no rule");
        }
    }

    #[test]
    fn unparsable_files_are_errors_with_a_position() {
        let snapshot = Snapshot::default();
        let e = check_source(Path::new("x.rs"), "struct {", &snapshot, &TypeMap::default()).unwrap_err();
        assert!(e.to_string().starts_with("cannot parse `x.rs`:") && e.to_string().contains("line 1"), "{e}");
    }
}
