//! Hand-written models of the demo schema, checked against `schema/snapshot.json` at compile
//! time by `#[derive(Model)]`: rename a column in `schema/demo.sql`, re-snapshot, and the build
//! points at the field that no longer fits.
//!
//! They complement the generated models (`crate::generated`): a hand-written model picks the
//! columns it needs, names fields freely and uses its own types, and is still proven current.

mod billing;
mod users;

pub use billing::{Payment, PaymentStatus};
pub use users::{ActiveUser, Comment, Media, PostalAddress, User, UserMediaCount, UserRole};
