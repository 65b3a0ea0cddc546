//! The helper connection: runs the deferred catalog queries (constraints, indexes, triggers) on
//! a second server backend while the main connection reads relations, types and columns.
//!
//! Nearly all of an introspection's time is server CPU in a freshly started backend (catalog
//! cache misses, and deparsing: `pg_get_constraintdef` opens every table with a CHECK
//! constraint). The deferred queries do not depend on the others on the server side, so a second
//! backend can do that work at the same time. It joins the main transaction's snapshot
//! (`pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`, as `pg_dump --jobs` does), so both
//! connections read exactly the same catalog state and the snapshot stays one consistent image.
//! The rows are buffered (thousands, not the tens of thousands of column rows) and assembled by
//! the main thread once the relations and columns they attach to are in.

use postgres::Row;

use super::assemble::DEFERRED;
use super::{IntrospectOptions, IntrospectStats, Session, SnapshotSync};
use crate::Result;

/// Connects to `url`, joins the exported snapshot `snapshot_id` and runs the deferred queries,
/// returning their rows (one list per query, in [`DEFERRED`] order) and what it cost.
pub(super) fn run(url: &str, snapshot_id: &str, options: &IntrospectOptions) -> Result<(Vec<Vec<Row>>, IntrospectStats)> {
    let mut client = crate::db::connect(url)?;
    let mut session = Session::new(&mut client, options);
    session.begin(options.statement_timeout, SnapshotSync::Import(snapshot_id))?;
    let mut results = Vec::with_capacity(DEFERRED.len());
    for (query, _) in DEFERRED {
        let mut rows = Vec::new();
        session.query(query, |row| {
            rows.push(row.clone());
            Ok(())
        })?;
        results.push(rows);
    }
    session.end("COMMIT")?;
    Ok((results, std::mem::take(&mut session.stats)))
}

