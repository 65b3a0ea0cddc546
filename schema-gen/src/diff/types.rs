//! Comparison of views, enums, domains and composite types.

use schema_core::snapshot::{CompositeType, Domain, EnumType, View};

use super::tables::{diff_columns, diff_indexes, named};
use super::{pair_by, path, ChangeKind as K, Changes, Pair, Severity as S};

/// Views and materialized views. Column changes use the column kinds with view severities
/// (a view stores nothing, so nothing there is destructive).
pub fn diff_views(schema: &str, old: &[View], new: &[View], out: &mut Changes) {
    for pair in pair_by(old, new, |v| &v.name) {
        match pair {
            Pair::Removed(v) => out.push(K::ViewRemoved, S::Breaking, schema, &v.name, path(&[schema, &v.name]), Some(v.definition.clone()), None),
            Pair::Added(v) => out.push(K::ViewAdded, S::Additive, schema, &v.name, path(&[schema, &v.name]), None, Some(v.definition.clone())),
            Pair::Both(a, b) => {
                let n = a.name.as_str();
                let p = path(&[schema, n]);
                if a.materialized != b.materialized {
                    let kind = |m: bool| if m { "materialized view" } else { "view" }.to_owned();
                    out.push(K::ViewKindChanged, S::Breaking, schema, n, p.clone(), Some(kind(a.materialized)), Some(kind(b.materialized)));
                }
                if a.definition != b.definition {
                    out.push(K::ViewDefinitionChanged, S::Breaking, schema, n, p.clone(), Some(a.definition.clone()), Some(b.definition.clone()));
                }
                if a.comment != b.comment {
                    out.push(K::ViewCommentChanged, S::Cosmetic, schema, n, p, a.comment.clone(), b.comment.clone());
                }
                diff_columns(schema, n, &a.columns, &b.columns, true, out);
                diff_indexes(schema, n, &a.indexes, &b.indexes, out);
                super::access::diff_grants(schema, n, &path(&[schema, n]), &a.grants, &b.grants, out);
                named(schema, n, &a.triggers, &b.triggers, |t| &t.name, |t| t.definition.clone(), [K::TriggerAdded, K::TriggerRemoved, K::TriggerChanged], S::Breaking, out);
            }
        }
    }
}

/// Enums: labels added (additive), removed (destructive: rows holding them cannot survive),
/// or reordered (breaking: ordering comparisons change).
pub fn diff_enums(schema: &str, old: &[EnumType], new: &[EnumType], out: &mut Changes) {
    for pair in pair_by(old, new, |e| &e.name) {
        match pair {
            Pair::Removed(e) => out.push(K::EnumRemoved, S::Breaking, schema, &e.name, path(&[schema, &e.name]), Some(e.labels.join(", ")), None),
            Pair::Added(e) => out.push(K::EnumAdded, S::Additive, schema, &e.name, path(&[schema, &e.name]), None, Some(e.labels.join(", "))),
            Pair::Both(a, b) => {
                let n = a.name.as_str();
                let p = path(&[schema, n]);
                for l in a.labels.iter().filter(|l| !b.labels.contains(l)) {
                    out.push(K::EnumLabelRemoved, S::Destructive, schema, n, p.clone(), Some(l.clone()), None);
                }
                for l in b.labels.iter().filter(|l| !a.labels.contains(l)) {
                    out.push(K::EnumLabelAdded, S::Additive, schema, n, p.clone(), None, Some(l.clone()));
                }
                let common_old: Vec<&String> = a.labels.iter().filter(|l| b.labels.contains(l)).collect();
                let common_new: Vec<&String> = b.labels.iter().filter(|l| a.labels.contains(l)).collect();
                if common_old != common_new {
                    out.push(K::EnumLabelsReordered, S::Breaking, schema, n, p.clone(), Some(a.labels.join(", ")), Some(b.labels.join(", ")));
                }
                if a.comment != b.comment {
                    out.push(K::EnumCommentChanged, S::Cosmetic, schema, n, p, a.comment.clone(), b.comment.clone());
                }
            }
        }
    }
}

/// Domains: base type, nullability, default, collation, checks, comment.
pub fn diff_domains(schema: &str, old: &[Domain], new: &[Domain], out: &mut Changes) {
    for pair in pair_by(old, new, |d| &d.name) {
        match pair {
            Pair::Removed(d) => out.push(K::DomainRemoved, S::Breaking, schema, &d.name, path(&[schema, &d.name]), Some(d.sql_type.clone()), None),
            Pair::Added(d) => out.push(K::DomainAdded, S::Additive, schema, &d.name, path(&[schema, &d.name]), None, Some(d.sql_type.clone())),
            Pair::Both(a, b) => {
                let n = a.name.as_str();
                let p = || path(&[schema, n]);
                if a.sql_type != b.sql_type || a.type_ref != b.type_ref {
                    out.push(K::DomainTypeChanged, S::Breaking, schema, n, p(), Some(a.sql_type.clone()), Some(b.sql_type.clone()));
                }
                if a.not_null != b.not_null {
                    let s = |nn: bool| if nn { "NOT NULL" } else { "NULL" }.to_owned();
                    out.push(K::DomainNullabilityChanged, S::Breaking, schema, n, p(), Some(s(a.not_null)), Some(s(b.not_null)));
                }
                if a.default != b.default {
                    out.push(K::DomainDefaultChanged, S::Breaking, schema, n, p(), a.default.clone(), b.default.clone());
                }
                if a.collation != b.collation {
                    out.push(K::DomainCollationChanged, S::Breaking, schema, n, p(), a.collation.clone(), b.collation.clone());
                }
                for pair in pair_by(&a.checks, &b.checks, |c| &c.name) {
                    match pair {
                        Pair::Added(c) => out.push(K::DomainCheckAdded, S::Breaking, schema, n, path(&[schema, n, &c.name]), None, Some(c.to_sql())),
                        Pair::Removed(c) => out.push(K::DomainCheckRemoved, S::Breaking, schema, n, path(&[schema, n, &c.name]), Some(c.to_sql()), None),
                        Pair::Both(x, y) if x.to_sql() != y.to_sql() => out.push(
                            K::DomainCheckChanged,
                            S::Breaking,
                            schema,
                            n,
                            path(&[schema, n, &x.name]),
                            Some(x.to_sql()),
                            Some(y.to_sql()),
                        ),
                        Pair::Both(..) => {}
                    }
                }
                if a.comment != b.comment {
                    out.push(K::DomainCommentChanged, S::Cosmetic, schema, n, p(), a.comment.clone(), b.comment.clone());
                }
            }
        }
    }
}

/// Free-standing composite types and their fields.
pub fn diff_composites(schema: &str, old: &[CompositeType], new: &[CompositeType], out: &mut Changes) {
    let fields = |c: &CompositeType| c.fields.iter().map(|f| format!("{} {}", f.name, f.sql_type)).collect::<Vec<_>>().join(", ");
    for pair in pair_by(old, new, |c| &c.name) {
        match pair {
            Pair::Removed(c) => out.push(K::CompositeRemoved, S::Breaking, schema, &c.name, path(&[schema, &c.name]), Some(fields(c)), None),
            Pair::Added(c) => out.push(K::CompositeAdded, S::Additive, schema, &c.name, path(&[schema, &c.name]), None, Some(fields(c))),
            Pair::Both(a, b) => {
                let n = a.name.as_str();
                for pair in pair_by(&a.fields, &b.fields, |f| &f.name) {
                    match pair {
                        Pair::Added(f) => out.push(K::CompositeFieldAdded, S::Breaking, schema, n, path(&[schema, n, &f.name]), None, Some(f.sql_type.clone())),
                        Pair::Removed(f) => out.push(K::CompositeFieldRemoved, S::Destructive, schema, n, path(&[schema, n, &f.name]), Some(f.sql_type.clone()), None),
                        Pair::Both(x, y) => {
                            if x.sql_type != y.sql_type || x.type_ref != y.type_ref || x.collation != y.collation {
                                out.push(K::CompositeFieldTypeChanged, S::Breaking, schema, n, path(&[schema, n, &x.name]), Some(x.sql_type.clone()), Some(y.sql_type.clone()));
                            }
                            if x.comment != y.comment {
                                out.push(K::CompositeFieldCommentChanged, S::Cosmetic, schema, n, path(&[schema, n, &x.name]), x.comment.clone(), y.comment.clone());
                            }
                        }
                    }
                }
                if a.comment != b.comment {
                    out.push(K::CompositeCommentChanged, S::Cosmetic, schema, n, path(&[schema, n]), a.comment.clone(), b.comment.clone());
                }
            }
        }
    }
}
