//! Live catalog → snapshot.
//!
//! (Being implemented: a fixed set of batched catalog queries, one `.sql` file each, run in one
//! `REPEATABLE READ READ ONLY` transaction with a statement timeout.)

use std::time::Duration;

use schema_core::Snapshot;

use crate::Result;

/// Which schemas to read and how long a catalog query may run.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// Schemas to include (exact names). Empty = every non-system schema.
    pub include_schemas: Vec<String>,
    /// Schemas to exclude (exact names), applied after `include_schemas`.
    pub exclude_schemas: Vec<String>,
    /// `statement_timeout` for each catalog query.
    pub statement_timeout: Duration,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions { include_schemas: Vec::new(), exclude_schemas: Vec::new(), statement_timeout: Duration::from_secs(30) }
    }
}

/// Reads the live catalog through `client` into a normalized snapshot. Never writes.
pub fn introspect(client: &mut postgres::Client, options: &IntrospectOptions) -> Result<Snapshot> {
    let _ = (client, options);
    Err(crate::Error::Config("introspection is not implemented yet".into()))
}

/// Connects to `url` and introspects it.
pub fn introspect_url(url: &str, options: &IntrospectOptions) -> Result<Snapshot> {
    let mut client = crate::db::connect(url)?;
    introspect(&mut client, options)
}
