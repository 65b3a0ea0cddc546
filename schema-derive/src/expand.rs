//! Expansion: parse attributes, check against the snapshot, emit diagnostics and impls.
//!
//! Errors never stop the impls from being emitted (with bodies that cannot fail to type-check),
//! so code using `User::COLUMNS` or `User::try_from(&row)` elsewhere produces no cascade of
//! unrelated errors while the model is being fixed.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use schema_core::check::syntax::{self, ParsedModel};
use schema_core::check::{check_model, Discrepancy};
use schema_core::sql;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Type};

use crate::source;
use crate::targets::{self, RowField};
use schema_core::target::Target as Client;

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
            out.extend(impls(input, None, &Target::default(), &early_targets(None), false));
            return out;
        }
    };
    if let Some(query) = &model.query {
        return expand_query(input, &model, &query.value());
    }
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
            out.extend(impls(input, Some(&model), &Target::unresolved(&model), &early_targets(Some(&model)), false));
            return out;
        }
    };
    let snapshot = match loaded.snapshot_for(&model.def.table) {
        Ok(snapshot) => snapshot,
        Err(message) => {
            let mut out = syn::Error::new_spanned(&model.table_lit, message).to_compile_error();
            out.extend(impls(input, Some(&model), &Target::unresolved(&model), &early_targets(Some(&model)), false));
            return out;
        }
    };
    let found = check_model(&model.def, &snapshot, &loaded.types);
    let mut out: TokenStream = found.iter().map(|d| diagnostic(&model, d)).collect();
    let attribute = model.targets.as_ref().map(|(t, _)| t.as_slice());
    let clients = match targets::choose(attribute, loaded.targets.as_deref()) {
        Ok(clients) => clients,
        Err(message) => {
            out.extend(syn::Error::new_spanned(&input.ident, message).to_compile_error());
            Vec::new()
        }
    };
    if source::first_env_use() {
        // Record the variables that chose the snapshot and the type options in rustc's dep-info
        // (`option_env!` does), so changing them re-runs the checks; reading them with
        // `std::env` alone is invisible to cargo.
        for var in source::TRACKED_ENV {
            out.extend(quote! { const _: ::core::option::Option<&str> = ::core::option_env!(#var); });
        }
    }
    // Depend on the snapshot (and options file): editing them recompiles this crate. Once per
    // compiler process is enough for rustc's dep-info, and including a multi-megabyte snapshot
    // in each of hundreds of expansions would dominate `cargo check`. A snapshot the build
    // script vouches for is not in `files` (see `source::load`): its stamp is tracked instead.
    for file in source::first_use(&loaded.files) {
        let file = file.display().to_string();
        out.extend(quote! { const _: &[u8] = ::core::include_bytes!(#file); });
    }
    let relation = snapshot.relation(&model.def.table);
    let target = match relation {
        Some((schema, rel)) => {
            // Mapped columns an INSERT or UPDATE may set: none of a view; of a table, all but
            // generated (stored or virtual) and identity-always columns.
            let writable = model
                .def
                .fields
                .iter()
                .filter(|f| !f.skip && !rel.is_view())
                .filter(|f| rel.columns().iter().any(|c| c.name == f.column && c.is_writable()))
                .map(|f| f.column.clone())
                .collect();
            Target { schema: schema.name.clone(), table: rel.name().to_owned(), read_only: rel.is_view(), writable }
        }
        None => Target::unresolved(&model),
    };
    out.extend(impls(input, Some(&model), &target, &clients, found.is_empty()));
    out
}

/// A `#[model(query = "...")]` model: the row mapping and the query's constants. The derive
/// cannot check the SQL (that needs PostgreSQL's parser, which stays out of the derive's
/// dependencies); the query gate checks it, with this struct as the row type.
fn expand_query(input: &DeriveInput, model: &ParsedModel, sql: &str) -> TokenStream {
    let mut out = TokenStream::new();
    let attribute = model.targets.as_ref().map(|(t, _)| t.as_slice());
    let clients = match targets::choose(attribute, None) {
        Ok(clients) => clients,
        Err(message) => {
            out.extend(syn::Error::new_spanned(&input.ident, message).to_compile_error());
            Vec::new()
        }
    };
    let fields = row_fields(model);
    let columns = mapped_columns(model);
    let head = impl_head(input);
    out.extend(lex(&format!(
        "{head} {{
            /// The query whose rows this struct holds (checked by `schema-gen queries`).
            pub const QUERY: &'static str = {sql};
            /// The result columns the fields read, in field order (skipped fields excluded).
            pub const COLUMNS: &'static [&'static str] = &[{columns}];
        }}",
        sql = literal(sql),
        columns = literal_list(&columns),
    )));
    out.extend(targets::row_impls(input, &clients, &fields, true));
    out
}

/// The targets when the snapshot (and its options file) could not be read: the attribute, else
/// what the dependencies say; the stubs emitted for them only keep other code compiling.
fn early_targets(model: Option<&ParsedModel>) -> Vec<Client> {
    let attribute = model.and_then(|m| m.targets.as_ref()).map(|(t, _)| t.as_slice());
    targets::choose(attribute, None).unwrap_or_else(|_| vec![Client::Postgres])
}

fn diagnostic(model: &ParsedModel, d: &Discrepancy) -> TokenStream {
    let message = format!("{} [{}]", d.message, d.code);
    syn::Error::new_spanned(model.tokens(d.location), message).to_compile_error()
}

/// The relation a model maps, as resolved in the snapshot.
#[derive(Default)]
struct Target {
    schema: String,
    table: String,
    read_only: bool,
    writable: Vec<String>,
}

impl Target {
    /// When the snapshot could not be consulted: the name as written (the build fails anyway).
    fn unresolved(model: &ParsedModel) -> Self {
        let (schema, table) = model.def.table.split_once('.').unwrap_or(("", &model.def.table));
        Target { schema: schema.to_owned(), table: table.to_owned(), read_only: false, writable: Vec::new() }
    }
}

/// Where a type starts, for spanning generated code at it. `Spanned::span` would do, but it
/// turns the whole type into a token stream first; for 10,000 fields that is measurable in an
/// unoptimized proc macro, and on stable it yields the first token's span anyway.
fn first_span(ty: &Type) -> Span {
    match ty {
        Type::Path(p) if p.qself.is_none() => match (&p.path.leading_colon, p.path.segments.first()) {
            (Some(colon), _) => colon.spans[0],
            (None, Some(segment)) => segment.ident.span(),
            (None, None) => ty.span(),
        },
        _ => ty.span(),
    }
}

/// The constants and the row mapping of each target, named and shaped like the generator's
/// (`SCHEMA`, `TABLE`, `COLUMNS`, `SELECT_LIST`, `SELECT`, `READ_ONLY`, `WRITABLE_COLUMNS`) so
/// generated and hand-written models are used the same way. With `checked == false` the row
/// mapping is a stub without `FromSql` bounds: the build fails anyway, and the stub adds no
/// errors of its own.
fn impls(input: &DeriveInput, model: Option<&ParsedModel>, target: &Target, targets: &[Client], checked: bool) -> TokenStream {
    let Target { schema, table, read_only, writable } = target;
    let columns = model.map(mapped_columns).unwrap_or_default();
    let select_list = sql::select_list(columns.iter().copied());
    let select = sql::select(schema, table, columns.iter().copied());
    let fields = match model {
        Some(m) if checked => row_fields(m),
        _ => Vec::new(),
    };
    let checked = checked && model.is_some();
    // No `#[automatically_derived]` here: rustc accepts it on trait impls only (on an inherent
    // impl it is a future-incompatibility warning, computed for every model even when hidden).
    let constants = constants(
        &impl_head(input),
        &Constants { schema, table, columns: &columns, select_list: &select_list, select: &select, read_only: *read_only, writable },
    );
    let mut out = constants;
    out.extend(targets::row_impls(input, targets, &fields, checked));
    out
}

/// The fields as the row mapping reads them (skipped ones default).
fn row_fields(model: &ParsedModel) -> Vec<RowField<'_>> {
    model
        .fields
        .iter()
        .zip(&model.def.fields)
        .map(|(pf, def)| RowField { ident: &pf.ident, column: (!def.skip).then_some(def.column.as_str()), span: first_span(&pf.ty) })
        .collect()
}

/// The columns the fields map, in field order (skipped fields excluded).
fn mapped_columns(model: &ParsedModel) -> Vec<&str> {
    model.def.fields.iter().filter(|f| !f.skip).map(|f| f.column.as_str()).collect()
}

/// `impl<…> Name<…> where …`, as source text for [`lex`].
fn impl_head(input: &DeriveInput) -> String {
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    format!("impl{} {}{} {}", to_text(&impl_generics), input.ident, to_text(&ty_generics), to_text(&where_clause))
}

/// The values of the generated constants.
struct Constants<'a> {
    schema: &'a str,
    table: &'a str,
    columns: &'a [&'a str],
    select_list: &'a str,
    select: &'a str,
    read_only: bool,
    writable: &'a [String],
}

/// `tokens` as source text (empty generics and where clauses print as nothing).
fn to_text(tokens: &impl quote::ToTokens) -> String {
    let tokens = tokens.to_token_stream();
    if tokens.is_empty() {
        return String::new();
    }
    tokens.to_string()
}

/// A Rust string literal of `value` (`str`'s `Debug` is valid literal syntax, escapes included).
fn literal(value: &str) -> String {
    format!("{value:?}")
}

fn literal_list<S: AsRef<str>>(values: &[S]) -> String {
    values.iter().map(|v| literal(v.as_ref())).collect::<Vec<_>>().join(", ")
}

/// The constants' `impl` block, written as source text and lexed by rustc in one call. Nothing
/// in it can fail to compile, so it needs no spans but the call site's; building it token by
/// token through the proc-macro bridge (as `quote!` does) was a measurable part of the derive's
/// `cargo check` cost on hundreds of models, in the unoptimized code of the default dev profile.
fn constants(head: &str, c: &Constants<'_>) -> TokenStream {
    let text = format!(
        "{head} {{
            /// The PostgreSQL schema of the mapped relation (resolved in the snapshot).
            pub const SCHEMA: &'static str = {schema};
            /// The table or view name.
            pub const TABLE: &'static str = {table};
            /// The mapped columns, in field order (skipped fields excluded).
            pub const COLUMNS: &'static [&'static str] = &[{columns}];
            /// The mapped columns as a quoted SQL list, in field order.
            pub const SELECT_LIST: &'static str = {select_list};
            /// Selects the mapped columns, in field order; rows decode with the target's row
            /// mapping (`TryFrom<&postgres::Row>`, `TryFrom<&tokio_postgres::Row>`, `sqlx::FromRow`).
            pub const SELECT: &'static str = {select};
            /// True when the relation is a view.
            pub const READ_ONLY: bool = {read_only};
            /// The mapped columns an `INSERT` or `UPDATE` may set, in field order: none of a
            /// view; of a table, all but generated columns (stored or virtual) and identity
            /// `GENERATED ALWAYS` columns.
            pub const WRITABLE_COLUMNS: &'static [&'static str] = &[{writable}];
        }}",
        schema = literal(c.schema),
        table = literal(c.table),
        columns = literal_list(c.columns),
        select_list = literal(c.select_list),
        select = literal(c.select),
        read_only = c.read_only,
        writable = literal_list(c.writable),
    );
    lex(&text)
}

/// Lexes `text` with the compiler's lexer in one bridge call. `proc_macro2`'s own `parse` first
/// lexes the text again in unoptimized Rust to validate it, which costs more than it saves.
/// The text is made of a parsed struct's own tokens and escaped literals: it always lexes.
fn lex(text: &str) -> TokenStream {
    if proc_macro::is_available() {
        if let Ok(tokens) = text.parse::<proc_macro::TokenStream>() {
            return tokens.into();
        }
    }
    text.parse().unwrap_or_else(|e| syn::Error::new(Span::call_site(), format!("`Model` derive produced invalid code: {e}")).to_compile_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn constants_text_keeps_awkward_names_exact() {
        let name = "we\"ird \\ name ñ\u{301}\ttab";
        let columns = [name, "id"];
        let writable = vec![name.to_owned()];
        let tokens = constants(
            "impl<T: Clone> Model<T> where T: Copy",
            &Constants { schema: "s p", table: name, columns: &columns, select_list: "\"a\"", select: "SELECT 1", read_only: true, writable: &writable },
        );
        let item: syn::ItemImpl = syn::parse2(tokens).expect("the constants must parse as an impl block");
        let value = |wanted: &str| {
            item.items.iter().find_map(|i| match i {
                syn::ImplItem::Const(c) if c.ident == wanted => Some(c.expr.to_token_stream().to_string()),
                _ => None,
            })
        };
        let table: syn::LitStr = syn::parse_str(&value("TABLE").unwrap()).unwrap();
        assert_eq!(table.value(), name);
        assert!(value("COLUMNS").unwrap().contains("\"id\""));
        assert_eq!(value("READ_ONLY").unwrap(), "true");
        assert_eq!(item.generics.params.len(), 1);
    }
}
