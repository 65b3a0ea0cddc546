//! `schema-gen introspect`. (Being implemented.)

use std::process::ExitCode;

/// Arguments of `schema-gen introspect`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `schema-gen introspect`.
pub fn run(_args: Args) -> schema_gen::Result<ExitCode> {
    Err(schema_gen::Error::Config("`introspect` is not implemented yet".into()))
}
