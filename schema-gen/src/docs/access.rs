//! Who may do what: row-level security, policies and privileges, per table and per schema.

use schema_core::snapshot::{Grant, Table};

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
    let state = match (table.row_security, table.force_row_security) {
        (true, true) => "enabled and forced (applies to the owner too)",
        (true, false) => "enabled (the owner bypasses it)",
        (false, _) => "**disabled**: the policies below are not applied",
    };
    out.push_str(&format!("**Row-level security** {state}\n\n"));
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

/// `UNLOGGED` and storage parameters, on one line.
pub fn storage(table: &Table, out: &mut String) {
    let mut parts = Vec::new();
    if table.unlogged {
        parts.push("unlogged (not crash-safe, not replicated)".to_owned());
    }
    if !table.storage_options.is_empty() {
        parts.push(format!("storage {}", table.storage_options.iter().map(|o| code(o)).collect::<Vec<_>>().join(", ")));
    }
    if !parts.is_empty() {
        out.push_str(&format!("**Storage** {}\n\n", parts.join("; ")));
    }
}
