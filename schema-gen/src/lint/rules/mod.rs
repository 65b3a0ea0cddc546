//! The rule table and the rules, one module per family.

mod indexes;
mod keys;
mod names;
mod security;
mod timestamps;

use schema_core::snapshot::{Schema, Table, TableKind};
use schema_core::Snapshot;

pub use crate::findings::RuleInfo as Rule;
use crate::findings::Level::{Error, Info, Warning};

use super::Emitter;

macro_rules! rule {
    ($id:literal, $level:expr, $summary:literal, $why:literal) => {
        Rule { id: $id, default_level: $level, summary: $summary, why: $why }
    };
}

/// Every rule, with its default level (`None`: off unless enabled) and why it matters.
/// True-positive and near-miss examples of each are the fixtures in
/// `schema-gen/tests/fixtures/lint/<id>.sql`.
pub const ALL: &[Rule] = &[
    rule!("timestamps-missing-created-at", Some(Error), "a table lacks the creation timestamp column", "Every row should record when it was created, by the database, so that audits and incremental syncs work without trusting clients."),
    rule!("timestamps-missing-updated-at", Some(Error), "a table lacks the modification timestamp column", "Without a modification time, changed rows cannot be found for syncs, caches or audits. Append-only tables are exempt (`append_only`)."),
    rule!("timestamps-created-at-nullable", Some(Error), "the creation timestamp is nullable", "A NULL creation time is never correct; NOT NULL makes the database enforce the convention."),
    rule!("timestamps-created-at-default", Some(Error), "the creation timestamp has no accepted default", "The database, not the application, sets the creation time: one clock, no client skew, nothing to forget."),
    rule!("timestamps-updated-at-nullable", Some(Warning), "the modification timestamp is nullable", "A row that was never updated has a modification time too: its creation time."),
    rule!("timestamps-updated-at-policy", Some(Error), "the modification timestamp does not follow the configured policy", "mode = database: an accepted default and a BEFORE UPDATE row trigger maintain it; mode = application: neither may exist, or the two writers disagree."),
    rule!("timestamps-without-time-zone", Some(Error), "`timestamp without time zone` where `timestamptz` is expected", "`timestamp` stores wall-clock time without a zone, so its meaning depends on the writer's TimeZone setting; `timestamptz` stores an instant."),
    rule!("table-no-primary-key", Some(Error), "a table has no primary key", "Rows without a key cannot be addressed reliably: updates, replication and ORMs need one."),
    rule!("fk-missing-index", Some(Warning), "a foreign key's columns are not the leading columns of a valid, non-partial index", "Deleting or updating a referenced row scans the referencing table without such an index, and joins along the key are slow."),
    rule!("fk-type-mismatch", Some(Error), "a foreign key column's type differs from the referenced column's", "Mismatched types force casts on every check and join, and a narrower column cannot hold every referenced value."),
    rule!("fk-nullable", None, "a foreign key column is nullable", "A nullable foreign key makes the relationship optional; often intended, so this rule is off by default."),
    rule!("unique-nullable-columns", Some(Warning), "a multi-column unique constraint over nullable columns without NULLS NOT DISTINCT", "NULLs are distinct by default, so rows that differ only by a NULL all pass the constraint."),
    rule!("index-duplicate", Some(Warning), "two indexes of a table have the same definition", "A duplicate index costs writes and space and is never chosen over its twin."),
    rule!("index-redundant", Some(Info), "an index's columns are a leading prefix of another index's", "The longer index serves the same lookups; the shorter one costs writes (it may still be smaller and faster, hence info)."),
    rule!("index-invalid", Some(Warning), "an index is invalid", "A failed CREATE INDEX CONCURRENTLY leaves an index that queries ignore but writes still maintain; a unique one enforces nothing."),
    rule!("constraint-not-valid", Some(Warning), "a constraint was added NOT VALID and never validated", "Existing rows were never checked, so the constraint does not yet guarantee anything about them."),
    rule!("type-serial", Some(Warning), "a serial column (nextval default) where an identity column is preferred", "Identity columns are standard SQL, own their sequence, and cannot be written by accident (GENERATED ALWAYS)."),
    rule!("type-char", Some(Warning), "a `char(n)` column", "char(n) pads with spaces, compares surprisingly and is no faster than text or varchar."),
    rule!("type-money", Some(Warning), "a `money` column", "money depends on lc_monetary, has fixed precision and no currency; use numeric with a currency column."),
    rule!("type-json", Some(Info), "a `json` column where `jsonb` is meant", "json keeps the text and re-parses it on every access, and cannot be indexed with GIN; jsonb is what most code means."),
    rule!("type-varchar-length", Some(Info), "a `varchar(n)` column", "A length limit is a business rule that changes; text with a CHECK constraint is easier to change and no slower."),
    rule!("naming-needs-quoting", Some(Warning), "an identifier needs quoting (upper case, spaces, a reserved word, ...)", "Every query must then quote it exactly, and tools that fold case break."),
    rule!("naming-too-long", Some(Error), "an identifier reaches PostgreSQL's 63-byte limit", "PostgreSQL silently truncates longer names, so a 63-byte name was most likely cut, and two names can collide."),
    rule!("naming-pattern", None, "an index or constraint name does not follow the configured template", "Predictable names make migrations and error messages readable; templates are set in [lint.naming]."),
    rule!("comment-missing", None, "a table or column has no comment", "Comments are the schema's documentation; the generated docs and models show them."),
    rule!("security-rls-disabled", None, "a table in an exposed schema has row-level security disabled", "In a schema exposed to untrusted roles (e.g. through PostgREST), every row of such a table is readable by anyone with table privileges."),
    rule!("security-rls-no-policy", Some(Warning), "row-level security is enabled on a table without a policy", "RLS with no policy denies every row to everyone but the owner: usually a forgotten CREATE POLICY."),
    rule!("security-public-grant", Some(Warning), "a privilege is granted to PUBLIC", "PUBLIC includes every role, present and future; grant to a specific role instead."),
];

/// The id of the finding that reports a baseline entry no finding matches any more.
pub const BASELINE_STALE: &str = "baseline-stale";

/// Runs every enabled rule over `snapshot`.
pub(crate) fn run(snapshot: &Snapshot, e: &mut Emitter<'_>) {
    for schema in &snapshot.schemas {
        names::schema(schema, e);
        for table in &schema.tables {
            let t = TableCtx { snapshot, schema, table };
            timestamps::check(&t, e);
            keys::check(&t, e);
            indexes::check(&t, e);
            names::table(&t, e);
            security::table(&t, e);
        }
        names::views_and_types(schema, e);
        security::schema(schema, e);
    }
}

/// A table being checked, with what rules need around it.
pub(crate) struct TableCtx<'a> {
    snapshot: &'a Snapshot,
    schema: &'a Schema,
    table: &'a Table,
}

impl TableCtx<'_> {
    /// `schema.table`, as SQL with identifiers quoted only where needed.
    fn sql_name(&self) -> String {
        format!("{}.{}", ident(&self.schema.name), ident(&self.table.name))
    }

    /// Ordinary and partitioned tables; foreign tables hold no data of their own.
    fn is_stored(&self) -> bool {
        self.table.kind != TableKind::Foreign
    }
}

/// PostgreSQL's reserved key words (those that cannot be column names unquoted).
const RESERVED: &[&str] = &[
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both", "case", "cast",
    "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct",
    "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
    "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
    "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
    "primary", "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
    "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where",
    "window", "with",
];

/// True when `name` must be double-quoted in SQL.
pub(crate) fn needs_quoting(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    !(first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')) || RESERVED.contains(&name)
}

/// An identifier for a fix statement: bare when that is safe, else quoted.
pub(crate) fn ident(name: &str) -> String {
    if needs_quoting(name) {
        schema_core::sql::quote_ident(name)
    } else {
        name.to_owned()
    }
}

/// A column list for a fix statement.
pub(crate) fn ident_list(names: &[String]) -> String {
    names.iter().map(|n| ident(n)).collect::<Vec<_>>().join(", ")
}
