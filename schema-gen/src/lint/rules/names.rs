//! Types and names: column types to avoid, identifiers that need quoting or hit the length
//! limit, name templates, and missing comments.

use schema_core::snapshot::{Column, Schema};

use super::{ident, needs_quoting, TableCtx};
use crate::findings::{ObjectKind, ObjectRef};
use crate::lint::Emitter;

/// PostgreSQL's `NAMEDATALEN - 1`: longer identifiers are truncated to this.
const MAX_IDENT_BYTES: usize = 63;

pub(super) fn schema(s: &Schema, e: &mut Emitter<'_>) {
    name(&s.name, ObjectRef::schema(&s.name), e);
}

pub(super) fn views_and_types(s: &Schema, e: &mut Emitter<'_>) {
    for v in &s.views {
        name(&v.name, ObjectRef::relation(ObjectKind::View, &s.name, &v.name), e);
        for c in &v.columns {
            name(&c.name, ObjectRef::member(ObjectKind::Column, &s.name, &v.name, &c.name), e);
        }
    }
    let types = s.enums.iter().map(|t| &t.name).chain(s.domains.iter().map(|t| &t.name)).chain(s.composites.iter().map(|t| &t.name));
    for t in types {
        name(t, ObjectRef::relation(ObjectKind::Type, &s.name, t), e);
    }
}

/// `naming-needs-quoting` and `naming-too-long` for one identifier.
fn name(n: &str, object: ObjectRef, e: &mut Emitter<'_>) {
    if needs_quoting(n) {
        e.emit("naming-needs-quoting", object.clone(), format!("`{n}` must be double-quoted in every query; prefer lower_snake_case"), None);
    }
    if n.len() >= MAX_IDENT_BYTES {
        let why = if n.len() == MAX_IDENT_BYTES { "exactly the limit, so it was most likely truncated" } else { "over the limit; PostgreSQL truncates it" };
        e.emit("naming-too-long", object, format!("`{n}` is {} bytes, {why} ({MAX_IDENT_BYTES} bytes)", n.len()), None);
    }
}

pub(super) fn table(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    let (schema, table) = (&t.schema.name, &t.table.name);
    name(table, ObjectRef::relation(ObjectKind::Table, schema, table), e);
    if t.table.comment.is_none() {
        e.emit("comment-missing", ObjectRef::relation(ObjectKind::Table, schema, table), "has no comment".into(), Some(format!("COMMENT ON TABLE {} IS '...';", t.sql_name())));
    }
    for c in &t.table.columns {
        let col = || ObjectRef::member(ObjectKind::Column, schema, table, &c.name);
        name(&c.name, col(), e);
        column_type(t, c, col(), e);
        if c.comment.is_none() {
            e.emit("comment-missing", col(), "has no comment".into(), Some(format!("COMMENT ON COLUMN {}.{} IS '...';", t.sql_name(), ident(&c.name))));
        }
    }
    let member = |kind, n: &str| ObjectRef::member(kind, schema, table, n);
    // An index backing a constraint shares its name: judged once, as the constraint.
    for i in t.table.indexes.iter().filter(|i| i.constraint.is_none()) {
        name(&i.name, member(ObjectKind::Index, &i.name), e);
    }
    let constraints = t.table.primary_key.iter().map(|c| &c.name).chain(t.table.foreign_keys.iter().map(|c| &c.name)).chain(t.table.uniques.iter().map(|c| &c.name)).chain(t.table.checks.iter().map(|c| &c.name));
    for c in constraints {
        name(c, member(ObjectKind::Constraint, c), e);
    }
    if e.on("naming-pattern") {
        patterns(t, e);
    }
}

/// `naming-pattern`: keys and plain-column indexes against the `[lint.naming]` templates.
fn patterns(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    let n = e.config.naming.clone();
    let (schema, table) = (&t.schema.name, &t.table.name);
    let expand = |template: &str, cols: &[String]| template.replace("{table}", table).replace("{columns}", &cols.join("_"));
    let mut expect = Vec::new();
    if let Some(pk) = &t.table.primary_key {
        expect.push((ObjectKind::Constraint, &pk.name, expand(&n.primary_key, &pk.columns)));
    }
    for fk in &t.table.foreign_keys {
        expect.push((ObjectKind::Constraint, &fk.name, expand(&n.foreign_key, &fk.columns)));
    }
    for u in &t.table.uniques {
        expect.push((ObjectKind::Constraint, &u.name, expand(&n.unique, &u.columns)));
    }
    // Constraint-backing indexes are named by their constraint; expression indexes have no
    // column list to template.
    let plain = |c: &String| t.table.columns.iter().any(|col| col.name == *c);
    for i in t.table.indexes.iter().filter(|i| i.constraint.is_none() && i.columns.iter().all(plain)) {
        expect.push((ObjectKind::Index, &i.name, expand(&n.index, &i.columns)));
    }
    for (kind, actual, wanted) in expect {
        if *actual != wanted {
            let fix = match kind {
                ObjectKind::Index => format!("ALTER INDEX {}.{} RENAME TO {};", ident(schema), ident(actual), ident(&wanted)),
                _ => format!("ALTER TABLE {} RENAME CONSTRAINT {} TO {};", t.sql_name(), ident(actual), ident(&wanted)),
            };
            e.emit("naming-pattern", ObjectRef::member(kind, schema, table, actual), format!("expected the name `{wanted}`"), Some(fix));
        }
    }
}

/// The "Don't Do This" types.
fn column_type(t: &TableCtx<'_>, c: &Column, object: ObjectRef, e: &mut Emitter<'_>) {
    let ty = &c.type_ref;
    let alter = |to: &str| Some(format!("ALTER TABLE {} ALTER COLUMN {} TYPE {to};", t.sql_name(), ident(&c.name)));
    if c.identity.is_none() && ["int2", "int4", "int8"].iter().any(|n| ty.is_builtin(n)) && c.default.as_deref().is_some_and(|d| d.starts_with("nextval(")) {
        e.emit("type-serial", object.clone(), format!("`{}` with default `{}` is a serial column; prefer `GENERATED ... AS IDENTITY`", c.sql_type, c.default.as_deref().unwrap_or_default()), None);
    }
    let element = if ty.is_array() { "array of " } else { "" };
    if ty.is_builtin("bpchar") {
        e.emit("type-char", object.clone(), format!("is `{}`: {element}char(n) pads with spaces; use text or varchar", c.sql_type), alter(if ty.is_array() { "text[]" } else { "text" }));
    }
    if ty.is_builtin("money") {
        e.emit("type-money", object.clone(), format!("is `{}`; use numeric (with a currency column)", c.sql_type), alter("numeric(19, 4)"));
    }
    if ty.is_builtin("json") {
        e.emit("type-json", object.clone(), format!("is `{}`; jsonb is usually what is meant", c.sql_type), alter(if ty.is_array() { "jsonb[]" } else { "jsonb" }));
    }
    if ty.is_builtin("varchar") && ty.length.is_some() {
        e.emit("type-varchar-length", object, format!("is `{}`; prefer text with a CHECK on length if the limit is a business rule", c.sql_type), None);
    }
}
