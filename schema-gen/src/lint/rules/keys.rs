//! Keys: primary keys, foreign keys (index, types, nullability), unique constraints.

use super::{ident, ident_list, TableCtx};
use crate::findings::{ObjectKind, ObjectRef};
use crate::lint::Emitter;

pub(super) fn check(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    let (schema, table) = (&t.schema.name, &t.table.name);
    let constraint = |n: &str| ObjectRef::member(ObjectKind::Constraint, schema, table, n);
    // Partitions inherit the parent's key and are not listed at the top level.
    if t.is_stored() && t.table.primary_key.is_none() {
        e.emit("table-no-primary-key", ObjectRef::relation(ObjectKind::Table, schema, table), "has no primary key".into(), None);
    }
    for fk in &t.table.foreign_keys {
        // Splinter's rule: the key's columns, in order, are the leading columns of a valid,
        // non-partial index (expression parts never match a column name).
        let covered = t.table.indexes.iter().any(|i| !i.invalid && i.predicate.is_none() && i.columns.len() >= fk.columns.len() && i.columns[..fk.columns.len()] == fk.columns[..]);
        if !covered && e.on("fk-missing-index") {
            e.emit(
                "fk-missing-index",
                constraint(&fk.name),
                format!("({}) -> {} has no index with these leading columns", fk.columns.join(", "), fk.references),
                Some(format!("CREATE INDEX CONCURRENTLY ON {} ({});", t.sql_name(), ident_list(&fk.columns))),
            );
        }
        let target = t.snapshot.schema(&fk.references.schema).and_then(|s| s.table(&fk.references.name));
        for (col, rcol) in fk.columns.iter().zip(&fk.referenced_columns) {
            let (Some(c), Some(r)) = (t.table.columns.iter().find(|c| c.name == *col), target.and_then(|tt| tt.columns.iter().find(|c| c.name == *rcol))) else { continue };
            // Compare the types themselves, not their modifiers: varchar(20) -> varchar(40) is fine.
            let (a, b) = (&c.type_ref, &r.type_ref);
            if (a.schema.as_str(), a.name.as_str(), a.array_dims) != (b.schema.as_str(), b.name.as_str(), b.array_dims) {
                e.emit(
                    "fk-type-mismatch",
                    ObjectRef::member(ObjectKind::Column, schema, table, col),
                    format!("is `{}` but references {}.{} of type `{}` (foreign key `{}`)", c.sql_type, fk.references, rcol, r.sql_type, fk.name),
                    Some(format!("ALTER TABLE {} ALTER COLUMN {} TYPE {};", t.sql_name(), ident(col), r.sql_type)),
                );
            }
            if c.nullable {
                e.emit("fk-nullable", ObjectRef::member(ObjectKind::Column, schema, table, col), format!("is nullable but part of foreign key `{}`", fk.name), Some(format!("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;", t.sql_name(), ident(col))));
            }
        }
    }
    let nullable = |name: &String| t.table.columns.iter().any(|c| c.name == *name && c.nullable);
    for u in &t.table.uniques {
        let nulls: Vec<&String> = u.columns.iter().filter(|c| nullable(c)).collect();
        if u.columns.len() > 1 && !nulls.is_empty() && !u.nulls_not_distinct {
            e.emit(
                "unique-nullable-columns",
                constraint(&u.name),
                format!(
                    "UNIQUE ({}) lets duplicates through when {} is NULL; declare it NULLS NOT DISTINCT (PostgreSQL 15+) or make the columns NOT NULL",
                    u.columns.join(", "),
                    nulls.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" or ")
                ),
                None,
            );
        }
    }
}
