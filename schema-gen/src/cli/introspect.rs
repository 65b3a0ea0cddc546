//! `schema-gen introspect`: print the live structure, as text or as snapshot JSON.

use std::io::Write;
use std::process::ExitCode;

use super::snapshot::Source;
use super::{Format, EXIT_OK};

/// Arguments of `schema-gen introspect`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// `text` (a readable summary) or `json` (the snapshot JSON, as `snapshot` would write it).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `schema-gen introspect`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot = args.source.introspect()?;
    let text = match args.format {
        Format::Json => snapshot.to_json(),
        Format::Text => schema_gen::summary::render_text(&snapshot),
        Format::Markdown => {
            return Err(schema_gen::Error::Config("`introspect` prints `text` or `json`; for Markdown use `schema-gen docs`".into()));
        }
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(ExitCode::from(EXIT_OK))
}
