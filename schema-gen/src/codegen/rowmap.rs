//! Row mapping: `impl TryFrom<&postgres::Row>` for table and view structs.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fields::Field;
use super::naming::ident;

/// Decodes each field with `row.try_get("<exact column name>")`, so a missing column or a
/// type mismatch (or a NULL where the field is not an `Option`) is a `postgres::Error`
/// rather than a panic.
pub fn try_from_row(name: &Ident, fields: &[Field]) -> TokenStream {
    let inits = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let column = &f.column;
        quote!(#id: row.try_get(#column)?,)
    });
    // A column-less relation never reads the row; the underscore keeps `unused_variables` quiet.
    let row = if fields.is_empty() { quote!(_row) } else { quote!(row) };
    quote! {
        impl TryFrom<&postgres::Row> for #name {
            type Error = postgres::Error;
            fn try_from(#row: &postgres::Row) -> Result<Self, Self::Error> {
                Ok(Self { #(#inits)* })
            }
        }
    }
}
