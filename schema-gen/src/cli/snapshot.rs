//! `schema-gen snapshot`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen snapshot`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen snapshot`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`snapshot` is not implemented yet".into()))
}
