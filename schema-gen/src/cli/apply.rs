//! `schema-gen apply FILE --database-url URL`: runs a reconcile script, logs it, verifies it.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::apply::{apply, ApplyOptions, Start};

use super::{require_database_url, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen apply`.
#[derive(clap::Args)]
#[command(after_help = "\
Refuses a script planned from another state than the live database's (unless --force); a
database already at the script's target runs it again (every step is idempotent).

Phase 1 is one transaction unless --transaction-size N splits it into transactions of at most
N statements (for scripts too large for the server's lock table: out of shared memory).

Examples:
  schema-gen apply migrate.sql --database-url postgres://localhost/app
  schema-gen apply migrate.sql --database-url postgres://localhost/app --dry-run
  schema-gen apply big.sql --database-url postgres://localhost/app \
    --transaction-size 500

Exit codes: 0 applied and verified, 1 applied but the result differs from the target, 2 error.")]
pub struct Args {
    /// The script written by `schema-gen reconcile`.
    pub file: PathBuf,
    /// The database to change (else PGCANON_DATABASE_URL, then DATABASE_URL).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Run even when the database is not the state the script was planned from.
    #[arg(long)]
    pub force: bool,
    /// Run phase 1 and roll it back (phase 2 is not run); not with --transaction-size.
    #[arg(long)]
    pub dry_run: bool,
    /// Commit phase 1 in transactions of at most N statements (default: one transaction).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub transaction_size: Option<u32>,
    /// Append the dated change-log entry of what the run changed to this Markdown file.
    #[arg(long, value_name = "FILE")]
    pub changelog: Option<PathBuf>,
}

/// Runs `schema-gen apply`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let url = require_database_url(args.database_url)?;
    if let Some(log) = &args.changelog {
        schema_core::fsutil::check_writable(log)?;
    }
    let text = schema_core::fsutil::read_to_string(&args.file, "read")?;
    let origin = args.file.display().to_string();
    let report = apply(&url, &text, &origin, &ApplyOptions { force: args.force, dry_run: args.dry_run, transaction_size: args.transaction_size.map(|n| n as usize) })?;
    let start = match report.start {
        Start::AtFrom => "the database is the state the script was planned from",
        Start::AtTarget => "the database already is the script's target; running it again",
        Start::Forced => "the database is not the state the script was planned from (--force)",
    };
    let mut out = format!("apply: {start}\n");
    if args.dry_run {
        out.push_str("apply: phase 1 ran and was rolled back (--dry-run); phase 2 not run\n");
        super::emit(&out)?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let phase1 = match report.phase1_transactions {
        0 | 1 => "phase 1 committed".to_owned(),
        n => format!("phase 1 committed in {n} transactions"),
    };
    out.push_str(&format!("apply: {phase1}; phase 2 ran {} statements\n", report.phase2_run));
    if let Some(log) = &args.changelog {
        if schema_gen::changelog::append_if_changed(log, &report.before, &report.after)? {
            out.push_str(&format!("apply: added a change-log entry to {}\n", log.display()));
        }
    }
    if report.verified {
        out.push_str("apply: verified, the database now matches the script's target\n");
        super::emit(&out)?;
        Ok(ExitCode::from(EXIT_OK))
    } else {
        out.push_str("apply: the database does not match the script's target; run `schema-gen reconcile` again to see what is left\n");
        super::emit(&out)?;
        Ok(ExitCode::from(EXIT_FINDINGS))
    }
}
