//! Snapshot × snapshot → an ordered list of structural changes.
//!
//! [`diff`] powers `schema-gen diff`, the live-drift part of `schema-gen check` and the change
//! log. Objects are matched by name (a rename shows as a removal plus an addition: the catalog
//! keeps no rename history, and guessing would make a destructive change look harmless).
//!
//! # Severity
//! Every change carries a [`Severity`], from most to least serious:
//! - **destructive**: may lose stored data: a schema, table, column or partition removed, an
//!   enum label removed, a column type changed in a way that is not a known widening.
//! - **breaking**: loses no data but may break application code or its writes: nullability
//!   changed either way (the generated Rust type changes), a `NOT NULL` column without default
//!   added, constraints, foreign keys and triggers added, changed or removed, defaults,
//!   identity or collation changed, a type widened, views and types removed or changed,
//!   indexes removed or changed (query plans, `ON CONFLICT` targets).
//! - **additive**: new things existing code does not notice: tables, nullable or defaulted
//!   columns, indexes, views, types, enum labels added.
//! - **cosmetic**: comments only.

use serde::{Deserialize, Serialize};

use schema_core::Snapshot;

use crate::docs::escape::code_span;

mod access;
mod kind;
mod render;
mod routines;
mod tables;
mod types;
mod widening;

pub use kind::{Action, ChangeKind};
pub use render::{render_json, render_markdown, render_text, Summary};
pub use widening::is_widening;

/// How serious a change is; see the [module docs](self) for the definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// May lose stored data.
    Destructive,
    /// May break application code or writes.
    Breaking,
    /// New things existing code does not notice.
    Additive,
    /// Comments only.
    Cosmetic,
}

impl Severity {
    /// The lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Destructive => "destructive",
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Cosmetic => "cosmetic",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One structural difference between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// What changed (serialized as its stable code, e.g. `column-added`).
    pub kind: ChangeKind,
    /// How serious it is.
    pub severity: Severity,
    /// The schema the change is in.
    pub schema: String,
    /// The top-level object (table, view, type) it is in; empty for schema-level changes.
    pub object: String,
    /// The dotted path of the changed thing, e.g. `public.users.email` (raw catalog names).
    pub path: String,
    /// The value before (a type, a definition, a label...), when meaningful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The value after, when meaningful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

impl Change {
    /// A one-line English description, e.g. ``column `public.users.email` removed (was `text`)``.
    /// Values are flattened to one line; use the fields for full text.
    pub fn describe(&self) -> String {
        let k = self.kind;
        let val = |v: &Option<String>| v.as_deref().map(|s| code_span(&one_line(s, 100))).unwrap_or_else(|| "none".to_owned());
        let p = code_span(&self.path);
        match k.action() {
            Action::Added => match &self.new {
                Some(_) => format!("{} {p} added: {}", k.noun(), val(&self.new)),
                None => format!("{} {p} added", k.noun()),
            },
            Action::Removed => match &self.old {
                Some(_) => format!("{} {p} removed (was {})", k.noun(), val(&self.old)),
                None => format!("{} {p} removed", k.noun()),
            },
            Action::Changed => format!("{} {p}: {} changed from {} to {}", k.noun(), k.attribute(), val(&self.old), val(&self.new)),
        }
    }
}

/// Collapses whitespace runs (view definitions span lines) and truncates to `max` characters.
pub fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut t: String = flat.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Every structural difference from `old` to `new`, sorted by schema, object, path and kind
/// code, so the same pair of snapshots always yields the same list.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let mut out = Changes::default();
    for pair in pair_by(&old.schemas, &new.schemas, |s| &s.name) {
        match pair {
            Pair::Removed(s) => out.push(ChangeKind::SchemaRemoved, Severity::Destructive, &s.name, "", s.name.clone(), None, None),
            Pair::Added(s) => {
                out.push(ChangeKind::SchemaAdded, Severity::Additive, &s.name, "", s.name.clone(), None, None);
                // The schema's contents are new too; listing them makes the log complete.
                let empty = schema_core::snapshot::Schema { name: s.name.clone(), ..Default::default() };
                schema_contents(&empty, s, &mut out);
            }
            Pair::Both(a, b) => {
                if a.comment != b.comment {
                    out.push(ChangeKind::SchemaCommentChanged, Severity::Cosmetic, &a.name, "", a.name.clone(), a.comment.clone(), b.comment.clone());
                }
                access::diff_grants(&a.name, "", &a.name, &a.grants, &b.grants, &mut out);
                schema_contents(a, b, &mut out);
            }
        }
    }
    routines::diff_extensions(&old.extensions, &new.extensions, &mut out);
    let mut changes = out.0;
    changes.sort_by(|a, b| {
        (&a.schema, &a.object, &a.path, a.kind.code(), &a.old, &a.new).cmp(&(&b.schema, &b.object, &b.path, b.kind.code(), &b.old, &b.new))
    });
    changes
}

fn schema_contents(a: &schema_core::snapshot::Schema, b: &schema_core::snapshot::Schema, out: &mut Changes) {
    tables::diff_tables(&a.name, &a.tables, &b.tables, out);
    types::diff_views(&a.name, &a.views, &b.views, out);
    types::diff_enums(&a.name, &a.enums, &b.enums, out);
    types::diff_domains(&a.name, &a.domains, &b.domains, out);
    types::diff_composites(&a.name, &a.composites, &b.composites, out);
    routines::diff_routines(a, b, out);
}

/// The change list under construction.
#[derive(Default)]
pub(crate) struct Changes(Vec<Change>);

impl Changes {
    /// Appends one change.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(&mut self, kind: ChangeKind, severity: Severity, schema: &str, object: &str, path: String, old: Option<String>, new: Option<String>) {
        self.0.push(Change { kind, severity, schema: schema.to_owned(), object: object.to_owned(), path, old, new });
    }
}

/// One side or both sides of a name-matched pair.
pub(crate) enum Pair<'a, T> {
    /// Only in the old snapshot.
    Removed(&'a T),
    /// Only in the new snapshot.
    Added(&'a T),
    /// In both.
    Both(&'a T, &'a T),
}

/// Matches two lists by a name key. Output follows `old`'s order, then additions in `new`'s
/// order; the final sort makes the overall order independent of this anyway.
pub(crate) fn pair_by<'a, T>(old: &'a [T], new: &'a [T], key: impl Fn(&T) -> &String) -> Vec<Pair<'a, T>> {
    use std::collections::HashMap;
    let new_index: HashMap<&String, &T> = new.iter().map(|t| (key(t), t)).collect();
    let old_names: std::collections::HashSet<&String> = old.iter().map(&key).collect();
    let mut pairs = Vec::with_capacity(old.len().max(new.len()));
    for a in old {
        match new_index.get(key(a)) {
            Some(b) => pairs.push(Pair::Both(a, *b)),
            None => pairs.push(Pair::Removed(a)),
        }
    }
    for b in new {
        if !old_names.contains(key(b)) {
            pairs.push(Pair::Added(b));
        }
    }
    pairs
}

/// Joins `schema.object[.part]` into a path.
pub(crate) fn path(parts: &[&str]) -> String {
    parts.join(".")
}
