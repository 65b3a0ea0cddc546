//! Sections for views, enums, domains and composite types.

use schema_core::snapshot::{CompositeType, Domain, EnumType, Schema, View};

use super::escape::{code, fenced, text};
use super::table::{columns, index_table, trigger_table};
use super::Ctx;

/// A view or materialized view: columns, definition, indexes.
pub fn view(ctx: &Ctx<'_>, schema: &Schema, v: &View, out: &mut String) {
    out.push_str(&ctx.anchors.tag("view", &schema.name, &v.name));
    let kind = if v.materialized { "Materialized view" } else { "View" };
    out.push_str(&format!("### {kind} {}\n\n", code(&format!("{}.{}", schema.name, v.name))));
    if let Some(c) = &v.comment {
        out.push_str(&format!("{}\n\n", text(c)));
    }
    columns(ctx, &v.columns, out);
    out.push_str("**Definition**\n\n");
    out.push_str(&fenced("sql", &v.definition));
    out.push('\n');
    index_table(&v.indexes, out);
    trigger_table(&v.triggers, out);
    super::access::privileges(&v.grants, "view", &[], out);
}

/// An enum and its labels, in sort order.
pub fn enum_type(ctx: &Ctx<'_>, schema: &Schema, e: &EnumType, out: &mut String) {
    out.push_str(&ctx.anchors.tag("enum", &schema.name, &e.name));
    out.push_str(&format!("### Enum {}\n\n", code(&format!("{}.{}", schema.name, e.name))));
    if let Some(c) = &e.comment {
        out.push_str(&format!("{}\n\n", text(c)));
    }
    if e.labels.is_empty() {
        out.push_str("_No labels._\n\n");
    } else {
        let labels: Vec<String> = e.labels.iter().map(|l| code(l)).collect();
        out.push_str(&format!("Labels, in order: {}\n\n", labels.join(", ")));
    }
}

/// A domain: base type, nullability, default, collation, checks.
pub fn domain(ctx: &Ctx<'_>, schema: &Schema, d: &Domain, out: &mut String) {
    out.push_str(&ctx.anchors.tag("domain", &schema.name, &d.name));
    out.push_str(&format!("### Domain {}\n\n", code(&format!("{}.{}", schema.name, d.name))));
    if let Some(c) = &d.comment {
        out.push_str(&format!("{}\n\n", text(c)));
    }
    out.push_str(&format!("- Base type: {}\n", code(&d.sql_type)));
    out.push_str(&format!("- Nullable: {}\n", if d.not_null { "no" } else { "yes" }));
    if let Some(def) = &d.default {
        out.push_str(&format!("- Default: {}\n", code(def)));
    }
    if let Some(coll) = &d.collation {
        out.push_str(&format!("- Collation: {}\n", code(coll)));
    }
    for c in &d.checks {
        out.push_str(&format!("- Check {}: {}\n", code(&c.name), code(&c.to_sql())));
    }
    out.push('\n');
}

/// A free-standing composite type and its fields.
pub fn composite(ctx: &Ctx<'_>, schema: &Schema, c: &CompositeType, out: &mut String) {
    out.push_str(&ctx.anchors.tag("composite", &schema.name, &c.name));
    out.push_str(&format!("### Composite type {}\n\n", code(&format!("{}.{}", schema.name, c.name))));
    if let Some(cm) = &c.comment {
        out.push_str(&format!("{}\n\n", text(cm)));
    }
    if c.fields.is_empty() {
        out.push_str("_No fields._\n\n");
        return;
    }
    out.push_str("| Field | Type | Comment |\n|---|---|---|\n");
    for f in &c.fields {
        let mut ty = code(&f.sql_type);
        if let Some(coll) = &f.collation {
            ty.push_str(&format!(" collate {}", code(coll)));
        }
        let comment = f.comment.as_deref().map(text).unwrap_or_default();
        out.push_str(&format!("| {} | {ty} | {comment} |\n", code(&f.name)));
    }
    out.push('\n');
}
