//! One findings model for every reporting command (`lint` today; `models` and `check` can map
//! onto it), with one set of formatters: text, JSON, Markdown, GitHub workflow commands and
//! SARIF 2.1.0.
//!
//! A [`Finding`] names a rule, a [`Level`], where it is ([`Location`]: a database object or a
//! source position), a message, an optional fix, and a stable [`Finding::key`]
//! (`rule:schema.object[.column]`) that baselines and ignore lists match on. Keys never contain
//! line numbers or counts, so they survive unrelated edits.

mod format;
mod locate;
mod sarif;

use serde::{Deserialize, Serialize};

pub use format::{render_github, render_json, render_markdown, render_text};
pub use locate::SnapshotLines;
pub use sarif::render_sarif;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; never fails a gate.
    Info,
    /// Should be fixed; fails with `--fail-on warning`.
    Warning,
    /// Must be fixed; fails with the default `--fail-on error`.
    Error,
}

impl Level {
    /// The lower-case name, as in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// What kind of database object a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A schema.
    Schema,
    /// A table (ordinary, partitioned or foreign).
    Table,
    /// A view or materialized view.
    View,
    /// A column of a table or view.
    Column,
    /// An index.
    Index,
    /// A constraint (key, unique, check, foreign key).
    Constraint,
    /// A type (enum, domain, composite).
    Type,
}

impl ObjectKind {
    /// The lower-case name, as in JSON and SARIF logical locations.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::Column => "column",
            ObjectKind::Index => "index",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Type => "type",
        }
    }
}

/// A database object: `schema`, `schema.relation` or `schema.relation.member` (a column,
/// index or constraint of the relation).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The schema.
    pub schema: String,
    /// The table, view or type; empty for a schema-level finding.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relation: String,
    /// A column, index or constraint of `relation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What the object is.
    pub kind: ObjectKind,
}

impl ObjectRef {
    /// A schema.
    pub fn schema(schema: &str) -> ObjectRef {
        ObjectRef { schema: schema.into(), relation: String::new(), member: None, kind: ObjectKind::Schema }
    }

    /// A table, view or type.
    pub fn relation(kind: ObjectKind, schema: &str, relation: &str) -> ObjectRef {
        ObjectRef { schema: schema.into(), relation: relation.into(), member: None, kind }
    }

    /// A column, index or constraint of a relation.
    pub fn member(kind: ObjectKind, schema: &str, relation: &str, member: &str) -> ObjectRef {
        ObjectRef { schema: schema.into(), relation: relation.into(), member: Some(member.into()), kind }
    }

    /// `schema[.relation[.member]]`, the name ignore globs and baseline keys use.
    pub fn qualified(&self) -> String {
        let mut s = self.schema.clone();
        for part in [Some(&self.relation).filter(|r| !r.is_empty()), self.member.as_ref()].into_iter().flatten() {
            s.push('.');
            s.push_str(part);
        }
        s
    }
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A database object.
    Object(ObjectRef),
    /// A position in a source file (models report, query checker).
    Source {
        /// The file, as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl Location {
    /// The name shown to people and matched by keys: `schema.table.column` or `file:line:col`.
    pub fn display_name(&self) -> String {
        match self {
            Location::Object(o) => o.qualified(),
            Location::Source { file, line, column } => format!("{file}:{line}:{column}"),
        }
    }

    /// The part of the stable key after `rule:`; a source finding keys on its file only, so
    /// that moving code around does not make it new.
    fn key_part(&self) -> String {
        match self {
            Location::Object(o) => o.qualified(),
            Location::Source { file, .. } => file.clone(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule id, kebab-case and stable (e.g. `table-no-primary-key`).
    pub rule: String,
    /// Its level after configuration.
    pub level: Level,
    /// Where it is.
    pub location: Location,
    /// What is wrong and why, in one sentence.
    pub message: String,
    /// SQL (or a command) that fixes it, when one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// `rule:location`, stable across runs: what baselines record.
    pub key: String,
}

impl Finding {
    /// A finding about a database object; the key is derived.
    pub fn object(rule: &str, level: Level, object: ObjectRef, message: String, fix: Option<String>) -> Finding {
        let location = Location::Object(object);
        let key = format!("{rule}:{}", location.key_part());
        Finding { rule: rule.into(), level, location, message, fix, key }
    }

    /// The object, when the finding is about one.
    pub fn object_ref(&self) -> Option<&ObjectRef> {
        match &self.location {
            Location::Object(o) => Some(o),
            Location::Source { .. } => None,
        }
    }
}

/// Static facts about a rule, for SARIF's rule table and the docs.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The stable id.
    pub id: &'static str,
    /// The level when not configured; `None` means off unless enabled.
    pub default_level: Option<Level>,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

/// A set of findings with what produced them, ready for a formatter.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The findings, in a stable order.
    pub findings: Vec<Finding>,
    /// Findings suppressed by the baseline.
    pub baselined: usize,
    /// The rules that ran (SARIF lists them; unused otherwise).
    pub rules: Vec<RuleInfo>,
    /// The file object locations point into (the committed snapshot), for SARIF and GitHub
    /// annotations; `None` when the snapshot came from a live database.
    pub artifact: Option<String>,
    /// Line index of that file's objects.
    pub lines: Option<SnapshotLines>,
}

/// Counts per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
    /// Suppressed by the baseline.
    pub baselined: usize,
}

impl Report {
    /// Counts per level.
    pub fn counts(&self) -> Counts {
        let mut c = Counts { baselined: self.baselined, ..Counts::default() };
        for f in &self.findings {
            match f.level {
                Level::Error => c.error += 1,
                Level::Warning => c.warning += 1,
                Level::Info => c.info += 1,
            }
        }
        c
    }

    /// True when a finding is at or above `threshold` (`None`: never fail).
    pub fn fails(&self, threshold: Option<Level>) -> bool {
        threshold.is_some_and(|t| self.findings.iter().any(|f| f.level >= t))
    }

    /// The 1-based line of a finding's object in [`Report::artifact`], when known.
    pub fn line_of(&self, f: &Finding) -> Option<usize> {
        Some(self.lines.as_ref()?.line(f.object_ref()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_rule_and_qualified_name() {
        let f = Finding::object("type-money", Level::Warning, ObjectRef::member(ObjectKind::Column, "public", "t", "price"), "m".into(), None);
        assert_eq!(f.key, "type-money:public.t.price");
        assert_eq!(ObjectRef::schema("s").qualified(), "s");
        assert!(Level::Error > Level::Warning && Level::Warning > Level::Info);
    }
}
