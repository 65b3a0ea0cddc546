//! Indexes: duplicates, redundant prefixes, invalid indexes; and constraints left NOT VALID.

use schema_core::snapshot::Index;

use super::{ident, TableCtx};
use crate::findings::{ObjectKind, ObjectRef};
use crate::lint::Emitter;

/// Everything that makes two indexes answer the same queries, the name aside.
fn shape(i: &Index) -> (bool, &str, &[String], &[String], Option<&str>, bool) {
    (i.unique, &i.method, &i.columns, &i.include, i.predicate.as_deref(), i.nulls_not_distinct)
}

pub(super) fn check(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    let (schema, table) = (&t.schema.name, &t.table.name);
    let index_ref = |n: &str| ObjectRef::member(ObjectKind::Index, schema, table, n);
    let drop = |i: &Index| Some(format!("DROP INDEX CONCURRENTLY {}.{};", ident(schema), ident(&i.name)));
    let indexes = &t.table.indexes;
    for (n, i) in indexes.iter().enumerate() {
        if i.invalid {
            e.emit("index-invalid", index_ref(&i.name), "is invalid (a failed or running CREATE INDEX CONCURRENTLY): queries ignore it, writes still pay for it".into(), Some(format!("REINDEX INDEX CONCURRENTLY {}.{};", ident(schema), ident(&i.name))));
        }
        // An index backing a constraint cannot be dropped on its own: report its twin instead.
        if i.constraint.is_none() {
            if let Some(twin) = indexes.iter().enumerate().find(|(m, o)| *m != n && shape(o) == shape(i) && (o.constraint.is_some() || *m < n)).map(|(_, o)| o) {
                e.emit("index-duplicate", index_ref(&i.name), format!("has the same definition as `{}`", twin.name), drop(i));
                continue;
            }
            // A unique index enforces something, and a partial or non-btree one is not a plain
            // prefix of anything: neither is redundant.
            if !i.unique && i.predicate.is_none() && i.method == "btree" && !i.invalid {
                if let Some(longer) = indexes.iter().find(|o| o.name != i.name && o.method == "btree" && o.predicate.is_none() && !o.invalid && o.columns.len() > i.columns.len() && o.columns[..i.columns.len()] == i.columns[..]) {
                    e.emit("index-redundant", index_ref(&i.name), format!("({}) is a leading prefix of `{}` ({})", i.columns.join(", "), longer.name, longer.columns.join(", ")), drop(i));
                }
            }
        }
    }
    let validate = |name: &str| Some(format!("ALTER TABLE {} VALIDATE CONSTRAINT {};", t.sql_name(), ident(name)));
    for c in t.table.checks.iter().filter(|c| c.not_valid && !c.not_enforced) {
        e.emit("constraint-not-valid", ObjectRef::member(ObjectKind::Constraint, schema, table, &c.name), "was added NOT VALID and never validated: existing rows are unchecked".into(), validate(&c.name));
    }
    for fk in t.table.foreign_keys.iter().filter(|c| c.not_valid && !c.not_enforced) {
        e.emit("constraint-not-valid", ObjectRef::member(ObjectKind::Constraint, schema, table, &fk.name), "was added NOT VALID and never validated: existing rows are unchecked".into(), validate(&fk.name));
    }
}
