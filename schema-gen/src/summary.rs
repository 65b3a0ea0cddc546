//! Human-readable renderings of a snapshot for terminals: the one-line result of
//! `schema-gen snapshot` and the structure listing of `schema-gen introspect`.

use std::fmt::Write;

use schema_core::snapshot::{Column, Table, TableKind};
use schema_core::Snapshot;

/// The one summary line `schema-gen snapshot` prints, e.g.
/// `wrote schema/snapshot.json: 2 schemas, 14 tables, ...` or
/// `schema/snapshot.json is up to date (2 schemas, 14 tables, ...)`.
pub fn snapshot_line(path: &str, written: bool, snapshot: &Snapshot) -> String {
    let stats = snapshot.stats();
    if written {
        format!("wrote {path}: {stats}")
    } else {
        format!("{path} is up to date ({stats})")
    }
}

/// A readable listing of the structure: every schema with its tables (columns, types,
/// nullability, keys), views, enums, domains and composite types.
pub fn render_text(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    for e in &snapshot.extensions {
        let _ = writeln!(out, "extension {} {} (schema {})", e.name, e.version, e.schema);
    }
    for schema in &snapshot.schemas {
        let _ = writeln!(out, "schema {}{}", schema.name, comment_suffix(schema.comment.as_deref()));
        for table in &schema.tables {
            render_table(&mut out, table);
        }
        for view in &schema.views {
            let kind = if view.materialized { "materialized view" } else { "view" };
            let _ = writeln!(out, "  {kind} {}{}", view.name, comment_suffix(view.comment.as_deref()));
            for c in &view.columns {
                render_column(&mut out, c, "");
            }
        }
        for e in &schema.enums {
            let _ = writeln!(out, "  enum {}: {}", e.name, e.labels.join(", "));
        }
        for d in &schema.domains {
            let not_null = if d.not_null { " not null" } else { "" };
            let _ = writeln!(out, "  domain {}: {}{not_null}", d.name, d.sql_type);
        }
        for c in &schema.composites {
            let fields: Vec<String> = c.fields.iter().map(|f| format!("{} {}", f.name, f.sql_type)).collect();
            let _ = writeln!(out, "  type {} ({})", c.name, fields.join(", "));
        }
        for r in &schema.ranges {
            let _ = writeln!(out, "  range {} of {}", r.name, r.subtype);
        }
        for c in &schema.collations {
            let _ = writeln!(out, "  collation {} ({}{})", c.name, c.provider, c.locale.as_deref().map(|l| format!(" {l}")).unwrap_or_default());
        }
        for q in &schema.sequences {
            let owned = q.owned_by.as_deref().map(|o| format!(" owned by {o}")).unwrap_or_default();
            let _ = writeln!(out, "  sequence {} {}{owned}", q.name, q.data_type);
        }
        for f in &schema.functions {
            let _ = writeln!(out, "  {} {}", f.kind.noun(), crate::docs::signature(f));
        }
    }
    let _ = writeln!(out, "{}", snapshot.stats());
    out
}

fn render_table(out: &mut String, table: &Table) {
    let kind = match table.kind {
        TableKind::Ordinary => "table",
        TableKind::Partitioned => "partitioned table",
        TableKind::Foreign => "foreign table",
    };
    let _ = writeln!(out, "  {kind} {}{}", table.name, comment_suffix(table.comment.as_deref()));
    let pk: &[String] = table.primary_key.as_ref().map(|p| p.columns.as_slice()).unwrap_or_default();
    for c in &table.columns {
        render_column(out, c, if pk.contains(&c.name) { " [pk]" } else { "" });
    }
    for fk in &table.foreign_keys {
        let _ = writeln!(out, "    fk {} ({}) -> {} ({})", fk.name, fk.columns.join(", "), fk.references, fk.referenced_columns.join(", "));
    }
    if table.row_security {
        let _ = writeln!(out, "    row-level security{}: {} policies", if table.force_row_security { " (forced)" } else { "" }, table.policies.len());
    }
    if !table.partitions.is_empty() {
        let _ = writeln!(out, "    {} partitions", table.partitions.len());
    }
}

fn render_column(out: &mut String, c: &Column, suffix: &str) {
    let null = if c.nullable { "null" } else { "not null" };
    let _ = writeln!(out, "    {} {} {null}{suffix}", c.name, c.sql_type);
}

fn comment_suffix(comment: Option<&str>) -> String {
    match comment {
        Some(c) => format!(" -- {}", c.lines().next().unwrap_or_default()),
        None => String::new(),
    }
}
