//! Live catalog → snapshot.
//!
//! Introspection runs a fixed set of batched catalog queries (one `.sql` file each under
//! `src/introspect/sql/`, named in [`QUERY_NAMES`]) inside one `REPEATABLE READ READ ONLY`
//! transaction, so the snapshot is a consistent image no matter how many tables there are,
//! and nothing can be written. Rows are
//! streamed and assembled in memory keyed by OID (OIDs never reach the snapshot); the result
//! is [normalized](Snapshot::normalize), so the same database always gives the same bytes.

mod assemble;
mod objects;
mod queries;
mod types;

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use schema_core::Snapshot;

use crate::{Error, Result};

pub use queries::QUERY_NAMES;

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

/// What an introspection cost, for benchmarks and `--verbose` style reporting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntrospectStats {
    /// Catalog queries issued (one per `.sql` file; independent of the number of tables).
    pub catalog_queries: u32,
    /// Round trips to the server in total: the catalog queries plus opening and closing the
    /// transaction. Each catalog query is a single round trip (no separate prepare step).
    pub round_trips: u32,
    /// Catalog rows received.
    pub rows: u64,
    /// Wall time spent in the transaction (queries and assembly).
    pub elapsed: Duration,
    /// Each catalog query's file name and wall time (server time, transfer and assembly of its
    /// rows), in the order they ran.
    pub query_times: Vec<(&'static str, Duration)>,
}

/// Reads the live catalog through `client` into a normalized snapshot. Never writes.
pub fn introspect(client: &mut postgres::Client, options: &IntrospectOptions) -> Result<Snapshot> {
    introspect_with_stats(client, options).map(|(snapshot, _)| snapshot)
}

/// Like [`introspect`], and also reports how many queries and round trips it took.
pub fn introspect_with_stats(client: &mut postgres::Client, options: &IntrospectOptions) -> Result<(Snapshot, IntrospectStats)> {
    let started = Instant::now();
    let mut session = Session { client, include: &options.include_schemas, exclude: &options.exclude_schemas, stats: IntrospectStats::default() };
    session.begin(options.statement_timeout)?;
    let result = assemble::run(&mut session);
    match result {
        Ok(mut snapshot) => {
            session.end("COMMIT")?;
            snapshot.normalize();
            let mut stats = std::mem::take(&mut session.stats);
            stats.elapsed = started.elapsed();
            Ok((snapshot, stats))
        }
        Err(e) => {
            // Best effort: the original error is the one worth reporting.
            let _ = session.end("ROLLBACK");
            Err(e)
        }
    }
}

/// Connects to `url` and introspects it.
pub fn introspect_url(url: &str, options: &IntrospectOptions) -> Result<Snapshot> {
    let mut client = crate::db::connect(url)?;
    introspect(&mut client, options)
}

/// One introspection transaction: the connection, the schema filters and the running counts.
pub(crate) struct Session<'a> {
    client: &'a mut postgres::Client,
    // `Vec` rather than a slice: `Vec<String>` is what implements `ToSql` for `text[]`.
    include: &'a Vec<String>,
    exclude: &'a Vec<String>,
    stats: IntrospectStats,
}

impl Session<'_> {
    /// Opens the read-only snapshot transaction and pins every setting that changes how
    /// PostgreSQL prints types and expressions, so the output does not depend on the role's or
    /// database's configuration: with `search_path = pg_catalog` every user object is printed
    /// schema-qualified, and date/time literals in defaults print the same everywhere.
    /// JIT is turned off: the catalog queries are estimated expensive enough to trigger it, and
    /// compiling them costs more (~100 ms) than running them.
    fn begin(&mut self, timeout: Duration) -> Result<()> {
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128);
        let sql = format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n\
             SET LOCAL statement_timeout = {ms};\n\
             SET LOCAL search_path = pg_catalog;\n\
             SET LOCAL DateStyle = 'ISO, YMD';\n\
             SET LOCAL IntervalStyle = 'postgres';\n\
             SET LOCAL TimeZone = 'UTC';\n\
             SET LOCAL extra_float_digits = 1;\n\
             SET LOCAL quote_all_identifiers = off;\n\
             SET LOCAL jit = off;"
        );
        self.stats.round_trips += 1;
        self.client.batch_execute(&sql).map_err(|source| Error::Query { query: "BEGIN", source })
    }

    fn end(&mut self, statement: &'static str) -> Result<()> {
        self.stats.round_trips += 1;
        self.client.batch_execute(statement).map_err(|source| Error::Query { query: statement, source })
    }

    /// Runs one catalog query (a single round trip: typed parameters need no prepare step) and
    /// hands each row to `each` as it streams in, so no result set is held in memory whole.
    pub(crate) fn query(&mut self, query: &queries::Query, mut each: impl FnMut(&postgres::Row) -> Result<()>) -> Result<()> {
        let started = Instant::now();
        self.stats.catalog_queries += 1;
        self.stats.round_trips += 1;
        let params: [(&(dyn ToSql + Sync), Type); 2] = [(self.include, Type::TEXT_ARRAY), (self.exclude, Type::TEXT_ARRAY)];
        let wrap = |source| Error::Query { query: query.name, source };
        let mut rows = self.client.query_typed_raw(query.sql, params).map_err(wrap)?;
        while let Some(row) = rows.next().map_err(wrap)? {
            self.stats.rows += 1;
            each(&row)?;
        }
        self.stats.query_times.push((query.name, started.elapsed()));
        Ok(())
    }
}
