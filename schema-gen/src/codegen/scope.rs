//! The name table: which Rust module and type each generated PostgreSQL object gets.
//!
//! Names are assigned once, up front, in snapshot order (sorted), so that a type referenced
//! from another schema's module resolves to exactly the identifier its definition received,
//! and so the assignment is deterministic.

use std::collections::BTreeMap;

use schema_core::snapshot::{Schema, Snapshot};

use super::naming::{camel, snake, Namer, RESERVED_TYPE_NAMES};
use super::options::GenerateOptions;

/// The module holding generated support items (the raw fallback type).
pub const SUPPORT_MODULE: &str = "pgcanon_support";

/// Rust names for every generated object.
#[derive(Debug, Default)]
pub struct Scope {
    /// PG schema name → module identifier.
    modules: BTreeMap<String, String>,
    /// (PG schema, PG object name) → type identifier (tables, views, enums, composites share
    /// PostgreSQL's type namespace, so the pair is unique).
    types: BTreeMap<(String, String), String>,
}

impl Scope {
    /// Assigns names for the schemas of `snapshot` that `options` includes.
    pub fn build(snapshot: &Snapshot, options: &GenerateOptions) -> Scope {
        let mut scope = Scope::default();
        let mut modules = Namer::with_reserved(&[SUPPORT_MODULE]);
        for schema in included(snapshot, options) {
            scope.modules.insert(schema.name.clone(), modules.claim(snake(&schema.name, "schema")));
            let mut types = Namer::with_reserved(RESERVED_TYPE_NAMES);
            let names = schema.tables.iter().map(|t| &t.name).chain(schema.views.iter().map(|v| &v.name));
            let names = names.chain(schema.enums.iter().map(|e| &e.name)).chain(schema.composites.iter().map(|c| &c.name));
            for name in names {
                let ident = types.claim(camel(name, "Type"));
                scope.types.insert((schema.name.clone(), name.clone()), ident);
            }
        }
        scope
    }

    /// The module identifier of a generated schema.
    pub fn module(&self, schema: &str) -> Option<&str> {
        self.modules.get(schema).map(String::as_str)
    }

    /// The type identifier of a generated object.
    pub fn type_name(&self, schema: &str, name: &str) -> Option<&str> {
        self.types.get(&(schema.to_owned(), name.to_owned())).map(String::as_str)
    }
}

/// The schemas to generate, in snapshot (name) order.
pub fn included<'a>(snapshot: &'a Snapshot, options: &'a GenerateOptions) -> impl Iterator<Item = &'a Schema> + 'a {
    snapshot.schemas.iter().filter(|s| options.includes_schema(&s.name))
}
