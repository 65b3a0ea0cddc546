//! `schema-gen generate`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen generate`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen generate`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`generate` is not implemented yet".into()))
}
