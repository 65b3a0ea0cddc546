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

use crate::diff::{diff, Change, Summary};
use crate::findings::Finding;
use crate::docs::{render, DocsOptions};
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
}

impl Artifact {
    /// The lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Artifact::Snapshot => "snapshot",
            Artifact::Docs => "docs",
            Artifact::Generated => "generated",
            Artifact::Lint => "lint",
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

    /// Plain text: one line per artifact, then the snapshot's changes and the fix commands.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for a in &self.artifacts {
            let verdict = match a.verdict {
                Verdict::Current => "current",
                Verdict::Stale => "STALE",
                Verdict::Missing => "MISSING",
            };
            out.push_str(&format!("{verdict:<7}  {:<9}  {}  (against {})\n", a.artifact.as_str(), a.path, a.against));
            if !a.changes.is_empty() {
                out.push_str(&format!("         {}\n", Summary::of(&a.changes)));
                for c in &a.changes {
                    out.push_str(&format!("         {:<11}  {}\n", c.severity.as_str(), c.describe()));
                }
            }
            for f in &a.findings {
                out.push_str(&format!("         {}[{}] {}: {}\n", f.level.as_str(), f.rule, f.location.display_name(), f.message));
            }
            if let Some(fix) = &a.fix {
                out.push_str(&format!("         fix: {fix}\n"));
            }
        }
        out.push_str(&self.verdict_line());
        out
    }

    /// A Markdown section for a CI job summary or PR comment.
    pub fn render_markdown(&self) -> String {
        use crate::docs::escape::code;
        let mut out = String::from("### Schema check\n\n| Artifact | File | Status | Compared with | Fix |\n|---|---|---|---|---|\n");
        for a in &self.artifacts {
            let status = match a.verdict {
                Verdict::Current => "current",
                Verdict::Stale => "**stale**",
                Verdict::Missing => "**missing**",
            };
            let fix = a.fix.as_deref().map(code).unwrap_or_default();
            out.push_str(&format!("| {} | {} | {status} | {} | {fix} |\n", a.artifact.as_str(), code(&a.path), code(&a.against)));
        }
        for a in self.artifacts.iter().filter(|a| !a.changes.is_empty()) {
            out.push_str(&format!("\n**Drift of {}** ({}):\n\n", code(&a.path), Summary::of(&a.changes)));
            for c in &a.changes {
                out.push_str(&format!("- {}: {}\n", c.severity.as_str(), c.describe()));
            }
        }
        for a in self.artifacts.iter().filter(|a| !a.findings.is_empty()) {
            out.push_str(&format!("\n**Lint findings in {}** ({}):\n\n", code(&a.path), a.findings.len()));
            for f in &a.findings {
                out.push_str(&format!("- {} `{}` {}: {}\n", f.level.as_str(), f.rule, code(&f.location.display_name()), crate::docs::escape::text(&f.message)));
            }
        }
        out.push('\n');
        out.push_str(&self.verdict_line());
        out
    }

    /// Pretty JSON: `{ clean, artifacts: [...] }`.
    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            clean: bool,
            artifacts: &'a [ArtifactStatus],
        }
        let mut s = serde_json::to_string_pretty(&Json { clean: self.is_clean(), artifacts: &self.artifacts })
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    fn verdict_line(&self) -> String {
        let stale = self.stale().count();
        match (self.artifacts.len(), stale) {
            (0, _) => "nothing to check: pass `--database-url`, `--docs` or `--generated`\n".to_owned(),
            (n, 0) => format!("ok: {n} artifact{} current\n", if n == 1 { "" } else { "s" }),
            (_, s) => format!("drift: {s} stale artifact{}; run the fix command{} above and commit the result\n", if s == 1 { "" } else { "s" }, if s == 1 { "" } else { "s" }),
        }
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
        let text = report.render_text();
        assert!(text.contains("STALE    snapshot   s.json  (against db)") && text.contains("fix: fix"), "{text}");
        let json: serde_json::Value = serde_json::from_str(&report.render_json()).unwrap();
        assert_eq!(json["artifacts"][1]["changes"][0]["kind"], "schema-removed");
    }
}
