//! Runs a reconcile script against a live database: checks that the database is still the
//! state the script was planned from, runs phase 1 in its transaction (or, with
//! [`ApplyOptions::transaction_size`], in several) and phase 2 one statement at a time, then
//! re-snapshots and checks the result is the planned target.

use std::time::Duration;

use crate::introspect::{introspect, IntrospectOptions};
use crate::reconcile::script::{parse, phase1_batches, snapshot_hash, Parsed};
use crate::reconcile::LOG_SCHEMA;
use crate::{Error, Result, Snapshot};

/// Options of [`apply`].
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Run even when the live database is neither the script's `from` nor its `to` state.
    pub force: bool,
    /// Run phase 1 and roll it back; phase 2 is not run.
    pub dry_run: bool,
    /// Commit phase 1 in transactions of at most this many statements instead of one (`None`).
    ///
    /// For scripts too large for one transaction: every object a statement creates or changes
    /// stays locked until commit, and a few thousand tables exceed the server's lock table
    /// (`max_locks_per_transaction`, "out of shared memory"). Every statement is guarded, so a
    /// run cut short by a failure in a later transaction converges when run again (`force`:
    /// the database is then between the two states). Not combinable with `dry_run`: rolling
    /// back each transaction would make the next one run against a state it was not planned on.
    pub transaction_size: Option<usize>,
}

/// The SQLSTATE of "out of shared memory", which a transaction taking more locks than the
/// server's lock table holds fails with.
const OUT_OF_SHARED_MEMORY: &str = "53200";


/// Where the live database stood before the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// It was the state the script was planned from.
    AtFrom,
    /// It already was the target (the script runs again: it is idempotent).
    AtTarget,
    /// Neither, and `--force` was given.
    Forced,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where the database stood.
    pub start: Start,
    /// Transactions phase 1 was committed in (0 when there was nothing to run).
    pub phase1_transactions: usize,
    /// Phase-2 statements run.
    pub phase2_run: usize,
    /// The live state before the run.
    pub before: Snapshot,
    /// The live state after the run (the state before it, for a dry run).
    pub after: Snapshot,
    /// The run ended at the script's target.
    pub verified: bool,
}

/// The introspection a script's hashes were computed with.
pub fn options_for(function_bodies: bool) -> IntrospectOptions {
    IntrospectOptions { exclude_schemas: vec![LOG_SCHEMA.to_owned()], function_bodies, statement_timeout: Duration::from_secs(60), ..IntrospectOptions::default() }
}

fn db_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut m = format!("{} (SQLSTATE {})", d.message(), d.code().code());
            if let Some(h) = d.hint() {
                m.push_str(&format!("; hint: {h}"));
            }
            m
        }
        None => crate::db::redact_message(&e.to_string()),
    }
}

fn out_of_locks(e: &postgres::Error) -> bool {
    e.as_db_error().is_some_and(|d| d.code().code() == OUT_OF_SHARED_MEMORY)
}

/// What to do about a phase-1 failure: for "out of shared memory", how to split the run.
fn phase1_hint(e: &postgres::Error, size: Option<usize>) -> String {
    if !out_of_locks(e) {
        return String::new();
    }
    let advice = match size {
        None => "pass `--transaction-size 500` to `schema-gen apply` to commit phase 1 in transactions of at most 500 statements".to_owned(),
        Some(n) => format!("pass a smaller `--transaction-size` than {n}"),
    };
    format!(
        "; phase 1 locks every object it creates or changes until it commits, more than the server's lock table holds \
         (`max_locks_per_transaction` × connections): {advice} (every statement is guarded, so a run cut short converges when run again), \
         or raise `max_locks_per_transaction`"
    )
}

/// Runs phase 1 as `batches` transactions, in order, each rolled back (`dry_run`) or committed.
fn run_phase1(client: &mut postgres::Client, batches: &[String], origin: &str, options: &ApplyOptions) -> Result<()> {
    let end = if options.dry_run { "ROLLBACK;" } else { "COMMIT;" };
    let split = batches.len() > 1;
    if split {
        // The session-level twin of the script's `pg_advisory_xact_lock` key (the same session
        // may take both), held across the batches so that two runs cannot interleave theirs.
        // Not waiting: the script's own lock has a timeout, this one must not block forever.
        let got: bool = client
            .query_one("SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('pgcanon'))", &[])
            .map_err(|e| Error::Reconcile(format!("cannot take the `pgcanon` advisory lock for `{origin}`: {}", db_error(&e))))?
            .get(0);
        if !got {
            return Err(Error::Reconcile(format!(
                "another session holds the `pgcanon` advisory lock (a `schema-gen apply` running?); nothing of `{origin}` was run; wait for it and run again"
            )));
        }
    }
    for (i, batch) in batches.iter().enumerate() {
        if let Err(e) = client.batch_execute(&format!("BEGIN;\n{batch}{end}\n")) {
            let _ = client.batch_execute("ROLLBACK");
            let hint = phase1_hint(&e, options.transaction_size);
            let msg = if !split {
                format!("phase 1 of `{origin}` failed and was rolled back: {}{hint}; nothing was changed", db_error(&e))
            } else if i == 0 {
                format!("phase 1 of `{origin}` failed in its first transaction of {}, which was rolled back: {}{hint}; nothing was changed", batches.len(), db_error(&e))
            } else {
                format!(
                    "phase 1 of `{origin}` failed in transaction {} of {}, which was rolled back: {}{hint}; transactions 1 to {i} are committed: \
                     fix the cause and run the same script again with `--force` (every statement is guarded, so it converges)",
                    i + 1,
                    batches.len(),
                    db_error(&e)
                )
            };
            return Err(Error::Reconcile(msg));
        }
    }
    if split {
        // Closing the connection would release it too; a failed unlock is harmless.
        let _ = client.batch_execute("SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('pgcanon'))");
    }
    Ok(())
}

/// Runs `text` (a script read from `origin`) against `url`.
pub fn apply(url: &str, text: &str, origin: &str, options: &ApplyOptions) -> Result<Report> {
    if options.dry_run && options.transaction_size.is_some() {
        return Err(Error::Config(
            "`--dry-run` cannot be combined with `--transaction-size`: each transaction of a split phase 1 runs against what the previous ones committed, \
             so rolling them back would test nothing past the first; dry-run without `--transaction-size` (one transaction), on a copy of the database if it is large"
                .to_owned(),
        ));
    }
    if options.transaction_size == Some(0) {
        return Err(Error::Config("`--transaction-size` must be at least 1 statement".to_owned()));
    }
    let script: Parsed = parse(text, origin)?;
    let intro = options_for(script.function_bodies);
    let mut client = crate::db::connect(url)?;
    let before = introspect(&mut client, &intro)?;
    let live = snapshot_hash(&before);
    let start = if live == script.from_hash {
        Start::AtFrom
    } else if live == script.to_hash {
        Start::AtTarget
    } else if options.force {
        Start::Forced
    } else {
        return Err(Error::Reconcile(format!(
            "`{}` changed since `{origin}` was planned: its structure hashes to sha256:{live}, the script expects sha256:{}; \
             plan again with `schema-gen reconcile`, or pass `--force` to run it anyway",
            crate::db::redact_url(url),
            script.from_hash
        )));
    };
    if script.phase1.is_empty() && script.phase2.is_empty() {
        return Ok(Report { start, phase1_transactions: 0, phase2_run: 0, after: before.clone(), before, verified: live == script.to_hash });
    }
    let batches = match options.transaction_size {
        Some(n) => phase1_batches(&script.phase1, n),
        None => vec![script.phase1.clone()],
    };
    run_phase1(&mut client, &batches, origin, options)?;
    if options.dry_run {
        return Ok(Report { start, phase1_transactions: 1, phase2_run: 0, after: before.clone(), before, verified: false });
    }
    let mut run = 0;
    for (i, stmt) in script.phase2.iter().enumerate() {
        if let Err(e) = client.batch_execute(stmt) {
            let first = stmt.lines().next().unwrap_or("");
            return Err(Error::Reconcile(format!(
                "phase 2 of `{origin}` failed at statement {} of {} (`{}`): {}; phase 1 is committed; fix the cause and run the same script again (every step is idempotent)",
                i + 1,
                script.phase2.len(),
                crate::diff::one_line(first, 80),
                db_error(&e)
            )));
        }
        run += 1;
    }
    let after = introspect(&mut client, &intro)?;
    let verified = snapshot_hash(&after) == script.to_hash;
    Ok(Report { start, phase1_transactions: batches.len(), phase2_run: run, before, after, verified })
}
