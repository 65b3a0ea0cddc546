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
}

impl Source {
    /// Connects and introspects, printing any warning (e.g. a server newer than the newest
    /// tested major) to stderr.
    pub fn introspect(self) -> schema_gen::Result<schema_gen::Snapshot> {
        let url = require_database_url(self.database_url)?;
        let options = IntrospectOptions {
            include_schemas: self.schemas,
            exclude_schemas: self.exclude_schemas,
            statement_timeout: Duration::from_secs(self.timeout.max(1)),
        };
        let (snapshot, stats) = introspect_url_with_stats(&url, &options)?;
        for warning in &stats.warnings {
            eprintln!("warning: {warning}");
        }
        Ok(snapshot)
    }
}

/// Arguments of `schema-gen snapshot`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// The snapshot file to write (atomically, and only when its content changes).
    #[arg(long, value_name = "FILE", default_value = "schema/snapshot.json")]
    out: PathBuf,
    /// Record what changed in this Markdown change log (newest entry first) whenever the
    /// snapshot file changes. The date is today's (UTC), or `PGCANON_DATE`.
    #[arg(long, value_name = "FILE")]
    changelog: Option<PathBuf>,
}

/// Runs `schema-gen snapshot`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot = args.source.introspect()?;
    // The previous snapshot is read before it is overwritten, so the change log can say what
    // changed. Without a previous file there is nothing to compare, hence no entry.
    let previous = match &args.changelog {
        Some(_) if args.out.exists() => Some(schema_gen::Snapshot::load(&args.out)?),
        _ => None,
    };
    let written = snapshot.save(&args.out)?;
    println!("{}", schema_gen::summary::snapshot_line(&args.out.display().to_string(), written, &snapshot));
    if let (Some(log), Some(previous)) = (&args.changelog, previous) {
        if written && schema_gen::changelog::append_if_changed(log, &previous, &snapshot)? {
            println!("change log: added an entry to {}", log.display());
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
