//! Snapshot → Rust models.
//!
//! One `pub mod <schema>` per PostgreSQL schema holding a struct per table and view (with
//! name constants and `TryFrom<&postgres::Row>`), an enum per enum type and a struct per
//! composite type, plus a `pgcanon_support` module with the raw fallback type. The output is
//! a pure function of the snapshot and the options: tokens are built with `quote`, checked
//! by parsing into a `syn::File`, and formatted by `prettyplease`.
//!
//! Submodules: [`naming`] (identifiers), [`scope`] (name table), [`types`] (type tokens),
//! [`fields`], [`structs`], [`enums`], [`rowmap`], [`support`], [`render`], [`options`].

pub mod attrs;
pub mod enums;
pub mod fields;
pub mod naming;
pub mod options;
pub mod render;
pub mod rowmap;
pub mod scope;
pub mod structs;
pub mod support;
pub mod types;

use quote::quote;
use schema_core::snapshot::Snapshot;
use schema_core::typemap::TypeMap;

pub use options::{AttributeRule, GenerateOptions};

use attrs::code;
use naming::ident;
use scope::Scope;
use types::TypeRenderer;

/// Generated source and the warnings produced along the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The formatted Rust source, starting with the `@generated` header.
    pub code: String,
    /// Human-readable warnings (fallback types, each naming the override to add), in
    /// generation order. `build.rs` prints them as `cargo:warning=`.
    pub warnings: Vec<String>,
}

/// State shared by the item generators for one run.
pub struct Ctx<'a> {
    /// The snapshot being generated from.
    pub snapshot: &'a Snapshot,
    /// The options.
    pub options: &'a GenerateOptions,
    /// The type map configured from `options.types`.
    pub map: TypeMap,
    /// Rust names of every generated object.
    pub scope: Scope,
    /// Type token cache.
    pub types: TypeRenderer,
    /// Warnings collected so far.
    pub warnings: Vec<String>,
}

/// Generates models for `snapshot`. Pure: no I/O, no environment.
pub fn generate(snapshot: &Snapshot, options: &GenerateOptions) -> crate::Result<Generated> {
    let mut ctx = Ctx {
        snapshot,
        options,
        map: TypeMap::new(options.types.clone()),
        scope: Scope::build(snapshot, options),
        types: TypeRenderer::default(),
        warnings: Vec::new(),
    };
    let mut items = vec![render::item(scope::SUPPORT_MODULE, support::module())?];
    for schema in scope::included(snapshot, options) {
        // A schema holding only domains (or nothing) would be an empty module: noise.
        if schema.tables.is_empty() && schema.views.is_empty() && schema.enums.is_empty() && schema.composites.is_empty() {
            continue;
        }
        let mut body = proc_macro2::TokenStream::new();
        for e in &schema.enums {
            body.extend(enums::enum_type(&mut ctx, schema, e)?);
        }
        for c in &schema.composites {
            body.extend(structs::composite(&mut ctx, schema, c)?);
        }
        for rel in schema.relations() {
            body.extend(structs::relation(&mut ctx, schema, rel)?);
        }
        let module = ident(ctx.scope.module(&schema.name).unwrap_or("schema"));
        let note = format!("Models of PostgreSQL schema {}.", code(&schema.name));
        let docs = attrs::doc(options.docs, &[schema.comment.clone().unwrap_or_default(), note]);
        let missing_docs = if options.docs { quote!() } else { quote!(#[allow(missing_docs)]) };
        let tokens = quote! {
            #docs
            #missing_docs
            // Names come from the database: tolerate the lints they may trip, nothing else.
            #[allow(clippy::enum_variant_names, clippy::upper_case_acronyms, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph, rustdoc::all)]
            pub mod #module { #body }
        };
        items.push(render::item(&schema.name, tokens)?);
    }
    Ok(Generated { code: render::file(items), warnings: ctx.warnings })
}
