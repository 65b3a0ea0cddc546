//! pgcanon's library: the live PostgreSQL catalog as the single source of truth.
//!
//! - [`introspect`]: live catalog → [`Snapshot`] (feature `live`).
//! - [`codegen`] and [`Config`]: snapshot → Rust models, from `build.rs` or the CLI.
//! - [`docs`]: snapshot → Markdown.
//! - [`diff`]: snapshot × snapshot → ordered changes (drift, CI gate, change log).
//! - [`changelog`]: dated Markdown change-log entries from two snapshots.
//! - [`gate`]: the CI gate (`schema-gen check`): committed snapshot, docs and code are current.
//! - [`check`]: hand-written models × snapshot → discrepancies (the derive and `schema-gen models`).
//! - [`lint`]: snapshot → [`findings`] (the schema audit behind `schema-gen lint`).
//! - [`findings`]: one findings model and its formatters (text, JSON, Markdown, GitHub, SARIF).
//! - [`summary`]: snapshot → one-line and text summaries for terminals.
//! - [`reconcile`]: snapshot × snapshot → an idempotent, two-phase DDL script; [`apply`] runs it.
//!
//! The snapshot model and type map live in `schema-core` and are re-exported here.

pub mod changelog;
pub mod codegen;
pub mod config;
pub mod db;
pub mod diff;
pub mod docs;
pub mod error;
pub mod findings;
pub mod gate;
#[cfg(feature = "live")]
pub mod introspect;
pub mod lint;
pub mod models;
#[cfg(feature = "queries")]
pub mod queries;
#[cfg(feature = "live")]
pub mod apply;
pub mod reconcile;
pub mod summary;

pub use config::Config;
pub use error::{Error, Result};
pub use schema_core::check;
pub use schema_core::fsutil::write_if_changed;
pub use schema_core::snapshot::{self, Snapshot};
pub use schema_core::target::{self, Target};
pub use schema_core::typemap;
