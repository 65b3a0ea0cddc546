//! Which client crates a model implements row mapping for, and those impls.
//!
//! The checks never depend on the target: only the emitted impls do. Precedence, first match:
//! `#[model(target = "...")]`, the `PGCANON_TARGETS` variable (set by `Config::compile` when
//! the build script generates for other targets), the options file's `targets`, then the
//! crate's dependencies, where that is reliable: `postgres` declared → `postgres` (today's
//! behaviour, whatever else is declared); else exactly one of `tokio-postgres` and `sqlx`
//! → that one; both → an error asking to choose; none → `postgres`, whose missing dependency
//! is then explained.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use schema_core::check::options::{parse_targets_env, TARGETS_ENV};
use schema_core::target::Target as Client;
use syn::DeriveInput;

use crate::source;

/// One field as the row mapping sees it.
pub struct RowField<'a> {
    /// The field name.
    pub ident: &'a Ident,
    /// The column it reads; `None` for `#[model(skip)]` (then `Default::default()`).
    pub column: Option<&'a str>,
    /// Where the field type starts: decode errors (a missing `FromSql`/`Decode`) point there.
    pub span: Span,
}

/// The targets by the precedence above; the error is a complete user-facing message.
pub fn choose(attribute: Option<&[Client]>, file: Option<&[Client]>) -> Result<Vec<Client>, String> {
    if let Some(targets) = attribute {
        return Ok(targets.to_vec());
    }
    if let Some(env) = std::env::var(TARGETS_ENV).ok().filter(|v| !v.trim().is_empty()) {
        return parse_targets_env(&env);
    }
    if let Some(targets) = file {
        return Ok(targets.to_vec());
    }
    infer(source::declared_clients().map(<[Client]>::to_vec))
}

/// The targets the declared dependencies imply (`None`: the manifest could not be read).
pub fn infer(declared: Option<Vec<Client>>) -> Result<Vec<Client>, String> {
    let declared = declared.unwrap_or_default();
    if declared.is_empty() || declared.contains(&Client::Postgres) {
        return Ok(vec![Client::Postgres]);
    }
    match declared.as_slice() {
        [one] => Ok(vec![*one]),
        _ => Err(format!(
            "`#[derive(Model)]` cannot tell which client to implement row mapping for: `{}` depends on both \
             `tokio-postgres` and `sqlx`; choose with `#[model(target = \"sqlx\")]` (or `\"tokio-postgres\"`, or both: \
             `\"tokio-postgres, sqlx\"`), or with `\"targets\"` in the options file next to the snapshot",
            crate_name()
        )),
    }
}

fn crate_name() -> String {
    std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "this crate".to_owned())
}

/// The dependency a target's impl needs, as the fix to write into `Cargo.toml`.
fn missing_dependency(client: Client) -> String {
    let krate = crate_name();
    match client {
        Client::Postgres => format!(
            "`#[derive(Model)]` implements `TryFrom<&postgres::Row>`, so `{krate}` must depend on the `postgres` crate; \
             add `postgres = \"0.19\"` to `[dependencies]` in its Cargo.toml (or choose another client with \
             `#[model(target = \"tokio-postgres\")]` or `#[model(target = \"sqlx\")]`)"
        ),
        Client::TokioPostgres => format!(
            "`#[derive(Model)]` with target `tokio-postgres` implements `TryFrom<&tokio_postgres::Row>`, so `{krate}` must \
             depend on the `tokio-postgres` crate; add `tokio-postgres = \"0.7\"` to `[dependencies]` in its Cargo.toml"
        ),
        Client::Sqlx => format!(
            "`#[derive(Model)]` with target `sqlx` implements `sqlx::FromRow`, so `{krate}` must depend on the `sqlx` crate; \
             add `sqlx = {{ version = \"0.8\", default-features = false, features = [\"postgres\"] }}` to `[dependencies]` in its Cargo.toml"
        ),
    }
}

/// The row mapping of each target (one `TryFrom<&Row>` for `postgres` and `tokio-postgres`
/// together: `postgres::Row` is `tokio_postgres::Row`). A target whose crate is not a dependency
/// gets an error (once per crate) instead of an impl whose paths would not resolve.
pub fn row_impls(input: &DeriveInput, targets: &[Client], fields: &[RowField<'_>], checked: bool) -> TokenStream {
    let mut out = TokenStream::new();
    let row_client = if targets.contains(&Client::TokioPostgres) {
        Some(Client::TokioPostgres)
    } else {
        targets.contains(&Client::Postgres).then_some(Client::Postgres)
    };
    let sqlx = targets.contains(&Client::Sqlx).then_some(Client::Sqlx);
    for client in [row_client, sqlx].into_iter().flatten() {
        if !source::crate_declares(client) {
            if source::first_missing_dependency(client) {
                out.extend(syn::Error::new_spanned(&input.ident, missing_dependency(client)).to_compile_error());
            }
            continue;
        }
        out.extend(match client {
            Client::Sqlx => sqlx_from_row(input, fields, checked),
            _ => try_from_row(input, client, fields, checked),
        });
    }
    out
}

/// `field: row.try_get("column")?,` with `.try_get("column")?` spanned at `span`.
fn field_init(field: &Ident, row: &Ident, try_get: &Ident, column: &str, span: Span) -> [TokenTree; 8] {
    let punct = |c, spacing| {
        let mut p = Punct::new(c, spacing);
        p.set_span(span);
        TokenTree::Punct(p)
    };
    let mut method = try_get.clone();
    method.set_span(span);
    let mut literal = Literal::string(column);
    literal.set_span(span);
    let mut args = Group::new(Delimiter::Parenthesis, TokenTree::Literal(literal).into());
    args.set_span(span);
    [
        TokenTree::Ident(field.clone()),
        TokenTree::Punct(Punct::new(':', Spacing::Alone)),
        TokenTree::Ident(row.clone()),
        punct('.', Spacing::Alone),
        TokenTree::Ident(method),
        TokenTree::Group(args),
        punct('?', Spacing::Alone),
        TokenTree::Punct(Punct::new(',', Spacing::Alone)),
    ]
}

fn stub() -> TokenStream {
    quote! {
        let _ = row;
        ::core::unreachable!("`Model` derive failed to check; this code is never compiled successfully")
    }
}

fn try_from_row(input: &DeriveInput, client: Client, fields: &[RowField<'_>], checked: bool) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = Ident::new(if client == Client::TokioPostgres { "tokio_postgres" } else { "postgres" }, Span::call_site());
    let body = if checked {
        let mut inits = TokenStream::new();
        let row = Ident::new("row", Span::call_site());
        let try_get = Ident::new("try_get", Span::call_site());
        for f in fields {
            let fident = f.ident;
            match f.column {
                None => inits.extend(quote_spanned! { fident.span()=> #fident: ::core::default::Default::default(), }),
                Some(column) => {
                    // `try_get`'s type parameter is inferred from the field: restating the field
                    // type as a turbofish made rustc resolve every type path twice, a large part
                    // of the derive's `cargo check` cost on big models. The call is spanned at
                    // the field type, so a missing `FromSql` impl is still reported there; `row`
                    // keeps the call-site span so it resolves to the parameter even when the
                    // struct comes from a `macro_rules!` expansion (hygiene). Built token by
                    // token rather than with `quote!`, which re-creates (and validates) every
                    // identifier from its text: this loop runs once per field of every model.
                    inits.extend(field_init(fident, &row, &try_get, column, f.span));
                }
            }
        }
        quote! { ::core::result::Result::Ok(Self { #inits }) }
    } else {
        stub()
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::convert::TryFrom<&::#krate::Row> for #ident #ty_generics #where_clause {
            type Error = ::#krate::Error;

            fn try_from(row: &::#krate::Row) -> ::core::result::Result<Self, Self::Error> {
                #body
            }
        }
    }
}

/// `impl sqlx::FromRow<'_, PgRow>`, written out rather than derived: the derive's own attributes
/// (`rename`, `skip`) would have to restate what `#[model]` already says.
fn sqlx_from_row(input: &DeriveInput, fields: &[RowField<'_>], checked: bool) -> TokenStream {
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    generics.params.insert(0, syn::parse_quote!('pgcanon_row));
    let (impl_generics, _, _) = generics.split_for_impl();
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let body = if checked {
        let inits = fields.iter().map(|f| {
            let fident = f.ident;
            match f.column {
                None => quote_spanned! { fident.span()=> #fident: ::core::default::Default::default() },
                Some(column) => {
                    // As for `postgres`: the trait path is spanned at the field type (a missing
                    // `Decode` is reported there), `row` keeps the call-site span.
                    let get = quote_spanned! { f.span=> ::sqlx::Row::try_get };
                    quote! { #fident: #get(row, #column)? }
                }
            }
        });
        quote! { ::core::result::Result::Ok(Self { #(#inits),* }) }
    } else {
        stub()
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics ::sqlx::FromRow<'pgcanon_row, ::sqlx::postgres::PgRow> for #ident #ty_generics #where_clause {
            fn from_row(row: &'pgcanon_row ::sqlx::postgres::PgRow) -> ::core::result::Result<Self, ::sqlx::Error> {
                #body
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_decide_only_when_unambiguous() {
        let infer = |d: &[Client]| infer(Some(d.to_vec()));
        assert_eq!(infer(&[]).unwrap(), [Client::Postgres]);
        assert_eq!(infer(&[Client::Postgres, Client::Sqlx]).unwrap(), [Client::Postgres], "today's behaviour stays");
        assert_eq!(infer(&[Client::Sqlx]).unwrap(), [Client::Sqlx]);
        assert_eq!(infer(&[Client::TokioPostgres]).unwrap(), [Client::TokioPostgres]);
        let e = infer(&[Client::TokioPostgres, Client::Sqlx]).unwrap_err();
        assert!(e.contains("cannot tell which client") && e.contains("#[model(target = \"sqlx\")]"), "{e}");
        assert_eq!(super::infer(None).unwrap(), [Client::Postgres]);
    }

    #[test]
    fn the_attribute_wins_over_the_file() {
        assert_eq!(choose(Some(&[Client::Sqlx]), Some(&[Client::TokioPostgres])).unwrap(), [Client::Sqlx]);
    }
}
