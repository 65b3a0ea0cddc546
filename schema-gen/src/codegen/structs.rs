//! Structs for tables, views and composite types, with their name constants.

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::snapshot::{CompositeType, Relation, Schema};
use schema_core::sql;

use super::attrs::{self, code};
use super::fields::{self, Field};
use super::naming::ident;
use super::{targets, Ctx};
use crate::Result;

/// A struct for a table or view, its constants and its row mapping.
pub fn relation(ctx: &mut Ctx<'_>, schema: &Schema, rel: Relation<'_>) -> Result<TokenStream> {
    let Some(name) = ctx.scope.type_name(&schema.name, rel.name()) else { return Ok(TokenStream::new()) };
    let name = ident(name);
    let fields = fields::for_columns(ctx, &schema.name, rel.name(), rel.columns())?;
    let qualified = format!("{}.{}", schema.name, rel.name());
    let kind = match rel {
        Relation::Table(_) => format!("Row of table {}.", code(&qualified)),
        Relation::View(v) => format!(
            "Row of {} {} (read-only: select from it, never insert). PostgreSQL does not track \
             nullability of view columns: a field is an `Option` unless the view's definition \
             proves its column NOT NULL.",
            if v.materialized { "materialized view" } else { "view" },
            code(&qualified)
        ),
    };
    let mut attrs = attrs::doc(ctx.options.docs, &[rel.comment().unwrap_or_default().to_owned(), kind]);
    attrs.extend(attrs::matching(&ctx.options.type_attributes, &[&schema.name, rel.name()])?);
    let body = field_tokens(ctx, &fields, false);
    let consts = constants(ctx, schema, rel);
    let row = targets::row_impls(ctx.options, &name, &fields);
    let derives = targets::relation_derives(ctx.options);
    Ok(quote! {
        #attrs
        #[derive(Debug, Clone, PartialEq #derives)]
        pub struct #name { #body }
        #consts
        #row
    })
}

/// A struct for a composite type, encoded and decoded through the `postgres-types` derives
/// and/or `sqlx::Type`, per target.
pub fn composite(ctx: &mut Ctx<'_>, schema: &Schema, c: &CompositeType) -> Result<TokenStream> {
    let Some(name) = ctx.scope.type_name(&schema.name, &c.name) else { return Ok(TokenStream::new()) };
    let name = ident(name);
    let fields = fields::for_composite(ctx, &schema.name, &c.name, &c.fields)?;
    let note = format!("Composite type {}.", code(&format!("{}.{}", schema.name, c.name)));
    let mut attrs = attrs::doc(ctx.options.docs, &[c.comment.clone().unwrap_or_default(), note]);
    attrs.extend(attrs::matching(&ctx.options.type_attributes, &[&schema.name, &c.name])?);
    let body = field_tokens(ctx, &fields, true);
    let (derives, type_attrs) = targets::type_derives(ctx.options, &schema.name, &c.name, true);
    let typed: Vec<_> = fields.iter().zip(&c.fields).map(|(f, cf)| (f, &cf.type_ref)).collect();
    let sqlx = targets::sqlx_composite(ctx.options, &schema.name, &name, &c.name, &typed);
    Ok(quote! {
        #attrs
        #[derive(Debug, Clone, PartialEq #derives)]
        #type_attrs
        pub struct #name { #body }
        #sqlx
    })
}

fn field_tokens(ctx: &Ctx<'_>, fields: &[Field], composite: bool) -> TokenStream {
    let items = fields.iter().map(|f| {
        let Field { ident: id, ty, attrs, .. } = f;
        let renames = targets::field_renames(ctx.options, f, composite);
        let id = ident(id);
        quote!(#attrs #renames pub #id: #ty,)
    });
    quote!(#(#items)*)
}

/// `SCHEMA`, `TABLE`, `COLUMNS`, `SELECT_LIST`, `SELECT`, `READ_ONLY`, `WRITABLE_COLUMNS` and
/// `PRIMARY_KEY`.
fn constants(ctx: &Ctx<'_>, schema: &Schema, rel: Relation<'_>) -> TokenStream {
    let Some(name) = ctx.scope.type_name(&schema.name, rel.name()) else { return TokenStream::new() };
    let name = ident(name);
    let docs = ctx.options.docs;
    let schema_name = &schema.name;
    let table = rel.name();
    let columns: Vec<&str> = rel.columns().iter().map(|c| c.name.as_str()).collect();
    let select_list = sql::select_list(columns.iter().copied());
    let select = sql::select(schema_name, table, columns.iter().copied());
    let read_only = rel.is_view();
    let writable: Vec<&str> = if read_only { Vec::new() } else { rel.columns().iter().filter(|c| c.is_writable()).map(|c| c.name.as_str()).collect() };
    let d_schema = attrs::doc(docs, &["The PostgreSQL schema.".to_owned()]);
    let d_table = attrs::doc(docs, &[if read_only { "The view name." } else { "The table name." }.to_owned()]);
    let d_columns = attrs::doc(docs, &["Column names, in ordinal order, exactly as in the catalog.".to_owned()]);
    let d_list = attrs::doc(docs, &["The columns as a quoted `SELECT` list, in field order.".to_owned()]);
    let d_select = attrs::doc(docs, &[format!("Selects every column, in field order; rows decode with {}.", targets::decode_hint(ctx.options))]);
    let d_ro = attrs::doc(docs, &["True for views: rows can be read but not inserted.".to_owned()]);
    let d_writable = attrs::doc(
        docs,
        &["Columns an `INSERT` or `UPDATE` may set, in ordinal order: none of a view; of a table, all but generated columns (stored or virtual) and identity `GENERATED ALWAYS` columns.".to_owned()],
    );
    let pk = rel.primary_key().map(|pk| {
        let cols = &pk.columns;
        let d = attrs::doc(docs, &["Primary key columns, in key order.".to_owned()]);
        quote!(#d pub const PRIMARY_KEY: &'static [&'static str] = &[#(#cols),*];)
    });
    quote! {
        impl #name {
            #d_schema pub const SCHEMA: &'static str = #schema_name;
            #d_table pub const TABLE: &'static str = #table;
            #d_columns pub const COLUMNS: &'static [&'static str] = &[#(#columns),*];
            #d_list pub const SELECT_LIST: &'static str = #select_list;
            #d_select pub const SELECT: &'static str = #select;
            #d_ro pub const READ_ONLY: bool = #read_only;
            #d_writable pub const WRITABLE_COLUMNS: &'static [&'static str] = &[#(#writable),*];
            #pk
        }
    }
}

