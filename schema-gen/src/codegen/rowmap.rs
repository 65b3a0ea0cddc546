//! Row mapping: `impl TryFrom<&postgres::Row>` (or `&tokio_postgres::Row`) for table and view
//! structs. The sqlx target derives `sqlx::FromRow` instead (see [`super::targets`]).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fields::Field;
use super::naming::ident;

/// Decodes each field with `row.try_get("<exact column name>")`, so a missing column or a
/// type mismatch (or a NULL where the field is not an `Option`) is an error rather than a
/// panic. `client` is the crate whose `Row` and `Error` are named: `postgres` or
/// `tokio_postgres` (the sync crate re-exports the async one's, so one impl serves both).
pub fn try_from_row(name: &Ident, fields: &[Field], client: &str) -> TokenStream {
    let client = ident(client);
    let inits = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let column = &f.column;
        quote!(#id: row.try_get(#column)?,)
    });
    // A column-less relation never reads the row; the underscore keeps `unused_variables` quiet.
    let row = if fields.is_empty() { quote!(_row) } else { quote!(row) };
    quote! {
        impl TryFrom<&#client::Row> for #name {
            type Error = #client::Error;
            fn try_from(#row: &#client::Row) -> Result<Self, Self::Error> {
                Ok(Self { #(#inits)* })
            }
        }
    }
}
