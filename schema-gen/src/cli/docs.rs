//! `schema-gen docs`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen docs`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen docs`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`docs` is not implemented yet".into()))
}
