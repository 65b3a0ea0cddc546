//! `schema-gen models`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen models`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen models`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`models` is not implemented yet".into()))
}
