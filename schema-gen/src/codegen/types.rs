//! Mapped types → Rust type tokens, relative to the module being generated.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::typemap::{RustType, FALLBACK_TYPE_NAME};

use super::naming::ident;
use super::scope::{Scope, SUPPORT_MODULE};
use crate::{Error, Result};

/// Turns [`RustType`]s into tokens, caching parsed type paths (a large schema repeats the same
/// few dozen paths tens of thousands of times).
#[derive(Debug, Default)]
pub struct TypeRenderer {
    parsed: HashMap<String, TokenStream>,
    /// The generic support types rendered so far (`Range`, `Array`): only those are emitted.
    pub used_generics: BTreeSet<&'static str>,
}

/// A rendered type, and whether it fell back to the raw type (the caller warns).
pub struct Rendered {
    /// The type tokens.
    pub tokens: TokenStream,
    /// True when some part of the type is the raw fallback.
    pub fell_back: bool,
}

impl TypeRenderer {
    /// Renders `ty` as seen from the module of schema `current`.
    pub fn render(&mut self, scope: &Scope, current: &str, ty: &RustType) -> Result<Rendered> {
        let mut fell_back = false;
        let tokens = self.render_inner(scope, current, ty, &mut fell_back)?;
        Ok(Rendered { tokens, fell_back })
    }

    fn render_inner(&mut self, scope: &Scope, current: &str, ty: &RustType, fell_back: &mut bool) -> Result<TokenStream> {
        Ok(match ty {
            RustType::Path(path) => self.path(path)?,
            RustType::Support(name) => {
                let module = ident(SUPPORT_MODULE);
                let name = ident(name);
                quote!(super::#module::#name)
            }
            RustType::Enum(q) | RustType::Composite(q) => match (scope.module(&q.schema), scope.type_name(&q.schema, &q.name)) {
                (Some(module), Some(name)) => {
                    let name = ident(name);
                    if q.schema == current {
                        quote!(#name)
                    } else {
                        let module = ident(module);
                        quote!(super::#module::#name)
                    }
                }
                // The type's schema was filtered out (or it is a table's row type): no Rust
                // type exists for it, so use the raw fallback rather than emit a dangling path.
                _ => {
                    *fell_back = true;
                    raw_value()
                }
            },
            RustType::Generic { name, element } => {
                self.used_generics.insert(name);
                let inner = self.render_inner(scope, current, element, fell_back)?;
                let module = ident(SUPPORT_MODULE);
                let name = ident(name);
                quote!(super::#module::#name<#inner>)
            }
            RustType::Array { element, nullable_elements } => {
                let inner = self.render_inner(scope, current, element, fell_back)?;
                if *nullable_elements {
                    quote!(Vec<Option<#inner>>)
                } else {
                    quote!(Vec<#inner>)
                }
            }
            RustType::Fallback { .. } => {
                *fell_back = true;
                raw_value()
            }
        })
    }

    fn path(&mut self, path: &str) -> Result<TokenStream> {
        if let Some(t) = self.parsed.get(path) {
            return Ok(t.clone());
        }
        let ty: syn::Type = syn::parse_str(path).map_err(|e| {
            Error::Config(format!(
                "type override `{path}` is not a valid Rust type ({e}); use a type path such as `my_crate::Email`"
            ))
        })?;
        let tokens = quote!(#ty);
        self.parsed.insert(path.to_owned(), tokens.clone());
        Ok(tokens)
    }
}

/// The generated raw fallback type, as seen from a schema module.
pub fn raw_value() -> TokenStream {
    let module = ident(SUPPORT_MODULE);
    let name = ident(FALLBACK_TYPE_NAME);
    quote!(super::#module::#name)
}
