//! `schema-gen check`: the CI gate. Every committed artifact must be current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use schema_gen::config::file::load_options;
use schema_gen::gate::{check_docs, check_generated, check_lint, check_live, missing_snapshot, ArtifactStatus, GateReport};
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_gen::{Config, Snapshot};

use super::docs::DocsFlags;
use super::{database_url, ReportFormat, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen check`.
#[derive(clap::Args)]
#[command(after_help = "\
Checks, each only when its input is available:
  snapshot   the committed snapshot equals a fresh introspection of the database
             (when a URL is given by --database-url, PGCANON_DATABASE_URL or DATABASE_URL)
  docs       the docs file equals the docs re-rendered from the committed snapshot
             (--docs FILE; by default SCHEMA.md next to the snapshot, if that file exists)
  generated  committed generated code equals a fresh `schema-gen generate` of the snapshot
             (--generated FILE, with --config FILE when generate uses one)
  lint       `schema-gen lint` of the committed snapshot has no finding at or above
             --fail-on outside the baseline (--lint, or --lint-baseline FILE; rules from
             --lint-config FILE, default pgcanon.toml when it exists)
  queries    `schema-gen queries` of the sources has no finding at or above the [queries]
             fail_on (default error) (--queries [PATH...], default the config's paths, else
             src; runs without the flag when [queries] paths is set; config from
             --queries-config FILE, default pgcanon.toml when it exists)

Every stale artifact is named with the command that refreshes it; each structural change of
the snapshot is a `snapshot-drift` finding (formats as for `lint`: text, json, markdown,
github, sarif).

Examples:
  schema-gen check --database-url postgres://localhost/app
  schema-gen check --snapshot schema/snapshot.json --docs schema/SCHEMA.md \\
      --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  schema-gen check --offline --lint --format sarif > check.sarif

Exit codes: 0 clean, 1 stale artifact or drift, 2 error.")]
pub struct Args {
    /// The committed snapshot file.
    #[arg(long, default_value = "schema/snapshot.json")]
    pub snapshot: PathBuf,
    /// The database the snapshot must match; default `PGCANON_DATABASE_URL`, then `DATABASE_URL`.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Skip the live comparison even when a database URL is set in the environment.
    #[arg(long)]
    pub offline: bool,
    /// Schemas to introspect (repeatable); must match how the snapshot was taken.
    #[arg(long = "schema")]
    pub schemas: Vec<String>,
    /// Schemas to leave out (repeatable); must match how the snapshot was taken.
    #[arg(long = "exclude-schema")]
    pub exclude_schemas: Vec<String>,
    /// What the snapshot records beyond the structure; must match how it was taken.
    #[command(flatten)]
    pub content: super::snapshot::Content,
    /// The committed docs file; default `SCHEMA.md` beside the snapshot when it exists.
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Do not check docs at all.
    #[arg(long, conflicts_with = "docs")]
    pub no_docs: bool,
    #[command(flatten)]
    pub docs_flags: DocsFlags,
    /// Committed generated Rust code to check (e.g. `src/models.rs` written by `schema-gen generate`).
    #[arg(long, value_name = "FILE")]
    pub generated: Option<PathBuf>,
    /// The generator options the code was generated with (JSON or TOML, as for `generate`).
    #[arg(long, value_name = "FILE", requires = "generated")]
    pub config: Option<PathBuf>,
    /// Run the lint gate on the committed snapshot.
    #[arg(long)]
    pub lint: bool,
    /// The `[lint]` config for the lint gate; default `pgcanon.toml` when it exists.
    #[arg(long, value_name = "FILE")]
    pub lint_config: Option<PathBuf>,
    /// Lint baseline: only findings outside it fail (implies `--lint`).
    #[arg(long, value_name = "FILE")]
    pub lint_baseline: Option<PathBuf>,
    /// The lowest lint level that fails; default from the config, else `error`.
    #[arg(long, value_enum)]
    pub fail_on: Option<schema_gen::lint::FailOn>,
    /// Run the query gate: the SQL in these paths (default `src`) against the committed snapshot.
    #[cfg(feature = "queries")]
    #[arg(long, num_args = 0.., value_name = "PATH")]
    pub queries: Option<Vec<PathBuf>>,
    /// The `[queries]` config for the query gate; default `pgcanon.toml` when it exists.
    #[cfg(feature = "queries")]
    #[arg(long, value_name = "FILE")]
    pub queries_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

/// Runs `schema-gen check`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot_path = args.snapshot.display().to_string();
    let url = database_url(args.database_url.clone()).filter(|_| !args.offline);
    // A missing snapshot is a finding (with the command that creates it) when the database is
    // at hand; without one it is an error, since nothing could be checked.
    let committed = match Snapshot::load(&args.snapshot) {
        Ok(s) => Some(s),
        Err(_) if url.is_some() && !args.snapshot.exists() => None,
        Err(e) => return Err(e.into()),
    };
    let mut report = GateReport::default();

    if let Some(url) = &url {
        let redacted = schema_gen::db::redact_url(url);
        let url_from_flag = args.database_url.as_deref().is_some_and(|u| !u.trim().is_empty());
        // The fix must paste and run: a redacted URL (`***`) would not, so a URL with a
        // password is spelled as a variable the user sets instead.
        let url_word = match (url_from_flag, redacted != *url) {
            (false, _) => None,
            (true, true) => Some("\"$DATABASE_URL\"".to_owned()),
            (true, false) => Some(shell_word(url)),
        };
        let fix = snapshot_fix(&args, &snapshot_path, url_word.as_deref());
        let against = format!("live database {redacted}");
        report.artifacts.push(match &committed {
            Some(committed) => {
                let options = IntrospectOptions {
                    include_schemas: args.schemas.clone(),
                    exclude_schemas: args.exclude_schemas.clone(),
                    function_bodies: args.content.function_bodies,
                    privileges: !args.content.no_privileges,
                    ..IntrospectOptions::default()
                };
                let live = introspect_url(url, &options)?;
                super::snapshot::require_schemas_found(&live, &options, url)?;
                check_live(committed, &snapshot_path, &live, &against, &fix)
            }
            None => missing_snapshot(&snapshot_path, &against, &fix),
        });
    }

    // Docs are derived from the committed snapshot, so without one they cannot be judged.
    if let (Some(committed), Some(docs)) = (&committed, docs_path(&args)) {
        let fix = format!("schema-gen docs --snapshot {} --out {}{}", shell_word(&snapshot_path), shell_word(&docs.display().to_string()), args.docs_flags.to_command_line());
        report.artifacts.push(check_docs(committed, &snapshot_path, &docs, &args.docs_flags.options(), &fix)?);
    }

    if let (Some(committed), Some(generated)) = (&committed, &args.generated) {
        report.artifacts.push(check_generated_code(committed, &snapshot_path, generated, args.config.as_deref())?);
    }

    if let (Some(committed), true) = (&committed, args.lint || args.lint_baseline.is_some()) {
        report.artifacts.push(check_lint_gate(committed, &snapshot_path, &args)?);
    }

    // The query gate: `--queries [PATH…]`, or `paths` in the config's `[queries]` section.
    #[cfg(feature = "queries")]
    if let Some(committed) = &committed {
        let paths = match &args.queries {
            Some(p) => Some(p.clone()),
            None => super::queries::configured_paths(args.queries_config.as_deref())?,
        };
        if let Some(paths) = paths {
            report.artifacts.push(super::queries::gate(committed, &snapshot_path, &paths, args.queries_config.as_deref())?);
        }
    }

    if report.artifacts.is_empty() {
        // A gate that checks nothing would pass silently forever: treat it as misconfiguration.
        return Err(schema_gen::Error::Config(
            "`check` has nothing to check: pass `--database-url` (or set `PGCANON_DATABASE_URL`/`DATABASE_URL`), `--docs FILE`, `--generated FILE`, `--lint` or `--queries`".into(),
        ));
    }
    let mut findings = report.to_findings();
    // GitHub annotations and SARIF point lint findings at their lines in the snapshot.
    // Only the reported objects' lines, read a line at a time (not the whole text again).
    let objects = findings.findings.iter().filter_map(|f| f.object_ref());
    if let Some(lines) = committed.as_ref().and_then(|_| schema_gen::findings::SnapshotLines::index_file(&args.snapshot, objects).ok()) {
        findings.artifact = Some(snapshot_path.clone());
        findings.lines = Some(lines);
    }
    super::emit_report(&findings, args.format)?;
    Ok(ExitCode::from(if report.is_clean() { EXIT_OK } else { EXIT_FINDINGS }))
}

/// The plug between the gate and the code generator: re-generates with the same options as
/// `schema-gen generate --config` and byte-compares with the committed file.
fn check_generated_code(snapshot: &Snapshot, snapshot_path: &str, generated: &Path, config: Option<&Path>) -> schema_gen::Result<ArtifactStatus> {
    let cfg = match config {
        Some(path) => Config::from_options(load_options(path)?),
        None => Config::new(),
    };
    let mut fix = format!("schema-gen generate --snapshot {} --out {}", shell_word(snapshot_path), shell_word(&generated.display().to_string()));
    if let Some(c) = config {
        fix.push_str(&format!(" --config {}", shell_word(&c.display().to_string())));
    }
    check_generated(snapshot, snapshot_path, generated, |s| Ok(cfg.generate(s)?.code), &fix)
}

/// The plug between the gate and `lint`: the findings that would make `schema-gen lint` with
/// the same config, baseline and threshold exit 1.
fn check_lint_gate(snapshot: &Snapshot, snapshot_path: &str, args: &Args) -> schema_gen::Result<ArtifactStatus> {
    let config = super::lint::lint_config(args.lint_config.as_deref())?;
    let report = super::lint::lint_report(snapshot, None, &config, &[], args.lint_baseline.as_deref())?;
    let threshold = args.fail_on.or(config.fail_on).unwrap_or_default().threshold();
    let failing: Vec<_> = report.findings.into_iter().filter(|f| threshold.is_some_and(|t| f.level >= t)).collect();
    let mut fix = format!("schema-gen lint {}", shell_word(snapshot_path));
    if let Some(c) = &args.lint_config {
        fix.push_str(&format!(" --config {}", shell_word(&c.display().to_string())));
    }
    if let Some(b) = &args.lint_baseline {
        fix.push_str(&format!(" --baseline {}", shell_word(&b.display().to_string())));
    }
    let against = match &args.lint_baseline {
        Some(b) => format!("lint rules, baseline {}", b.display()),
        None => "lint rules".to_owned(),
    };
    Ok(check_lint(snapshot_path, failing, &against, &fix))
}

/// The docs file to check: `--docs`, else `SCHEMA.md` beside the snapshot when it exists.
/// An explicit `--docs` that does not exist is reported as missing, not skipped.
fn docs_path(args: &Args) -> Option<PathBuf> {
    if args.no_docs {
        return None;
    }
    if let Some(d) = &args.docs {
        return Some(d.clone());
    }
    let beside = args.snapshot.parent().unwrap_or(Path::new("")).join("SCHEMA.md");
    beside.exists().then_some(beside)
}

/// `schema-gen snapshot …` with the same schema filters. `url_word` is the `--database-url`
/// argument, already shell-quoted; `None` when the environment supplies the URL.
fn snapshot_fix(args: &Args, snapshot_path: &str, url_word: Option<&str>) -> String {
    let mut s = String::from("schema-gen snapshot");
    if let Some(word) = url_word {
        s.push_str(&format!(" --database-url {word}"));
    }
    for sc in &args.schemas {
        s.push_str(&format!(" --schema {}", shell_word(sc)));
    }
    for sc in &args.exclude_schemas {
        s.push_str(&format!(" --exclude-schema {}", shell_word(sc)));
    }
    if args.content.function_bodies {
        s.push_str(" --function-bodies");
    }
    if args.content.no_privileges {
        s.push_str(" --no-privileges");
    }
    s.push_str(&format!(" --out {}", shell_word(snapshot_path)));
    s
}

/// Single-quotes a word for a POSIX shell when it holds anything beyond a safe set.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@=+,".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
