//! `schema-gen diff A B`: structural changes between two snapshots or databases.

use std::process::ExitCode;

use schema_gen::diff::{diff, render_json, render_markdown, render_text};
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_gen::Snapshot;

use super::{Format, EXIT_FINDINGS, EXIT_OK};

/// Arguments of `schema-gen diff`.
#[derive(clap::Args)]
#[command(after_help = "\
Each side is a snapshot file or a database URL (postgres://… or postgresql://…).

Examples:
  schema-gen diff schema/snapshot.json postgres://localhost/app
  git show HEAD~1:schema/snapshot.json > /tmp/old.json
  schema-gen diff /tmp/old.json schema/snapshot.json --format markdown

Exit codes: 0 identical, 1 different, 2 error.")]
pub struct Args {
    /// The old side: a snapshot file or a database URL.
    pub old: String,
    /// The new side: a snapshot file or a database URL.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// True when `spec` names a database rather than a file.
pub fn is_url(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// Loads one side: a snapshot file, or a live introspection of a database URL. Returns the
/// snapshot and a label for reports (URLs redacted).
pub fn load_side(spec: &str) -> schema_gen::Result<(Snapshot, String)> {
    if is_url(spec) {
        let snapshot = introspect_url(spec, &IntrospectOptions::default())?;
        Ok((snapshot, schema_gen::db::redact_url(spec)))
    } else {
        Ok((Snapshot::load(spec)?, spec.to_owned()))
    }
}

/// Runs `schema-gen diff`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let (old, old_label) = load_side(&args.old)?;
    let (new, new_label) = load_side(&args.new)?;
    let changes = diff(&old, &new);
    let text = match args.format {
        Format::Text => render_text(&changes, &old_label, &new_label),
        Format::Json => render_json(&changes, &old_label, &new_label),
        Format::Markdown => render_markdown(&changes, &old_label, &new_label),
    };
    super::emit(&text)?;
    Ok(ExitCode::from(if changes.is_empty() { EXIT_OK } else { EXIT_FINDINGS }))
}
