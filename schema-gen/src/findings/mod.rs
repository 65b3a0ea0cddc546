//! One findings model for every reporting command (`lint`, `models`, `check`; ready for the
//! query checker and the DDL planner), with one set of formatters: text, JSON, Markdown, GitHub
//! workflow commands and SARIF 2.1.0.
//!
//! A [`Finding`] names a rule, a [`Level`], where it is ([`Location`]: a database object, a
//! source position or a whole file), a message, an optional fix, and a stable [`Finding::key`]
//! (`rule:schema.object[.column]`) that baselines and ignore lists match on. Keys never contain
//! line numbers or counts, so they survive unrelated edits.
//!
//! A [`Report`] may also list what was [`Examined`] (the models of `models`, the artifacts of
//! `check`), so that clean subjects keep their place in every output.

mod format;
mod locate;
mod sarif;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use format::{render_github, render_json, render_markdown, render_text, write_json};
pub use locate::SnapshotLines;
pub use sarif::{render_sarif, write_sarif};

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
    /// A type (enum, domain, composite, range).
    Type,
    /// A function or procedure.
    Function,
    /// A sequence.
    Sequence,
    /// Anything else the catalog records (a trigger, policy, grant, extension, collation...).
    Other,
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
            ObjectKind::Function => "function",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Other => "object",
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
    /// A whole file (a committed artifact of `check`).
    File {
        /// The file, as given.
        file: String,
    },
}

impl Location {
    /// The name shown to people and matched by keys: `schema.table.column` or `file:line:col`.
    pub fn display_name(&self) -> String {
        match self {
            Location::Object(o) => o.qualified(),
            Location::Source { file, line, column } => format!("{file}:{line}:{column}"),
            Location::File { file } => file.clone(),
        }
    }

    /// The file a source or file location is in.
    pub fn file(&self) -> Option<&str> {
        match self {
            Location::Object(_) => None,
            Location::Source { file, .. } | Location::File { file } => Some(file),
        }
    }

    /// The part of the stable key after `rule:`; a source finding keys on its file only, so
    /// that moving code around does not make it new.
    fn key_part(&self) -> String {
        match self {
            Location::Object(o) => o.qualified(),
            Location::Source { file, .. } | Location::File { file } => file.clone(),
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
    /// Facts a consumer may key on beyond the message (`model`, `table`, `severity`, `old`,
    /// `new`...); JSON and SARIF (`result.properties`) carry them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl Finding {
    /// A finding about a database object; the key is derived.
    pub fn object(rule: &str, level: Level, object: ObjectRef, message: String, fix: Option<String>) -> Finding {
        Finding::at(rule, level, Location::Object(object), message, fix)
    }

    /// A finding at any location; the key is `rule:` and the object's qualified name or the
    /// file (never a line: keys must survive unrelated edits).
    pub fn at(rule: &str, level: Level, location: Location, mut message: String, mut fix: Option<String>) -> Finding {
        // A report holds its findings until it is written, thousands on a large schema: the
        // spare room `format!` leaves in each string is given back.
        message.shrink_to_fit();
        if let Some(fix) = &mut fix {
            fix.shrink_to_fit();
        }
        let mut key = format!("{rule}:{}", location.key_part());
        key.shrink_to_fit();
        Finding { rule: rule.into(), level, location, message, fix, key, properties: BTreeMap::new() }
    }

    /// Adds a property (builder style).
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Finding {
        self.properties.insert(key.into(), value.into());
        self
    }

    /// The object, when the finding is about one.
    pub fn object_ref(&self) -> Option<&ObjectRef> {
        match &self.location {
            Location::Object(o) => Some(o),
            Location::Source { .. } | Location::File { .. } => None,
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

/// One thing a command examined (a model, an artifact), clean or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Examined {
    /// What it is: `model`, `artifact`.
    pub kind: &'static str,
    /// Its name: the struct, or the artifact (`snapshot`, `docs`, `generated`, `lint`).
    pub name: String,
    /// Where it is.
    pub location: Location,
    /// Its verdict, lower-case (`ok`, `failing`; `current`, `stale`, `missing`).
    pub status: String,
    /// False when the subject fails (text shows its status in capitals).
    pub ok: bool,
    /// What it was compared with, or what it is for (`table public.users`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// The command that makes it current, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// How many of the report's findings belong to it: findings are stored subject by
    /// subject, in `examined` order, so this is a run length.
    pub findings: usize,
}

/// A set of findings with what produced them, ready for a formatter.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The findings, in a stable order (subject by subject when [`Report::examined`] is set).
    pub findings: Vec<Finding>,
    /// What was examined, when the command has subjects; empty for `lint`.
    pub examined: Vec<Examined>,
    /// The kind of subject the command examines (`model`, `artifact`), so that a tally of
    /// none still prints (`0 models checked`); `None` for `lint`.
    pub subject: Option<&'static str>,
    /// Show every examined subject in text and Markdown (a few artifacts), rather than only
    /// a tally (hundreds of models).
    pub list_examined: bool,
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

    /// `2 artifacts checked: 1 stale, 1 current`, statuses in order of first appearance;
    /// `None` when the command has no subjects.
    pub fn tally(&self) -> Option<String> {
        let kind = self.subject?;
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for e in &self.examined {
            match counts.iter_mut().find(|(s, _)| *s == e.status) {
                Some((_, n)) => *n += 1,
                None => counts.push((&e.status, 1)),
            }
        }
        let n = self.examined.len();
        let parts: Vec<String> = counts.iter().map(|(s, c)| format!("{c} {s}")).collect();
        let mut s = format!("{n} {kind}{} checked", if n == 1 { "" } else { "s" });
        if !parts.is_empty() {
            s.push_str(": ");
            s.push_str(&parts.join(", "));
        }
        Some(s)
    }

    /// The findings of each examined subject, in order (see [`Examined::findings`]).
    pub fn by_subject(&self) -> Vec<(&Examined, &[Finding])> {
        let mut at = 0;
        self.examined
            .iter()
            .map(|e| {
                let end = (at + e.findings).min(self.findings.len());
                let slice = &self.findings[at..end];
                at = end;
                (e, slice)
            })
            .collect()
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
