//! One generated field per column (tables, views) or attribute (composites).

use proc_macro2::TokenStream;
use schema_core::snapshot::{Column, CompositeField, Identity, Snapshot, TypeKind, TypeRef};
use schema_core::target::Target;
use schema_core::typemap::{Mapping, MappingSource, RustType};

use super::attrs::{self, code};
use super::fallbacks::Fallback;
use super::naming::{snake, Namer};
use super::Ctx;
use crate::Result;

/// A field ready to be emitted.
pub struct Field {
    /// The Rust identifier (may be a keyword, rendered raw by [`super::naming::ident`]).
    pub ident: String,
    /// The exact SQL column name, for row mapping and `#[postgres(name)]`.
    pub column: String,
    /// The full field type, `Option` included.
    pub ty: TokenStream,
    /// Rustdoc and configured attributes.
    pub attrs: TokenStream,
}

/// Fields for the columns of relation `schema.table`.
pub fn for_columns(ctx: &mut Ctx<'_>, schema: &str, table: &str, columns: &[Column]) -> Result<Vec<Field>> {
    let mut namer = Namer::default();
    let mut out = Vec::with_capacity(columns.len());
    for c in columns {
        let mut mapping = ctx.map.map_column(ctx.snapshot, schema, table, c);
        let mut why = None;
        if mapping.source == MappingSource::Builtin && array_of_domain(ctx.snapshot, &c.type_ref) {
            why = Some("an array whose elements are a domain");
            mapping = undecodable(&c.sql_type);
        }
        if why.is_none() {
            (mapping, why) = for_sqlx(ctx, &c.type_ref, mapping);
        }
        let mut notes = column_notes(c);
        if let Some(q) = ctx.snapshot.schema(schema).and_then(|s| s.owning_sequence(table, &c.name)) {
            notes.push_str(&format!(" Values come from sequence {}, which this column owns.", code(&format!("{schema}.{}", q.name))));
        }
        let spec = FieldSpec { path: [schema, table, &c.name], sql_type: &c.sql_type, type_ref: &c.type_ref, nullable: c.nullable, comment: &c.comment, why };
        out.push(field(ctx, &mut namer, spec, mapping, notes)?);
    }
    Ok(out)
}

/// Fields for the attributes of composite `schema.name`. PostgreSQL cannot declare composite
/// attributes `NOT NULL`, so every field is an `Option`.
pub fn for_composite(ctx: &mut Ctx<'_>, schema: &str, name: &str, fields: &[CompositeField]) -> Result<Vec<Field>> {
    let mut namer = Namer::default();
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        // Column overrides apply to composite attributes too, keyed `schema.type.field`,
        // which is what the fallback hint tells users to write.
        let key = format!("{schema}.{name}.{}", f.name);
        let mapping = match ctx.options.types.column_overrides.get(&key) {
            Some(path) => Mapping { ty: RustType::Path(path.clone()), source: MappingSource::ColumnOverride, also_accepted: vec![] },
            None => ctx.map.map_type(ctx.snapshot, &f.type_ref, &f.sql_type),
        };
        // Inside a composite the wire carries the attribute's declared type, so a domain there
        // is not replaced by its base type and no base-type Rust impl accepts it.
        let (mapping, why) = if mapping.source == MappingSource::Builtin && f.type_ref.kind == TypeKind::Domain {
            (undecodable(&f.sql_type), Some("a domain inside a composite type"))
        } else {
            for_sqlx(ctx, &f.type_ref, mapping)
        };
        let notes = format!("SQL type {}.", code(&f.sql_type));
        let spec = FieldSpec { path: [schema, name, &f.name], sql_type: &f.sql_type, type_ref: &f.type_ref, nullable: true, comment: &f.comment, why };
        out.push(field(ctx, &mut namer, spec, mapping, notes)?);
    }
    Ok(out)
}

/// What [`field`] needs to know about a column besides its mapping.
struct FieldSpec<'a> {
    /// Schema, relation (or composite), column (or attribute).
    path: [&'a str; 3],
    sql_type: &'a str,
    type_ref: &'a TypeRef,
    nullable: bool,
    comment: &'a Option<String>,
    /// Why a mapped type was replaced by the raw fallback, for the warning.
    why: Option<&'static str>,
}

fn field(ctx: &mut Ctx<'_>, namer: &mut Namer, spec: FieldSpec<'_>, mapping: Mapping, notes: String) -> Result<Field> {
    let FieldSpec { path, sql_type, type_ref, nullable, comment, why } = spec;
    let [schema, object, column] = path;
    let rendered = ctx.types.render(ctx.scope, schema, &mapping.ty)?;
    if rendered.fell_back {
        // Collected, not printed: `fallbacks::summarize` turns them into one warning per type.
        let client = match why {
            Some(w) if SQLX_REASONS.contains(&w) => "`sqlx`".to_owned(),
            _ => clients(ctx),
        };
        ctx.fallbacks.push(Fallback { path: format!("{schema}.{object}.{column}"), sql_type: sql_type.to_owned(), type_ref: type_ref.clone(), why, client });
    }
    let inner = rendered.tokens;
    let ty = if nullable { quote::quote!(Option<#inner>) } else { inner };
    let mut attrs = attrs::doc(ctx.options.docs, &[comment.clone().unwrap_or_default(), notes]);
    attrs.extend(attrs::matching(&ctx.options.field_attributes, &path)?);
    Ok(Field { ident: namer.claim(snake(column, "field")), column: column.to_owned(), ty, attrs })
}

/// True when `t` is (or is a domain over) an array whose elements are a domain: PostgreSQL
/// sends such arrays with the domain as element type, which `postgres`' impls for the base
/// type reject at run time. (Scalar domains are sent as their base type and decode fine.)
fn array_of_domain(snapshot: &Snapshot, t: &TypeRef) -> bool {
    let mut current = t.clone();
    for _ in 0..32 {
        if current.kind != TypeKind::Domain {
            return false;
        }
        if current.array_dims > 0 {
            return true;
        }
        match snapshot.domain(&current) {
            Some(d) => current = d.type_ref.clone(),
            None => return false,
        }
    }
    false
}

/// Why a built-in mapping that `postgres-types` decodes is replaced for the sqlx target.
const SQLX_OID: &str = "an `oid`, which sqlx decodes only as `sqlx::postgres::types::Oid` (the other targets as `u32`)";
const SQLX_HSTORE: &str = "an `hstore`, which sqlx decodes only as `sqlx::postgres::types::PgHstore` (the other targets as a `HashMap`)";
const SQLX_OTHER: &str = "a type whose built-in Rust mapping sqlx has no `Decode` for";
const SQLX_GENERIC: &str = "a range or multi-dimensional array, whose support types (`Range`, `Array`) implement only `postgres-types`' traits";
const SQLX_REASONS: &[&str] = &[SQLX_OID, SQLX_HSTORE, SQLX_OTHER, SQLX_GENERIC];

/// The built-in mapping adjusted for sqlx, which decodes a few types only into its own types:
/// with sqlx as the only target the field gets sqlx's type; with other targets too no single
/// type fits every client, so the field is the raw fallback (and the warning names the
/// override). Types sqlx cannot decode at all (`ltree` as `String`, `cidr`, `macaddr`) fall back.
fn for_sqlx(ctx: &Ctx<'_>, t: &TypeRef, mapping: Mapping) -> (Mapping, Option<&'static str>) {
    if mapping.source != MappingSource::Builtin || !ctx.options.has_target(Target::Sqlx) {
        return (mapping, None);
    }
    let only_sqlx = ctx.options.targets() == [Target::Sqlx];
    let resolved = ctx.snapshot.resolve_domain(t);
    if uses_generic(&mapping.ty) {
        return (undecodable(&resolved.name), Some(SQLX_GENERIC));
    }
    let scalar = match &mapping.ty {
        RustType::Array { element, .. } => element.as_ref(),
        other => other,
    };
    let RustType::Path(path) = scalar else { return (mapping, None) };
    let (replacement, why) = match path.as_str() {
        "u32" => ("sqlx::postgres::types::Oid", SQLX_OID),
        "std::collections::HashMap<String, Option<String>>" => ("sqlx::postgres::types::PgHstore", SQLX_HSTORE),
        "cidr::IpCidr" | "eui48::MacAddress" => ("", SQLX_OTHER),
        "String" if resolved.kind == TypeKind::Base && matches!(resolved.name.as_str(), "ltree" | "lquery" | "ltxtquery") => ("", SQLX_OTHER),
        _ => return (mapping, None),
    };
    if !only_sqlx || replacement.is_empty() {
        return (undecodable(&resolved.name), Some(why));
    }
    let ty = match mapping.ty {
        RustType::Array { nullable_elements, .. } => RustType::Array { element: Box::new(RustType::Path(replacement.to_owned())), nullable_elements },
        _ => RustType::Path(replacement.to_owned()),
    };
    (Mapping { ty, ..mapping }, None)
}

/// True when `ty` is, or holds as an element, a generic support type (`Range`, `Array`).
fn uses_generic(ty: &RustType) -> bool {
    match ty {
        RustType::Generic { .. } => true,
        RustType::Array { element, .. } => uses_generic(element),
        _ => false,
    }
}

/// The selected clients, as the fallback warnings name them.
fn clients(ctx: &Ctx<'_>) -> String {
    let names: Vec<&str> = ctx
        .options
        .targets()
        .iter()
        .map(|t| match t {
            Target::Postgres => "the `postgres` crate",
            Target::TokioPostgres => "`tokio-postgres`",
            Target::Sqlx => "`sqlx`",
        })
        .collect();
    names.join(" or ")
}

/// The raw fallback for a type that maps but that `postgres` cannot decode.
fn undecodable(sql_type: &str) -> Mapping {
    Mapping { ty: RustType::Fallback { sql_type: sql_type.to_owned() }, source: MappingSource::Fallback, also_accepted: vec![] }
}

/// The generated note under a column's comment: its SQL type and constraints.
fn column_notes(c: &Column) -> String {
    let mut parts = vec![format!("SQL type {}", code(&c.sql_type))];
    parts.push(if c.nullable { "nullable".to_owned() } else { "not null".to_owned() });
    match c.identity {
        Some(Identity::Always) => parts.push("identity (generated always)".to_owned()),
        Some(Identity::ByDefault) => parts.push("identity (generated by default)".to_owned()),
        None => {}
    }
    if let Some(g) = &c.generated {
        let kind = if c.generated_virtual { "virtual, computed on read" } else { "stored" };
        parts.push(format!("generated as {} ({kind}; read-only)", code(g)));
    }
    if let Some(d) = &c.default {
        parts.push(format!("default {}", code(d)));
    }
    format!("{}.", parts.join(", "))
}
