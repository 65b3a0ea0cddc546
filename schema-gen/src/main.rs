//! The `schema-gen` command-line tool. Each subcommand lives in its own module under `cli/`.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::{Command, EXIT_ERROR};

/// The live PostgreSQL catalog as the single source of truth: snapshot it, generate Rust models
/// and docs from it, and prove in CI that nothing drifted.
#[derive(Parser)]
#[command(name = "schema-gen", version, about, long_about = None, after_help = cli::EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
