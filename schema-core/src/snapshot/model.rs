//! The snapshot model: SQL facts about a database's structure, nothing else.
//!
//! Every type here is plain data with a stable, sorted serialization. The model holds no Rust
//! names (those are derived by the generator), no OIDs and no server noise, so the same database
//! always serializes to the same bytes. Empty collections and absent optional facts are omitted
//! from the JSON to keep committed files small and their diffs readable.

use serde::{Deserialize, Serialize};

use super::objects::{Collation, Extension, Function, Grant, Policy, RangeType, Sequence};

/// The current snapshot format. Bump it on any change that an older reader would misread.
///
/// Version 2 added the facts PostgreSQL 15–18 introduced and the constraint and index states:
/// [`Column::generated_virtual`], [`PrimaryKey::without_overlaps`],
/// [`UniqueConstraint::without_overlaps`], [`ForeignKey::period`],
/// [`ForeignKey::on_delete_set_columns`], `not_valid` / `not_enforced` on checks and foreign
/// keys, and [`Index::nulls_not_distinct`] / [`Index::invalid`]. Every one is omitted when
/// false or empty, so a version 1 file reads as the same schema (see [`OLDEST_READABLE_FORMAT`]).
pub const FORMAT_VERSION: u32 = 2;

/// The oldest snapshot format this reader still loads (upgrading it in memory).
pub const OLDEST_READABLE_FORMAT: u32 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

/// Every list of the model deserializes through this: serde_json cannot say how long a JSON
/// array is, so a `Vec` grows by doubling while it is read and keeps up to twice the room it
/// needs (20 columns sit in room for 32, about a third of a large snapshot's column memory).
/// Giving the spare room back as each list ends lets the allocator reuse it for what is read
/// next, which lowers the peak, not only what is left at the end.
pub(super) fn exact<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Vec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

/// A complete image of the user-visible structure of one database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The snapshot format this value follows; see [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Installed extensions (but `plpgsql`, which every database has), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    /// The schemas, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<Schema>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot { format_version: FORMAT_VERSION, extensions: Vec::new(), schemas: Vec::new() }
    }
}

/// One PostgreSQL schema (namespace) and the objects in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The schema name, exactly as stored in the catalog.
    pub name: String,
    /// `COMMENT ON SCHEMA`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Ordinary, partitioned and foreign tables, sorted by name. Partitions are listed under
    /// their parent, not here.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Table>,
    /// Views and materialized views, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Enum types, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    /// Domains, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Free-standing composite types (`CREATE TYPE ... AS (...)`), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<CompositeType>,
    /// Sequences (not identity columns' own), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub sequences: Vec<Sequence>,
    /// Functions, procedures and aggregates, sorted by name, then arguments.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// User-defined range types, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<RangeType>,
    /// Collations defined in the database, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub collations: Vec<Collation>,
    /// Privileges on the schema itself (`USAGE`, `CREATE`) of roles other than its owner.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// What kind of relation a [`Table`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// An ordinary heap table (`relkind = 'r'`).
    #[default]
    Ordinary,
    /// A partitioned parent (`relkind = 'p'`); its partitions are in [`Table::partitions`].
    Partitioned,
    /// A foreign table (`relkind = 'f'`).
    Foreign,
}

impl TableKind {
    fn is_ordinary(&self) -> bool {
        *self == TableKind::Ordinary
    }
}

/// A table, with its columns, constraints, indexes and triggers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The table name, exactly as stored in the catalog.
    pub name: String,
    /// Ordinary, partitioned or foreign (omitted when ordinary).
    #[serde(default, skip_serializing_if = "TableKind::is_ordinary")]
    pub kind: TableKind,
    /// `COMMENT ON TABLE`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Columns in ordinal order.
    #[serde(default, deserialize_with = "exact")]
    pub columns: Vec<Column>,
    /// The primary key, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Foreign keys, sorted by constraint name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Unique constraints, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    /// Check constraints, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
    /// Exclusion constraints, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ExclusionConstraint>,
    /// All indexes, including those backing constraints, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Triggers (not internal constraint triggers), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// For a partitioned table, the partition key as `pg_get_partkeydef` prints it,
    /// e.g. `RANGE (created_at)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// For a partitioned table, its direct partitions, sorted by schema and name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
    /// `UNLOGGED`: not WAL-logged, emptied after a crash, not replicated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// Storage parameters (`WITH (...)`), e.g. `fillfactor=70`, as the catalog lists them.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub storage_options: Vec<String>,
    /// Row-level security is enabled (`ENABLE ROW LEVEL SECURITY`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub row_security: bool,
    /// Row-level security applies to the owner too (`FORCE ROW LEVEL SECURITY`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_row_security: bool,
    /// Row-level security policies, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// Table privileges of roles other than the owner.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A partition of a partitioned table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partition {
    /// The partition's schema (may differ from the parent's).
    pub schema: String,
    /// The partition's table name.
    pub name: String,
    /// The bound as `pg_get_expr(relpartbound)` prints it, e.g.
    /// `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')` or `DEFAULT`.
    pub bound: String,
    /// When the partition is itself partitioned: its partition key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// When the partition is itself partitioned: its own partitions.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
    /// What the partition declares itself, beyond what it inherits from its parent (PostgreSQL
    /// clones the parent's keys, indexes and row triggers onto every partition; those are not
    /// repeated here): its own primary key, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// ... foreign keys, sorted by name (a foreign key declared on one partition only), ...
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// ... unique constraints, ...
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    /// ... check constraints, ...
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
    /// ... indexes, ...
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// ... and triggers.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Columns whose nullability or default the partition sets itself (they differ from the
    /// parent's), in the parent's column order; ordinals are the parent's.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// `UNLOGGED` (a partition's persistence is its own, not its parent's).
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// Its own storage parameters (`WITH (...)`): partitions do not inherit them.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub storage_options: Vec<String>,
    /// Row-level security enabled on the partition itself (it applies when the partition is
    /// queried directly; queries through the parent use the parent's).
    #[serde(default, skip_serializing_if = "is_false")]
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY` on the partition itself.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_row_security: bool,
    /// Policies defined on the partition itself, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// Privileges granted on the partition itself (grants on the parent do not reach it).
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A view or materialized view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// The view name.
    pub name: String,
    /// True for a materialized view.
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// `COMMENT ON VIEW`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The defining query as `pg_get_viewdef` prints it.
    pub definition: String,
    /// Output columns in ordinal order.
    #[serde(default, deserialize_with = "exact")]
    pub columns: Vec<Column>,
    /// Indexes (materialized views only), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Triggers on the view (typically `INSTEAD OF`), sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// Privileges of roles other than the owner.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A column of a table or view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The column name, exactly as stored in the catalog.
    pub name: String,
    /// 1-based position among the relation's live (not dropped) columns.
    pub ordinal: u32,
    /// The type as PostgreSQL formats it (`format_type`), e.g. `character varying(120)`,
    /// `public.status`, `integer[]`.
    pub sql_type: String,
    /// The type, structured.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// False when the column is `NOT NULL`. Views: PostgreSQL does not track it, so false only
    /// where introspection proved it from the definition (schema-gen's `queries` feature).
    pub nullable: bool,
    /// The default expression as `pg_get_expr` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Identity column kind, when an identity column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The generation expression of a `GENERATED ALWAYS AS (...) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// `GENERATED ALWAYS AS (...) VIRTUAL` (PostgreSQL 18+): computed when read, never stored.
    /// False for stored generated columns and for columns that are not generated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated_virtual: bool,
    /// The collation, when it differs from the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column-level privileges (`GRANT SELECT (col) ...`), beyond what the table grants.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// How an identity column generates values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// What kind of type a [`TypeRef`] names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// A base type from `pg_catalog` (int4, text, timestamptz, ...).
    #[default]
    Builtin,
    /// A base type defined outside `pg_catalog`, typically by an extension (citext, hstore, ...).
    Base,
    /// An enum type; its labels are in the owning schema's [`Schema::enums`] when it is included.
    Enum,
    /// A domain; see [`Schema::domains`].
    Domain,
    /// A composite type (free-standing or a table's row type).
    Composite,
    /// A range type.
    Range,
    /// A multirange type.
    Multirange,
    /// A pseudo-type (`record`, `anyelement`, ...), seen in odd view columns.
    Pseudo,
}

/// A structured reference to a column's (or field's, or domain's) type.
///
/// For arrays, `schema`/`name`/`kind` describe the *element* type and `array_dims` counts
/// dimensions, so `integer[]` is `{ schema: pg_catalog, name: int4, array_dims: 1 }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRef {
    /// The schema of the (element) type, e.g. `pg_catalog`.
    pub schema: String,
    /// The internal type name (`typname`), e.g. `int4`, `varchar`, `timestamptz`, `status`.
    pub name: String,
    /// What kind of type it is.
    #[serde(default)]
    pub kind: TypeKind,
    /// Array dimensions; 0 for a scalar.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub array_dims: u32,
    /// Declared length: `varchar(n)`, `char(n)`, `bit(n)`, `varbit(n)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// Declared precision: `numeric(p, s)`, and fractional-second precision of time types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<u32>,
    /// Declared scale: `numeric(p, s)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl TypeRef {
    /// True when this names an array type.
    pub fn is_array(&self) -> bool {
        self.array_dims > 0
    }

    /// The same type without array dimensions (the element type).
    pub fn element(&self) -> TypeRef {
        TypeRef { array_dims: 0, ..self.clone() }
    }

    /// True for a builtin (pg_catalog) type with the given `typname`.
    pub fn is_builtin(&self, typname: &str) -> bool {
        self.kind == TypeKind::Builtin && self.name == typname
    }
}

/// A primary key constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryKey {
    /// The constraint name.
    pub name: String,
    /// Key columns in key order.
    #[serde(deserialize_with = "exact")]
    pub columns: Vec<String>,
    /// `WITHOUT OVERLAPS` on the last key column (PostgreSQL 18+): a temporal key, enforced
    /// with GiST, where the last column is a range that must not overlap among equal keys.
    #[serde(default, skip_serializing_if = "is_false")]
    pub without_overlaps: bool,
}

/// What a foreign key does when the referenced row changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// The SQL spelling, e.g. `SET NULL`.
    pub fn as_sql(&self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }
}

/// A schema-qualified relation name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualifiedName {
    /// The schema.
    pub schema: String,
    /// The object name.
    pub name: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// A foreign key constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// The constraint name.
    pub name: String,
    /// Referencing columns, in constraint order.
    #[serde(deserialize_with = "exact")]
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: QualifiedName,
    /// Referenced columns, pairwise with `columns`.
    #[serde(deserialize_with = "exact")]
    pub referenced_columns: Vec<String>,
    /// `ON UPDATE` action (omitted when `NO ACTION`).
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    /// `ON DELETE` action (omitted when `NO ACTION`).
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    /// `DEFERRABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// `MATCH FULL` (the default `MATCH SIMPLE` is omitted).
    #[serde(default, skip_serializing_if = "is_false")]
    pub match_full: bool,
    /// `ON DELETE SET NULL (cols)` / `SET DEFAULT (cols)` (PostgreSQL 15+): the subset of
    /// `columns` the action sets; empty when it sets them all.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub on_delete_set_columns: Vec<String>,
    /// `PERIOD` on the last column pair (PostgreSQL 18+): a temporal foreign key, whose range
    /// must be covered by the referenced rows' ranges rather than be equal to one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub period: bool,
    /// `NOT VALID`: added without checking existing rows (new rows are checked). Only for an
    /// enforced constraint; a `NOT ENFORCED` one is never validated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// `NOT ENFORCED` (PostgreSQL 18+): declared, documented, and never checked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_enforced: bool,
}

/// A unique constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueConstraint {
    /// The constraint name.
    pub name: String,
    /// Columns in constraint order.
    #[serde(deserialize_with = "exact")]
    pub columns: Vec<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `DEFERRABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    /// `WITHOUT OVERLAPS` on the last column (PostgreSQL 18+), as for [`PrimaryKey`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub without_overlaps: bool,
}

/// A check constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConstraint {
    /// The constraint name.
    pub name: String,
    /// The constraint as `pg_get_constraintdef` prints it, e.g. `CHECK ((price > 0))`, without
    /// the ` NOT VALID` / ` NOT ENFORCED` suffixes: those are states, recorded below, so
    /// validating a constraint does not read as a change of its definition.
    pub definition: String,
    /// `NOT VALID`: added without checking existing rows (new rows are checked). Only for an
    /// enforced constraint; a `NOT ENFORCED` one is never validated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// `NOT ENFORCED` (PostgreSQL 18+): declared, documented, and never checked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_enforced: bool,
}

/// An exclusion constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionConstraint {
    /// The constraint name.
    pub name: String,
    /// The constraint as `pg_get_constraintdef` prints it,
    /// e.g. `EXCLUDE USING gist (room WITH =, during WITH &&)`.
    pub definition: String,
}

/// An index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The index name.
    pub name: String,
    /// `UNIQUE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// True when the index backs the primary key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub primary: bool,
    /// The access method, e.g. `btree`, `gin`.
    pub method: String,
    /// Key parts in order: a column name, or an expression as PostgreSQL prints it.
    #[serde(deserialize_with = "exact")]
    pub columns: Vec<String>,
    /// `INCLUDE (...)` columns.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The partial-index predicate (`WHERE ...`), without the keyword.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// The constraint this index implements (primary key, unique or exclusion), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+): NULL keys conflict with each other.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// The index is invalid (`pg_index.indisvalid` false): a `CREATE INDEX CONCURRENTLY` failed
    /// or is still running. Queries do not use it and, if unique, it enforces nothing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invalid: bool,
    /// The full `CREATE INDEX` statement as `pg_get_indexdef` prints it.
    pub definition: String,
}

/// When a trigger fires relative to the event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    #[default]
    After,
    /// `INSTEAD OF` (views).
    InsteadOf,
}

/// An event a trigger fires on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

/// A (non-internal) trigger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The trigger name.
    pub name: String,
    /// Before, after or instead of.
    pub timing: TriggerTiming,
    /// Events, in the order insert, update, delete, truncate.
    #[serde(deserialize_with = "exact")]
    pub events: Vec<TriggerEvent>,
    /// True for `FOR EACH ROW`, false for `FOR EACH STATEMENT`.
    pub for_each_row: bool,
    /// The trigger function, schema-qualified, e.g. `public.touch_updated_at`.
    pub function: String,
    /// The full `CREATE TRIGGER` statement as `pg_get_triggerdef` prints it.
    pub definition: String,
}

/// An enum type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    /// The type name.
    pub name: String,
    /// `COMMENT ON TYPE`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Labels in their sort order (`enumsortorder`).
    #[serde(deserialize_with = "exact")]
    pub labels: Vec<String>,
}

/// A domain type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The domain name.
    pub name: String,
    /// `COMMENT ON DOMAIN`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The base type as PostgreSQL formats it.
    pub sql_type: String,
    /// The base type, structured (may itself be a domain).
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// `NOT NULL` on the domain.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// The domain default expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The domain's collation, when not the base type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Check constraints, sorted by name.
    #[serde(default, deserialize_with = "exact", skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
}

/// A free-standing composite type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeType {
    /// The type name.
    pub name: String,
    /// `COMMENT ON TYPE`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Fields in order.
    #[serde(deserialize_with = "exact")]
    pub fields: Vec<CompositeField>,
}

/// A field (attribute) of a composite type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeField {
    /// The field name.
    pub name: String,
    /// The type as PostgreSQL formats it.
    pub sql_type: String,
    /// The type, structured.
    #[serde(rename = "type")]
    pub type_ref: TypeRef,
    /// The collation, when it differs from the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN` of the composite's attribute, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
