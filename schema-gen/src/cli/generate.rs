//! `schema-gen generate`: snapshot → Rust models in a file, with the same generator (and the
//! same options, from `--config`) as `build.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::config::file::load_options;
use schema_gen::{Config, Snapshot, Target};

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
    /// Client crate to generate row mapping for: `postgres`, `tokio-postgres` or `sqlx`; repeat
    /// for several. Replaces the config's `targets` (default `postgres`).
    #[arg(long = "target", value_name = "CLIENT", value_parser = parse_target)]
    pub targets: Vec<Target>,
    /// Derive `serde::Serialize`/`Deserialize` (column names and enum labels as keys).
    #[arg(long)]
    pub serde: bool,
}

fn parse_target(name: &str) -> Result<Target, String> {
    Target::from_name(name).ok_or_else(|| format!("unknown target `{name}`; use one of {}", Target::valid_names()))
}

/// Runs `schema-gen generate`. Warnings (fallback types and the override to add) go to stderr.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let mut config = match &args.config {
        Some(path) => Config::from_options(load_options(path)?),
        None => Config::new(),
    };
    if !args.targets.is_empty() {
        config.targets(args.targets.iter().copied());
    }
    if args.serde {
        config.serde(true);
    }
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
