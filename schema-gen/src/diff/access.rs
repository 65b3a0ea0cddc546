//! Who may do what: privileges, row-level security and policies, and table storage.

use schema_core::snapshot::{Grant, Policy, Table};

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

fn rls_state(t: &Table) -> String {
    match (t.row_security, t.force_row_security) {
        (false, false) => "disabled",
        (false, true) => "disabled (forced when enabled)",
        (true, false) => "enabled",
        (true, true) => "enabled and forced",
    }
    .to_owned()
}

/// Row-level security, policies, table and column privileges and storage of one table pair.
pub fn diff_table_access(schema: &str, a: &Table, b: &Table, out: &mut Changes) {
    let t = a.name.as_str();
    let tp = format!("{schema}.{t}");
    if (a.row_security, a.force_row_security) != (b.row_security, b.force_row_security) {
        out.push(K::RowSecurityChanged, S::Breaking, schema, t, tp.clone(), Some(rls_state(a)), Some(rls_state(b)));
    }
    for pair in pair_by(&a.policies, &b.policies, |p| &p.name) {
        let path = |p: &Policy| format!("{tp}.{}", p.name);
        match pair {
            // A policy changes which rows someone sees or may write, either way.
            Pair::Added(p) => out.push(K::PolicyAdded, S::Breaking, schema, t, path(p), None, Some(policy_sql(p))),
            Pair::Removed(p) => out.push(K::PolicyRemoved, S::Breaking, schema, t, path(p), Some(policy_sql(p)), None),
            Pair::Both(x, y) if x != y => out.push(K::PolicyChanged, S::Breaking, schema, t, path(x), Some(policy_sql(x)), Some(policy_sql(y))),
            Pair::Both(..) => {}
        }
    }
    diff_grants(schema, t, &tp, &a.grants, &b.grants, out);
    for pair in pair_by(&a.columns, &b.columns, |c| &c.name) {
        if let Pair::Both(x, y) = pair {
            diff_grants(schema, t, &format!("{tp}.{}", x.name), &x.grants, &y.grants, out);
        }
    }
    if a.unlogged != b.unlogged || a.storage_options != b.storage_options {
        let storage = |t: &Table| {
            let mut parts = vec![if t.unlogged { "UNLOGGED" } else { "LOGGED" }.to_owned()];
            if !t.storage_options.is_empty() {
                parts.push(format!("WITH ({})", t.storage_options.join(", ")));
            }
            parts.join(" ")
        };
        // Durability is a behaviour change; storage parameters only tune it.
        let sev = if a.unlogged != b.unlogged { S::Breaking } else { S::Additive };
        out.push(K::TableStorageChanged, sev, schema, t, tp, Some(storage(a)), Some(storage(b)));
    }
}
