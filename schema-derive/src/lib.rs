//! pgcanon's derive: `#[derive(Model)]` checks a hand-written struct against the committed
//! schema snapshot at compile time, and generates its row mapping.
//!
//! ```ignore
//! #[derive(schema_derive::Model)]
//! #[model(table = "public.users", primary_key = "id")]
//! struct User {
//!     id: i64,
//!     #[model(column = "email_address")]
//!     email: String,
//!     #[model(skip)]
//!     cache: Option<Profile>,
//!     deleted_at: Option<chrono::DateTime<chrono::Utc>>,
//! }
//! ```
//!
//! Every mistake (unknown table or column, incompatible type, `Option` on a NOT NULL column,
//! ...) is a compile error at the offending token, all reported in one build. The struct gets
//! the generator's constants (`SCHEMA`, `TABLE`, `COLUMNS`, `SELECT_LIST`, `SELECT`,
//! `READ_ONLY`) and the row mapping of its target: `impl TryFrom<&postgres::Row>` (the
//! default), `TryFrom<&tokio_postgres::Row>` or `sqlx::FromRow`, chosen by
//! `#[model(target = "sqlx")]`, `PGCANON_TARGETS`, the options file's `targets` or, when
//! unambiguous, the crate's dependencies (see `targets`). The crate must depend on that client
//! (this crate does not); the checks are the same whatever the target.
//!
//! The snapshot is found by, in order: `#[model(snapshot = "path")]` (relative to the crate's
//! `CARGO_MANIFEST_DIR`), the `PGCANON_SNAPSHOT` environment variable (set by
//! `schema_gen::Config::compile()` via `cargo:rustc-env`, or by hand; relative paths again
//! resolve against `CARGO_MANIFEST_DIR`), then `CARGO_MANIFEST_DIR/schema/snapshot.json`.
//! Type options come from a `pgcanon.json` / `schema-gen.json` next to the snapshot (see
//! `schema_core::check::options`).

extern crate proc_macro;

mod expand;
mod source;
mod targets;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Checks the struct against the snapshot and generates its constants and
/// the row mapping of its target (`TryFrom<&postgres::Row>` by default). See the crate docs.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::expand(&input).into()
}
