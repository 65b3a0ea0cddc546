//! Expansion: parse attributes, check against the snapshot, emit diagnostics and impls.
//!
//! Errors never stop the impls from being emitted (with bodies that cannot fail to type-check),
//! so code using `User::COLUMNS` or `User::try_from(&row)` elsewhere produces no cascade of
//! unrelated errors while the model is being fixed.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use schema_core::check::syntax::{self, ParsedModel};
use schema_core::check::{check_model, Discrepancy};
use syn::{Data, DeriveInput};

use crate::source;

/// The whole expansion of one `#[derive(Model)]`.
pub fn expand(input: &DeriveInput) -> TokenStream {
    let Data::Struct(data) = &input.data else {
        return syn::Error::new_spanned(&input.ident, "`Model` can only be derived for structs with named fields; one field per column")
            .to_compile_error();
    };
    let model = match syntax::parse_model(&input.ident, &input.attrs, &data.fields) {
        Ok(model) => model,
        Err(errors) => {
            let mut out = errors.to_compile_error();
            out.extend(impls(input, None, false));
            return out;
        }
    };
    let located = source::locate(model.snapshot.as_ref().map(|l| l.value()).as_deref());
    let loaded = match source::load(&located) {
        Ok(loaded) => loaded,
        Err(message) => {
            // Every model fails the same way: explain once, then point back at that error.
            let message = if !source::first_failure(&located.path) {
                format!("schema snapshot `{}` is unavailable; see the first error about it", located.shown)
            } else {
                message
            };
            let at = model.snapshot.as_ref().map_or_else(|| model.table_lit.clone(), Clone::clone);
            let mut out = syn::Error::new_spanned(at, message).to_compile_error();
            out.extend(impls(input, Some(&model), false));
            return out;
        }
    };
    let found = check_model(&model.def, &loaded.snapshot, &loaded.types);
    let mut out: TokenStream = found.iter().map(|d| diagnostic(&model, d)).collect();
    // Depend on the snapshot (and options file): editing them recompiles this crate. Once per
    // compiler process is enough for rustc's dep-info, and including a multi-megabyte snapshot
    // in each of hundreds of expansions would dominate `cargo check`.
    for file in source::first_use(&loaded.files) {
        let file = file.display().to_string();
        out.extend(quote! { const _: &[u8] = ::core::include_bytes!(#file); });
    }
    let table = loaded
        .snapshot
        .relation(&model.def.table)
        .map_or_else(|| model.def.table.clone(), |(s, r)| format!("{}.{}", s.name, r.name()));
    let mut resolved = model.clone();
    resolved.def.table = table;
    out.extend(impls(input, Some(&resolved), found.is_empty()));
    out
}

fn diagnostic(model: &ParsedModel, d: &Discrepancy) -> TokenStream {
    let message = format!("{} [{}]", d.message, d.code);
    syn::Error::new_spanned(model.tokens(d.location), message).to_compile_error()
}

/// The constants and `TryFrom<&postgres::Row>`. With `checked == false` the row mapping is a
/// stub without `FromSql` bounds: the build fails anyway, and the stub adds no errors of its own.
fn impls(input: &DeriveInput, model: Option<&ParsedModel>, checked: bool) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let table = model.map(|m| m.def.table.clone()).unwrap_or_default();
    let columns: Vec<&str> = model
        .map(|m| m.def.fields.iter().filter(|f| !f.skip).map(|f| f.column.as_str()).collect())
        .unwrap_or_default();
    let select = columns.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(", ");
    let body = match model {
        Some(m) if checked => {
            let inits = m.fields.iter().zip(&m.def.fields).map(|(pf, def)| {
                let (fident, ty) = (&pf.ident, &pf.ty);
                if def.skip {
                    quote_spanned! { fident.span()=> #fident: ::core::default::Default::default() }
                } else {
                    let column = &def.column;
                    quote! { #fident: row.try_get::<_, #ty>(#column)? }
                }
            });
            quote! { ::core::result::Result::Ok(Self { #(#inits),* }) }
        }
        _ => quote! {
            let _ = row;
            ::core::unreachable!("`Model` derive failed to check; this code is never compiled successfully")
        },
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            /// The table or view this model maps, schema-qualified (checked against the snapshot).
            pub const TABLE: &'static str = #table;
            /// The mapped columns in field order (skipped fields excluded).
            pub const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            /// The mapped columns as a quoted SQL list, for `SELECT {SELECT} FROM ...`.
            pub const SELECT: &'static str = #select;
        }

        #[automatically_derived]
        impl #impl_generics ::core::convert::TryFrom<&::postgres::Row> for #ident #ty_generics #where_clause {
            type Error = ::postgres::Error;

            fn try_from(row: &::postgres::Row) -> ::core::result::Result<Self, Self::Error> {
                #body
            }
        }
    }
}
