//! `schema-gen check`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen check`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen check`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`check` is not implemented yet".into()))
}
