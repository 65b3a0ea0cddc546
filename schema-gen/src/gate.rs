//! The CI gate behind `schema-gen check`: every committed artifact is current.
//!
//! Each check compares one committed artifact with what it should be and yields an
//! [`ArtifactStatus`] naming the file and, when stale, the exact command that refreshes it:
//! - [`check_live`]: the committed snapshot against a fresh introspection of the database;
//! - [`check_docs`]: the committed docs against a re-render of the committed snapshot;
//! - [`check_generated`]: committed generated code against the generator's output. The
//!   generator is passed in as a function, so the gate does not depend on how code is generated.
//!
//! Re-rendering and comparing bytes (rather than parsing) is deliberate: it is exact, cheap,
//! and agrees with `write_if_changed`, which is what the refresh commands use.

use std::path::Path;

use serde::Serialize;

use schema_core::Snapshot;

use crate::diff::{diff, Change, Severity, Summary};
use crate::docs::{render, DocsOptions};
use crate::findings::{self, Examined, Finding, Level, Location, ObjectKind, ObjectRef, RuleInfo};
use crate::Result;

/// Which artifact a status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Artifact {
    /// The committed snapshot file (checked against the live database).
    Snapshot,
    /// The committed Markdown docs (checked against the snapshot).
    Docs,
    /// Committed generated Rust code (checked against the snapshot).
    Generated,
    /// The committed snapshot, audited by `schema-gen lint` (findings at or above `--fail-on`,
    /// minus the baseline, make it stale).
    Lint,
    /// The SQL in the sources, checked against the committed snapshot by `schema-gen queries`.
    Queries,
}

impl Verdict {
    /// The lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Current => "current",
            Verdict::Stale => "stale",
            Verdict::Missing => "missing",
        }
    }
}

impl Artifact {
    /// The lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Artifact::Snapshot => "snapshot",
            Artifact::Docs => "docs",
            Artifact::Generated => "generated",
            Artifact::Lint => "lint",
            Artifact::Queries => "queries",
        }
    }
}

/// The verdict on one artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Matches what it should be.
    Current,
    /// Differs.
    Stale,
    /// Does not exist.
    Missing,
}

/// The result of checking one artifact.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactStatus {
    /// Which artifact.
    pub artifact: Artifact,
    /// Its path, as given.
    pub path: String,
    /// Current, stale or missing.
    pub verdict: Verdict,
    /// What it was compared with (`live database postgres://…`, `snapshot schema/snapshot.json`).
    pub against: String,
    /// The command that refreshes it (present unless current).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// For the snapshot: the structural changes from committed to live.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// For lint: the findings that fail the gate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl ArtifactStatus {
    /// True unless current.
    pub fn is_stale(&self) -> bool {
        self.verdict != Verdict::Current
    }
}

/// Compares the committed snapshot with a live one. `against` names the database (redacted).
pub fn check_live(committed: &Snapshot, snapshot_path: &str, live: &Snapshot, against: &str, fix: &str) -> ArtifactStatus {
    let changes = diff(committed, live);
    let verdict = if changes.is_empty() { Verdict::Current } else { Verdict::Stale };
    ArtifactStatus {
        artifact: Artifact::Snapshot,
        path: snapshot_path.to_owned(),
        verdict,
        against: against.to_owned(),
        fix: (verdict != Verdict::Current).then(|| fix.to_owned()),
        changes,
        findings: Vec::new(),
    }
}

/// The status of a committed snapshot file that does not exist yet.
pub fn missing_snapshot(snapshot_path: &str, against: &str, fix: &str) -> ArtifactStatus {
    ArtifactStatus {
        artifact: Artifact::Snapshot,
        path: snapshot_path.to_owned(),
        verdict: Verdict::Missing,
        against: against.to_owned(),
        fix: Some(fix.to_owned()),
        changes: Vec::new(),
        findings: Vec::new(),
    }
}

/// The lint gate: `failing` are the findings at or above the threshold that the baseline did
/// not accept; any makes the verdict stale, and `fix` is the `schema-gen lint` command that
/// lists them all.
pub fn check_lint(snapshot_path: &str, failing: Vec<Finding>, against: &str, fix: &str) -> ArtifactStatus {
    let verdict = if failing.is_empty() { Verdict::Current } else { Verdict::Stale };
    ArtifactStatus {
        artifact: Artifact::Lint,
        path: snapshot_path.to_owned(),
        verdict,
        against: against.to_owned(),
        fix: (verdict != Verdict::Current).then(|| fix.to_owned()),
        changes: Vec::new(),
        findings: failing,
    }
}

/// Re-renders the docs from `snapshot` and compares them with the file at `docs_path`.
pub fn check_docs(snapshot: &Snapshot, snapshot_path: &str, docs_path: &Path, options: &DocsOptions, fix: &str) -> Result<ArtifactStatus> {
    let expected = render(snapshot, options);
    compare_file(Artifact::Docs, docs_path, expected.as_bytes(), &format!("snapshot {snapshot_path}"), fix)
}

/// Runs `generate` on `snapshot` and compares its output with the file at `path`.
///
/// `generate` is the plug for the code generator (e.g. `|s| config.generate(s)`); an error
/// from it is an error of the check, not a stale verdict.
pub fn check_generated(
    snapshot: &Snapshot,
    snapshot_path: &str,
    path: &Path,
    generate: impl FnOnce(&Snapshot) -> Result<String>,
    fix: &str,
) -> Result<ArtifactStatus> {
    let expected = generate(snapshot)?;
    compare_file(Artifact::Generated, path, expected.as_bytes(), &format!("snapshot {snapshot_path}"), fix)
}

/// Byte-compares a committed file with its expected content.
pub fn compare_file(artifact: Artifact, path: &Path, expected: &[u8], against: &str, fix: &str) -> Result<ArtifactStatus> {
    let verdict = match schema_core::fsutil::read(path, "read") {
        Ok(bytes) if bytes == expected => Verdict::Current,
        Ok(_) => Verdict::Stale,
        Err(schema_core::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Verdict::Missing,
        Err(e) => return Err(e.into()),
    };
    Ok(ArtifactStatus {
        artifact,
        path: path.display().to_string(),
        verdict,
        against: against.to_owned(),
        fix: (verdict != Verdict::Current).then(|| fix.to_owned()),
        changes: Vec::new(),
        findings: Vec::new(),
    })
}

/// All statuses of one `check` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GateReport {
    /// One status per checked artifact, in check order (snapshot, docs, generated).
    pub artifacts: Vec<ArtifactStatus>,
}

impl GateReport {
    /// True when every artifact is current.
    pub fn is_clean(&self) -> bool {
        !self.artifacts.iter().any(ArtifactStatus::is_stale)
    }

    /// The stale or missing artifacts.
    pub fn stale(&self) -> impl Iterator<Item = &ArtifactStatus> {
        self.artifacts.iter().filter(|a| a.is_stale())
    }

    /// The report in the shared findings model, one [`Examined`] artifact each (listed in
    /// text and Markdown), with its findings below it:
    /// - `snapshot-stale` / `snapshot-missing`, `docs-stale` / `docs-missing`,
    ///   `generated-stale` / `generated-missing`, `lint-stale`: an error at the artifact's file,
    ///   its fix the refresh command;
    /// - `snapshot-drift`: one per structural change from committed to live, at the changed
    ///   object, level by severity (destructive and breaking: error; additive: warning;
    ///   cosmetic: info), properties `change`, `severity`, `old`, `new`;
    /// - the lint gate's failing findings, as `lint` reports them.
    ///
    /// The gate's verdict is the artifacts' (any stale one fails `check`), not the levels.
    pub fn to_findings(&self) -> findings::Report {
        let mut out = findings::Report { list_examined: true, subject: Some("artifact"), rules: RULES.to_vec(), ..findings::Report::default() };
        for a in &self.artifacts {
            let before = out.findings.len();
            let file = Location::File { file: a.path.clone() };
            if a.is_stale() {
                let (suffix, message) = match (a.verdict, a.artifact) {
                    (Verdict::Missing, _) => ("missing", format!("does not exist (compared with {})", a.against)),
                    (_, Artifact::Snapshot) => ("stale", format!("differs from the {}: {}", a.against, Summary::of(&a.changes))),
                    (_, Artifact::Lint) => ("stale", format!("{} lint finding{} the gate ({})", a.findings.len(), if a.findings.len() == 1 { " fails" } else { "s fail" }, a.against)),
                    (_, Artifact::Queries) => ("stale", format!("{} query finding{} the gate ({})", a.findings.len(), if a.findings.len() == 1 { " fails" } else { "s fail" }, a.against)),
                    (_, _) => ("stale", format!("differs from a fresh rendering of the {}", a.against)),
                };
                let rule = format!("{}-{suffix}", a.artifact.as_str());
                out.findings.push(Finding::at(&rule, Level::Error, file.clone(), message, a.fix.clone()));
            }
            out.findings.extend(a.changes.iter().map(drift_finding));
            out.findings.extend(a.findings.iter().cloned());
            out.examined.push(Examined {
                kind: "artifact",
                name: a.artifact.as_str().to_owned(),
                location: file,
                status: a.verdict.as_str().to_owned(),
                ok: !a.is_stale(),
                against: Some(a.against.clone()),
                fix: None,
                findings: out.findings.len() - before,
            });
            for f in &a.findings {
                if !out.rules.iter().any(|r| r.id == f.rule) {
                    if let Some(rule) = crate::lint::rules::ALL.iter().find(|r| r.id == f.rule) {
                        out.rules.push(*rule);
                    }
                }
            }
        }
        out
    }
}

macro_rules! rule {
    ($id:literal, $summary:literal, $why:literal) => {
        RuleInfo { id: $id, default_level: Some(Level::Error), summary: $summary, why: $why }
    };
}

/// The rules of `check` (the lint gate adds the lint rules that fired).
pub const RULES: &[RuleInfo] = &[
    rule!("snapshot-stale", "the committed snapshot differs from the live database", "Models, docs and checks derived from a stale snapshot describe a database that no longer exists."),
    rule!("snapshot-missing", "the committed snapshot does not exist", "Nothing can be derived or checked without it."),
    rule!("snapshot-drift", "one structural change between the committed snapshot and the live database", "Each change is listed so a reviewer sees what re-snapshotting will commit; destructive and breaking changes are errors."),
    rule!("docs-stale", "the committed docs differ from the docs rendered from the snapshot", "Readers of the docs see a schema that is not the committed one."),
    rule!("docs-missing", "the docs file does not exist", "The docs were asked for but never generated."),
    rule!("generated-stale", "committed generated code differs from a fresh `schema-gen generate`", "The committed models do not match the committed snapshot."),
    rule!("generated-missing", "the generated code file does not exist", "The models were asked for but never generated."),
    rule!("lint-stale", "the committed snapshot has lint findings at or above the threshold outside the baseline", "The lint gate failed; the findings follow."),
    rule!("queries-stale", "the SQL in the sources has query findings at or above the threshold", "Queries that do not match the committed snapshot fail at run time; the findings follow."),
];

/// A structural change as a `snapshot-drift` finding at the changed object.
fn drift_finding(c: &Change) -> Finding {
    let level = match c.severity {
        Severity::Destructive | Severity::Breaking => Level::Error,
        Severity::Additive => Level::Warning,
        Severity::Cosmetic => Level::Info,
    };
    let kind = match c.kind.noun() {
        "schema" => ObjectKind::Schema,
        "table" | "partition" => ObjectKind::Table,
        "view" => ObjectKind::View,
        "column" => ObjectKind::Column,
        "index" => ObjectKind::Index,
        "function" => ObjectKind::Function,
        "sequence" => ObjectKind::Sequence,
        "enum" | "domain" | "composite type" | "range type" => ObjectKind::Type,
        n if n.ends_with("constraint") || n == "foreign key" || n == "primary key" => ObjectKind::Constraint,
        _ => ObjectKind::Other,
    };
    let object = object_of(c, kind);
    let mut f = Finding::object("snapshot-drift", level, object, c.describe(), None).with("change", c.kind.code()).with("severity", c.severity.as_str());
    // Two changes can touch one object (type and default of a column): the change code keeps
    // keys apart.
    f.key = format!("snapshot-drift:{}:{}", c.kind.code(), c.path);
    if let Some(old) = &c.old {
        f = f.with("old", old.clone());
    }
    if let Some(new) = &c.new {
        f = f.with("new", new.clone());
    }
    f
}

/// The object a change's `schema`, `object` and `path` name: the member is what the path adds
/// after `schema.object` (a column, index, key, or `:grantee`).
fn object_of(c: &Change, kind: ObjectKind) -> ObjectRef {
    if c.object.is_empty() {
        let rest = c.path.strip_prefix(&c.schema).and_then(|r| r.strip_prefix('.')).filter(|r| !r.is_empty());
        return match rest {
            Some(rest) => ObjectRef::relation(kind, &c.schema, rest),
            None if c.schema.is_empty() => ObjectRef::relation(kind, "", &c.path),
            None => ObjectRef::schema(&c.schema),
        };
    }
    let head = format!("{}.{}", c.schema, c.object);
    match c.path.strip_prefix(&head).and_then(|r| r.strip_prefix(['.', ':'])) {
        Some(member) if !member.is_empty() => ObjectRef::member(kind, &c.schema, &c.object, member),
        _ => ObjectRef::relation(kind, &c.schema, &c.object),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::snapshot::Schema;

    fn snap(schema: &str) -> Snapshot {
        Snapshot { schemas: vec![Schema { name: schema.into(), ..Schema::default() }], ..Snapshot::default() }
    }

    #[test]
    fn generated_code_is_compared_through_the_plugged_generator() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("models.rs");
        let generate = |s: &Snapshot| Ok(format!("// {} schemas\n", s.schemas.len()));
        let status = check_generated(&snap("a"), "s.json", &path, generate, "regen").unwrap();
        assert_eq!((status.verdict, status.fix.as_deref()), (Verdict::Missing, Some("regen")));
        std::fs::write(&path, "// 1 schemas\n").unwrap();
        let status = check_generated(&snap("a"), "s.json", &path, generate, "regen").unwrap();
        assert_eq!((status.verdict, status.fix), (Verdict::Current, None));
        std::fs::write(&path, "// edited by hand\n").unwrap();
        assert_eq!(check_generated(&snap("a"), "s.json", &path, generate, "regen").unwrap().verdict, Verdict::Stale);
        // A generator failure is an error of the check, not a verdict.
        let failing = |_: &Snapshot| Err(crate::Error::Config("boom".into()));
        assert!(check_generated(&snap("a"), "s.json", &path, failing, "regen").is_err());
    }

    #[test]
    fn live_drift_carries_the_changes_and_the_report_its_verdict() {
        let same = check_live(&snap("a"), "s.json", &snap("a"), "db", "fix");
        assert!(!same.is_stale() && same.changes.is_empty());
        let drift = check_live(&snap("a"), "s.json", &snap("b"), "db", "fix");
        assert_eq!(drift.changes.len(), 2, "schema a removed, schema b added");
        let report = GateReport { artifacts: vec![same, drift] };
        assert!(!report.is_clean());
        assert_eq!(report.stale().count(), 1);
        let findings = report.to_findings();
        let text = crate::findings::render_text(&findings);
        assert!(text.contains("STALE    snapshot   s.json  (against db)\n         error[snapshot-stale] s.json: differs from the db: 2 changes"), "{text}");
        assert!(text.contains("           fix: fix\n"), "{text}");
        assert!(text.contains("error[snapshot-drift] a: schema `a` removed"), "{text}");
        assert!(text.ends_with("; 2 artifacts checked: 1 current, 1 stale\n"), "{text}");
        let json: serde_json::Value = serde_json::from_str(&crate::findings::render_json(&findings)).unwrap();
        assert_eq!(json["examined"][1]["status"], "stale");
        assert_eq!(json["examined"][1]["findings"], 3);
        assert_eq!(json["findings"][1]["properties"]["change"], "schema-removed");
        assert_eq!(json["findings"][1]["key"], "snapshot-drift:schema-removed:a");
    }
}
