//! The catalog queries, one `.sql` file each under `sql/`.
//!
//! Every query is prefixed with `sql/namespaces.sql`, which defines the `ns` (included schemas)
//! and `rel` (modelled relations) CTEs from the two parameters `$1` (include) and `$2`
//! (exclude), so the schema filter is written once and applied identically everywhere.

/// A named catalog query.
pub(crate) struct Query {
    /// The file name, used in error messages.
    pub name: &'static str,
    /// The full SQL text (shared prefix included).
    pub sql: &'static str,
}

macro_rules! query {
    ($name:literal) => {
        Query {
            name: concat!($name, ".sql"),
            sql: concat!(include_str!("sql/namespaces.sql"), include_str!(concat!("sql/", $name, ".sql"))),
        }
    };
}

pub(crate) const SCHEMAS: Query = query!("schemas");
pub(crate) const RELATIONS: Query = query!("relations");
pub(crate) const COLUMNS: Query = query!("columns");
pub(crate) const CONSTRAINTS: Query = query!("constraints");
pub(crate) const INDEXES: Query = query!("indexes");
pub(crate) const TRIGGERS: Query = query!("triggers");
pub(crate) const TYPES: Query = query!("types");

/// The file names of every catalog query, in the order they run. Their number is the number of
/// catalog round trips an introspection makes, whatever the size of the database.
pub const QUERY_NAMES: [&str; 7] =
    [SCHEMAS.name, RELATIONS.name, TYPES.name, COLUMNS.name, CONSTRAINTS.name, INDEXES.name, TRIGGERS.name];
