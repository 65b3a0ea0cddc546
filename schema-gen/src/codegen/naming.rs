//! SQL names → valid, stable Rust identifiers.
//!
//! PostgreSQL accepts almost any string as a name (quoted identifiers may hold spaces, quotes,
//! non-ASCII letters, keywords, leading digits); Rust does not. Every conversion here is a pure
//! function of its input, and collisions are resolved by a [`Namer`] that hands out numeric
//! suffixes in the order names are requested — callers request in snapshot order, which is
//! sorted, so the output is deterministic.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Strict and reserved keywords that are valid as raw identifiers (`r#type`), across editions
/// up to 2024, so generated code compiles whatever edition the consuming crate uses.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow prelude items the generated code relies on (`Option`,
/// `Vec`, ...). They are treated as already taken, so a table named `option` becomes `Option2`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "TryFrom", "From", "Into", "Default",
    "Clone", "Copy", "Debug", "PartialEq", "Eq", "Hash", "Send", "Sync", "Sized", "Self",
];

/// Transliterates common Latin letters with diacritics to ASCII; other non-ASCII
/// alphanumerics become `u<hex>` so distinct names stay distinct; anything else is a word break.
fn asciify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_alphanumeric() { c } else { '_' });
            continue;
        }
        let t = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
            'æ' => "ae",
            'Æ' => "AE",
            'ç' | 'č' | 'ć' => "c",
            'Ç' | 'Č' | 'Ć' => "C",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' | 'ę' => "e",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ě' | 'Ę' => "E",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
            'ñ' | 'ń' | 'ň' => "n",
            'Ñ' | 'Ń' | 'Ň' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
            'œ' => "oe",
            'Œ' => "OE",
            'ß' => "ss",
            'ś' | 'š' => "s",
            'Ś' | 'Š' => "S",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => "U",
            'ý' | 'ÿ' => "y",
            'Ý' | 'Ÿ' => "Y",
            'ž' | 'ź' | 'ż' => "z",
            'Ž' | 'Ź' | 'Ż' => "Z",
            'ł' => "l",
            'Ł' => "L",
            'ř' => "r",
            'Ř' => "R",
            'đ' | 'ð' => "d",
            'Đ' | 'Ð' => "D",
            'þ' => "th",
            'Þ' => "Th",
            _ if c.is_alphanumeric() => {
                // Word breaks around the escape keep `名前` → `u540d_u524d` readable.
                out.push_str(&format!("_u{:x}_", c as u32));
                continue;
            }
            _ => "_",
        };
        out.push_str(t);
    }
    out
}

/// Makes `base` (already cased, ASCII alphanumerics and `_`) a valid identifier string:
/// empty → `fallback`, leading digit → `_` prefix, unrawable keyword → `_` suffix.
/// Raw keywords are returned as-is; [`ident`] turns them into `r#...`.
fn finish(base: String, fallback: &str) -> String {
    let base = if base.is_empty() || base.chars().all(|c| c == '_') { fallback.to_owned() } else { base };
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) { format!("_{base}") } else { base };
    if NON_RAW_KEYWORDS.contains(&base.as_str()) {
        format!("{base}_")
    } else {
        base
    }
}

/// A snake_case identifier (fields, modules) for a SQL name; not yet de-duplicated.
pub fn snake(name: &str, fallback: &str) -> String {
    finish(asciify(name).to_snake_case(), fallback)
}

/// An UpperCamelCase identifier (types, variants) for a SQL name; not yet de-duplicated.
pub fn camel(name: &str, fallback: &str) -> String {
    finish(asciify(name).to_upper_camel_case(), fallback)
}

/// The token for an identifier string produced by this module: raw (`r#type`) for keywords.
pub fn ident(name: &str) -> Ident {
    if RAW_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Hands out unique names within one namespace (a module's types, a struct's fields, ...).
///
/// A taken name gets the smallest numeric suffix that is free: `user`, `user_2`, `user_3` for
/// snake case, `User`, `User2`, `User3` for camel case.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A namer with `reserved` names already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer { taken: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// Claims `base` or, when taken, `base` plus the first free numeric suffix.
    pub fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        // `_` separates the suffix in snake case so `user2` (a real name) and `user_2` differ.
        let sep = if base.chars().any(|c| c.is_ascii_uppercase()) { "" } else { "_" };
        let stem = base.trim_end_matches('_');
        let stem = if stem.is_empty() { base.as_str() } else { stem };
        (2u32..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base) // unreachable: the iterator is unbounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn produces_valid_identifiers_for_nasty_names() {
        assert_eq!(snake("userID", "field"), "user_id");
        assert_eq!(snake("Email Address", "field"), "email_address");
        assert_eq!(snake("type", "field"), "type");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(camel("self", "Type"), "Self_");
        assert_eq!(snake("1st place", "field"), "_1st_place");
        assert_eq!(snake("größe", "field"), "grosse");
        assert_eq!(snake("名前", "field"), "u540d_u524d");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(snake("???", "field"), "field");
        assert_eq!(camel("in progress", "Variant"), "InProgress");
    }

    #[test]
    fn resolves_collisions_with_numeric_suffixes() {
        let mut n = Namer::with_reserved(RESERVED_TYPE_NAMES);
        assert_eq!(n.claim("User".into()), "User");
        assert_eq!(n.claim("User".into()), "User2");
        assert_eq!(n.claim("Option".into()), "Option2");
        let mut f = Namer::default();
        assert_eq!(f.claim("a_b".into()), "a_b");
        assert_eq!(f.claim("a_b".into()), "a_b_2");
        assert_eq!(f.claim("self_".into()), "self_");
        assert_eq!(f.claim("self_".into()), "self_2");
    }
}
