//! The `build.rs` builder. (Being implemented.)

/// Configures model generation from a build script, in the style of `prost_build::Config`.
#[derive(Debug, Clone, Default)]
pub struct Config {}
