//! Who may do what: privileges, row-level security and policies, and table storage.

use schema_core::snapshot::{Grant, Partition, Policy, Table};

use super::{pair_by, ChangeKind as K, Changes, Pair, Severity as S};

/// `INSERT, SELECT (with grant option)`: a grant's comparable form.
fn grant_sql(g: &Grant) -> String {
    g.privileges.iter().map(|p| if g.grantable.contains(p) { format!("{p} (with grant option)") } else { p.clone() }).collect::<Vec<_>>().join(", ")
}

/// Grants on one object (`on` is its dotted path), matched by grantee. A new grantee is
/// additive; a revoked one, or any privilege taken away, is breaking.
pub fn diff_grants(schema: &str, object: &str, on: &str, old: &[Grant], new: &[Grant], out: &mut Changes) {
    let path = |g: &Grant| format!("{on}:{}", g.grantee);
    for pair in pair_by(old, new, |g| &g.grantee) {
        match pair {
            Pair::Added(g) => out.push(K::GrantAdded, S::Additive, schema, object, path(g), None, Some(grant_sql(g))),
            Pair::Removed(g) => out.push(K::GrantRemoved, S::Breaking, schema, object, path(g), Some(grant_sql(g)), None),
            Pair::Both(a, b) if a != b => {
                let lost = a.privileges.iter().any(|p| !b.privileges.contains(p)) || a.grantable.iter().any(|p| !b.grantable.contains(p));
                let sev = if lost { S::Breaking } else { S::Additive };
                out.push(K::GrantChanged, sev, schema, object, path(a), Some(grant_sql(a)), Some(grant_sql(b)));
            }
            Pair::Both(..) => {}
        }
    }
}

fn policy_sql(p: &Policy) -> String {
    let mut s = format!("{} FOR {} TO {}", if p.restrictive { "AS RESTRICTIVE" } else { "AS PERMISSIVE" }, p.command, p.roles.join(", "));
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({c})"));
    }
    s
}

/// What decides who may do what with a table or a partition, and how it is stored.
struct Access<'a> {
    row_security: bool,
    force_row_security: bool,
    policies: &'a [Policy],
    grants: &'a [Grant],
    unlogged: bool,
    storage_options: &'a [String],
}

impl<'a> Access<'a> {
    fn of_table(t: &'a Table) -> Self {
        Access { row_security: t.row_security, force_row_security: t.force_row_security, policies: &t.policies, grants: &t.grants, unlogged: t.unlogged, storage_options: &t.storage_options }
    }

    fn of_partition(p: &'a Partition) -> Self {
        Access { row_security: p.row_security, force_row_security: p.force_row_security, policies: &p.policies, grants: &p.grants, unlogged: p.unlogged, storage_options: &p.storage_options }
    }

    fn rls_state(&self) -> String {
        match (self.row_security, self.force_row_security) {
            (false, false) => "disabled",
            (false, true) => "disabled (forced when enabled)",
            (true, false) => "enabled",
            (true, true) => "enabled and forced",
        }
        .to_owned()
    }

    fn storage(&self) -> String {
        let mut parts = vec![if self.unlogged { "UNLOGGED" } else { "LOGGED" }.to_owned()];
        if !self.storage_options.is_empty() {
            parts.push(format!("WITH ({})", self.storage_options.join(", ")));
        }
        parts.join(" ")
    }
}

/// Row-level security, policies, table and column privileges and storage of one table pair.
pub fn diff_table_access(schema: &str, a: &Table, b: &Table, out: &mut Changes) {
    let t = a.name.as_str();
    let tp = format!("{schema}.{t}");
    diff_access(schema, t, &tp, &Access::of_table(a), &Access::of_table(b), out);
    for pair in pair_by(&a.columns, &b.columns, |c| &c.name) {
        if let Pair::Both(x, y) = pair {
            diff_grants(schema, t, &format!("{tp}.{}", x.name), &x.grants, &y.grants, out);
        }
    }
}

/// The same for a partition's own settings (`q` is its `schema.name`), reported under the
/// table `t` it belongs to.
pub fn diff_partition_access(schema: &str, t: &str, q: &str, a: &Partition, b: &Partition, out: &mut Changes) {
    diff_access(schema, t, q, &Access::of_partition(a), &Access::of_partition(b), out);
}

/// Access and storage changes of `object` (its dotted path is `path`).
fn diff_access(schema: &str, t: &str, path: &str, a: &Access<'_>, b: &Access<'_>, out: &mut Changes) {
    if (a.row_security, a.force_row_security) != (b.row_security, b.force_row_security) {
        out.push(K::RowSecurityChanged, S::Breaking, schema, t, path.to_owned(), Some(a.rls_state()), Some(b.rls_state()));
    }
    for pair in pair_by(a.policies, b.policies, |p| &p.name) {
        let pp = |p: &Policy| format!("{path}.{}", p.name);
        match pair {
            // A policy changes which rows someone sees or may write, either way.
            Pair::Added(p) => out.push(K::PolicyAdded, S::Breaking, schema, t, pp(p), None, Some(policy_sql(p))),
            Pair::Removed(p) => out.push(K::PolicyRemoved, S::Breaking, schema, t, pp(p), Some(policy_sql(p)), None),
            Pair::Both(x, y) if x != y => out.push(K::PolicyChanged, S::Breaking, schema, t, pp(x), Some(policy_sql(x)), Some(policy_sql(y))),
            Pair::Both(..) => {}
        }
    }
    diff_grants(schema, t, path, a.grants, b.grants, out);
    if a.unlogged != b.unlogged || a.storage_options != b.storage_options {
        // Durability is a behaviour change; storage parameters only tune it.
        let sev = if a.unlogged != b.unlogged { S::Breaking } else { S::Additive };
        out.push(K::TableStorageChanged, sev, schema, t, path.to_owned(), Some(a.storage()), Some(b.storage()));
    }
}
