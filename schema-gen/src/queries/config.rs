//! The `[queries]` sections of `pgcanon.toml` (or the `queries` object of a JSON config).
//!
//! ```toml
//! [queries]
//! paths = ["src", "queries"]              # what `queries` and `check` read by default
//! search_path = ["public"]                # where unqualified names resolve, in order
//! ignore = ["tests/**", "src/legacy/*.rs"] # file globs left out
//! fail_on = "error"                       # error | warning | never
//! [queries.rules]
//! query-select-star = "off"               # off | info | warning | error
//! ```
//!
//! Unknown keys and rule ids are errors naming the nearest valid one.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::findings::Level;
use crate::lint::config::{glob_match, RuleLevel};
use crate::lint::FailOn;
use crate::{Error, Result};

/// The query checker's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueriesConfig {
    /// Files and directories checked when none are given; setting it makes `schema-gen check`
    /// run the query gate.
    pub paths: Vec<std::path::PathBuf>,
    /// Schemas unqualified names resolve in, in order.
    pub search_path: Vec<String>,
    /// File globs (`*` within a path segment... and `**`) that are not checked.
    pub ignore: Vec<String>,
    /// The lowest level that fails the run.
    pub fail_on: Option<FailOn>,
    /// Levels per rule id.
    pub rules: BTreeMap<String, RuleLevel>,
}

impl Default for QueriesConfig {
    fn default() -> QueriesConfig {
        QueriesConfig { paths: Vec::new(), search_path: vec!["public".into()], ignore: Vec::new(), fail_on: None, rules: BTreeMap::new() }
    }
}

impl QueriesConfig {
    /// Reads the `queries` key of a config value; the defaults when absent.
    pub fn from_value(value: Option<serde_json::Value>, origin: &str) -> Result<QueriesConfig> {
        let Some(v) = value else { return Ok(QueriesConfig::default()) };
        let config: QueriesConfig = serde_json::from_value(v).map_err(|e| {
            Error::Config(format!("invalid `[queries]` configuration in `{origin}`: {e}; keys are `paths`, `search_path`, `ignore`, `fail_on`, `rules`; levels are `off`, `info`, `warning`, `error`"))
        })?;
        let ids: Vec<&str> = schema_queries::RULES.iter().map(|r| r.id).collect();
        for id in config.rules.keys() {
            if !ids.contains(&id.as_str()) {
                let hint = schema_core::check::closest(id, ids.iter().copied()).map_or_else(|| format!("rules are {}", ids.join(", ")), |c| format!("did you mean `{c}`?"));
                return Err(Error::Config(format!("unknown rule `queries.rules.{id}` in `{origin}`; {hint}")));
            }
        }
        if config.search_path.is_empty() {
            return Err(Error::Config(format!("`queries.search_path` in `{origin}` is empty; list at least one schema, e.g. `[\"public\"]`")));
        }
        Ok(config)
    }

    /// Loads the `[queries]` sections of a config file.
    pub fn load(path: &Path) -> Result<QueriesConfig> {
        let value = crate::config::file::load_section(path, "queries")?;
        QueriesConfig::from_value(value, &path.display().to_string())
    }

    /// The level of rule `id` after configuration; `None` when off.
    pub fn level(&self, id: &str) -> Option<Level> {
        let rule = schema_queries::diag::rule(id)?;
        self.level_of(rule)
    }

    /// The level of `rule` after configuration.
    pub fn level_of(&self, rule: &schema_queries::Rule) -> Option<Level> {
        match self.rules.get(rule.id) {
            Some(l) => l.level(),
            None => Some(match rule.severity {
                schema_queries::Severity::Info => Level::Info,
                schema_queries::Severity::Warning => Level::Warning,
                schema_queries::Severity::Error => Level::Error,
            }),
        }
    }

    /// True when `file` matches an ignore glob.
    pub fn ignored(&self, file: &str) -> bool {
        let file = file.strip_prefix("./").unwrap_or(file);
        self.ignore.iter().any(|g| glob_match(g, file))
    }

    /// The checker's options.
    pub fn options(&self) -> schema_queries::Options {
        schema_queries::Options { search_path: self.search_path.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_errors_with_the_nearest_rule() {
        let v = serde_json::json!({"rules": {"query-select-stars": "off"}});
        let e = QueriesConfig::from_value(Some(v), "p.toml").unwrap_err().to_string();
        assert!(e.ends_with("unknown rule `queries.rules.query-select-stars` in `p.toml`; did you mean `query-select-star`?"), "{e}");
        let c = QueriesConfig::from_value(Some(serde_json::json!({"rules": {"query-select-star": "off"}, "ignore": ["tests/**"]})), "p.toml").unwrap();
        assert_eq!(c.level("query-select-star"), None);
        assert_eq!(c.level("query-unknown-table"), Some(Level::Error));
        assert!(c.ignored("tests/a/b.rs") && !c.ignored("src/a.rs"));
    }
}
