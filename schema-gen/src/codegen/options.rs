//! Generator options: everything that shapes the generated code, serializable so that a
//! config file (`schema-gen generate --config`) and `build.rs` share one definition.

use serde::{Deserialize, Serialize};

use schema_core::target::Target;
use schema_core::typemap::TypeOptions;

/// An attribute (or derive) to add to the items a path matches.
///
/// Paths: `.` matches everything, `public` a schema, `public.users` a table, view, enum or
/// composite, `public.users.email` one field. A leading `.` (prost style, `.public.users`) is
/// accepted. Names are exact SQL names; no wildcards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeRule {
    /// The path matcher.
    pub path: String,
    /// The attribute, e.g. `#[derive(serde::Serialize)]` (the `#[...]` may be omitted).
    pub attribute: String,
}

impl AttributeRule {
    /// True when this rule applies to the item at `segments` (schema, object, field...).
    ///
    /// Matching compares whole joined prefixes, so names containing dots still match when
    /// spelled out in full.
    pub fn matches(&self, segments: &[&str]) -> bool {
        let path = match self.path.as_str() {
            "." | "" => return true,
            p => p.strip_prefix('.').unwrap_or(p),
        };
        (1..=segments.len()).any(|n| segments[..n].join(".") == path)
    }
}

/// Everything that shapes generated code. `Default` is what [`crate::Config::new`] starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GenerateOptions {
    /// Schemas to generate (exact names). Empty = all schemas in the snapshot.
    pub include_schemas: Vec<String>,
    /// Schemas to skip, applied after `include_schemas`.
    pub exclude_schemas: Vec<String>,
    /// When `build.rs` introspects: record function bodies in the snapshot (off by default).
    pub function_bodies: bool,
    /// When `build.rs` introspects: record privileges in the snapshot (on by default).
    pub privileges: bool,
    /// Type-crate choices and per-type / per-column overrides (shared with the derive).
    pub types: TypeOptions,
    /// Attributes added to generated structs and enums whose path matches.
    pub type_attributes: Vec<AttributeRule>,
    /// Attributes added to generated struct fields whose path matches.
    pub field_attributes: Vec<AttributeRule>,
    /// Emit rustdoc from PostgreSQL comments and SQL types. When off, modules get
    /// `#[allow(missing_docs)]` instead.
    pub docs: bool,
    /// The client crates to generate row mapping and trait impls for (one or several of
    /// `postgres`, `tokio-postgres`, `sqlx`); default `["postgres"]`.
    pub targets: Vec<Target>,
    /// Derive `serde::Serialize`/`Deserialize` on every struct and enum, keyed by the exact
    /// column names and PostgreSQL labels (default off).
    pub serde: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            include_schemas: Vec::new(),
            exclude_schemas: Vec::new(),
            function_bodies: false,
            privileges: true,
            types: TypeOptions::default(),
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            docs: true,
            targets: vec![Target::Postgres],
            serde: false,
        }
    }
}

impl GenerateOptions {
    /// True when schema `name` passes the include/exclude filters.
    pub fn includes_schema(&self, name: &str) -> bool {
        (self.include_schemas.is_empty() || self.include_schemas.iter().any(|s| s == name))
            && !self.exclude_schemas.iter().any(|s| s == name)
    }

    /// The configured targets, deduplicated and in a fixed order (`postgres` when none).
    pub fn targets(&self) -> Vec<Target> {
        schema_core::target::normalized(&self.targets)
    }

    /// True when `target` is among the configured targets.
    pub fn has_target(&self, target: Target) -> bool {
        self.targets().contains(&target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_matchers_match_prefixes() {
        let rule = |p: &str| AttributeRule { path: p.into(), attribute: "#[x]".into() };
        let field = ["public", "users", "email"];
        assert!(rule(".").matches(&field));
        assert!(rule("public").matches(&field));
        assert!(rule("public.users").matches(&field));
        assert!(rule(".public.users.email").matches(&field));
        assert!(!rule("public.users.id").matches(&field));
        assert!(!rule("billing").matches(&field));
        assert!(!rule("public.user").matches(&field));
        assert!(rule("public.a.b").matches(&["public", "a.b"]));
    }
}
