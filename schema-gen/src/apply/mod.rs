//! Runs a reconcile script against a live database: checks that the database is still the
//! state the script was planned from, runs phase 1 in its transaction and phase 2 one
//! statement at a time, then re-snapshots and checks the result is the planned target.

use std::time::Duration;

use crate::introspect::{introspect, IntrospectOptions};
use crate::reconcile::script::{parse, snapshot_hash, Parsed};
use crate::reconcile::LOG_SCHEMA;
use crate::{Error, Result, Snapshot};

/// Options of [`apply`].
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Run even when the live database is neither the script's `from` nor its `to` state.
    pub force: bool,
    /// Run phase 1 and roll it back; phase 2 is not run.
    pub dry_run: bool,
}

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

/// Runs `text` (a script read from `origin`) against `url`.
pub fn apply(url: &str, text: &str, origin: &str, options: &ApplyOptions) -> Result<Report> {
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
        return Ok(Report { start, phase2_run: 0, after: before.clone(), before, verified: live == script.to_hash });
    }
    let end = if options.dry_run { "ROLLBACK;" } else { "COMMIT;" };
    if let Err(e) = client.batch_execute(&format!("BEGIN;\n{}{end}\n", script.phase1)) {
        let _ = client.batch_execute("ROLLBACK");
        return Err(Error::Reconcile(format!("phase 1 of `{origin}` failed and was rolled back: {}; nothing was changed", db_error(&e))));
    }
    if options.dry_run {
        return Ok(Report { start, phase2_run: 0, after: before.clone(), before, verified: false });
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
    Ok(Report { start, phase2_run: run, before, after, verified })
}
