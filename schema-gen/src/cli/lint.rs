//! `schema-gen lint`: the schema audit, on the committed snapshot or a live database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use schema_gen::config::file::load_lint;
use schema_gen::findings::{Report, SnapshotLines};
use schema_gen::lint::{lint, Baseline, FailOn, LintConfig};
use schema_gen::Snapshot;

use super::{diff::is_url, note, ReportFormat, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen lint`.
#[derive(clap::Args)]
#[command(after_help = "\
Rules, levels and options come from the [lint] sections of the config file; every rule id,
its default level and why it matters are listed in the README (Lint the schema).

Examples:
  schema-gen lint                                   # schema/snapshot.json, pgcanon.toml if present
  schema-gen lint postgres://localhost/app --format markdown
  schema-gen lint --rule fk-missing-index --rule table-no-primary-key --fail-on warning
  schema-gen lint --write-baseline schema/lint-baseline.json      # accept today's findings
  schema-gen lint --baseline schema/lint-baseline.json --format sarif > lint.sarif

Exit codes: 0 clean, 1 findings at or above --fail-on (default error), 2 error.")]
pub struct Args {
    /// A snapshot file or a database URL (postgres://…), introspected first.
    #[arg(default_value = "schema/snapshot.json")]
    pub source: String,
    /// Config file with `[lint]` sections; default `pgcanon.toml` when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Run only this rule (repeatable); enables it even when it is off by default.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// The lowest level that fails (exit 1); default from the config, else `error`.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}

/// The config: `--config`, else `pgcanon.toml` when present, else the defaults.
pub fn lint_config(flag: Option<&Path>) -> schema_gen::Result<LintConfig> {
    match flag {
        Some(path) => load_lint(path),
        None if Path::new("pgcanon.toml").is_file() => load_lint(Path::new("pgcanon.toml")),
        None => Ok(LintConfig::default()),
    }
}

/// Lints `snapshot` into a report. `file` is the snapshot's path when it came from a file:
/// SARIF and GitHub annotations point at its lines.
pub fn lint_report(snapshot: &Snapshot, file: Option<&str>, config: &LintConfig, only: &[String], baseline: Option<&Path>) -> schema_gen::Result<Report> {
    let outcome = lint(snapshot, config, only)?;
    let (findings, baselined) = match baseline {
        Some(path) => {
            let ran: Vec<&str> = outcome.rules.iter().map(|r| r.id).collect();
            Baseline::load(path)?.apply(outcome.findings, &ran)
        }
        None => (outcome.findings, 0),
    };
    // The lines of the reported objects only, read again from the file: the snapshot was
    // streamed into its structs, so its text is not in memory (see `Snapshot::load`).
    let lines = match file {
        Some(path) => Some(SnapshotLines::index_file(Path::new(path), findings.iter().filter_map(|f| f.object_ref()))?),
        None => None,
    };
    Ok(Report { findings, baselined, rules: outcome.rules, artifact: file.map(str::to_owned), lines, ..Report::default() })
}

/// Runs `schema-gen lint`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let config = lint_config(args.config.as_deref())?;
    let (snapshot, file) = if is_url(&args.source) {
        (super::diff::load_side(&args.source)?.0, None)
    } else {
        (Snapshot::load(&args.source)?, Some(args.source.as_str()))
    };
    if let Some(path) = &args.write_baseline {
        let report = lint_report(&snapshot, file, &config, &args.rules, None)?;
        let changed = Baseline::write(path, &report.findings)?;
        let verb = if changed { "wrote" } else { "unchanged:" };
        note(&format!("{verb} baseline {} ({} findings)", path.display(), report.findings.len()));
        return Ok(ExitCode::from(EXIT_OK));
    }
    let report = lint_report(&snapshot, file, &config, &args.rules, args.baseline.as_deref())?;
    super::emit_report(&report, args.format)?;
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or_default();
    Ok(ExitCode::from(if report.fails(fail_on.threshold()) { EXIT_FINDINGS } else { EXIT_OK }))
}
