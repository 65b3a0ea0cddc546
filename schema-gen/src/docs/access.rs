//! Who may do what: row-level security, policies and privileges, per table and per schema.

use schema_core::snapshot::{Grant, Partition, Table};

use super::escape::code;

/// `SELECT, INSERT` with `*` on those held with grant option.
fn privilege_list(g: &Grant) -> String {
    g.privileges
        .iter()
        .map(|p| if g.grantable.contains(p) { format!("{p} (with grant option)") } else { p.clone() })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `**Privileges**` table of `grants` on the object (`what`: `table`, `schema`, ...) and of
/// column-level grants, when there are any.
pub fn privileges(grants: &[Grant], what: &str, columns: &[(&str, &[Grant])], out: &mut String) {
    let column_rows: usize = columns.iter().map(|(_, g)| g.len()).sum();
    if grants.is_empty() && column_rows == 0 {
        return;
    }
    out.push_str("**Privileges** (besides the owner's)\n\n| Grantee | On | Privileges |\n|---|---|---|\n");
    for g in grants {
        out.push_str(&format!("| {} | {what} | {} |\n", code(&g.grantee), privilege_list(g)));
    }
    for (column, grants) in columns {
        for g in *grants {
            out.push_str(&format!("| {} | column {} | {} |\n", code(&g.grantee), code(column), privilege_list(g)));
        }
    }
    out.push('\n');
}

/// Row-level security: the flags and each policy.
pub fn row_security(table: &Table, out: &mut String) {
    if !table.row_security && table.policies.is_empty() {
        return;
    }
    out.push_str(&format!("**Row-level security** {}\n\n", rls_state(table.row_security, table.force_row_security)));
    if table.row_security && table.policies.is_empty() {
        out.push_str("_No policy: only the owner (and roles that bypass RLS) see any row._\n\n");
        return;
    }
    if table.policies.is_empty() {
        return;
    }
    out.push_str("| Policy | Command | Roles | Using | With check |\n|---|---|---|---|---|\n");
    for p in &table.policies {
        let kind = if p.restrictive { " (restrictive)" } else { "" };
        out.push_str(&format!(
            "| {}{kind} | {} | {} | {} | {} |\n",
            code(&p.name),
            p.command,
            p.roles.iter().map(|r| code(r)).collect::<Vec<_>>().join(", "),
            p.using.as_deref().map(code).unwrap_or_default(),
            p.with_check.as_deref().map(code).unwrap_or_default(),
        ));
    }
    out.push('\n');
}

/// The row-level security flags in words.
fn rls_state(enabled: bool, forced: bool) -> &'static str {
    match (enabled, forced) {
        (true, true) => "enabled and forced (applies to the owner too)",
        (true, false) => "enabled (the owner bypasses it)",
        (false, _) => "**disabled**: the policies below are not applied",
    }
}

/// `unlogged (...)` and `storage fillfactor=70`, the parts of a storage line.
fn storage_parts(unlogged: bool, options: &[String]) -> Vec<String> {
    let mut parts = Vec::new();
    if unlogged {
        parts.push("unlogged (not crash-safe, not replicated)".to_owned());
    }
    if !options.is_empty() {
        parts.push(format!("storage {}", options.iter().map(|o| code(o)).collect::<Vec<_>>().join(", ")));
    }
    parts
}

/// `UNLOGGED` and storage parameters, on one line.
pub fn storage(table: &Table, out: &mut String) {
    let parts = storage_parts(table.unlogged, &table.storage_options);
    if !parts.is_empty() {
        out.push_str(&format!("**Storage** {}\n\n", parts.join("; ")));
    }
}

/// A partition's own storage, row-level security, policies and grants, as list items under
/// the partition's line (`pad` is their indentation), in the words the table sections use.
pub fn partition_access(p: &Partition, pad: &str, out: &mut String) {
    let storage = storage_parts(p.unlogged, &p.storage_options);
    if !storage.is_empty() {
        out.push_str(&format!("{pad}- {}\n", storage.join("; ")));
    }
    if p.row_security || !p.policies.is_empty() {
        out.push_str(&format!("{pad}- row-level security {} when the partition is queried directly\n", rls_state(p.row_security, p.force_row_security)));
    }
    for pol in &p.policies {
        let kind = if pol.restrictive { " (restrictive)" } else { "" };
        let roles = pol.roles.iter().map(|r| code(r)).collect::<Vec<_>>().join(", ");
        out.push_str(&format!("{pad}- own policy {}{kind}: {} to {roles}\n", code(&pol.name), pol.command));
    }
    for g in &p.grants {
        out.push_str(&format!("{pad}- {} may {}\n", code(&g.grantee), privilege_list(g)));
    }
}
