//! Plain diagnostics: a rule id, a default level, a byte span in the SQL text, a message and
//! an optional suggestion. `schema-gen` turns them into its findings model.

use serde::Serialize;

/// How serious a diagnostic is by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (dynamic SQL that cannot be checked).
    Info,
    /// Should be fixed.
    Warning,
    /// Fails at run time.
    Error,
}

/// A rule of the query checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, kebab-case.
    pub id: &'static str,
    /// The default severity.
    pub severity: Severity,
    /// What it finds, in one line.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
}

macro_rules! rules {
    ($($konst:ident = $id:literal, $sev:ident, $summary:literal, $why:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $konst: &str = $id;
        )*
        /// Every rule, in a stable order.
        pub const RULES: &[Rule] = &[$(Rule { id: $id, severity: Severity::$sev, summary: $summary, why: $why }),*];
    };
}

rules! {
    SYNTAX_ERROR = "query-syntax-error", Error, "PostgreSQL's parser rejects the statement", "the server rejects it with SQLSTATE 42601 on first use";
    UNKNOWN_TABLE = "query-unknown-table", Error, "a table or view is not in the snapshot (after CTEs and the search_path)", "the server rejects it with SQLSTATE 42P01";
    UNKNOWN_COLUMN = "query-unknown-column", Error, "a column is in no visible source", "the server rejects it with SQLSTATE 42703";
    AMBIGUOUS_COLUMN = "query-ambiguous-column", Error, "an unqualified column is in two sources", "the server rejects it with SQLSTATE 42702";
    UNKNOWN_ALIAS = "query-unknown-alias", Error, "a qualified reference names no source of the query", "the server rejects it with SQLSTATE 42P01 (missing FROM-clause entry)";
    PARAM_COUNT = "query-param-count", Error, "the bound values do not match the highest `$n`, or `$n` numbering has gaps", "the client fails on execute, or the server cannot type the missing parameter (42P18)";
    INSERT_MISSING_REQUIRED = "query-insert-missing-required", Error, "an INSERT leaves out a NOT NULL column that has no default", "every such INSERT fails with a not-null violation (23502)";
    WRITE_GENERATED = "query-write-generated", Error, "an INSERT or UPDATE sets a generated column or a GENERATED ALWAYS identity", "the server rejects it with SQLSTATE 428C9";
    SELECT_STAR = "query-select-star", Warning, "`SELECT *` or `t.*` in a query", "the result changes shape when a column is added, and models cannot be checked against it";
    UNKNOWN_FUNCTION = "query-unknown-function", Error, "a function is neither in the snapshot nor built in, or gets more arguments than any overload takes", "the server rejects it with SQLSTATE 42883";
    ROW_STRUCT = "query-row-struct", Error, "the struct a query's rows decode into (`query_as!(User, ...)`) lacks a result column, or has a field the result does not", "sqlx's `query_as` fails to compile or to decode; checked here with no database";
    ROW_NULLABILITY = "query-row-nullability", Warning, "a result column is not proven NOT NULL but its field is not an `Option`", "decoding a NULL into a non-Option field fails at run time; inference is conservative, so this is a warning";
    UNVERIFIABLE = "query-unverifiable", Info, "SQL that cannot be checked offline (built at run time, or reads a function's result columns)", "a check that cannot run must say so rather than pass silently";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One problem in one SQL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule id (one of [`RULES`]).
    pub rule: &'static str,
    /// Byte offset in the SQL text where the offending token starts.
    pub offset: usize,
    /// What is wrong, lower-case, names in backticks.
    pub message: String,
    /// How to fix it, when there is a likely fix (`did you mean ...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at `offset`.
    pub fn new(rule: &'static str, offset: usize, message: String) -> Diagnostic {
        Diagnostic { rule, offset, message, suggestion: None }
    }

    /// With a suggestion (builder style).
    pub fn suggest(mut self, s: Option<String>) -> Diagnostic {
        self.suggestion = s;
        self
    }

    /// The default severity of its rule.
    pub fn severity(&self) -> Severity {
        rule(self.rule).map_or(Severity::Error, |r| r.severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_prefixed() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|i| i.starts_with("query-")));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
