//! Live catalog → snapshot.
//!
//! Introspection runs a fixed set of batched catalog queries (one `.sql` file each under
//! `src/introspect/sql/`, named in [`QUERY_NAMES`]) inside one `REPEATABLE READ READ ONLY`
//! transaction, so the snapshot is a consistent image no matter how many tables there are,
//! and nothing can be written. Rows are
//! streamed and assembled in memory keyed by OID (OIDs never reach the snapshot); the result
//! is [normalized](Snapshot::normalize), so the same database always gives the same bytes.
//!
//! With the `queries` feature (on by default), the columns of views and materialized views
//! that their definitions prove never NULL are then marked `nullable: false` (see
//! `view_nullability.rs`); without it every view column stays nullable, as the catalog has it.
//!
//! [`introspect_url`] may open a second, helper connection that joins the same snapshot and
//! runs the constraint, index and trigger queries concurrently (see `helper.rs`).

mod assemble;
mod grants;
mod helper;
mod objects;
mod queries;
mod schema_objects;
mod types;
mod version;
#[cfg(feature = "queries")]
mod view_nullability;
mod viewdef;

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use schema_core::Snapshot;

use crate::{Error, Result};

pub use queries::QUERY_NAMES;
pub use version::{ServerVersion, NEWEST_TESTED_MAJOR, OLDEST_SUPPORTED_MAJOR};

/// Which schemas to read and how long a catalog query may run.
#[derive(Debug, Clone)]
pub struct IntrospectOptions {
    /// Schemas to include (exact names). Empty = every non-system schema.
    pub include_schemas: Vec<String>,
    /// Schemas to exclude (exact names), applied after `include_schemas`.
    pub exclude_schemas: Vec<String>,
    /// `statement_timeout` for each catalog query.
    pub statement_timeout: Duration,
    /// Record function bodies (`Function::body`). Off by default: bodies are large, and a
    /// team may not want them committed.
    pub function_bodies: bool,
    /// Record privileges (`grants` of schemas, tables, columns, sequences and functions). On by
    /// default; off leaves every `grants` list empty.
    pub privileges: bool,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            include_schemas: Vec::new(),
            exclude_schemas: Vec::new(),
            statement_timeout: Duration::from_secs(30),
            function_bodies: false,
            privileges: true,
        }
    }
}

/// What an introspection cost, for benchmarks and `--verbose` style reporting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntrospectStats {
    /// Catalog queries issued (one per `.sql` file; independent of the number of tables).
    pub catalog_queries: u32,
    /// Round trips to the server in total, over every connection: the catalog queries plus
    /// opening and closing each transaction. Each catalog query is a single round trip (no
    /// separate prepare step).
    pub round_trips: u32,
    /// Connections used: 1, or 2 when a helper connection ran some queries concurrently.
    pub connections: u32,
    /// Catalog rows received.
    pub rows: u64,
    /// Wall time spent in the transaction (queries and assembly).
    pub elapsed: Duration,
    /// Each catalog query's file name and wall time (server time, transfer and assembly of its
    /// rows; for a helper's queries, server time and transfer), in the order they ran on each
    /// connection.
    pub query_times: Vec<(&'static str, Duration)>,
    /// The server's version (read in the same round trip as `BEGIN`).
    pub server_version: Option<ServerVersion>,
    /// Warnings worth showing the user, e.g. a server newer than the newest tested major.
    pub warnings: Vec<String>,
}

/// Reads the live catalog through `client` into a normalized snapshot. Never writes.
pub fn introspect(client: &mut postgres::Client, options: &IntrospectOptions) -> Result<Snapshot> {
    introspect_with_stats(client, options).map(|(snapshot, _)| snapshot)
}

/// Like [`introspect`], and also reports how many queries and round trips it took.
pub fn introspect_with_stats(client: &mut postgres::Client, options: &IntrospectOptions) -> Result<(Snapshot, IntrospectStats)> {
    transaction(client, options, None)
}

/// Connects to `url` and introspects it.
///
/// Unlike [`introspect`], this may open a second connection to `url` for the duration of the
/// introspection, which joins the first transaction's exported snapshot and runs the
/// constraint, index and trigger queries on another server backend at the same time. The
/// result is the same either way; without a second connection, everything runs on the first.
pub fn introspect_url(url: &str, options: &IntrospectOptions) -> Result<Snapshot> {
    introspect_url_with_stats(url, options).map(|(snapshot, _)| snapshot)
}

/// Like [`introspect_url`], and also reports how many queries, round trips and connections it took.
pub fn introspect_url_with_stats(url: &str, options: &IntrospectOptions) -> Result<(Snapshot, IntrospectStats)> {
    let mut client = crate::db::connect(url)?;
    transaction(&mut client, options, Some(url))
}

/// One introspection: the main transaction on `client`, plus a helper connection to
/// `helper_url` when one is given and the snapshot could be exported.
fn transaction(client: &mut postgres::Client, options: &IntrospectOptions, helper_url: Option<&str>) -> Result<(Snapshot, IntrospectStats)> {
    let started = Instant::now();
    let mut session = Session::new(client, options);
    let exported = session.begin(options.statement_timeout, if helper_url.is_some() { SnapshotSync::Export } else { SnapshotSync::None })?;
    let mut helper_stats = None;
    let result = std::thread::scope(|scope| {
        let mut helper = match (helper_url, exported) {
            (Some(url), Some(id)) => Some(scope.spawn(move || helper::run(url, &id, options))),
            _ => None,
        };
        // Called by `assemble::run` once it needs the helper's rows. `None` (the helper failed
        // to connect, to join the snapshot, or to run a query) makes the main connection run
        // the queries itself: a real catalog error then surfaces from there, and anything else
        // (e.g. max_connections reached) costs nothing but time.
        let mut collect = || {
            let (rows, stats) = helper.take()?.join().ok()?.ok()?;
            helper_stats = Some(stats);
            Some(rows)
        };
        let deferred: Option<&mut dyn FnMut() -> Option<Vec<Vec<postgres::Row>>>> = if helper_url.is_some() { Some(&mut collect) } else { None };
        assemble::run(&mut session, deferred)
    });
    match result {
        Ok(mut snapshot) => {
            session.end("COMMIT")?;
            snapshot.normalize();
            // After normalizing: the definitions it reads are then spelled the same on every
            // major, so the inferred nullability is too.
            #[cfg(feature = "queries")]
            view_nullability::infer(&mut snapshot);
            let mut stats = std::mem::take(&mut session.stats);
            stats.connections = 1;
            if let Some(h) = helper_stats {
                stats.catalog_queries += h.catalog_queries;
                stats.round_trips += h.round_trips;
                stats.rows += h.rows;
                stats.connections += 1;
                stats.query_times.extend(h.query_times);
            }
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

/// Column `column` of the first row of a simple-query response, if any.
fn first_row(messages: &[postgres::SimpleQueryMessage], column: usize) -> Option<String> {
    messages.iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(row) => row.get(column).map(str::to_owned),
        _ => None,
    })
}

/// How a transaction relates to another connection's snapshot.
pub(crate) enum SnapshotSync<'a> {
    /// Standalone.
    None,
    /// Export the snapshot (`pg_export_snapshot`) so a helper can join it.
    Export,
    /// Join the snapshot with this id (`SET TRANSACTION SNAPSHOT`).
    Import(&'a str),
}

/// One introspection transaction: the connection, the schema filters and the running counts.
pub(crate) struct Session<'a> {
    client: &'a mut postgres::Client,
    // `Vec` rather than a slice: `Vec<String>` is what implements `ToSql` for `text[]`.
    include: &'a Vec<String>,
    exclude: &'a Vec<String>,
    /// The server's version, known once [`Session::begin`] returned; it selects the
    /// version-gated lines of each catalog query.
    version: ServerVersion,
    /// What to record beyond the structure (function bodies, privileges).
    pub(crate) function_bodies: bool,
    pub(crate) privileges: bool,
    stats: IntrospectStats,
}

impl<'a> Session<'a> {
    /// A session on `client` with the schema filters of `options`.
    pub(crate) fn new(client: &'a mut postgres::Client, options: &'a IntrospectOptions) -> Self {
        Session {
            client,
            include: &options.include_schemas,
            exclude: &options.exclude_schemas,
            version: ServerVersion::from_num(0),
            function_bodies: options.function_bodies,
            privileges: options.privileges,
            stats: IntrospectStats::default(),
        }
    }

    /// Opens the read-only snapshot transaction and pins every setting that changes how
    /// PostgreSQL prints types and expressions, so the output does not depend on the role's or
    /// database's configuration: with `search_path = pg_catalog` every user object is printed
    /// schema-qualified, and date/time literals in defaults print the same everywhere.
    /// JIT is turned off: the catalog queries are estimated expensive enough to trigger it, and
    /// compiling them costs more (~100 ms) than running them.
    ///
    /// With [`SnapshotSync::Export`], returns the exported snapshot's id, or `None` when the
    /// server refused to export one (the transaction is then reopened without it).
    pub(crate) fn begin(&mut self, timeout: Duration, sync: SnapshotSync<'_>) -> Result<Option<String>> {
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128);
        // SET TRANSACTION SNAPSHOT must come before any query of the transaction. The id comes
        // from the server; it is checked anyway before being spliced into SQL.
        let import = match sync {
            SnapshotSync::Import(id) if id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => format!("SET TRANSACTION SNAPSHOT '{id}';\n"),
            SnapshotSync::Import(id) => return Err(Error::Config(format!("not a snapshot id: `{id}`"))),
            _ => String::new(),
        };
        let sql = format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n\
             {import}\
             SET LOCAL statement_timeout = {ms};\n\
             SET LOCAL search_path = pg_catalog;\n\
             SET LOCAL DateStyle = 'ISO, YMD';\n\
             SET LOCAL IntervalStyle = 'postgres';\n\
             SET LOCAL TimeZone = 'UTC';\n\
             SET LOCAL extra_float_digits = 1;\n\
             SET LOCAL quote_all_identifiers = off;\n\
             SET LOCAL jit = off;"
        );
        // Same round trip: the server version (which selects the catalog queries' shape) and,
        // with `Export`, the snapshot id ride along with BEGIN.
        let probe = "SELECT pg_catalog.current_setting('server_version_num')";
        self.stats.round_trips += 1;
        let (version, exported) = match sync {
            SnapshotSync::Export => match self.client.simple_query(&format!("{sql}\n{probe}, pg_catalog.pg_export_snapshot();")) {
                Ok(messages) => (first_row(&messages, 0), first_row(&messages, 1)),
                Err(_) => {
                    // E.g. a server or pooler that cannot export snapshots: the failed statement
                    // aborted the transaction, so start over without the export.
                    let _ = self.end("ROLLBACK");
                    self.stats.round_trips += 1;
                    let messages = self.client.simple_query(&format!("{sql}\n{probe};")).map_err(|e| Error::query("BEGIN", None, e))?;
                    (first_row(&messages, 0), None)
                }
            },
            _ => {
                let messages = self.client.simple_query(&format!("{sql}\n{probe};")).map_err(|e| Error::query("BEGIN", None, e))?;
                (first_row(&messages, 0), None)
            }
        };
        let num = version.as_deref().and_then(|v| v.trim().parse::<u32>().ok()).ok_or_else(|| Error::Catalog {
            object: "server_version_num".into(),
            detail: format!("the server reported {version:?}, not a version number; is this PostgreSQL?"),
        })?;
        self.version = ServerVersion::from_num(num);
        self.stats.server_version = Some(self.version);
        match self.version.check_supported() {
            Ok(warning) => self.stats.warnings.extend(warning),
            Err(e) => {
                let _ = self.end("ROLLBACK");
                return Err(e);
            }
        }
        Ok(exported)
    }

    fn end(&mut self, statement: &'static str) -> Result<()> {
        self.stats.round_trips += 1;
        let version = self.version;
        self.client.batch_execute(statement).map_err(|e| Error::query(statement, Some(version), e))
    }

    /// Runs one catalog query (a single round trip: typed parameters need no prepare step) and
    /// hands each row to `each` as it streams in, so no result set is held in memory whole.
    pub(crate) fn query(&mut self, query: &queries::Query, mut each: impl FnMut(&postgres::Row) -> Result<()>) -> Result<()> {
        let started = Instant::now();
        self.stats.catalog_queries += 1;
        self.stats.round_trips += 1;
        let params: [(&(dyn ToSql + Sync), Type); 2] = [(self.include, Type::TEXT_ARRAY), (self.exclude, Type::TEXT_ARRAY)];
        let version = self.version;
        let wrap = |e| Error::query(query.name, Some(version), e);
        let sql = query.sql_for(version);
        let mut rows = self.client.query_typed_raw(&sql, params).map_err(wrap)?;
        while let Some(row) = rows.next().map_err(wrap)? {
            self.stats.rows += 1;
            each(&row).map_err(|e| e.on_server(version))?;
        }
        self.stats.query_times.push((query.name, started.elapsed()));
        Ok(())
    }
}
