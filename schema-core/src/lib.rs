//! The I/O-free core of pgcanon: the snapshot model and the PostgreSQL → Rust type map.
//!
//! This crate is shared by `schema-gen` (library and CLI) and `schema-derive` (proc macro). It
//! deliberately depends on no PostgreSQL client, async runtime or CLI parser, so the derive stays
//! cheap to compile.

pub mod check;
pub mod error;
pub mod fsutil;
pub mod snapshot;
pub mod sql;
pub mod target;
pub mod typemap;

pub use error::{Error, Result};
pub use snapshot::Snapshot;
