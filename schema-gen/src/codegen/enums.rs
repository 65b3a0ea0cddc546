//! Rust enums for PostgreSQL enum types.

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::snapshot::{EnumType, Schema};

use super::attrs::{self, code};
use super::naming::{camel, ident, Namer};
use super::{targets, Ctx};
use crate::Result;

/// An enum with one variant per label, in sort order. `ToSql`/`FromSql` come from the
/// `postgres-types` derives (`sqlx::Type` for sqlx); `#[postgres(name = "...")]` (`#[sqlx(rename)]`)
/// carries each exact label, so labels with spaces, quotes or non-ASCII characters round-trip
/// unchanged.
pub fn enum_type(ctx: &mut Ctx<'_>, schema: &Schema, e: &EnumType) -> Result<TokenStream> {
    let Some(name) = ctx.scope.type_name(&schema.name, &e.name) else { return Ok(TokenStream::new()) };
    let name = ident(name);
    let docs = ctx.options.docs;
    let note = format!("Enum type {}.", code(&format!("{}.{}", schema.name, e.name)));
    let mut attrs = attrs::doc(docs, &[e.comment.clone().unwrap_or_default(), note]);
    attrs.extend(attrs::matching(&ctx.options.type_attributes, &[&schema.name, &e.name])?);
    let mut namer = Namer::with_reserved(&["Self"]);
    let variants: Vec<_> = e.labels.iter().map(|l| (ident(&namer.claim(camel(l, "Variant"))), l)).collect();
    let defs = variants.iter().map(|(v, label)| {
        let d = attrs::doc(docs, &[format!("The label {}.", code(label))]);
        let renames = targets::variant_renames(ctx.options, label);
        quote!(#d #renames #v,)
    });
    let all = variants.iter().map(|(v, _)| quote!(Self::#v));
    let arms = variants.iter().map(|(v, label)| quote!(Self::#v => #label,));
    let pg_name = &e.name;
    let (derives, type_attrs) = targets::type_derives(ctx.options, &schema.name, &e.name, false);
    let d_name = attrs::doc(docs, &["The PostgreSQL type name.".to_owned()]);
    let d_all = attrs::doc(docs, &["Every label, in the type's sort order.".to_owned()]);
    let d_str = attrs::doc(docs, &["The exact PostgreSQL label.".to_owned()]);
    Ok(quote! {
        #attrs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash #derives)]
        #type_attrs
        pub enum #name { #(#defs)* }
        impl #name {
            #d_name pub const NAME: &'static str = #pg_name;
            #d_all pub const ALL: &'static [Self] = &[#(#all),*];
            #d_str pub fn as_str(&self) -> &'static str {
                match self { #(#arms)* }
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    })
}
