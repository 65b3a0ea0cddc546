//! What each client target adds to the generated items: derives, helper attributes and row
//! mapping. The fields and their types are the same for every target (see [`super::fields`]);
//! only the traits differ.
//!
//! - `postgres` / `tokio-postgres`: `TryFrom<&Row>` and the `postgres-types` derives. Both
//!   crates share `Row` (`postgres::Row` is a re-export of `tokio_postgres::Row`), so when both
//!   are selected one impl, spelled with `tokio_postgres`, serves both.
//! - `sqlx`: `sqlx::FromRow` on structs, `sqlx::Type` on enums and composites, with the exact
//!   column names, labels and (schema-qualified) type names as `rename`/`type_name`.
//! - `serde` (an option, not a target): `Serialize`/`Deserialize` keyed by column names and labels.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use schema_core::snapshot::TypeRef;
use schema_core::sql::quote_ident;
use schema_core::target::Target;

use super::fields::Field;
use super::naming::ident;
use super::options::GenerateOptions;
use super::rowmap;
use super::scope::SUPPORT_MODULE;

/// The crate whose `Row` the `TryFrom` impl names, if a `postgres-types` target is selected.
pub fn row_client(options: &GenerateOptions) -> Option<&'static str> {
    if options.has_target(Target::TokioPostgres) {
        Some("tokio_postgres")
    } else if options.has_target(Target::Postgres) {
        Some("postgres")
    } else {
        None
    }
}

/// How rows decode, for the `SELECT` constant's rustdoc.
pub fn decode_hint(options: &GenerateOptions) -> String {
    let mut ways = Vec::new();
    if let Some(client) = row_client(options) {
        ways.push(format!("`TryFrom<&{client}::Row>`"));
    }
    if options.has_target(Target::Sqlx) {
        ways.push("`sqlx::FromRow`".to_owned());
    }
    ways.join(" or ")
}

/// The derives a table or view struct gets beyond `Debug, Clone, PartialEq`.
pub fn relation_derives(options: &GenerateOptions) -> TokenStream {
    let sqlx = options.has_target(Target::Sqlx).then(|| quote!(, sqlx::FromRow));
    let serde = serde_derives(options);
    quote!(#sqlx #serde)
}

/// The derives and container attributes of a composite or enum type named `schema.name`.
/// A composite's sqlx impls are not derived but written out ([`sqlx_composite`]).
pub fn type_derives(options: &GenerateOptions, schema: &str, name: &str, composite: bool) -> (TokenStream, TokenStream) {
    let mut derives = TokenStream::new();
    let mut attrs = TokenStream::new();
    if options.targets().iter().any(|t| t.uses_postgres_types()) {
        derives.extend(quote!(, postgres_types::ToSql, postgres_types::FromSql));
        attrs.extend(quote!(#[postgres(name = #name)]));
    }
    if options.has_target(Target::Sqlx) && !composite {
        let type_name = sqlx_type_name(schema, name);
        derives.extend(quote!(, sqlx::Type));
        attrs.extend(quote!(#[sqlx(type_name = #type_name)]));
    }
    derives.extend(serde_derives(options));
    (derives, attrs)
}

/// The name sqlx resolves (`$1::regtype`) and compares with the server's `oid::regtype::text`:
/// quoted, and qualified unless the type is in `public` (the default `search_path`), where
/// `regtype` prints it bare.
pub fn sqlx_type_name(schema: &str, name: &str) -> String {
    if schema == "public" {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

/// sqlx's `Type`, `PgHasArrayType`, `Decode` and `Encode` of a composite type, written out
/// rather than derived: `#[derive(sqlx::Type)]` tags each encoded attribute with its Rust
/// type's default SQL type (`String` → `text`), which PostgreSQL rejects for any other
/// declared attribute type (`varchar`, `bpchar`, a domain). Here each attribute is tagged with
/// its declared type by name (`pgcanon_support::SqlxTyped`), which sqlx resolves per connection.
pub fn sqlx_composite(options: &GenerateOptions, schema: &str, name: &Ident, sql_name: &str, fields: &[(&Field, &TypeRef)]) -> TokenStream {
    if !options.has_target(Target::Sqlx) {
        return TokenStream::new();
    }
    let type_name = sqlx_type_name(schema, sql_name);
    let support = ident(SUPPORT_MODULE);
    let decodes = fields.iter().map(|(f, _)| {
        let id = ident(&f.ident);
        quote!(#id: decoder.try_decode()?,)
    });
    let encodes = fields.iter().map(|(f, t)| {
        let id = ident(&f.ident);
        let declared = format!("{}.{}{}", quote_ident(&t.schema), quote_ident(&t.name), "[]".repeat(t.array_dims as usize));
        quote!(encoder.encode(super::#support::SqlxTyped(&self.#id, #declared))?;)
    });
    // A composite without attributes never reads its decoder.
    let decoder = if fields.is_empty() { quote!(_decoder) } else { quote!(mut decoder) };
    quote! {
        impl sqlx::Type<sqlx::Postgres> for #name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                sqlx::postgres::PgTypeInfo::with_name(#type_name)
            }
        }

        impl sqlx::postgres::PgHasArrayType for #name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                sqlx::postgres::PgTypeInfo::array_of(#type_name)
            }
        }

        impl<'a> sqlx::Decode<'a, sqlx::Postgres> for #name {
            fn decode(value: sqlx::postgres::PgValueRef<'a>) -> Result<Self, sqlx::error::BoxDynError> {
                let #decoder = sqlx::postgres::types::PgRecordDecoder::new(value)?;
                Ok(Self { #(#decodes)* })
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for #name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let mut encoder = sqlx::postgres::types::PgRecordEncoder::new(buf);
                #(#encodes)*
                encoder.finish();
                Ok(sqlx::encode::IsNull::No)
            }
        }
    }
}

/// Attributes naming the exact SQL name of a struct field (column or composite attribute)
/// for each target and serde; only where the Rust name differs.
pub fn field_renames(options: &GenerateOptions, field: &Field, composite: bool) -> TokenStream {
    let column = &field.column;
    let mut out = TokenStream::new();
    if composite && options.targets().iter().any(|t| t.uses_postgres_types()) {
        out.extend(quote!(#[postgres(name = #column)]));
    }
    let differs = ident(&field.ident) != column.as_str();
    if differs && !composite && options.has_target(Target::Sqlx) {
        out.extend(quote!(#[sqlx(rename = #column)]));
    }
    if differs && options.serde {
        out.extend(quote!(#[serde(rename = #column)]));
    }
    out
}

/// Attributes carrying an enum label for each target and serde.
pub fn variant_renames(options: &GenerateOptions, label: &str) -> TokenStream {
    let mut out = TokenStream::new();
    if options.targets().iter().any(|t| t.uses_postgres_types()) {
        out.extend(quote!(#[postgres(name = #label)]));
    }
    if options.has_target(Target::Sqlx) {
        out.extend(quote!(#[sqlx(rename = #label)]));
    }
    if options.serde {
        out.extend(quote!(#[serde(rename = #label)]));
    }
    out
}

/// The row-mapping impls of a table or view struct.
pub fn row_impls(options: &GenerateOptions, name: &Ident, fields: &[Field]) -> TokenStream {
    row_client(options).map(|client| rowmap::try_from_row(name, fields, client)).unwrap_or_default()
}

fn serde_derives(options: &GenerateOptions) -> TokenStream {
    if options.serde {
        quote!(, serde::Serialize, serde::Deserialize)
    } else {
        TokenStream::new()
    }
}
