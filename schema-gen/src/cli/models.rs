//! `schema-gen models`: check every hand-written `#[derive(Model)]` struct under some paths
//! against the snapshot (or the live database) and report all discrepancies at once.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_core::check::options;
use schema_gen::models;
use schema_gen::typemap::TypeMap;
use schema_gen::Snapshot;

use super::{ReportFormat, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen models`.
#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  schema-gen models src/
  schema-gen models --snapshot schema/snapshot.json --format json \\
      src/models tests/
  schema-gen models --database-url postgres://localhost/app \\
      --format markdown src/

Type options come from PGCANON_TYPE_OPTIONS (JSON), else `pgcanon.json` or `schema-gen.json`
next to the snapshot (key `types`), else the defaults.
Exit codes: 0 every model fits, 1 discrepancies found, 2 error.")]
pub struct Args {
    /// The snapshot to check against.
    #[arg(long, default_value = "schema/snapshot.json")]
    pub snapshot: PathBuf,
    /// Check against this live database instead of the snapshot file (type options are still
    /// read next to `--snapshot`).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Succeed when no model is found (by default that is an error, as for `check`: a CI step
    /// that checks nothing must not pass).
    #[arg(long)]
    pub allow_empty: bool,
    /// Files or directories to scan for `.rs` files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Runs `schema-gen models`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot = match args.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => schema_gen::introspect::introspect_url(url, &Default::default())?,
        None => Snapshot::load(&args.snapshot)?,
    };
    // The derive's precedence: `PGCANON_TYPE_OPTIONS`, an options file next to `--snapshot`,
    // the defaults.
    let env = std::env::var(options::TYPE_OPTIONS_ENV).ok();
    let type_options =
        options::resolve(&args.snapshot, env.as_deref()).map_err(|e| schema_gen::Error::Config(e.to_string()))?.0;
    let report = models::check_paths(&args.paths, &snapshot, &TypeMap::new(type_options))?;
    if report.models.is_empty() && !args.allow_empty {
        let paths: Vec<String> = args.paths.iter().map(|p| format!("`{}`", p.display())).collect();
        return Err(schema_gen::Error::NoModels { paths: paths.join(", ") });
    }
    super::emit_report(&report.to_findings(), args.format)?;
    Ok(ExitCode::from(if report.finding_count() == 0 { EXIT_OK } else { EXIT_FINDINGS }))
}
