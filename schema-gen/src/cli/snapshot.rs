//! `schema-gen snapshot`: live catalog → committed snapshot file.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use schema_gen::introspect::{introspect_url_with_stats, IntrospectOptions};

use super::{require_database_url, EXIT_OK};

/// Where to read the live structure from; shared by `snapshot` and `introspect`.
#[derive(clap::Args)]
pub struct Source {
    /// The database to read (else PGCANON_DATABASE_URL, then DATABASE_URL).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Only this schema (repeatable). Default: every non-system schema.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Leave this schema out (repeatable).
    #[arg(long = "exclude-schema", value_name = "SCHEMA")]
    pub exclude_schemas: Vec<String>,
    /// Per-query statement timeout, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    #[command(flatten)]
    pub content: Content,
}

/// What the snapshot records beyond the structure; `check` must be given the same.
#[derive(clap::Args, Clone, Copy, Default)]
pub struct Content {
    /// Record function bodies (off by default: large, and often not wanted in the repository).
    #[arg(long)]
    pub function_bodies: bool,
    /// Leave privileges (GRANTs on schemas, tables, columns, sequences, functions) out.
    #[arg(long)]
    pub no_privileges: bool,
}

impl Source {
    /// Connects and introspects, printing any warning (e.g. a server newer than the newest
    /// tested major) to stderr. Every `--schema` (not also excluded) must exist.
    pub fn introspect(self) -> schema_gen::Result<schema_gen::Snapshot> {
        let url = require_database_url(self.database_url)?;
        let options = IntrospectOptions {
            include_schemas: self.schemas,
            exclude_schemas: self.exclude_schemas,
            statement_timeout: Duration::from_secs(self.timeout.max(1)),
            function_bodies: self.content.function_bodies,
            privileges: !self.content.no_privileges,
        };
        let (snapshot, stats) = introspect_url_with_stats(&url, &options)?;
        for warning in &stats.warnings {
            eprintln!("warning: {warning}");
        }
        require_schemas_found(&snapshot, &options, &url)?;
        Ok(snapshot)
    }
}

/// An error when a `--schema` the user asked for is not in `snapshot`: a typo there would
/// otherwise silently yield an empty (or partial) snapshot. Empty schemas are listed by the
/// catalog, so "not in the snapshot" means "does not exist".
pub fn require_schemas_found(snapshot: &schema_gen::Snapshot, options: &IntrospectOptions, url: &str) -> schema_gen::Result<()> {
    let missing: Vec<&str> = options
        .include_schemas
        .iter()
        .filter(|s| !options.exclude_schemas.contains(s) && snapshot.schema(s).is_none())
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(schema_gen::Error::SchemaNotFound {
        missing: missing.join("`, `--schema "),
        url: schema_gen::db::redact_url(url),
        found: if snapshot.schemas.is_empty() {
            "; `schema-gen introspect` lists every schema".to_owned()
        } else {
            format!("; of the requested schemas only {} exist", snapshot.schemas.iter().map(|s| format!("`{}`", s.name)).collect::<Vec<_>>().join(", "))
        },
    })
}

/// Arguments of `schema-gen snapshot`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// The snapshot file to write (atomically, and only when its content changes); `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "schema/snapshot.json")]
    out: PathBuf,
    /// Record what changed in this Markdown change log (newest entry first) whenever the
    /// snapshot file changes. The date is today's (UTC), or `PGCANON_DATE`.
    #[arg(long, value_name = "FILE")]
    changelog: Option<PathBuf>,
    /// Write the snapshot even when it holds no tables, views or types (by default an empty
    /// result is refused: it is almost always the wrong database and would wipe every model).
    #[arg(long)]
    allow_empty: bool,
}

/// Runs `schema-gen snapshot`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let to_stdout = super::is_stdout(&args.out);
    if to_stdout && args.changelog.is_some() {
        return Err(schema_gen::Error::Config(
            "`--changelog` compares with the previous snapshot file, so it needs `--out FILE`, not `--out -`".into(),
        ));
    }
    // Both files are checked before either is written, so a bad `--changelog` path cannot
    // leave a rewritten snapshot without its log entry.
    if !to_stdout {
        schema_core::fsutil::check_writable(&args.out)?;
    }
    if let Some(log) = &args.changelog {
        schema_core::fsutil::check_writable(log)?;
    }
    let url_for_messages = super::database_url(args.source.database_url.clone()).map(|u| schema_gen::db::redact_url(&u));
    let requested: Vec<String> = args.source.schemas.clone();
    let snapshot = args.source.introspect()?;
    let st = snapshot.stats();
    if st.tables + st.views + st.enums + st.domains + st.composites == 0 && !args.allow_empty {
        let detail = match &requested {
            v if v.is_empty() => String::new(),
            v => format!(" in schemas {}", v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
        };
        return Err(schema_gen::Error::EmptySnapshot {
            url: url_for_messages.unwrap_or_default(),
            path: args.out.display().to_string(),
            detail,
        });
    }
    if to_stdout {
        super::emit(&snapshot.to_json())?;
        super::note(&snapshot.stats().to_string());
        return Ok(ExitCode::from(EXIT_OK));
    }
    // The previous snapshot is read before it is overwritten, so the change log can say what
    // changed. Without a previous file there is nothing to compare, hence no entry.
    let previous = match &args.changelog {
        Some(_) if args.out.exists() => Some(schema_gen::Snapshot::load(&args.out)?),
        _ => None,
    };
    let written = snapshot.save(&args.out)?;
    super::emit(&format!("{}\n", schema_gen::summary::snapshot_line(&args.out.display().to_string(), written, &snapshot)))?;
    if let (Some(log), Some(previous)) = (&args.changelog, previous) {
        if written && schema_gen::changelog::append_if_changed(log, &previous, &snapshot)? {
            super::emit(&format!("change log: added an entry to {}\n", log.display()))?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
