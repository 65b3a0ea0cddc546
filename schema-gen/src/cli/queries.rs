//! `schema-gen queries`: check the SQL in Rust sources and `.sql` files against the snapshot,
//! offline, with PostgreSQL's own parser.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use schema_gen::gate::{Artifact, ArtifactStatus, Verdict};
use schema_gen::queries::{check_paths, render_json, QueriesConfig, QueryReport};
use schema_gen::Snapshot;

use super::{note, ReportFormat, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen queries`.
#[derive(clap::Args)]
#[command(after_help = "\
Finds SQL in string literals (escapes, raw strings, concat! and const items included) passed to
postgres/tokio-postgres client methods (query, query_one, query_opt, query_raw, execute,
prepare, batch_execute...), sqlx functions (query, query_as, query_scalar + .bind() counted)
and macros (query!, query_as!, query_file!...), include_str!(\"*.sql\"), and plain .sql files.
SQL built at run time (format!, +) is reported as unverifiable, never guessed.

Rules, levels, search_path and ignore globs come from the [queries] sections of the config;
`// pgcanon:allow(query-select-star)` on the line above a call (or `-- pgcanon:allow(...)` in
a .sql file) allows a rule there.

Examples:
  schema-gen queries                                    # src/ against schema/snapshot.json
  schema-gen queries src/ migrations/queries.sql --format github
  schema-gen queries --format json | jq '.queries[] | {sql, columns}'
  schema-gen queries --format sarif > queries.sarif

Exit codes: 0 clean, 1 findings at or above --fail-on (default error), 2 error.")]
pub struct Args {
    /// Files and directories to check (`.rs` and `.sql`; directories are walked); default the
    /// config's `paths`, else `src`.
    pub paths: Vec<PathBuf>,
    /// The snapshot the queries must match.
    #[arg(long, default_value = "schema/snapshot.json")]
    pub snapshot: PathBuf,
    /// Config file with `[queries]` sections; default `pgcanon.toml` when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format (`json` adds each query's inferred result columns).
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// The lowest level that fails (exit 1); default from the config, else `error`.
    #[arg(long, value_enum)]
    pub fail_on: Option<schema_gen::lint::FailOn>,
}

/// The config: `--config`, else `pgcanon.toml` when present, else the defaults.
pub fn queries_config(flag: Option<&Path>) -> schema_gen::Result<QueriesConfig> {
    match flag {
        Some(path) => QueriesConfig::load(path),
        None if Path::new("pgcanon.toml").is_file() => QueriesConfig::load(Path::new("pgcanon.toml")),
        None => Ok(QueriesConfig::default()),
    }
}

/// The config's `paths`, else `src`.
fn default_paths(config: &QueriesConfig) -> Vec<PathBuf> {
    if config.paths.is_empty() { vec![PathBuf::from("src")] } else { config.paths.clone() }
}

/// The paths `check` gates when no `--queries` is given: the config's `paths`, when set.
pub fn configured_paths(config_flag: Option<&Path>) -> schema_gen::Result<Option<Vec<PathBuf>>> {
    let config = queries_config(config_flag)?;
    Ok((!config.paths.is_empty()).then_some(config.paths))
}

/// Checks `paths` against the snapshot file.
pub fn report(paths: &[PathBuf], snapshot: &Snapshot, config: &QueriesConfig) -> schema_gen::Result<QueryReport> {
    check_paths(paths, snapshot, config)
}

/// Runs `schema-gen queries`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let config = queries_config(args.config.as_deref())?;
    let snapshot = Snapshot::load(&args.snapshot)?;
    let paths = if args.paths.is_empty() { default_paths(&config) } else { args.paths.clone() };
    let q = report(&paths, &snapshot, &config)?;
    match args.format {
        ReportFormat::Json => super::emit(&render_json(&q))?,
        other => super::emit_report(&q.report, other)?,
    }
    if args.format == ReportFormat::Text {
        note(&format!("checked {} quer{} in {} file{}", q.queries.len(), if q.queries.len() == 1 { "y" } else { "ies" }, q.files, if q.files == 1 { "" } else { "s" }));
    }
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or_default();
    Ok(ExitCode::from(if q.report.fails(fail_on.threshold()) { EXIT_FINDINGS } else { EXIT_OK }))
}

/// The plug between `check` and the query checker: the findings that would make
/// `schema-gen queries` with the same paths and config exit 1.
pub fn gate(snapshot: &Snapshot, snapshot_path: &str, paths: &[PathBuf], config_flag: Option<&Path>) -> schema_gen::Result<ArtifactStatus> {
    let config = queries_config(config_flag)?;
    let paths: Vec<PathBuf> = if paths.is_empty() { default_paths(&config) } else { paths.to_vec() };
    let q = report(&paths, snapshot, &config)?;
    let threshold = config.fail_on.unwrap_or_default().threshold();
    let failing: Vec<_> = q.report.findings.into_iter().filter(|f| threshold.is_some_and(|t| f.level >= t)).collect();
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut fix = format!("schema-gen queries {} --snapshot {snapshot_path}", shown.join(" "));
    if let Some(c) = config_flag {
        fix.push_str(&format!(" --config {}", c.display()));
    }
    let verdict = if failing.is_empty() { Verdict::Current } else { Verdict::Stale };
    Ok(ArtifactStatus {
        artifact: Artifact::Queries,
        path: shown.join(" "),
        verdict,
        against: format!("snapshot {snapshot_path}, {} quer{} in {} file{}", q.queries.len(), if q.queries.len() == 1 { "y" } else { "ies" }, q.files, if q.files == 1 { "" } else { "s" }),
        fix: (verdict != Verdict::Current).then_some(fix),
        changes: Vec::new(),
        findings: failing,
    })
}
