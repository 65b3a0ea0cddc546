//! The PostgreSQL client crates that generated models and the derive's row mapping target.
//!
//! One snapshot, one type map, several clients: a target decides only how rows are decoded
//! (`TryFrom<&postgres::Row>`, `TryFrom<&tokio_postgres::Row>`, `sqlx::FromRow`) and which
//! traits enums, composites and support types implement. What a column *is* (its Rust type,
//! its nullability) stays the same for every target, so switching clients never changes the
//! checks a model must pass.

use serde::{Deserialize, Serialize};

/// A client crate to generate row mapping for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Target {
    /// The synchronous `postgres` crate (0.19): `impl TryFrom<&postgres::Row>`, enums and
    /// composites through the `postgres-types` derives. The default.
    #[default]
    #[serde(rename = "postgres")]
    Postgres,
    /// `tokio-postgres` (0.7), also what `deadpool-postgres` and `bb8-postgres` hand out:
    /// `impl TryFrom<&tokio_postgres::Row>`, the same `postgres-types` derives, and no path into
    /// the synchronous crate.
    #[serde(rename = "tokio-postgres")]
    TokioPostgres,
    /// `sqlx` (0.8, PostgreSQL driver): `#[derive(sqlx::FromRow)]` structs, `#[derive(sqlx::Type)]`
    /// enums and composites, and `sqlx::{Type, Encode, Decode}` for the support types.
    #[serde(rename = "sqlx")]
    Sqlx,
}

impl Target {
    /// Every target, in declaration order.
    pub const ALL: &'static [Target] = &[Target::Postgres, Target::TokioPostgres, Target::Sqlx];

    /// The name used in configuration files and attributes (`postgres`, `tokio-postgres`, `sqlx`).
    pub fn name(self) -> &'static str {
        match self {
            Target::Postgres => "postgres",
            Target::TokioPostgres => "tokio-postgres",
            Target::Sqlx => "sqlx",
        }
    }

    /// The target named `name` (also accepts `tokio_postgres`, the crate's Rust name).
    pub fn from_name(name: &str) -> Option<Target> {
        match name.trim() {
            "postgres" => Some(Target::Postgres),
            "tokio-postgres" | "tokio_postgres" => Some(Target::TokioPostgres),
            "sqlx" => Some(Target::Sqlx),
            _ => None,
        }
    }

    /// The crate name as written in `Cargo.toml`.
    pub fn crate_name(self) -> &'static str {
        self.name()
    }

    /// True for the two targets that share `postgres-types` (`ToSql`/`FromSql`).
    pub fn uses_postgres_types(self) -> bool {
        matches!(self, Target::Postgres | Target::TokioPostgres)
    }

    /// The list of valid names, for error messages: `` `postgres`, `tokio-postgres`, `sqlx` ``.
    pub fn valid_names() -> String {
        Target::ALL.iter().map(|t| format!("`{}`", t.name())).collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of targets, deduplicated and in [`Target::ALL`] order, so generated code does not depend
/// on the order a configuration lists them in.
pub fn normalized(targets: &[Target]) -> Vec<Target> {
    let mut out: Vec<Target> = Target::ALL.iter().copied().filter(|t| targets.contains(t)).collect();
    if out.is_empty() {
        out.push(Target::Postgres);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sets_normalize() {
        for t in Target::ALL {
            assert_eq!(Target::from_name(t.name()), Some(*t));
            assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{}\"", t.name()));
        }
        assert_eq!(Target::from_name("diesel"), None);
        assert_eq!(normalized(&[Target::Sqlx, Target::Postgres, Target::Sqlx]), [Target::Postgres, Target::Sqlx]);
        assert_eq!(normalized(&[]), [Target::Postgres]);
    }
}
