//! `schema-gen diff`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen diff`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen diff`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`diff` is not implemented yet".into()))
}
