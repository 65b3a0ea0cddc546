//! `schema-gen introspect`: print the live structure, as text or as snapshot JSON.

use std::process::ExitCode;

use clap::ValueEnum;

use super::snapshot::Source;
use super::EXIT_OK;

/// What `introspect` prints. Its own enum, not [`super::Format`], so `--help` offers only what
/// works (Markdown is `schema-gen docs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum IntrospectFormat {
    /// A readable summary.
    #[default]
    Text,
    /// The snapshot JSON, as `snapshot` would write it.
    Json,
}

/// Arguments of `schema-gen introspect`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// `text` (a readable summary) or `json` (the snapshot JSON, as `snapshot` would write it).
    #[arg(long, value_enum, default_value_t = IntrospectFormat::Text)]
    format: IntrospectFormat,
}

/// Runs `schema-gen introspect`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot = args.source.introspect()?;
    let text = match args.format {
        IntrospectFormat::Json => snapshot.to_json(),
        IntrospectFormat::Text => schema_gen::summary::render_text(&snapshot),
    };
    super::emit(&text)?;
    Ok(ExitCode::from(EXIT_OK))
}
