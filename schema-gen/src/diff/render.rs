//! Change lists as text, Markdown and JSON.
//!
//! Text and Markdown flatten values to one line (view definitions span many) and truncate
//! long ones; JSON always carries the full values.

use serde::Serialize;

use super::{one_line, Change, Severity};
use crate::docs::escape::code;

/// Counts of changes per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// All changes.
    pub total: usize,
    /// Destructive changes.
    pub destructive: usize,
    /// Breaking changes.
    pub breaking: usize,
    /// Additive changes.
    pub additive: usize,
    /// Cosmetic changes.
    pub cosmetic: usize,
}

impl Summary {
    /// Counts `changes`.
    pub fn of(changes: &[Change]) -> Summary {
        let mut s = Summary { total: changes.len(), ..Summary::default() };
        for c in changes {
            match c.severity {
                Severity::Destructive => s.destructive += 1,
                Severity::Breaking => s.breaking += 1,
                Severity::Additive => s.additive += 1,
                Severity::Cosmetic => s.cosmetic += 1,
            }
        }
        s
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = if self.total == 1 { "" } else { "s" };
        write!(
            f,
            "{} change{plural}: {} destructive, {} breaking, {} additive, {} cosmetic",
            self.total, self.destructive, self.breaking, self.additive, self.cosmetic
        )
    }
}

const VALUE_WIDTH: usize = 80;

/// Plain text, one change per line, aligned, after a heading naming both sides.
pub fn render_text(changes: &[Change], old_label: &str, new_label: &str) -> String {
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    if changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    out.push_str(&format!("{}\n", Summary::of(changes)));
    let kind_w = changes.iter().map(|c| c.kind.code().len()).max().unwrap_or(0);
    for c in changes {
        let values = match (&c.old, &c.new) {
            (Some(o), Some(n)) => format!(": {} -> {}", one_line(o, VALUE_WIDTH), one_line(n, VALUE_WIDTH)),
            (Some(o), None) => format!(": was {}", one_line(o, VALUE_WIDTH)),
            (None, Some(n)) => format!(": {}", one_line(n, VALUE_WIDTH)),
            (None, None) => String::new(),
        };
        out.push_str(&format!("{:<11}  {:<kind_w$}  {}{values}\n", c.severity.as_str(), c.kind.code(), c.path));
    }
    out
}

/// A GitHub-flavoured Markdown table, suitable for PR comments and job summaries.
pub fn render_markdown(changes: &[Change], old_label: &str, new_label: &str) -> String {
    let mut out = format!("### Schema diff\n\n{} → {}\n\n", code(old_label), code(new_label));
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str(&format!("**{}**\n\n", Summary::of(changes)));
    out.push_str("| Severity | Change | Object | Old | New |\n|---|---|---|---|---|\n");
    let cell = |v: &Option<String>| v.as_deref().map(|s| code(&one_line(s, VALUE_WIDTH))).unwrap_or_default();
    for c in changes {
        let sev = if c.severity == Severity::Destructive { "**destructive**" } else { c.severity.as_str() };
        out.push_str(&format!("| {sev} | `{}` | {} | {} | {} |\n", c.kind.code(), code(&c.path), cell(&c.old), cell(&c.new)));
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    old: &'a str,
    new: &'a str,
    identical: bool,
    summary: Summary,
    changes: &'a [Change],
}

/// A JSON object: `{ old, new, identical, summary, changes: [...] }`, pretty-printed.
pub fn render_json(changes: &[Change], old_label: &str, new_label: &str) -> String {
    let report = JsonReport { old: old_label, new: new_label, identical: changes.is_empty(), summary: Summary::of(changes), changes };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
