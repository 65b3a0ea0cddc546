//! Baselines: the findings a team has accepted, keyed `rule:object`, so a gate fails only on
//! new findings. Entries no finding matches any more are reported (as `baseline-stale`, info),
//! so the file shrinks as debt is paid instead of hiding regressions forever.
//!
//! The file is JSON, one key per line, sorted, so its diffs review well:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     "table-no-primary-key:billing.audit_log"
//!   ]
//! }
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::rules::BASELINE_STALE;
use super::LintError;
use crate::findings::{Finding, Level, Location};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<String>,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    path: String,
    text: String,
    keys: BTreeSet<String>,
}

impl Baseline {
    /// Loads `path`.
    pub fn load(path: &Path) -> crate::Result<Baseline> {
        let text = schema_core::fsutil::read_to_string(path, "read baseline")?;
        let display = path.display().to_string();
        let file: File = serde_json::from_str(&text).map_err(|e| LintError::Baseline { path: display.clone(), detail: e.to_string() })?;
        if file.version != 1 {
            return Err(LintError::Baseline { path: display, detail: format!("version {} is not supported (expected 1)", file.version) }.into());
        }
        Ok(Baseline { path: display, text, keys: file.findings.into_iter().collect() })
    }

    /// Writes the keys of `findings` to `path` (atomically, only when changed). Returns
    /// whether the file changed.
    pub fn write(path: &Path, findings: &[Finding]) -> crate::Result<bool> {
        let keys: BTreeSet<&str> = findings.iter().map(|f| f.key.as_str()).collect();
        let file = File { version: 1, findings: keys.into_iter().map(String::from).collect() };
        let mut text = serde_json::to_string_pretty(&file).expect("baseline serializes");
        text.push('\n');
        Ok(schema_core::fsutil::write_if_changed(path, text.as_bytes())?)
    }

    /// Splits `findings` into the new ones (returned) and the baselined ones (counted), and
    /// appends a `baseline-stale` info finding for every entry of a rule in `ran` that matched
    /// nothing. Entries of rules that did not run are left alone: `--rule` must not make the
    /// rest of the baseline look stale.
    pub fn apply(&self, findings: Vec<Finding>, ran: &[&str]) -> (Vec<Finding>, usize) {
        let seen: BTreeSet<&str> = findings.iter().map(|f| f.key.as_str()).collect();
        let mut stale = Vec::new();
        for key in &self.keys {
            let rule = key.split(':').next().unwrap_or("");
            if ran.contains(&rule) && !seen.contains(key.as_str()) {
                let quoted = serde_json::to_string(key).expect("string serializes");
                let line = self.text.lines().position(|l| l.contains(&quoted)).map_or(1, |i| i + 1);
                stale.push(Finding {
                    rule: BASELINE_STALE.into(),
                    level: Level::Info,
                    location: Location::Source { file: self.path.clone(), line, column: 1 },
                    message: format!("entry `{key}` matches no finding any more; remove it, or rewrite the baseline with `--write-baseline`"),
                    fix: None,
                    key: format!("{BASELINE_STALE}:{key}"),
                    properties: Default::default(),
                });
            }
        }
        let before = findings.len();
        let mut kept: Vec<Finding> = findings.into_iter().filter(|f| !self.keys.contains(&f.key)).collect();
        let baselined = before - kept.len();
        kept.extend(stale);
        (kept, baselined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{ObjectKind, ObjectRef};

    #[test]
    fn baselined_findings_are_hidden_and_stale_entries_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let f = |rule: &str, table: &str| Finding::object(rule, Level::Error, ObjectRef::relation(ObjectKind::Table, "public", table), "m".into(), None);
        Baseline::write(&path, &[f("table-no-primary-key", "a"), f("table-no-primary-key", "gone")]).unwrap();
        let b = Baseline::load(&path).unwrap();
        let (kept, baselined) = b.apply(vec![f("table-no-primary-key", "a"), f("table-no-primary-key", "new")], &["table-no-primary-key"]);
        assert_eq!(baselined, 1);
        let keys: Vec<&str> = kept.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["table-no-primary-key:public.new", "baseline-stale:table-no-primary-key:public.gone"]);
        assert_eq!(kept[1].location.display_name(), format!("{}:5:1", path.display()));
        // A rule that did not run leaves its entries alone.
        assert_eq!(b.apply(vec![], &["type-money"]).0.len(), 0);
    }

    #[test]
    fn a_broken_baseline_is_an_error_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, "{\"version\": 1}").unwrap();
        let e = Baseline::load(&path).unwrap_err().to_string();
        assert!(e.contains("missing field `findings`") && e.contains("--write-baseline"), "{e}");
    }
}
