//! `schema-gen reconcile --from A --to B`: the idempotent DDL script that turns A into B.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::apply::options_for;
use schema_gen::introspect::introspect_url;
use schema_gen::reconcile::script::{render, snapshot_hash, Header};
use schema_gen::reconcile::{plan, Allow, Options, Rename};
use schema_gen::Snapshot;

use super::diff::is_url;
use super::lint_fixes::{fixed_target, fixes, Shadow};
use super::{EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen reconcile`.
#[derive(clap::Args)]
#[command(after_help = "\
--from is a snapshot file or a database URL; --to is a snapshot file, a database URL, or a
desired-state .sql file (loaded into a throwaway database on --shadow-url, then dropped).
--lint-fixes adds the fixes `schema-gen lint` prints for the target (default: --from) to it,
run in a throwaway database on --shadow-url; they are planned and gated like any change.

Examples:
  schema-gen reconcile --from postgres://localhost/prod --to schema/snapshot.json --out migrate.sql
  schema-gen reconcile --from old.json --to new.json --out - --allow breaking
  schema-gen reconcile --from postgres://localhost/app --to schema.sql --shadow-url postgres://localhost/postgres
  schema-gen reconcile --from postgres://localhost/app --lint-fixes \
    --lint-rule fk-missing-index --shadow-url postgres://localhost/postgres

Exit codes: 0 nothing to do, 1 a script was written or changes were refused, 2 error.")]
pub struct Args {
    /// The current state: a snapshot file or a database URL.
    #[arg(long, value_name = "FILE|URL")]
    pub from: String,
    /// The desired state: a snapshot file, a database URL, or a `.sql` file (needs --shadow-url).
    #[arg(long, value_name = "FILE|URL", required_unless_present = "lint_fixes")]
    pub to: Option<String>,
    /// A server where a throwaway database may be created to load a `.sql` --to or apply lint fixes.
    #[arg(long, value_name = "URL")]
    pub shadow_url: Option<String>,
    /// Add the fixes of the target's lint findings to it (the target defaults to --from; needs --shadow-url).
    #[arg(long)]
    pub lint_fixes: bool,
    /// With --lint-fixes, only the fixes of this rule (repeatable; as `schema-gen lint --rule`).
    #[arg(long, value_name = "ID", requires = "lint_fixes")]
    pub lint_rule: Vec<String>,
    /// The script to write (atomically, only when changed); `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    pub out: PathBuf,
    /// Allow `destructive` or `breaking` changes, or single change kinds (repeatable, comma-separated).
    #[arg(long, value_name = "WHAT")]
    pub allow: Vec<String>,
    /// A rename hint, `schema.table=new_name` or `schema.table.column=new_name` (repeatable).
    #[arg(long, value_name = "OLD=NEW")]
    pub rename: Vec<String>,
    /// `lock_timeout` of phase 1.
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    pub lock_timeout: String,
    /// `statement_timeout` of phase 1 (`0`: none).
    #[arg(long, value_name = "DURATION", default_value = "0")]
    pub statement_timeout: String,
}

fn has_bodies(s: &Snapshot) -> bool {
    s.schemas.iter().any(|x| x.functions.iter().any(|f| f.body.is_some()))
}

/// Loads a desired-state SQL file into a throwaway database on `admin` and snapshots it.
fn load_sql(path: &str, admin: &str) -> schema_gen::Result<Snapshot> {
    let sql = schema_core::fsutil::read_to_string(std::path::Path::new(path), "read")?;
    let shadow = Shadow::create(admin)?;
    let url = shadow.url.clone();
    let mut db = schema_gen::db::connect(&url)?;
    db.batch_execute(&sql).map_err(|e| {
        let detail = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string());
        schema_gen::Error::Reconcile(format!("`{path}` does not load: {detail}; fix the SQL (it ran in a throwaway database, since dropped)"))
    })?;
    drop(db);
    let snap = introspect_url(&url, &options_for(true))?;
    drop(shadow);
    Ok(snap)
}

fn load(spec: &str, bodies: bool, shadow: Option<&str>) -> schema_gen::Result<(Snapshot, String)> {
    if is_url(spec) {
        Ok((introspect_url(spec, &options_for(bodies))?, schema_gen::db::redact_url(spec)))
    } else if spec.ends_with(".sql") {
        let admin = shadow.ok_or_else(|| schema_gen::Error::Config(format!("`--to {spec}` is SQL: pass `--shadow-url URL`, a server where a throwaway database may be created")))?;
        Ok((load_sql(spec, admin)?, spec.to_owned()))
    } else {
        Ok((Snapshot::load(spec)?, spec.to_owned()))
    }
}

/// Runs `schema-gen reconcile`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let allow = Allow::parse(args.allow.iter().map(String::as_str))?;
    let renames = args.rename.iter().map(|r| r.parse::<Rename>()).collect::<schema_gen::Result<Vec<_>>>()?;
    if !super::is_stdout(&args.out) {
        schema_core::fsutil::check_writable(&args.out)?;
    }
    if args.lint_fixes && args.shadow_url.is_none() {
        return Err(schema_gen::Error::Config("`--lint-fixes` applies the fixes in a throwaway database: pass `--shadow-url URL`, a server where one may be created".to_owned()));
    }
    let (from, from_label, mut to, mut to_label, bodies) = match &args.to {
        Some(spec) => {
            // The target first: whether it holds function bodies decides how a live `--from` is read.
            let to_live = is_url(spec) || spec.ends_with(".sql");
            let (to, to_label) = load(spec, true, args.shadow_url.as_deref())?;
            let bodies = to_live || has_bodies(&to);
            let (from, from_label) = load(&args.from, bodies, None)?;
            (from, from_label, to, to_label, bodies)
        }
        None => {
            let (from, from_label) = load(&args.from, true, None)?;
            let bodies = is_url(&args.from) || has_bodies(&from);
            (from.clone(), from_label.clone(), from, from_label, bodies)
        }
    };
    let (mut fixed, mut skipped) = (Vec::new(), Vec::new());
    if args.lint_fixes {
        let admin = args.shadow_url.as_deref().unwrap_or_default();
        let found = fixes(&to, &super::lint::lint_config(None)?, &args.lint_rule)?;
        let (target, outcome) = fixed_target(admin, &to, found, bodies)?;
        for (fix, why) in &outcome.skipped {
            super::note(&format!("reconcile: lint fix left out, {why}: {}", fix.line()));
        }
        if !outcome.applied.is_empty() {
            to = target;
            to_label = format!("{to_label} + {} lint fixes", outcome.applied.len());
        }
        fixed = outcome.applied.iter().map(|f| f.line()).collect();
        skipped = outcome.skipped.iter().map(|(f, why)| format!("{} ({why})", f.line())).collect();
    }
    let plan = plan(&from, &to, &Options { allow, renames })?;
    if plan.is_empty() {
        super::note("reconcile: nothing to do, the two sides are the same");
        return Ok(ExitCode::from(EXIT_OK));
    }
    let header = Header {
        from_label,
        from_hash: snapshot_hash(&from),
        to_label,
        to_hash: snapshot_hash(&to),
        function_bodies: bodies,
        lock_timeout: args.lock_timeout,
        statement_timeout: args.statement_timeout,
        lint_fixes: fixed,
        lint_fixes_skipped: skipped,
    };
    let text = render(&plan, &header);
    let where_ = if super::is_stdout(&args.out) {
        super::emit(&text)?;
        "stdout".to_owned()
    } else {
        schema_gen::write_if_changed(&args.out, text.as_bytes())?;
        args.out.display().to_string()
    };
    super::note(&format!(
        "reconcile: {} changes planned in {} steps, {} refused; script written to {where_}",
        plan.planned.len(),
        plan.steps.len(),
        plan.refused.len()
    ));
    Ok(ExitCode::from(EXIT_FINDINGS))
}
