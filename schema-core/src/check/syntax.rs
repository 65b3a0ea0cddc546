//! Rust source → [`ModelDef`]: the one attribute parser shared by the derive and
//! `schema-gen models` (feature `syn`), so both read `#[model(...)]` identically.
//!
//! Errors are collected (serde's `Ctxt` pattern) and returned together, each spanned at the
//! offending token, so a user sees every attribute mistake in one compile.
//!
//! Struct attributes: `table = "schema.name"` or `query = "SELECT ..."` (one of them),
//! `rename_all = "camelCase"`,
//! `deny_missing_columns`, `primary_key = "a, b"`, `snapshot = "path"`,
//! `target = "sqlx"` (or `"postgres, tokio-postgres"`: the client crates to implement row
//! mapping for; see [`crate::target`]).
//! Field attributes: `column = "name"`, `skip`, `custom`, `sql_type = "citext"`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Attribute, Fields, GenericArgument, Ident, LitStr, PathArguments, Type};

use super::discrepancy::Location;
use crate::target::Target;
use super::model::{FieldDef, ModelDef, RenameRule, RustTypeRepr};

/// The attribute namespace: `#[model(...)]`.
pub const ATTR: &str = "model";

const STRUCT_KEYS: &str = "`table`, `query`, `rename_all`, `deny_missing_columns`, `primary_key`, `snapshot`, `target`";
const FIELD_KEYS: &str = "`column`, `skip`, `custom`, `sql_type`";

/// A parsed model together with the tokens each [`Location`] points at.
#[derive(Debug, Clone)]
pub struct ParsedModel {
    /// The plain-data description the checker reads.
    pub def: ModelDef,
    /// `#[model(snapshot = "...")]`, with its literal for error spans.
    pub snapshot: Option<LitStr>,
    /// `#[model(target = "...")]`: the targets named, and the literal for error spans.
    pub targets: Option<(Vec<Target>, LitStr)>,
    /// The struct name.
    pub ident: Ident,
    /// The `table = "..."` literal, or the `query = "..."` one for a query model.
    pub table_lit: LitStr,
    /// `#[model(query = "...")]`: the struct is the row of this query, not of a relation. The
    /// query is checked against the snapshot by the query gate (`schema-gen queries`, `check
    /// --queries`, `schema_gen::queries::build::check()`), which has PostgreSQL's parser; the
    /// derive only generates the row mapping.
    pub query: Option<LitStr>,
    /// The `primary_key = "..."` literal.
    pub primary_key_lit: Option<LitStr>,
    /// Per field, in [`ModelDef::fields`] order.
    pub fields: Vec<ParsedField>,
}

/// The source side of one field.
#[derive(Debug, Clone)]
pub struct ParsedField {
    /// The field name.
    pub ident: Ident,
    /// The field type as written.
    pub ty: Type,
    /// The `column = "..."` literal, when present.
    pub column_lit: Option<LitStr>,
}

impl ParsedModel {
    /// The tokens a [`Location`] refers to, for `syn::Error::new_spanned` (whole types are
    /// underlined, not just their first token).
    pub fn tokens(&self, location: Location) -> TokenStream {
        match location {
            Location::Struct => self.ident.to_token_stream(),
            Location::Table => self.table_lit.to_token_stream(),
            Location::PrimaryKey => match &self.primary_key_lit {
                Some(l) => l.to_token_stream(),
                None => self.ident.to_token_stream(),
            },
            Location::FieldColumn(i) => match self.fields.get(i) {
                Some(f) => f.column_lit.as_ref().map_or_else(|| f.ident.to_token_stream(), |l| l.to_token_stream()),
                None => self.ident.to_token_stream(),
            },
            Location::FieldType(i) => match self.fields.get(i) {
                Some(f) => f.ty.to_token_stream(),
                None => self.ident.to_token_stream(),
            },
        }
    }

    /// The first span of a [`Location`] (the CLI turns it into `line:column`).
    pub fn span(&self, location: Location) -> Span {
        self.tokens(location).into_iter().next().map_or_else(|| self.ident.span(), |t| t.span())
    }
}

/// True when `attrs` contain `#[derive(..., Model, ...)]` (`Model`, `schema_derive::Model` or
/// `::schema_derive::Model`).
pub fn has_model_derive(attrs: &[Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        let mut found = false;
        let _ = a.parse_nested_meta(|m| {
            let segs: Vec<String> = m.path.segments.iter().map(|s| s.ident.to_string()).collect();
            found |= matches!(segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), ["Model"] | ["schema_derive", "Model"]);
            Ok(())
        });
        found
    })
}

/// Parses a struct's `#[model(...)]` attributes and fields. All errors are returned combined.
pub fn parse_model(ident: &Ident, attrs: &[Attribute], fields: &Fields) -> syn::Result<ParsedModel> {
    let mut errors: Vec<syn::Error> = Vec::new();
    let s = parse_struct_attrs(attrs, &mut errors);
    let named = match fields {
        Fields::Named(named) => Some(named),
        _ => {
            errors.push(syn::Error::new_spanned(
                ident,
                "`Model` needs a struct with named fields; name each field after its column",
            ));
            None
        }
    };
    let rename = s.rename_all.unwrap_or(RenameRule::SnakeCase);
    let mut defs = Vec::new();
    let mut parsed = Vec::new();
    for field in named.into_iter().flat_map(|n| n.named.iter()) {
        let Some(fident) = field.ident.clone() else { continue };
        let fa = parse_field_attrs(&field.attrs, &mut errors);
        let rust_name = fident.to_string().trim_start_matches("r#").to_owned();
        let column = fa.column.as_ref().map_or_else(|| rename.apply(&rust_name), LitStr::value);
        defs.push(FieldDef {
            rust_name,
            column,
            ty: type_repr(&field.ty),
            skip: fa.skip,
            custom_type: fa.custom || fa.sql_type.is_some(),
            sql_type: fa.sql_type,
        });
        parsed.push(ParsedField { ident: fident, ty: field.ty.clone(), column_lit: fa.column });
    }
    let table_lit = match (s.table, &s.query) {
        (Some(t), None) => Some(t),
        (None, Some(q)) => Some(q.clone()),
        (Some(t), Some(_)) => {
            errors.push(syn::Error::new_spanned(
                &t,
                "`table` and `query` cannot both be set: a model maps a table or view, or the rows of one query; keep one",
            ));
            None
        }
        (None, None) => {
            errors.push(syn::Error::new_spanned(
                ident,
                "missing `#[model(table = \"...\")]`; name the table or view this struct maps, e.g. `#[model(table = \"public.users\")]` \
                 (or `#[model(query = \"SELECT ...\")]` for the rows of one query)",
            ));
            None
        }
    };
    if let (Some(_), Some(pk)) = (&s.query, &s.primary_key) {
        errors.push(syn::Error::new_spanned(pk, "`primary_key` needs a table; a `query` model has none, remove it"));
    }
    if let Some(combined) = combine(errors) {
        return Err(combined);
    }
    let table_lit = table_lit.expect("no errors, so the table is set");
    let primary_key = s.primary_key.as_ref().map(|l| {
        l.value().split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()
    });
    Ok(ParsedModel {
        def: ModelDef {
            rust_name: ident.to_string(),
            table: if s.query.is_some() { String::new() } else { table_lit.value() },
            fields: defs,
            deny_missing_columns: s.deny_missing_columns,
            primary_key,
        },
        snapshot: s.snapshot,
        targets: s.targets,
        ident: ident.clone(),
        table_lit,
        query: s.query,
        primary_key_lit: s.primary_key,
        fields: parsed,
    })
}

#[derive(Default)]
struct StructAttrs {
    table: Option<LitStr>,
    query: Option<LitStr>,
    rename_all: Option<RenameRule>,
    deny_missing_columns: bool,
    primary_key: Option<LitStr>,
    snapshot: Option<LitStr>,
    targets: Option<(Vec<Target>, LitStr)>,
}

#[derive(Default)]
struct FieldAttrs {
    column: Option<LitStr>,
    skip: bool,
    custom: bool,
    sql_type: Option<String>,
}

/// Sets `slot` once; a second occurrence is an error at the repeated key.
fn set_once<T>(slot: &mut Option<T>, value: T, key: &syn::Path, errors: &mut Vec<syn::Error>) {
    if slot.is_some() {
        errors.push(syn::Error::new_spanned(key, format!("duplicate `{}` attribute; keep one", path_name(key))));
    } else {
        *slot = Some(value);
    }
}

fn path_name(p: &syn::Path) -> String {
    p.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

fn non_empty(lit: LitStr, what: &str, errors: &mut Vec<syn::Error>) -> Option<LitStr> {
    if lit.value().trim().is_empty() {
        errors.push(syn::Error::new_spanned(&lit, format!("`{what}` is empty; write a name")));
        None
    } else {
        Some(lit)
    }
}

fn parse_struct_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> StructAttrs {
    let mut s = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(ATTR)) {
        let result = attr.parse_nested_meta(|m| {
            let key = path_name(&m.path);
            match key.as_str() {
                "table" | "query" | "primary_key" | "snapshot" => {
                    let lit: LitStr = m.value()?.parse()?;
                    if let Some(lit) = non_empty(lit, &key, errors) {
                        let slot = match key.as_str() {
                            "table" => &mut s.table,
                            "query" => &mut s.query,
                            "primary_key" => &mut s.primary_key,
                            _ => &mut s.snapshot,
                        };
                        set_once(slot, lit, &m.path, errors);
                    }
                }
                "rename_all" => {
                    let lit: LitStr = m.value()?.parse()?;
                    match RenameRule::from_name(&lit.value()) {
                        Some(rule) => set_once(&mut s.rename_all, rule, &m.path, errors),
                        None => errors.push(syn::Error::new_spanned(
                            &lit,
                            format!("unknown `rename_all` rule `{}`; expected one of `{}`", lit.value(), RenameRule::ALL.join("`, `")),
                        )),
                    }
                }
                "deny_missing_columns" => s.deny_missing_columns = true,
                "target" => {
                    let lit: LitStr = m.value()?.parse()?;
                    if let Some(targets) = parse_targets(&lit, errors) {
                        set_once(&mut s.targets, (targets, lit), &m.path, errors);
                    }
                }
                _ => {
                    let hint = suggest_key(&key, FIELD_KEYS, "a field");
                    errors.push(m.error(format!("unknown model attribute `{key}`; expected one of {STRUCT_KEYS}{hint}")));
                    skip_value(&m)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    s
}

/// `"sqlx"` or `"postgres, tokio-postgres"`; an unknown or missing name is an error at `lit`.
fn parse_targets(lit: &LitStr, errors: &mut Vec<syn::Error>) -> Option<Vec<Target>> {
    let value = lit.value();
    let mut targets = Vec::new();
    for name in value.split(',').map(str::trim) {
        match Target::from_name(name) {
            Some(t) => targets.push(t),
            None => {
                let shown = if name.is_empty() { "an empty name".to_owned() } else { format!("`{name}`") };
                errors.push(syn::Error::new_spanned(
                    lit,
                    format!("unknown `target` {shown}; expected one or several (comma-separated) of {}", Target::valid_names()),
                ));
                return None;
            }
        }
    }
    Some(crate::target::normalized(&targets))
}

fn parse_field_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    let mut skip_path = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(ATTR)) {
        let result = attr.parse_nested_meta(|m| {
            let key = path_name(&m.path);
            match key.as_str() {
                "column" => {
                    let lit: LitStr = m.value()?.parse()?;
                    if let Some(lit) = non_empty(lit, "column", errors) {
                        set_once(&mut f.column, lit, &m.path, errors);
                    }
                }
                "sql_type" => {
                    let lit: LitStr = m.value()?.parse()?;
                    if let Some(lit) = non_empty(lit, "sql_type", errors) {
                        set_once(&mut f.sql_type, lit.value(), &m.path, errors);
                    }
                }
                "skip" => {
                    f.skip = true;
                    skip_path = Some(m.path.clone());
                }
                "custom" => f.custom = true,
                _ => {
                    let hint = suggest_key(&key, STRUCT_KEYS, "the struct");
                    errors.push(m.error(format!("unknown field attribute `{key}`; expected one of {FIELD_KEYS}{hint}")));
                    skip_value(&m)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if let (Some(p), true) = (&skip_path, f.column.is_some() || f.custom || f.sql_type.is_some()) {
        errors.push(syn::Error::new_spanned(p, "`skip` conflicts with `column`, `custom` and `sql_type`; a skipped field is not a column"));
    }
    f
}

/// A hint when a key belongs on the other level (e.g. `column` on the struct).
fn suggest_key(key: &str, other: &str, other_place: &str) -> String {
    if other.contains(&format!("`{key}`")) {
        format!("; `{key}` belongs on {other_place}")
    } else {
        String::new()
    }
}

/// Consumes `= value` or `(...)` after an unknown key so parsing continues with the next key.
fn skip_value(m: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if m.input.peek(syn::Token![=]) {
        let _: syn::Expr = m.value()?.parse()?;
    } else if m.input.peek(syn::token::Paren) {
        let _ = m.parse_nested_meta(|inner| skip_value(&inner));
    }
    Ok(())
}

/// The structured image of a `syn::Type`, as the checker compares it.
pub fn type_repr(ty: &Type) -> RustTypeRepr {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let segments = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            let args = match p.path.segments.last().map(|s| &s.arguments) {
                Some(PathArguments::AngleBracketed(a)) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        GenericArgument::Type(t) => Some(type_repr(t)),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            RustTypeRepr::Path { segments, args }
        }
        Type::Group(g) => type_repr(&g.elem),
        Type::Paren(p) => type_repr(&p.elem),
        other => RustTypeRepr::Other(other.to_token_stream().to_string()),
    }
}

/// Folds collected errors into one `syn::Error` (which reports each with its own span).
pub fn combine(errors: Vec<syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> syn::Result<ParsedModel> {
        let item: syn::ItemStruct = syn::parse_str(src).expect("valid struct");
        parse_model(&item.ident, &item.attrs, &item.fields)
    }

    #[test]
    fn builds_model_with_renames() {
        let m = parse(
            r#"#[derive(Model)] #[model(table = "public.users", rename_all = "camelCase", primary_key = "id")]
            struct User { id: i64, #[model(column = "email_address")] email: String, display_name: Option<String>,
                          #[model(skip)] cache: Vec<u8>, r#type: String }"#,
        )
        .unwrap();
        let cols: Vec<_> = m.def.fields.iter().map(|f| f.column.as_str()).collect();
        assert_eq!(cols, ["id", "email_address", "displayName", "cache", "type"]);
        assert!(m.def.fields[3].skip);
        assert_eq!(m.def.primary_key, Some(vec!["id".to_owned()]));
        assert_eq!(m.def.fields[2].ty.to_string(), "Option<String>");
        assert_eq!(m.tokens(Location::FieldColumn(1)).to_string(), "\"email_address\"");
    }

    #[test]
    fn collects_every_attribute_error() {
        let e = parse(r#"#[model(tabel = "x", rename_all = "camel")] struct S { #[model(colum = "a")] a: i32 }"#).unwrap_err();
        let messages: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("unknown model attribute `tabel`")));
        assert!(messages.iter().any(|m| m.contains("unknown `rename_all` rule `camel`")));
        assert!(messages.iter().any(|m| m.contains("unknown field attribute `colum`")));
        assert!(messages.iter().any(|m| m.contains("missing `#[model(table")));
    }

    #[test]
    fn recognises_derive_spellings() {
        let item: syn::ItemStruct = syn::parse_str("#[derive(Debug, schema_derive::Model)] struct S {}").unwrap();
        assert!(has_model_derive(&item.attrs));
        let item: syn::ItemStruct = syn::parse_str("#[derive(Debug)] struct S {}").unwrap();
        assert!(!has_model_derive(&item.attrs));
    }
}
