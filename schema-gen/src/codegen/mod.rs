//! Snapshot → Rust models.
//!
//! One `pub mod <schema>` per PostgreSQL schema holding a struct per table and view (with
//! name constants and the row mapping of each target: `TryFrom<&postgres::Row>`,
//! `TryFrom<&tokio_postgres::Row>`, `sqlx::FromRow`; see [`targets`]), an enum per enum type and
//! a struct per composite type, plus a `pgcanon_support` module with the raw fallback type. The output is
//! a pure function of the snapshot and the options: tokens are built with `quote`, checked
//! by parsing into `syn` items, and formatted by `prettyplease`.
//!
//! Large schemas are generated in parallel chunks (see [`render`]); the result is
//! byte-identical to formatting the whole file at once.
//!
//! Submodules: [`naming`] (identifiers), [`scope`] (name table), [`types`] (type tokens),
//! [`fields`], [`fallbacks`] (warnings), [`structs`], [`enums`], [`rowmap`], [`support`], [`support_types`], [`support_generic`], [`targets`], [`render`], [`options`].

pub mod attrs;
pub mod enums;
pub mod fallbacks;
pub mod fields;
pub mod naming;
pub mod options;
pub mod render;
pub mod rowmap;
pub mod scope;
pub mod structs;
pub mod support;
pub mod support_generic;
pub mod support_types;
pub mod targets;
pub mod types;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::snapshot::{CompositeType, EnumType, Relation, Schema, Snapshot};
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

/// State shared by the item generators of one chunk.
pub struct Ctx<'a> {
    /// The snapshot being generated from.
    pub snapshot: &'a Snapshot,
    /// The options.
    pub options: &'a GenerateOptions,
    /// The type map configured from `options.types`.
    pub map: &'a TypeMap,
    /// Rust names of every generated object.
    pub scope: &'a Scope,
    /// Type token cache (per chunk, so chunks share nothing mutable).
    pub types: TypeRenderer,
    /// Fields generated as the raw fallback so far (summarized into warnings at the end).
    pub fallbacks: Vec<fallbacks::Fallback>,
}

/// One generated item of a schema module.
#[derive(Clone, Copy)]
enum Job<'a> {
    Enum(&'a EnumType),
    Composite(&'a CompositeType),
    Relation(Relation<'a>),
}

/// Items per formatting chunk.
const CHUNK_ITEMS: usize = 48;

/// Generates models for `snapshot`. Pure: no I/O, no environment.
pub fn generate(snapshot: &Snapshot, options: &GenerateOptions) -> crate::Result<Generated> {
    let scope = Scope::build(snapshot, options);
    let map = TypeMap::new(options.types.clone());
    let mut code = String::new();
    let mut fell_back = Vec::new();
    let mut used_generics = BTreeSet::new();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    for schema in scope::included(snapshot, options) {
        let jobs: Vec<Job<'_>> = schema
            .enums
            .iter()
            .map(Job::Enum)
            .chain(schema.composites.iter().map(Job::Composite))
            .chain(schema.relations().map(Job::Relation))
            .collect();
        // A schema holding only domains (or nothing) would be an empty module: noise.
        if jobs.is_empty() {
            continue;
        }
        // Small chunks keep each token tree, syn AST and formatted string small (far fewer
        // page faults than one huge module); contiguous runs of chunks go to each thread.
        let env = ChunkEnv { snapshot, options, map: &map, scope: &scope, schema };
        let chunks: Vec<&[Job<'_>]> = jobs.chunks(CHUNK_ITEMS).collect();
        let per_thread = chunks.len().div_ceil(threads);
        let render_run = |run: &[&[Job<'_>]]| run.iter().map(|c| env.render(c)).collect::<Vec<_>>();
        let results: Vec<crate::Result<Rendered>> = if chunks.len() == 1 || threads == 1 {
            render_run(&chunks)
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = chunks.chunks(per_thread).map(|run| s.spawn(move || render_run(run))).collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![Err(crate::Error::Codegen { object: schema.name.clone(), detail: "a generator thread panicked".into() })]
                        })
                    })
                    .collect()
            })
        };
        let mut texts = Vec::with_capacity(results.len());
        for r in results {
            let (text, w, generics) = r?;
            texts.push(text);
            fell_back.extend(w);
            used_generics.extend(generics);
        }
        code.push_str(&render::stitch_module(&schema.name, &texts)?);
    }
    // The support module comes first, with the generic types only when some field uses them
    // (known once every module is rendered).
    let support = render::unparse(vec![render::item(scope::SUPPORT_MODULE, support::module(options, &used_generics))?]);
    let code = format!("{}\n{support}{code}", render::HEADER);
    let mut warnings = fallbacks::unmatched_overrides(snapshot, scope::included(snapshot, options).map(|s| s.name.as_str()), &options.types);
    warnings.extend(fallbacks::summarize(&fell_back));
    Ok(Generated { code, warnings })
}

/// A rendered chunk: its text, its fallback fields, and the generic support types it uses.
type Rendered = (String, Vec<fallbacks::Fallback>, BTreeSet<&'static str>);

/// Everything a chunk needs, all shared read-only.
#[derive(Clone, Copy)]
struct ChunkEnv<'a> {
    snapshot: &'a Snapshot,
    options: &'a GenerateOptions,
    map: &'a TypeMap,
    scope: &'a Scope,
    schema: &'a Schema,
}

impl ChunkEnv<'_> {
    /// Formats the schema module holding just `jobs`, returning its text and warnings.
    fn render(&self, jobs: &[Job<'_>]) -> crate::Result<Rendered> {
        let mut ctx = Ctx {
            snapshot: self.snapshot,
            options: self.options,
            map: self.map,
            scope: self.scope,
            types: TypeRenderer::default(),
            fallbacks: Vec::new(),
        };
        let schema = self.schema;
        let mut body = TokenStream::new();
        for job in jobs {
            body.extend(match *job {
                Job::Enum(e) => enums::enum_type(&mut ctx, schema, e)?,
                Job::Composite(c) => structs::composite(&mut ctx, schema, c)?,
                Job::Relation(r) => structs::relation(&mut ctx, schema, r)?,
            });
        }
        let module = ident(self.scope.module(&schema.name).unwrap_or("schema"));
        let note = format!("Models of PostgreSQL schema {}.", code(&schema.name));
        let docs = attrs::doc(self.options.docs, &[schema.comment.clone().unwrap_or_default(), note]);
        let missing_docs = if self.options.docs { quote!() } else { quote!(#[allow(missing_docs)]) };
        let tokens = quote! {
            #docs
            #missing_docs
            // Names come from the database: tolerate the lints they may trip, nothing else.
            #[allow(clippy::enum_variant_names, clippy::upper_case_acronyms, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph, rustdoc::all)]
            pub mod #module { #body }
        };
        let item = render::item(&schema.name, tokens)?;
        Ok((render::unparse(vec![item]), ctx.fallbacks, ctx.types.used_generics))
    }
}
