//! Hand-written model × snapshot → discrepancies.
//!
//! One function, [`check_model`], serves both front ends: the `Model` derive turns each
//! [`Discrepancy`] into a compile error at the [`Location`]'s span, and `schema-gen models`
//! prints them all with file positions. Models are described by plain data ([`ModelDef`]);
//! [`syntax`] (feature `syn`) builds that description from Rust source for both front ends, so
//! they parse attributes identically.
//!
//! Type options (which date/time crate, overrides) come from [`options::resolve`]: the
//! `PGCANON_TYPE_OPTIONS` variable, else a `pgcanon.json` or `schema-gen.json` next to the
//! snapshot, else [`TypeOptions::default`].
//!
//! [`TypeOptions::default`]: crate::typemap::TypeOptions

mod checker;
mod discrepancy;
mod model;
pub mod options;
mod suggest;
#[cfg(feature = "syn")]
pub mod syntax;
mod types;

pub use checker::check_model;
pub use discrepancy::{Code, Discrepancy, Location};
pub use model::{FieldDef, ModelDef, RenameRule, RustTypeRepr};
pub use suggest::closest;
