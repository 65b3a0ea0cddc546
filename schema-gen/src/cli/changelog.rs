//! `schema-gen changelog`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen changelog`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen changelog`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`changelog` is not implemented yet".into()))
}
