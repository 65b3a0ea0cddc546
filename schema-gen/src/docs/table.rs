//! One table's section: columns, keys, constraints, indexes, triggers, partitions, example query.

use schema_core::snapshot::{Column, ForeignKey, Identity, Partition, Schema, Table, TableKind, TypeKind};

use schema_core::sql::{self, quote_ident as ident};

use super::escape::{code, fenced, text};
use super::Ctx;

/// Renders `table` (of `schema`) into `out`.
pub fn render(ctx: &Ctx<'_>, schema: &Schema, table: &Table, out: &mut String) {
    out.push_str(&ctx.anchors.tag("table", &schema.name, &table.name));
    let kind = match table.kind {
        TableKind::Ordinary => "Table",
        TableKind::Partitioned => "Partitioned table",
        TableKind::Foreign => "Foreign table",
    };
    out.push_str(&format!("### {kind} {}\n\n", code(&format!("{}.{}", schema.name, table.name))));
    if let Some(c) = &table.comment {
        out.push_str(&format!("{}\n\n", text(c)));
    }
    columns(ctx, &table.columns, out);
    if let Some(pk) = &table.primary_key {
        let overlaps = if pk.without_overlaps { " (temporal: the last column `WITHOUT OVERLAPS`)" } else { "" };
        out.push_str(&format!("**Primary key** {}: {}{overlaps}\n\n", code(&pk.name), code_list(&pk.columns)));
    }
    references(ctx, table, out);
    referenced_by(ctx, schema, table, out);
    constraints(table, out);
    indexes(table, out);
    trigger_table(&table.triggers, out);
    super::access::row_security(table, out);
    let column_grants: Vec<(&str, &[schema_core::snapshot::Grant])> =
        table.columns.iter().filter(|c| !c.grants.is_empty()).map(|c| (c.name.as_str(), c.grants.as_slice())).collect();
    super::access::privileges(&table.grants, "table", &column_grants, out);
    super::access::storage(table, out);
    if let Some(key) = &table.partition_key {
        out.push_str(&format!("**Partitioned by** {}\n\n", code(key)));
    }
    if !table.partitions.is_empty() {
        out.push_str("**Partitions**\n\n");
        partitions(ctx, &table.partitions, 0, out);
        out.push('\n');
    }
    if ctx.options.example_queries {
        out.push_str("**Example query**\n\n");
        out.push_str(&fenced("sql", &example_query(&schema.name, table)));
        out.push('\n');
    }
}

/// The columns table; shared with views.
pub fn columns(ctx: &Ctx<'_>, cols: &[Column], out: &mut String) {
    if cols.is_empty() {
        out.push_str("_No columns._\n\n");
        return;
    }
    out.push_str("| Column | Type | Nullable | Default | Comment |\n|---|---|---|---|---|\n");
    for c in cols {
        let ty = type_cell(ctx, c);
        let nullable = if c.nullable { "yes" } else { "no" };
        let default = default_cell(c);
        let comment = c.comment.as_deref().map(text).unwrap_or_default();
        out.push_str(&format!("| {} | {ty} | {nullable} | {default} | {comment} |\n", code(&c.name)));
    }
    out.push('\n');
}

/// The type, linked to its enum/domain/composite section when the snapshot documents it.
fn type_cell(ctx: &Ctx<'_>, c: &Column) -> String {
    let t = &c.type_ref;
    let kind = match t.kind {
        TypeKind::Enum => Some("enum"),
        TypeKind::Domain => Some("domain"),
        TypeKind::Composite => Some("composite"),
        _ => None,
    };
    let mut cell = match kind {
        Some(k) if ctx.anchors.get(k, &t.schema, &t.name).is_some() => ctx.link(k, &t.schema, &t.name, &c.sql_type),
        _ => code(&c.sql_type),
    };
    if let Some(coll) = &c.collation {
        cell.push_str(&format!(" collate {}", code(coll)));
    }
    cell
}

fn default_cell(c: &Column) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &c.default {
        parts.push(code(d));
    }
    match c.identity {
        Some(Identity::Always) => parts.push("identity (always)".to_owned()),
        Some(Identity::ByDefault) => parts.push("identity (by default)".to_owned()),
        None => {}
    }
    if let Some(g) = &c.generated {
        // Virtual columns (PostgreSQL 18+) are computed on read; stored ones on write.
        let kind = if c.generated_virtual { "virtual" } else { "stored" };
        parts.push(format!("generated ({kind}): {}", code(g)));
    }
    parts.join("<br>")
}

/// A comma-separated list of code spans.
pub fn code_list(items: &[String]) -> String {
    items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
}

/// The columns of one side of a foreign key, `PERIOD` marked on the last one of a temporal key.
fn fk_columns(fk: &ForeignKey, columns: &[String]) -> String {
    let mut list: Vec<String> = columns.to_vec();
    if let (true, Some(last)) = (fk.period, list.last_mut()) {
        *last = format!("PERIOD {last}");
    }
    code_list(&list)
}

/// `` `name` (`a`) → [`s.t`](#...) (`id`) ON DELETE CASCADE ``: one foreign key, linked.
fn fk_line(ctx: &Ctx<'_>, fk: &ForeignKey) -> String {
    let target = ctx.link("relation", &fk.references.schema, &fk.references.name, &fk.references.to_string());
    format!("{} ({}) → {target} ({}){}", code(&fk.name), fk_columns(fk, &fk.columns), fk_columns(fk, &fk.referenced_columns), fk.options_sql())
}

fn references(ctx: &Ctx<'_>, table: &Table, out: &mut String) {
    if table.foreign_keys.is_empty() {
        return;
    }
    out.push_str("**References**\n\n");
    for fk in &table.foreign_keys {
        out.push_str(&format!("- {}\n", fk_line(ctx, fk)));
    }
    out.push('\n');
}

fn referenced_by(ctx: &Ctx<'_>, schema: &Schema, table: &Table, out: &mut String) {
    let incoming = ctx.refs.to(&schema.name, &table.name);
    if incoming.is_empty() {
        return;
    }
    out.push_str("**Referenced by**\n\n");
    for r in incoming {
        let from = match r.partition {
            Some(p) => format!("partition {} of {}", code(&format!("{}.{}", p.schema, p.name)), ctx.link("table", &r.schema.name, &r.table.name, &format!("{}.{}", r.schema.name, r.table.name))),
            None => ctx.link("table", &r.schema.name, &r.table.name, &format!("{}.{}", r.schema.name, r.table.name)),
        };
        out.push_str(&format!(
            "- {from} ({}) via {}{}\n",
            fk_columns(r.fk, &r.fk.columns),
            code(&r.fk.name),
            r.fk.options_sql()
        ));
    }
    out.push('\n');
}

fn constraints(table: &Table, out: &mut String) {
    if table.uniques.is_empty() && table.checks.is_empty() && table.exclusions.is_empty() {
        return;
    }
    out.push_str("**Constraints**\n\n| Name | Kind | Definition |\n|---|---|---|\n");
    for u in &table.uniques {
        out.push_str(&format!("| {} | unique | {} |\n", code(&u.name), code(&u.to_sql())));
    }
    for c in &table.checks {
        out.push_str(&format!("| {} | check | {} |\n", code(&c.name), code(&c.to_sql())));
    }
    for x in &table.exclusions {
        out.push_str(&format!("| {} | exclusion | {} |\n", code(&x.name), code(&x.definition)));
    }
    out.push('\n');
}

/// The indexes table; shared with materialized views.
pub fn index_table(indexes: &[schema_core::snapshot::Index], out: &mut String) {
    if indexes.is_empty() {
        return;
    }
    out.push_str("**Indexes**\n\n| Name | Definition |\n|---|---|\n");
    for i in indexes {
        // An invalid index (a failed `CREATE INDEX CONCURRENTLY`) is used by nothing.
        let invalid = if i.invalid { " **(invalid: not used, enforces nothing)**" } else { "" };
        out.push_str(&format!("| {} | {}{invalid} |\n", code(&i.name), code(&i.definition)));
    }
    out.push('\n');
}

fn indexes(table: &Table, out: &mut String) {
    index_table(&table.indexes, out);
}

/// The triggers table; shared with views (`INSTEAD OF` triggers).
pub fn trigger_table(triggers: &[schema_core::snapshot::Trigger], out: &mut String) {
    if triggers.is_empty() {
        return;
    }
    out.push_str("**Triggers**\n\n| Name | Definition |\n|---|---|\n");
    for t in triggers {
        out.push_str(&format!("| {} | {} |\n", code(&t.name), code(&t.definition)));
    }
    out.push('\n');
}

fn partitions(ctx: &Ctx<'_>, parts: &[Partition], depth: usize, out: &mut String) {
    for p in parts {
        let name = ctx.link("table", &p.schema, &p.name, &format!("{}.{}", p.schema, p.name));
        out.push_str(&format!("{}- {name}: {}", "  ".repeat(depth), code(&p.bound)));
        if let Some(key) = &p.partition_key {
            out.push_str(&format!(", partitioned by {}", code(key)));
        }
        out.push('\n');
        // What the partition declares itself (not inherited from its parent).
        let pad = "  ".repeat(depth + 1);
        if let Some(pk) = &p.primary_key {
            out.push_str(&format!("{pad}- own primary key {}: {}\n", code(&pk.name), code(&pk.to_sql())));
        }
        for fk in &p.foreign_keys {
            out.push_str(&format!("{pad}- own foreign key {}\n", fk_line(ctx, fk)));
        }
        for u in &p.uniques {
            out.push_str(&format!("{pad}- own unique {}: {}\n", code(&u.name), code(&u.to_sql())));
        }
        for c in &p.checks {
            out.push_str(&format!("{pad}- own check {}: {}\n", code(&c.name), code(&c.to_sql())));
        }
        for i in &p.indexes {
            out.push_str(&format!("{pad}- own index {}: {}\n", code(&i.name), code(&i.definition)));
        }
        for t in &p.triggers {
            out.push_str(&format!("{pad}- own trigger {}: {}\n", code(&t.name), code(&t.definition)));
        }
        for c in &p.columns {
            out.push_str(&format!("{pad}- own column setting {}: {}\n", code(&c.name), code(&c.settings_sql())));
        }
        super::access::partition_access(p, &pad, out);
        partitions(ctx, &p.partitions, depth + 1, out);
    }
}

/// `SELECT <columns> FROM "schema"."table" WHERE <pk> = $n`, every identifier quoted; tables
/// without a primary key get `LIMIT 10` instead.
pub fn example_query(schema: &str, table: &Table) -> String {
    let cols = if table.columns.is_empty() {
        "*".to_owned()
    } else {
        sql::select_list(table.columns.iter().map(|c| c.name.as_str()))
    };
    let from = sql::qualified(schema, &table.name);
    match &table.primary_key {
        Some(pk) if !pk.columns.is_empty() => {
            let cond: Vec<String> = pk.columns.iter().enumerate().map(|(i, c)| format!("{} = ${}", ident(c), i + 1)).collect();
            format!("SELECT {cols}\nFROM {from}\nWHERE {};\n", cond.join(" AND "))
        }
        _ => format!("SELECT {cols}\nFROM {from}\nLIMIT 10;\n"),
    }
}
