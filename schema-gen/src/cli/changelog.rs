//! `schema-gen changelog A B`: a dated change-log entry between two snapshots or databases.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::changelog::{append, entry_from_changes, today, validate_date};
use schema_gen::diff::diff;

use super::diff::load_side;
use super::EXIT_OK;

/// Arguments of `schema-gen changelog`.
#[derive(clap::Args)]
#[command(after_help = "\
Each side is a snapshot file or a database URL. The date is today's (UTC) unless --date or
PGCANON_DATE is set.

Examples:
  schema-gen changelog /tmp/old.json schema/snapshot.json
  schema-gen changelog /tmp/old.json schema/snapshot.json \\
      --append schema/CHANGES.md")]
pub struct Args {
    /// The old side: a snapshot file or a database URL.
    pub old: String,
    /// The new side: a snapshot file or a database URL.
    pub new: String,
    /// The entry's date (`YYYY-MM-DD`); default: `PGCANON_DATE`, else today (UTC).
    #[arg(long)]
    pub date: Option<String>,
    /// Insert the entry (newest first) into this change-log file instead of printing it;
    /// nothing is written when the two sides are identical.
    #[arg(long)]
    pub append: Option<PathBuf>,
}

/// Runs `schema-gen changelog`. Always exits 0 on success: an entry is not a finding.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let (old, _) = load_side(&args.old)?;
    let (new, _) = load_side(&args.new)?;
    let date = match args.date {
        Some(d) => validate_date(d, "--date")?,
        None => today()?,
    };
    let changes = diff(&old, &new);
    let text = entry_from_changes(&changes, &date);
    match &args.append {
        Some(path) if !changes.is_empty() => {
            append(path, &text)?;
            super::note(&format!("updated {}", path.display()));
        }
        Some(path) => super::note(&format!("no structural changes; {} left as is", path.display())),
        None => super::emit(&text)?,
    }
    Ok(ExitCode::from(EXIT_OK))
}
