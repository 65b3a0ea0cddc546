//! Subcommands of the `schema-gen` CLI, one module each, plus the flags they share.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

pub mod apply;
pub mod changelog;
pub mod check;
pub mod diff;
pub mod docs;
pub mod generate;
pub mod introspect;
pub mod lint;
pub mod lint_fixes;
pub mod models;
#[cfg(feature = "queries")]
pub mod queries;
pub mod reconcile;
pub mod snapshot;

/// Exit code: everything is clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: drift or findings were reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the command could not do its job (bad input, unreachable database, ...).
pub const EXIT_ERROR: u8 = 2;

/// Examples shown at the end of `schema-gen --help`.
pub const EXAMPLES: &str = "\
Examples:
  schema-gen snapshot --database-url postgres://localhost/app \\
      --out schema/snapshot.json
  schema-gen introspect --database-url postgres://localhost/app --format json
  schema-gen generate --snapshot schema/snapshot.json --out src/models.rs
  schema-gen docs --snapshot schema/snapshot.json --out schema/SCHEMA.md
  schema-gen diff schema/snapshot.json postgres://localhost/app
  schema-gen check --database-url postgres://localhost/app
  schema-gen models --snapshot schema/snapshot.json src/
  schema-gen lint --format sarif > lint.sarif
  schema-gen queries src/ --snapshot schema/snapshot.json
  schema-gen reconcile --from postgres://localhost/app --to schema/snapshot.json
  schema-gen apply plan.sql --database-url postgres://localhost/app

Exit codes: 0 ok/clean, 1 drift or findings, 2 error.
The database URL may also come from PGCANON_DATABASE_URL or DATABASE_URL.";

/// Output format shared by every reporting subcommand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// Machine-readable JSON.
    Json,
    /// GitHub-flavoured Markdown (for PR comments and job summaries).
    Markdown,
}

/// Output formats of the commands that report findings (`lint`, `models`, `check`): one
/// findings model, one set of formatters ([`schema_gen::findings`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// `level[rule] where: message`, the fix below, a summary line.
    #[default]
    Text,
    /// `{summary, examined, findings}`.
    Json,
    /// A Markdown table (PR comments, `$GITHUB_STEP_SUMMARY`).
    Markdown,
    /// GitHub Actions workflow commands (annotations at files and lines).
    Github,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

/// Writes `report` to stdout in `format`. JSON and SARIF are serialized straight into a
/// buffered stdout, so a large report is never held twice in memory.
pub fn emit_report(report: &schema_gen::findings::Report, format: ReportFormat) -> schema_gen::Result<()> {
    use schema_gen::findings;
    use std::io::Write;
    let text = match format {
        ReportFormat::Text => findings::render_text(report),
        ReportFormat::Markdown => findings::render_markdown(report),
        ReportFormat::Github => findings::render_github(report),
        ReportFormat::Json | ReportFormat::Sarif => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = match format {
                ReportFormat::Json => findings::write_json(report, &mut out),
                _ => findings::write_sarif(report, &mut out),
            };
            return match written.and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(schema_gen::Error::Io { action: "write to", path: "<stdout>".into(), source: e })
                }
                _ => Ok(()),
            };
        }
    };
    emit(&text)
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Read the live catalog and write the snapshot file (atomically, only when changed).
    Snapshot(snapshot::Args),
    /// Print a summary of the live structure (or its snapshot JSON).
    Introspect(introspect::Args),
    /// Generate Rust models from a snapshot into a file.
    Generate(generate::Args),
    /// Generate Markdown schema docs from a snapshot.
    Docs(docs::Args),
    /// Compare two snapshots or databases.
    Diff(diff::Args),
    /// CI gate: snapshot, docs and generated code are all current.
    Check(check::Args),
    /// Print a change-log entry between two snapshots.
    Changelog(changelog::Args),
    /// Check hand-written `#[derive(Model)]` structs against the snapshot.
    Models(models::Args),
    /// Audit the schema: timestamps convention, keys, indexes, types, names, security.
    Lint(lint::Args),
    /// Check the SQL in Rust sources and .sql files against the snapshot, offline.
    #[cfg(feature = "queries")]
    Queries(queries::Args),
    /// Write the idempotent DDL script that turns one state into another.
    Reconcile(reconcile::Args),
    /// Run a reconcile script: checked, logged, verified.
    Apply(apply::Args),
}

/// Runs one subcommand.
pub fn run(command: Command) -> schema_gen::Result<ExitCode> {
    match command {
        Command::Snapshot(a) => snapshot::run(a),
        Command::Introspect(a) => introspect::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Docs(a) => docs::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Check(a) => check::run(a),
        Command::Changelog(a) => changelog::run(a),
        Command::Models(a) => models::run(a),
        Command::Lint(a) => lint::run(a),
        #[cfg(feature = "queries")]
        Command::Queries(a) => queries::run(a),
        Command::Reconcile(a) => reconcile::run(a),
        Command::Apply(a) => apply::run(a),
    }
}

/// Writes `text` to stdout. A closed pipe (`schema-gen docs | head -1`) ends the output
/// quietly, as Unix tools do; Rust ignores `SIGPIPE`, so `print!` would panic instead.
pub fn emit(text: &str) -> schema_gen::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(schema_gen::Error::Io { action: "write to", path: "<stdout>".into(), source: e })
        }
        _ => Ok(()),
    }
}

/// Writes one line to stderr (progress and warnings). A closed stderr is ignored: a message
/// about the output must never be the reason the command fails.
pub fn note(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// True when an `--out` path means stdout.
pub fn is_stdout(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

/// The database URL from the flag, else from the environment (see
/// [`schema_gen::db::DATABASE_URL_VARS`]).
pub fn database_url(flag: Option<String>) -> Option<String> {
    flag.filter(|u| !u.trim().is_empty())
        .or_else(|| schema_gen::db::database_url_from_env(&schema_gen::db::DATABASE_URL_VARS).map(|(_, url)| url))
}

/// Like [`database_url`], but an error when there is none.
pub fn require_database_url(flag: Option<String>) -> schema_gen::Result<String> {
    database_url(flag).ok_or(schema_gen::Error::NoDatabaseUrl { env: &schema_gen::db::DATABASE_URL_VARS })
}
