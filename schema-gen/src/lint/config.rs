//! The `[lint]` sections of `pgcanon.toml` (or the `lint` object of a JSON config).
//!
//! ```toml
//! [lint]
//! fail_on = "error"                       # error | warning | never
//! ignore = ["audit.*"]                    # globs over schema.object[.member], all rules
//! exposed_schemas = ["public"]            # for security-rls-disabled
//! [lint.rules]
//! fk-missing-index = "error"              # off | info | warning | error
//! type-serial = { level = "warning", ignore = ["legacy.*"] }
//! [lint.timestamps]
//! created = "created_at"
//! updated = "updated_at"
//! mode = "database"                       # or "application"
//! accepted_defaults = ["now()", "CURRENT_TIMESTAMP", "statement_timestamp()", "transaction_timestamp()"]
//! trigger_functions = ["public.set_updated_at"]
//! append_only = ["billing.audit_log"]
//! all_columns = false
//! [lint.naming]                           # templates for naming-pattern
//! index = "{table}_{columns}_idx"
//! ```
//!
//! Keys are checked before the values are read, so a typo is an error naming the nearest
//! valid key rather than a setting that silently does nothing.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{rules, LintError};
use crate::findings::Level;

/// A configured level: a [`Level`] or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// See [`Level::Info`].
    Info,
    /// See [`Level::Warning`].
    Warning,
    /// See [`Level::Error`].
    Error,
}

impl RuleLevel {
    /// The level findings get, `None` when off.
    pub fn level(self) -> Option<Level> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Info => Some(Level::Info),
            RuleLevel::Warning => Some(Level::Warning),
            RuleLevel::Error => Some(Level::Error),
        }
    }
}

/// `--fail-on` / `fail_on`: the lowest level that fails the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum FailOn {
    /// Errors fail (the default).
    #[default]
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Nothing fails; findings are only reported.
    Never,
}

impl FailOn {
    /// The threshold level, `None` for never.
    pub fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Never => None,
        }
    }
}

/// One entry of `[lint.rules]`: a level, or a table with a level and ignore globs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RuleSetting {
    /// `rule = "warning"`.
    Level(RuleLevel),
    /// `rule = { level = "warning", ignore = ["legacy.*"] }`.
    Full {
        /// The level; the rule's default when absent.
        #[serde(default)]
        level: Option<RuleLevel>,
        /// Globs over `schema.object[.member]` this rule skips.
        #[serde(default)]
        ignore: Vec<String>,
    },
}

/// Whether `updated_at` is maintained by the database or by the application.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpdatedMode {
    /// An accepted default and a `BEFORE UPDATE` row trigger set it.
    #[default]
    Database,
    /// The application sets it: no server default, no such trigger.
    Application,
}

/// `[lint.timestamps]`: the timestamps convention.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimestampsConfig {
    /// The creation column (default `created_at`).
    pub created: String,
    /// The modification column (default `updated_at`).
    pub updated: String,
    /// Who maintains the modification column.
    pub mode: UpdatedMode,
    /// Defaults accepted for both columns, as `pg_get_expr` prints them.
    pub accepted_defaults: Vec<String>,
    /// Trigger functions (schema-qualified) that maintain the modification column; empty
    /// accepts any `BEFORE UPDATE ... FOR EACH ROW` trigger.
    pub trigger_functions: Vec<String>,
    /// Globs over `schema.table` of append-only tables: no modification column expected.
    pub append_only: Vec<String>,
    /// Check every `timestamp` column for `timestamptz`, not only the two convention columns.
    pub all_columns: bool,
}

impl Default for TimestampsConfig {
    fn default() -> Self {
        TimestampsConfig {
            created: "created_at".into(),
            updated: "updated_at".into(),
            mode: UpdatedMode::Database,
            // What `pg_get_expr` prints for the usual spellings; `clock_timestamp()` differs
            // within a transaction, so it is a deliberate opt-in.
            accepted_defaults: ["now()", "CURRENT_TIMESTAMP", "statement_timestamp()", "transaction_timestamp()"].map(String::from).to_vec(),
            trigger_functions: Vec::new(),
            append_only: Vec::new(),
            all_columns: false,
        }
    }
}

/// `[lint.naming]`: name templates for `naming-pattern`. Placeholders: `{table}` and
/// `{columns}` (key columns joined with `_`). The defaults are PostgreSQL's own choices.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NamingConfig {
    /// Plain indexes.
    pub index: String,
    /// Unique constraints.
    pub unique: String,
    /// Foreign keys.
    pub foreign_key: String,
    /// Primary keys.
    pub primary_key: String,
}

impl Default for NamingConfig {
    fn default() -> Self {
        NamingConfig {
            index: "{table}_{columns}_idx".into(),
            unique: "{table}_{columns}_key".into(),
            foreign_key: "{table}_{columns}_fkey".into(),
            primary_key: "{table}_pkey".into(),
        }
    }
}

/// The whole `[lint]` configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// The lowest level that fails the run (`--fail-on` wins).
    pub fail_on: Option<FailOn>,
    /// Globs over `schema.object[.member]` that no rule reports.
    pub ignore: Vec<String>,
    /// Schemas exposed to untrusted roles (e.g. through PostgREST), for `security-rls-disabled`.
    pub exposed_schemas: Vec<String>,
    /// Per-rule settings, by rule id.
    pub rules: BTreeMap<String, RuleSetting>,
    /// The timestamps convention.
    pub timestamps: TimestampsConfig,
    /// Name templates.
    pub naming: NamingConfig,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            fail_on: None,
            ignore: Vec::new(),
            exposed_schemas: vec!["public".into()],
            rules: BTreeMap::new(),
            timestamps: TimestampsConfig::default(),
            naming: NamingConfig::default(),
        }
    }
}

const LINT_KEYS: &[&str] = &["fail_on", "ignore", "exposed_schemas", "rules", "timestamps", "naming"];
const RULE_KEYS: &[&str] = &["level", "ignore"];
const TIMESTAMPS_KEYS: &[&str] = &["created", "updated", "mode", "accepted_defaults", "trigger_functions", "append_only", "all_columns"];
const NAMING_KEYS: &[&str] = &["index", "unique", "foreign_key", "primary_key"];

impl LintConfig {
    /// Reads the value of a config file's `lint` key. Unknown keys and rule ids are errors
    /// that name the nearest valid one.
    pub fn from_value(value: Value, origin: &str) -> Result<LintConfig, LintError> {
        let Value::Object(map) = &value else {
            return Err(LintError::InvalidConfig { origin: origin.into(), detail: "`lint` must be a table".into() });
        };
        check_keys(map, "lint", LINT_KEYS, origin)?;
        if let Some(Value::Object(rules_map)) = map.get("rules") {
            let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
            check_keys(rules_map, "lint.rules", &ids, origin)?;
            for (id, setting) in rules_map {
                if let Value::Object(m) = setting {
                    check_keys(m, &format!("lint.rules.{id}"), RULE_KEYS, origin)?;
                }
            }
        }
        for (key, allowed) in [("timestamps", TIMESTAMPS_KEYS), ("naming", NAMING_KEYS)] {
            if let Some(Value::Object(m)) = map.get(key) {
                check_keys(m, &format!("lint.{key}"), allowed, origin)?;
            }
        }
        serde_json::from_value(value).map_err(|e| LintError::InvalidConfig { origin: origin.into(), detail: e.to_string() })
    }

    /// The effective level of rule `id` (`None`: off).
    pub fn level_of(&self, info: &rules::Rule) -> Option<Level> {
        match self.rules.get(info.id) {
            Some(RuleSetting::Level(l)) | Some(RuleSetting::Full { level: Some(l), .. }) => l.level(),
            _ => info.default_level,
        }
    }

    /// The rule's own ignore globs.
    pub fn rule_ignores(&self, id: &str) -> &[String] {
        match self.rules.get(id) {
            Some(RuleSetting::Full { ignore, .. }) => ignore,
            _ => &[],
        }
    }
}

fn check_keys(map: &serde_json::Map<String, Value>, section: &str, allowed: &[&str], origin: &str) -> Result<(), LintError> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(LintError::UnknownKey { origin: origin.into(), key: format!("{section}.{key}"), hint: suggest(key, allowed) });
        }
    }
    Ok(())
}

/// `did you mean `x``, or the list of valid names when none is close.
pub(crate) fn suggest(word: &str, candidates: &[&str]) -> String {
    let best = candidates.iter().map(|c| (edit_distance(word, c), *c)).min();
    match best {
        Some((d, c)) if d <= (word.len() / 3).max(2) => format!("did you mean `{c}`?"),
        _ => format!("valid: {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `*` matches any run of characters (dots included), `?` one character; everything else is
/// literal. So `audit.*` covers every object and column in schema `audit`.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Iterative wildcard matching with one backtrack point: linear for practical patterns.
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("audit.*", "audit.log.at"));
        assert!(glob_match("public.users", "public.users"));
        assert!(!glob_match("public.users", "public.users.id"));
        assert!(glob_match("*.schema_migrations", "public.schema_migrations"));
        assert!(glob_match("p?blic.*_log", "public.audit_log"));
        assert!(!glob_match("audit.*", "auditx"));
    }

    #[test]
    fn typos_name_the_nearest_key() {
        let e = LintConfig::from_value(serde_json::json!({"fial_on": "error"}), "pgcanon.toml").unwrap_err().to_string();
        assert_eq!(e, "unknown key `lint.fial_on` in `pgcanon.toml`; did you mean `fail_on`?");
        let e = LintConfig::from_value(serde_json::json!({"rules": {"table-no-primary-keys": "off"}}), "c").unwrap_err().to_string();
        assert!(e.contains("`lint.rules.table-no-primary-keys`") && e.contains("did you mean `table-no-primary-key`?"), "{e}");
        let e = LintConfig::from_value(serde_json::json!({"timestamps": {"create": "c"}}), "c").unwrap_err().to_string();
        assert!(e.contains("did you mean `created`?"), "{e}");
        let e = LintConfig::from_value(serde_json::json!({"rules": {"type-money": "warn"}}), "c").unwrap_err().to_string();
        assert!(e.starts_with("invalid `[lint]` configuration in `c`"), "{e}");
    }

    #[test]
    fn levels_and_ignores() {
        let c = LintConfig::from_value(serde_json::json!({"rules": {"type-money": "off", "type-serial": {"level": "error", "ignore": ["legacy.*"]}}}), "c").unwrap();
        let rule = |id| rules::ALL.iter().find(|r| r.id == id).unwrap();
        assert_eq!(c.level_of(rule("type-money")), None);
        assert_eq!(c.level_of(rule("type-serial")), Some(Level::Error));
        assert_eq!(c.level_of(rule("table-no-primary-key")), Some(Level::Error));
        assert_eq!(c.rule_ignores("type-serial"), ["legacy.*"]);
    }
}
