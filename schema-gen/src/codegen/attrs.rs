//! Attributes on generated items: rustdoc lines and user-configured attributes.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;

use super::options::AttributeRule;
use crate::{Error, Result};

/// `#[doc = "..."]` attributes, one per line; nothing when docs are off.
///
/// Paragraphs are separated by an empty doc line so Markdown never joins a PostgreSQL comment
/// with the generated type note.
pub fn doc(enabled: bool, paragraphs: &[String]) -> TokenStream {
    if !enabled {
        return TokenStream::new();
    }
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(p.trim_end().lines().map(|l| format!(" {}", l.trim_end())));
    }
    let lines = lines.iter().map(|l| if l.trim().is_empty() { String::new() } else { l.clone() });
    quote!(#(#[doc = #lines])*)
}

/// Escapes text for inline code in rustdoc: backticks inside would end the span early.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The attributes of every rule matching `segments`, parsed.
pub fn matching(rules: &[AttributeRule], segments: &[&str]) -> Result<TokenStream> {
    let mut out = TokenStream::new();
    for rule in rules.iter().filter(|r| r.matches(segments)) {
        out.extend(parse(&rule.attribute, &rule.path)?);
    }
    Ok(out)
}

/// Parses `#[...]` (or a bare `derive(...)`, `serde(...)`) into outer attributes.
pub fn parse(attribute: &str, path: &str) -> Result<TokenStream> {
    let trimmed = attribute.trim();
    let text = if trimmed.starts_with("#[") { trimmed.to_owned() } else { format!("#[{trimmed}]") };
    let attrs = syn::Attribute::parse_outer.parse_str(&text).map_err(|e| {
        Error::Config(format!(
            "attribute `{attribute}` for path `{path}` does not parse ({e}); write it as Rust source, e.g. `#[derive(serde::Serialize)]`"
        ))
    })?;
    Ok(quote!(#(#attrs)*))
}

/// Parses a comma-separated derive list (`serde::Serialize, serde::Deserialize`) into one
/// `#[derive(...)]` attribute string.
pub fn derive_attribute(derives: &str) -> String {
    format!("#[derive({})]", derives.trim().trim_end_matches(','))
}
