//! Schema objects beyond relations and types: sequences, functions, extensions, row-level
//! security policies and privileges.
//!
//! Like the rest of the model they are plain sorted data, omitted when empty. Privileges are
//! recorded relative to the object's owner: the owner's own (implicit, environment-specific)
//! rights are left out, everyone else's effective rights are kept, defaults included (e.g.
//! `PUBLIC` may execute a function unless that was revoked).

use serde::{Deserialize, Serialize};

use super::model::exact;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_one(n: &i64) -> bool {
    *n == 1
}

/// The privileges one role (or `PUBLIC`) holds on an object.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The role, or `PUBLIC`.
    pub grantee: String,
    /// Privileges, sorted, e.g. `["INSERT", "SELECT"]`.
    #[serde(deserialize_with = "exact")]
    pub privileges: Vec<String>,
    /// The subset of `privileges` held `WITH GRANT OPTION`.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grantable: Vec<String>,
}

/// A sequence. The internal sequence of an identity column is not listed: it is part of the
/// column ([`super::Column::identity`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// The sequence name.
    pub name: String,
    /// `COMMENT ON SEQUENCE`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The value type: `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min: i64,
    /// `MAXVALUE`.
    pub max: i64,
    /// `CACHE` (omitted when 1, the default).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub cache: i64,
    /// `CYCLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
    /// `OWNED BY`: the `table.column` (in the same schema, or `schema.table.column`) whose drop
    /// drops the sequence, e.g. a `serial` column's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    /// Privileges of roles other than the owner.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

fn one() -> i64 {
    1
}

/// What kind of routine a [`Function`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    /// A plain function.
    #[default]
    Function,
    /// A procedure (`CALL`), without a result.
    Procedure,
    /// An aggregate function.
    Aggregate,
    /// A window function.
    Window,
}

impl RoutineKind {
    fn is_function(&self) -> bool {
        *self == RoutineKind::Function
    }

    /// What to call it in prose: `function`, `procedure`, `aggregate`, `window function`.
    pub fn noun(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Aggregate => "aggregate",
            RoutineKind::Window => "window function",
        }
    }
}

/// A function's volatility class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE` (the default).
    #[default]
    Volatile,
}

impl Volatility {
    fn is_volatile(&self) -> bool {
        *self == Volatility::Volatile
    }

    /// The SQL keyword: `IMMUTABLE`, `STABLE` or `VOLATILE`.
    pub fn as_sql(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

/// A function, procedure or aggregate (not one an extension owns).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// The name; overloads share it and differ in `arguments`.
    pub name: String,
    /// The argument list as PostgreSQL identifies the function, e.g. `a integer, b text`.
    pub arguments: String,
    /// The result type as PostgreSQL prints it, e.g. `integer`, `SETOF record`, `trigger`,
    /// `TABLE(id bigint)`; none for a procedure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Function (omitted), procedure, aggregate or window.
    #[serde(default, skip_serializing_if = "RoutineKind::is_function")]
    pub kind: RoutineKind,
    /// The language, e.g. `sql`, `plpgsql`.
    pub language: String,
    /// `IMMUTABLE` / `STABLE` (omitted when `VOLATILE`).
    #[serde(default, skip_serializing_if = "Volatility::is_volatile")]
    pub volatility: Volatility,
    /// `STRICT` (returns NULL on NULL input).
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    /// `SECURITY DEFINER`: runs with the owner's rights.
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    /// `COMMENT ON FUNCTION`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The source text, only when asked for (`--function-bodies`): bodies are large and change
    /// more often than signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Privileges of roles other than the owner (`PUBLIC` may execute by default).
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// For an aggregate: its state transition, state type, final and combine functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Aggregate>,
}

/// How an aggregate is built: the parts of `CREATE AGGREGATE` beyond the signature.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// The state transition function (`SFUNC`), schema-qualified unless in `pg_catalog`.
    pub transition: String,
    /// The state type (`STYPE`).
    pub state_type: String,
    /// The final function (`FINALFUNC`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_function: Option<String>,
    /// The combine function (`COMBINEFUNC`, for parallel aggregation), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine_function: Option<String>,
    /// The initial state (`INITCOND`), as text, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_value: Option<String>,
    /// An ordered-set aggregate (`WITHIN GROUP`); `hypothetical` for hypothetical-set ones.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ordered_set: bool,
    /// A hypothetical-set aggregate (like `rank(...) WITHIN GROUP`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub hypothetical: bool,
}

impl Aggregate {
    /// The `CREATE AGGREGATE` options, e.g. `SFUNC = int4pl, STYPE = integer, INITCOND = '0'`.
    pub fn options_sql(&self) -> String {
        let mut s = format!("SFUNC = {}, STYPE = {}", self.transition, self.state_type);
        if let Some(f) = &self.final_function {
            s.push_str(&format!(", FINALFUNC = {f}"));
        }
        if let Some(f) = &self.combine_function {
            s.push_str(&format!(", COMBINEFUNC = {f}"));
        }
        if let Some(v) = &self.initial_value {
            s.push_str(&format!(", INITCOND = {}", crate::sql::quote_literal(v)));
        }
        if self.hypothetical {
            s.push_str(", HYPOTHETICAL");
        }
        s
    }
}

/// An installed extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The extension name, e.g. `citext`.
    pub name: String,
    /// The installed version, e.g. `1.6`.
    pub version: String,
    /// The schema its objects live in.
    pub schema: String,
}

/// A row-level security policy of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The policy name.
    pub name: String,
    /// The command it applies to: `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// `AS RESTRICTIVE` (the default, permissive, is omitted).
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrictive: bool,
    /// The roles it applies to, sorted; `PUBLIC` for everyone.
    #[serde(deserialize_with = "exact")]
    pub roles: Vec<String>,
    /// The `USING` expression: which existing rows are visible or affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// The `WITH CHECK` expression: which new rows are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
}

/// A user-defined range type (and, from PostgreSQL 14, its multirange).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeType {
    /// The type name.
    pub name: String,
    /// `COMMENT ON TYPE`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The element type, e.g. `timestamp with time zone`.
    pub subtype: String,
    /// The multirange type PostgreSQL 14+ creates with it, e.g. `floatmultirange`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multirange: Option<String>,
}

/// A collation defined in the database (`CREATE COLLATION`), not one of the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collation {
    /// The collation name.
    pub name: String,
    /// `libc`, `icu` or `builtin` (PostgreSQL 17+).
    pub provider: String,
    /// The locale: `LC_COLLATE` for libc, the ICU or builtin locale otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `LC_CTYPE` for libc, when it differs from `locale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctype: Option<String>,
    /// `deterministic = false`: strings that compare equal may differ byte-wise (e.g. case
    /// insensitive).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nondeterministic: bool,
}
