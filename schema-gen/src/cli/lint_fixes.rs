//! `schema-gen reconcile --lint-fixes`: the fixes `schema-gen lint` prints, planned like any
//! other change.
//!
//! A lint fix is SQL text written by its rule (`CREATE INDEX CONCURRENTLY ON ...`,
//! `ALTER TABLE ... ALTER COLUMN ... SET DEFAULT now()`). Rather than re-deriving what each
//! statement does to guard it (which would duplicate the rules' SQL in another form), the
//! target is rebuilt in a throwaway database on `--shadow-url` with the reconcile machinery
//! itself, the fix statements run there verbatim, and the result is snapshotted: that snapshot
//! is the new target. Every fix thereby becomes ordinary planned changes (`index-added`,
//! `column-default-changed`...), guarded and idempotent like the rest, subject to the same
//! `--allow` gates, and `apply` verifies the database ends at the fixed state.

use schema_gen::apply::{apply, options_for, ApplyOptions};
use schema_gen::introspect::introspect_url;
use schema_gen::lint::{lint, LintConfig};
use schema_gen::reconcile::script::{render, snapshot_hash, Header};
use schema_gen::reconcile::{plan, Allow, Options};
use schema_gen::{Error, Result, Snapshot};

/// A throwaway database on a server, dropped when this goes out of scope (also on error).
pub struct Shadow {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl Shadow {
    /// Creates an empty database on the server `admin` connects to.
    pub fn create(admin: &str) -> Result<Shadow> {
        static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("pgcanon_shadow_{}_{nanos:x}_{seq}", std::process::id());
        let mut c = schema_gen::db::connect(admin)?;
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).map_err(|e| {
            Error::Reconcile(format!("cannot create the shadow database on `{}`: {e}; --shadow-url needs a role that may CREATE DATABASE", schema_gen::db::redact_url(admin)))
        })?;
        let url = schema_gen::db::with_database(admin, &name);
        Ok(Shadow { admin: admin.to_owned(), name, url })
    }
}

impl Drop for Shadow {
    fn drop(&mut self) {
        if let Ok(mut c) = schema_gen::db::connect(&self.admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// One lint finding's fix.
#[derive(Debug, Clone)]
pub struct Fix {
    /// The rule id.
    pub rule: String,
    /// The object, dotted.
    pub object: String,
    /// The fix SQL, as the rule wrote it.
    pub sql: String,
}

impl Fix {
    /// `rule object: sql`, for the script header and notes.
    pub fn line(&self) -> String {
        format!("{} {}: {}", self.rule, self.object, self.sql)
    }
}

/// What [`fixed_target`] made of the fixes.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The fixes that ran in the shadow database.
    pub applied: Vec<Fix>,
    /// The fixes left out, each with the reason.
    pub skipped: Vec<(Fix, String)>,
}

/// The fixes of the findings of `lint` on `target` (only the rules in `only`, when given).
pub fn fixes(target: &Snapshot, config: &LintConfig, only: &[String]) -> Result<Vec<Fix>> {
    let outcome = lint(target, config, only)?;
    Ok(outcome.findings.into_iter().filter_map(|f| f.fix.clone().map(|sql| Fix { rule: f.rule.clone(), object: f.object_ref().map(|o| o.qualified()).unwrap_or_default(), sql })).collect())
}

/// `target` with `fixes` applied: rebuilt in a shadow database on `admin`, fixed there, and
/// snapshotted as `apply` will snapshot the live database (`bodies`: with function bodies).
pub fn fixed_target(admin: &str, target: &Snapshot, fixes: Vec<Fix>, bodies: bool) -> Result<(Snapshot, Outcome)> {
    let mut outcome = Outcome::default();
    let mut runnable = Vec::new();
    for fix in fixes {
        // A template (`COMMENT ON TABLE t IS '...'`, `CREATE POLICY ... ON t ...`) needs a human.
        if fix.sql.contains("...") {
            outcome.skipped.push((fix, "the fix is a template to complete by hand".to_owned()));
        } else {
            runnable.push(fix);
        }
    }
    if runnable.is_empty() {
        return Ok((target.clone(), outcome));
    }
    let shadow = Shadow::create(admin)?;
    let base = introspect_url(&shadow.url, &options_for(bodies))?;
    // A throwaway database: every change may go in; what cannot be expressed at all may not.
    let all = Options { allow: Allow::parse(["destructive", "breaking"])?, renames: Vec::new() };
    let rebuild = plan(&base, target, &all)?;
    if let Some(r) = rebuild.refused.first() {
        return Err(Error::Reconcile(format!(
            "cannot rebuild the target in a shadow database to apply lint fixes: {} `{}` is refused ({}); plan without `--lint-fixes`",
            r.change.kind.code(),
            r.change.path,
            r.reason
        )));
    }
    let header = Header {
        from_label: "shadow".into(),
        from_hash: snapshot_hash(&base),
        to_label: "target".into(),
        to_hash: snapshot_hash(target),
        function_bodies: bodies,
        lock_timeout: "5s".into(),
        statement_timeout: "0".into(),
        ..Header::default()
    };
    // Split: a large target would exceed the shadow server's lock table in one transaction.
    let split = ApplyOptions { transaction_size: Some(500), ..ApplyOptions::default() };
    let report = apply(&shadow.url, &render(&rebuild, &header), "the shadow rebuild", &split)?;
    if !report.verified {
        return Err(Error::Reconcile("the target does not rebuild exactly in the shadow database, so its lint fixes cannot be planned; plan without `--lint-fixes`".to_owned()));
    }
    let mut client = schema_gen::db::connect(&shadow.url)?;
    for fix in runnable {
        // Each on its own, outside a transaction: fixes may be `CREATE INDEX CONCURRENTLY`.
        match client.batch_execute(&fix.sql) {
            Ok(()) => outcome.applied.push(fix),
            Err(e) => {
                let why = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string());
                outcome.skipped.push((fix, format!("it fails on the target: {why}")));
            }
        }
    }
    drop(client);
    let fixed = introspect_url(&shadow.url, &options_for(bodies))?;
    drop(shadow);
    Ok((fixed, outcome))
}
