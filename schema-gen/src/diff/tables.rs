//! Table-level comparison: columns, keys, constraints, indexes, triggers, partitions.

use schema_core::snapshot::{CheckConstraint, Column, ForeignKey, Identity, Index, Partition, Table, UniqueConstraint};

use super::widening::is_widening;
use super::{pair_by, path, ChangeKind as K, Changes, Pair, Severity as S};

/// Compares the tables of schema `schema`.
pub fn diff_tables(schema: &str, old: &[Table], new: &[Table], out: &mut Changes) {
    for pair in pair_by(old, new, |t| &t.name) {
        match pair {
            Pair::Removed(t) => out.push(K::TableRemoved, S::Destructive, schema, &t.name, path(&[schema, &t.name]), None, None),
            Pair::Added(t) => out.push(K::TableAdded, S::Additive, schema, &t.name, path(&[schema, &t.name]), None, Some(columns_summary(&t.columns))),
            Pair::Both(a, b) => diff_table(schema, a, b, out),
        }
    }
}

/// `id bigint, email text` — the column list of an added table, for the change log.
fn columns_summary(cols: &[Column]) -> String {
    cols.iter().map(|c| format!("{} {}", c.name, c.sql_type)).collect::<Vec<_>>().join(", ")
}

fn diff_table(schema: &str, a: &Table, b: &Table, out: &mut Changes) {
    let t = a.name.as_str();
    let tp = path(&[schema, t]);
    if a.kind != b.kind {
        out.push(K::TableKindChanged, S::Breaking, schema, t, tp.clone(), Some(format!("{:?}", a.kind).to_lowercase()), Some(format!("{:?}", b.kind).to_lowercase()));
    }
    if a.comment != b.comment {
        out.push(K::TableCommentChanged, S::Cosmetic, schema, t, tp.clone(), a.comment.clone(), b.comment.clone());
    }
    diff_columns(schema, t, &a.columns, &b.columns, false, out);

    match (&a.primary_key, &b.primary_key) {
        (None, Some(pk)) => out.push(K::PrimaryKeyAdded, S::Breaking, schema, t, path(&[schema, t, &pk.name]), None, Some(pk.to_sql())),
        (Some(pk), None) => out.push(K::PrimaryKeyRemoved, S::Breaking, schema, t, path(&[schema, t, &pk.name]), Some(pk.to_sql()), None),
        (Some(x), Some(y)) if x.to_sql() != y.to_sql() => {
            out.push(K::PrimaryKeyChanged, S::Breaking, schema, t, path(&[schema, t, &y.name]), Some(x.to_sql()), Some(y.to_sql()))
        }
        _ => {}
    }
    named(schema, t, &a.foreign_keys, &b.foreign_keys, |f| &f.name, ForeignKey::to_sql, [K::ForeignKeyAdded, K::ForeignKeyRemoved, K::ForeignKeyChanged], S::Breaking, out);
    named(schema, t, &a.uniques, &b.uniques, |u| &u.name, UniqueConstraint::to_sql, [K::UniqueAdded, K::UniqueRemoved, K::UniqueChanged], S::Breaking, out);
    named(schema, t, &a.checks, &b.checks, |c| &c.name, CheckConstraint::to_sql, [K::CheckAdded, K::CheckRemoved, K::CheckChanged], S::Breaking, out);
    named(schema, t, &a.exclusions, &b.exclusions, |c| &c.name, |c| c.definition.clone(), [K::ExclusionAdded, K::ExclusionRemoved, K::ExclusionChanged], S::Breaking, out);
    diff_indexes(schema, t, &a.indexes, &b.indexes, out);
    named(schema, t, &a.triggers, &b.triggers, |c| &c.name, |c| c.definition.clone(), [K::TriggerAdded, K::TriggerRemoved, K::TriggerChanged], S::Breaking, out);

    if a.partition_key != b.partition_key {
        out.push(K::PartitionKeyChanged, S::Breaking, schema, t, tp, a.partition_key.clone(), b.partition_key.clone());
    }
    diff_partitions(schema, t, &a.partitions, &b.partitions, out);
    super::access::diff_table_access(schema, a, b, out);
}

/// Indexes: like other named objects, except that adding one is additive (nothing can break)
/// unless it is unique (existing duplicates or new writes may be rejected).
pub fn diff_indexes(schema: &str, t: &str, old: &[Index], new: &[Index], out: &mut Changes) {
    for pair in pair_by(old, new, |i| &i.name) {
        match pair {
            Pair::Added(i) => {
                let sev = if i.unique { S::Breaking } else { S::Additive };
                out.push(K::IndexAdded, sev, schema, t, path(&[schema, t, &i.name]), None, Some(i.definition.clone()));
            }
            Pair::Removed(i) => out.push(K::IndexRemoved, S::Breaking, schema, t, path(&[schema, t, &i.name]), Some(i.definition.clone()), None),
            Pair::Both(x, y) if index_sql(x) != index_sql(y) => {
                out.push(K::IndexChanged, S::Breaking, schema, t, path(&[schema, t, &x.name]), Some(index_sql(x)), Some(index_sql(y)))
            }
            Pair::Both(..) => {}
        }
    }
}

/// An index's comparable form: its definition, and whether it is invalid (a failed
/// `CREATE INDEX CONCURRENTLY` leaves the same definition behind, doing nothing).
fn index_sql(i: &Index) -> String {
    if i.invalid {
        format!("{} -- invalid", i.definition)
    } else {
        i.definition.clone()
    }
}

/// Compares named table-level objects whose identity is their name and whose content is one
/// rendered definition. `kinds` is (added, removed, changed); all share one severity.
#[allow(clippy::too_many_arguments)]
pub(super) fn named<T>(
    schema: &str,
    t: &str,
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
    def: impl Fn(&T) -> String,
    kinds: [K; 3],
    sev: S,
    out: &mut Changes,
) {
    for pair in pair_by(old, new, &name) {
        match pair {
            Pair::Added(x) => out.push(kinds[0], sev, schema, t, path(&[schema, t, name(x)]), None, Some(def(x))),
            Pair::Removed(x) => out.push(kinds[1], sev, schema, t, path(&[schema, t, name(x)]), Some(def(x)), None),
            Pair::Both(x, y) => {
                let (dx, dy) = (def(x), def(y));
                if dx != dy {
                    out.push(kinds[2], sev, schema, t, path(&[schema, t, name(x)]), Some(dx), Some(dy));
                }
            }
        }
    }
}

fn null_sql(nullable: bool) -> String {
    if nullable { "NULL" } else { "NOT NULL" }.to_owned()
}

fn identity_sql(i: Option<Identity>) -> Option<String> {
    i.map(|i| match i {
        Identity::Always => "GENERATED ALWAYS AS IDENTITY".to_owned(),
        Identity::ByDefault => "GENERATED BY DEFAULT AS IDENTITY".to_owned(),
    })
}

/// Compares columns by name. For views (`in_view`), nothing is stored, so a removed column is
/// breaking rather than destructive and a type change is breaking too.
pub fn diff_columns(schema: &str, t: &str, old: &[Column], new: &[Column], in_view: bool, out: &mut Changes) {
    for pair in pair_by(old, new, |c| &c.name) {
        match pair {
            Pair::Removed(c) => {
                let sev = if in_view { S::Breaking } else { S::Destructive };
                out.push(K::ColumnRemoved, sev, schema, t, path(&[schema, t, &c.name]), Some(c.sql_type.clone()), None);
            }
            Pair::Added(c) => {
                // A NOT NULL column that nothing fills in makes existing INSERTs fail.
                let filled = c.nullable || c.default.is_some() || c.identity.is_some() || c.generated.is_some();
                let sev = if filled || in_view { S::Additive } else { S::Breaking };
                let mut desc = c.sql_type.clone();
                if !c.nullable && !in_view {
                    desc.push_str(" NOT NULL");
                }
                if let Some(d) = &c.default {
                    desc.push_str(&format!(" DEFAULT {d}"));
                }
                out.push(K::ColumnAdded, sev, schema, t, path(&[schema, t, &c.name]), None, Some(desc));
            }
            Pair::Both(a, b) => diff_column(schema, t, a, b, in_view, out),
        }
    }
}

fn diff_column(schema: &str, t: &str, a: &Column, b: &Column, in_view: bool, out: &mut Changes) {
    let p = || path(&[schema, t, &a.name]);
    if a.sql_type != b.sql_type || a.type_ref != b.type_ref {
        let sev = if in_view || is_widening(&a.type_ref, &b.type_ref) { S::Breaking } else { S::Destructive };
        out.push(K::ColumnTypeChanged, sev, schema, t, p(), Some(a.sql_type.clone()), Some(b.sql_type.clone()));
    }
    if a.nullable != b.nullable {
        out.push(K::ColumnNullabilityChanged, S::Breaking, schema, t, p(), Some(null_sql(a.nullable)), Some(null_sql(b.nullable)));
    }
    if a.default != b.default {
        out.push(K::ColumnDefaultChanged, S::Breaking, schema, t, p(), a.default.clone(), b.default.clone());
    }
    if a.identity != b.identity {
        out.push(K::ColumnIdentityChanged, S::Breaking, schema, t, p(), identity_sql(a.identity), identity_sql(b.identity));
    }
    if a.generated_sql() != b.generated_sql() {
        out.push(K::ColumnGeneratedChanged, S::Breaking, schema, t, p(), a.generated_sql(), b.generated_sql());
    }
    if a.collation != b.collation {
        out.push(K::ColumnCollationChanged, S::Breaking, schema, t, p(), a.collation.clone(), b.collation.clone());
    }
    if a.comment != b.comment {
        out.push(K::ColumnCommentChanged, S::Cosmetic, schema, t, p(), a.comment.clone(), b.comment.clone());
    }
}

/// Partitions, matched by `schema.name`, recursively for sub-partitioned partitions.
fn diff_partitions(schema: &str, t: &str, old: &[Partition], new: &[Partition], out: &mut Changes) {
    let qualified = |p: &Partition| format!("{}.{}", p.schema, p.name);
    let old_q: Vec<(String, &Partition)> = old.iter().map(|p| (qualified(p), p)).collect();
    let new_q: Vec<(String, &Partition)> = new.iter().map(|p| (qualified(p), p)).collect();
    for pair in pair_by(&old_q, &new_q, |(q, _)| q) {
        match pair {
            Pair::Removed((q, p)) => out.push(K::PartitionRemoved, S::Destructive, schema, t, q.clone(), Some(p.bound.clone()), None),
            Pair::Added((q, p)) => out.push(K::PartitionAdded, S::Additive, schema, t, q.clone(), None, Some(p.bound.clone())),
            Pair::Both((q, x), (_, y)) => {
                if x.bound != y.bound {
                    out.push(K::PartitionBoundChanged, S::Breaking, schema, t, q.clone(), Some(x.bound.clone()), Some(y.bound.clone()));
                }
                if x.partition_key != y.partition_key {
                    out.push(K::PartitionKeyChanged, S::Breaking, schema, t, q.clone(), x.partition_key.clone(), y.partition_key.clone());
                }
                partition_objects(schema, t, q, x, y, out);
                diff_partitions(schema, t, &x.partitions, &y.partitions, out);
            }
        }
    }
}

/// The objects a partition declares itself, with the kinds of the same objects on a table;
/// paths are `schema.partition.object`.
fn partition_objects(schema: &str, t: &str, q: &str, x: &Partition, y: &Partition, out: &mut Changes) {
    #[allow(clippy::too_many_arguments)]
    fn each<T>(schema: &str, t: &str, q: &str, old: &[T], new: &[T], name: impl Fn(&T) -> &String, def: impl Fn(&T) -> String, kinds: [K; 3], out: &mut Changes) {
        for pair in pair_by(old, new, &name) {
            match pair {
                Pair::Added(o) => out.push(kinds[0], S::Breaking, schema, t, format!("{q}.{}", name(o)), None, Some(def(o))),
                Pair::Removed(o) => out.push(kinds[1], S::Breaking, schema, t, format!("{q}.{}", name(o)), Some(def(o)), None),
                Pair::Both(a, b) if def(a) != def(b) => out.push(kinds[2], S::Breaking, schema, t, format!("{q}.{}", name(a)), Some(def(a)), Some(def(b))),
                Pair::Both(..) => {}
            }
        }
    }
    let pk = |p: &Partition| p.primary_key.iter().cloned().collect::<Vec<_>>();
    each(schema, t, q, &pk(x), &pk(y), |k| &k.name, |k| k.to_sql(), [K::PrimaryKeyAdded, K::PrimaryKeyRemoved, K::PrimaryKeyChanged], out);
    each(schema, t, q, &x.foreign_keys, &y.foreign_keys, |f| &f.name, ForeignKey::to_sql, [K::ForeignKeyAdded, K::ForeignKeyRemoved, K::ForeignKeyChanged], out);
    each(schema, t, q, &x.uniques, &y.uniques, |u| &u.name, UniqueConstraint::to_sql, [K::UniqueAdded, K::UniqueRemoved, K::UniqueChanged], out);
    each(schema, t, q, &x.checks, &y.checks, |c| &c.name, CheckConstraint::to_sql, [K::CheckAdded, K::CheckRemoved, K::CheckChanged], out);
    each(schema, t, q, &x.indexes, &y.indexes, |i| &i.name, index_sql, [K::IndexAdded, K::IndexRemoved, K::IndexChanged], out);
    each(schema, t, q, &x.triggers, &y.triggers, |g| &g.name, |g| g.definition.clone(), [K::TriggerAdded, K::TriggerRemoved, K::TriggerChanged], out);
    each(schema, t, q, &x.columns, &y.columns, |c| &c.name, |c| c.settings_sql(), [K::PartitionColumnAdded, K::PartitionColumnRemoved, K::PartitionColumnChanged], out);
    super::access::diff_partition_access(schema, t, q, x, y, out);
}
