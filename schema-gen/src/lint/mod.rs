//! `schema-gen lint`: the schema audit. Pure: a [`Snapshot`] and a [`LintConfig`] in,
//! [`Finding`]s out, so it runs offline on the committed snapshot or on a fresh introspection.
//!
//! - [`rules`]: the rule table ([`rules::ALL`]) and the rules, one module per family;
//! - [`config`]: the `[lint]` sections of `pgcanon.toml`;
//! - [`baseline`]: accepted findings, keyed `rule:object`, so CI fails only on new ones.

pub mod baseline;
pub mod config;
pub mod rules;

use std::collections::HashMap;

use schema_core::Snapshot;

pub use baseline::Baseline;
pub use config::{FailOn, LintConfig};

use crate::findings::{Finding, Level, ObjectRef, RuleInfo};
use config::glob_match;

/// Errors of the lint configuration, `--rule` and baseline files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// A key of a `[lint]` section is not known.
    #[error("unknown key `{key}` in `{origin}`; {hint}")]
    UnknownKey {
        /// The config file.
        origin: String,
        /// The dotted key, e.g. `lint.rules.fk-missing-idx`.
        key: String,
        /// `did you mean ...?` or the valid keys.
        hint: String,
    },
    /// A `[lint]` value has the wrong type or spelling.
    #[error("invalid `[lint]` configuration in `{origin}`: {detail}; levels are `off`, `info`, `warning`, `error`")]
    InvalidConfig {
        /// The config file.
        origin: String,
        /// The parser's message.
        detail: String,
    },
    /// `--rule` named no rule.
    #[error("unknown rule `{id}`; {hint}")]
    UnknownRule {
        /// The id given.
        id: String,
        /// `did you mean ...?` or the valid ids.
        hint: String,
    },
    /// A baseline file is not a baseline.
    #[error("baseline `{path}` is not valid: {detail}; write a fresh one with `schema-gen lint --write-baseline {path}`")]
    Baseline {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
}

/// Collects findings for the enabled rules, applying levels and ignore globs.
pub(crate) struct Emitter<'a> {
    pub(crate) config: &'a LintConfig,
    levels: HashMap<&'static str, Level>,
    findings: Vec<Finding>,
}

impl Emitter<'_> {
    /// True when rule `id` runs (lets a rule skip work whose findings would be dropped).
    pub(crate) fn on(&self, id: &str) -> bool {
        self.levels.contains_key(id)
    }

    /// Records a finding of rule `id`, unless the rule is off or the object is ignored.
    pub(crate) fn emit(&mut self, id: &'static str, object: ObjectRef, message: String, fix: Option<String>) {
        let Some(&level) = self.levels.get(id) else { return };
        let full = object.qualified();
        // A glob naming a table (`public.legacy`) also covers its columns, indexes and keys.
        let relation = format!("{}.{}", object.schema, object.relation);
        let ignored = |globs: &[String]| globs.iter().any(|g| glob_match(g, &full) || (object.member.is_some() && glob_match(g, &relation)));
        if ignored(&self.config.ignore) || ignored(self.config.rule_ignores(id)) {
            return;
        }
        self.findings.push(Finding::object(id, level, object, message, fix));
    }
}

/// What [`lint`] found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The findings, sorted by object, then rule.
    pub findings: Vec<Finding>,
    /// The rules that ran, with their effective levels as default levels.
    pub rules: Vec<RuleInfo>,
}

/// Runs the enabled rules (only those in `only`, when not empty) over `snapshot`.
///
/// A rule named in `only` runs even when it is off by default, at `warning` unless
/// configured otherwise: asking for a rule by name means wanting its findings.
pub fn lint(snapshot: &Snapshot, config: &LintConfig, only: &[String]) -> Result<Outcome, LintError> {
    let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
    for id in only {
        if !ids.contains(&id.as_str()) {
            return Err(LintError::UnknownRule { id: id.clone(), hint: config::suggest(id, &ids) });
        }
    }
    let mut levels = HashMap::new();
    let mut ran = Vec::new();
    for rule in rules::ALL {
        let level = if only.is_empty() {
            config.level_of(rule)
        } else if only.iter().any(|o| o == rule.id) {
            Some(config.level_of(rule).unwrap_or(Level::Warning))
        } else {
            None
        };
        if let Some(level) = level {
            levels.insert(rule.id, level);
            ran.push(RuleInfo { default_level: Some(level), ..*rule });
        }
    }
    let mut e = Emitter { config, levels, findings: Vec::new() };
    rules::run(snapshot, &mut e);
    let mut findings = e.findings;
    sort_findings(&mut findings);
    // One object may trip a rule once per cause (two grants); keys stay unique per finding
    // kind, so identical keys are kept: the baseline counts them as one accepted entry.
    Ok(Outcome { findings, rules: ran })
}

/// Sorts by object, rule and message, stably, as `sort_by` would. A stable sort of the
/// findings themselves borrows scratch room for all of them (a megabyte per few thousand):
/// sorting their positions and then moving each finding into place once needs only a
/// position per finding.
fn sort_findings(findings: &mut [Finding]) {
    fn key(f: &Finding) -> (Option<&ObjectRef>, &str, &str) {
        (f.object_ref(), f.rule.as_str(), f.message.as_str())
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| key(&findings[a]).cmp(&key(&findings[b])));
    // `order[i]` is the finding that belongs at `i`: follow each cycle of the permutation,
    // swapping every finding into place, and mark the places done.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start && order[at] != at {
            let from = order[at];
            findings.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_sort_like_a_stable_sort() {
        let f = |rule: &str, table: &str, message: &str| Finding::object(rule, Level::Warning, ObjectRef::relation(crate::findings::ObjectKind::Table, "s", table), message.into(), None);
        // Equal keys keep their order (told apart by the fix), across several cycles.
        let mut findings: Vec<Finding> = ["d", "b", "a", "c", "b", "e", "a", "b"]
            .iter()
            .enumerate()
            .map(|(i, t)| Finding { fix: Some(i.to_string()), ..f(if i % 2 == 0 { "r1" } else { "r2" }, t, "m") })
            .collect();
        let mut expected = findings.clone();
        expected.sort_by(|a, b| (a.object_ref(), &a.rule, &a.message).cmp(&(b.object_ref(), &b.rule, &b.message)));
        sort_findings(&mut findings);
        let fixes = |v: &[Finding]| v.iter().map(|f| f.fix.clone().unwrap()).collect::<Vec<_>>();
        assert_eq!(fixes(&findings), fixes(&expected));
        sort_findings(&mut []);
    }

    #[test]
    fn unknown_rule_names_the_nearest() {
        let e = lint(&Snapshot::default(), &LintConfig::default(), &["type-mony".into()]).unwrap_err().to_string();
        assert_eq!(e, "unknown rule `type-mony`; did you mean `type-money`?");
    }

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|i| i.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), rules::ALL.len());
    }
}
