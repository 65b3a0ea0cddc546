//! `schema-gen generate`: snapshot → Rust models in a file, with the same generator (and the
//! same options, from `--config`) as `build.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::config::file::load_options;
use schema_gen::{Config, Snapshot};

use super::EXIT_OK;

/// Arguments of `schema-gen generate`.
#[derive(clap::Args)]
pub struct Args {
    /// The snapshot to generate from.
    #[arg(long, value_name = "FILE", default_value = "schema/snapshot.json")]
    pub snapshot: PathBuf,
    /// The Rust file to write (atomically, only when its content changes); `-` for stdout.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Generator options as JSON or TOML (`.toml`): type crates, overrides, attributes, filters.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Runs `schema-gen generate`. Warnings (fallback types and the override to add) go to stderr.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let config = match &args.config {
        Some(path) => Config::from_options(load_options(path)?),
        None => Config::new(),
    };
    let snapshot = Snapshot::load(&args.snapshot)?;
    let generated = config.generate(&snapshot)?;
    for w in &generated.warnings {
        super::note(&format!("warning: {w}"));
    }
    if super::is_stdout(&args.out) {
        super::emit(&generated.code)?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    if schema_gen::write_if_changed(&args.out, generated.code.as_bytes())? {
        super::note(&format!("wrote {}", args.out.display()));
    } else {
        super::note(&format!("{} is up to date", args.out.display()));
    }
    Ok(ExitCode::from(EXIT_OK))
}
