//! Does a field's Rust type fit a column? Decided with the shared [`TypeMap`], never a second
//! table, so the checker and the generator cannot disagree.
//!
//! Rules:
//! - paths compare by full path when the user wrote a path (`chrono::DateTime`), else by last
//!   segment (`DateTime`, brought in by `use`), and generic arguments compare the same way;
//!   `std::string::String` and friends equal their prelude names;
//! - the canonical mapping and every `also_accepted` alternative are accepted;
//! - arrays accept `Vec<T>` and `Vec<Option<T>>`, `T` compared with the element mapping;
//! - enum and composite columns accept any type that is not one of the type map's built-in
//!   scalars (the user's enum or struct implementing `FromSql`): the name is free because
//!   hand-written models often rename PostgreSQL types;
//! - unmapped SQL types need `#[model(custom)]`.

use crate::snapshot::QualifiedName;
use crate::typemap::{Mapping, RustType};

use super::model::RustTypeRepr;

/// Why a type did not fit.
pub(crate) enum Mismatch {
    /// The expected type (as the generator would write it), for the message.
    Expected(String),
    /// The SQL type has no mapping.
    Unsupported,
}

/// Checks `ty` (already stripped of the nullability `Option`) against a column's mapping.
pub(crate) fn check(ty: &RustTypeRepr, mapping: &Mapping) -> Result<(), Mismatch> {
    let also: Vec<RustTypeRepr> = mapping.also_accepted.iter().map(|a| RustTypeRepr::parse(a)).collect();
    match &mapping.ty {
        RustType::Array { element, .. } => {
            let user_elem = ty.vec_inner().ok_or_else(|| Mismatch::Expected(expected_text(&mapping.ty)))?;
            let user_elem = user_elem.option_inner().unwrap_or(user_elem);
            // The alternatives of an array are spelled `Vec<T>` / `Vec<Option<T>>`: compare elements.
            let also_elems: Vec<RustTypeRepr> = also
                .iter()
                .filter_map(RustTypeRepr::vec_inner)
                .map(|e| e.option_inner().unwrap_or(e).clone())
                .collect();
            scalar(user_elem, element, &also_elems).map_err(|m| match m {
                Mismatch::Expected(_) => Mismatch::Expected(expected_text(&mapping.ty)),
                other => other,
            })
        }
        other => scalar(ty, other, &also),
    }
}

fn scalar(ty: &RustTypeRepr, expected: &RustType, also: &[RustTypeRepr]) -> Result<(), Mismatch> {
    let ok = match expected {
        RustType::Path(p) => same_type(ty, &RustTypeRepr::parse(p)) || also.iter().any(|a| same_type(ty, a)),
        RustType::Enum(_) | RustType::Composite(_) => is_user_type(ty),
        // The generated support type or the user's own type of that name, wherever it lives.
        RustType::Support(name) => ty.last_segment() == Some(name) || also.iter().any(|a| same_type(ty, a)),
        RustType::Generic { name, element } => {
            // `Range<T>` / `Array<T>` of any module (the generated one, or the user's own), the
            // argument compared with the element's mapping and alternatives. An `Array` of
            // `Option<T>` is accepted too (a type of the user's whose elements are `T`).
            let arg = match (ty.last_segment() == Some(name), ty.args()) {
                (true, [arg]) => arg,
                _ => return Err(Mismatch::Expected(expected_text(expected))),
            };
            let arg = if *name == "Array" { arg.option_inner().unwrap_or(arg) } else { arg };
            let also_args: Vec<RustTypeRepr> = also
                .iter()
                .filter(|a| a.last_segment() == Some(name))
                .filter_map(|a| a.args().first().cloned())
                .collect();
            return scalar(arg, element, &also_args).map_err(|m| match m {
                Mismatch::Expected(_) => Mismatch::Expected(expected_text(expected)),
                other => other,
            });
        }
        RustType::Fallback { .. } => return Err(Mismatch::Unsupported),
        // Nested arrays are mapped to the fallback by the type map; this arm is defensive.
        RustType::Array { .. } => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Mismatch::Expected(expected_text(expected)))
    }
}

/// How the generator would spell the expected type, for messages (a phrase, with backticks).
pub(crate) fn expected_text(t: &RustType) -> String {
    match t {
        RustType::Path(p) => format!("`{p}`"),
        RustType::Support(name) => format!("`{name}` (the generated `pgcanon_support::{name}`, or a type of yours of that name)"),
        RustType::Enum(q) => format!("a Rust enum implementing `FromSql` for `{}`", qualified(q)),
        RustType::Composite(q) => format!("a Rust struct implementing `FromSql` for `{}`", qualified(q)),
        RustType::Generic { name, element } => {
            format!("`{name}<{}>` (the generated `pgcanon_support::{name}`, or a type of yours of that name)", spelled(element))
        }
        RustType::Array { element, nullable_elements } => {
            let inner = spelled(element);
            if *nullable_elements {
                format!("`Vec<Option<{inner}>>`")
            } else {
                format!("`Vec<{inner}>`")
            }
        }
        RustType::Fallback { sql_type } => format!("no Rust type (`{sql_type}` is unmapped)"),
    }
}

/// A type as it would be written inside another type's arguments, for messages.
fn spelled(t: &RustType) -> String {
    match t {
        RustType::Path(p) => p.clone(),
        RustType::Support(name) => (*name).to_owned(),
        RustType::Enum(q) | RustType::Composite(q) => heck_like_pascal(&q.name),
        RustType::Fallback { sql_type } => sql_type.clone(),
        RustType::Generic { name, element } => format!("{name}<{}>", spelled(element)),
        RustType::Array { element, nullable_elements: true } => format!("Vec<Option<{}>>", spelled(element)),
        RustType::Array { element, nullable_elements: false } => format!("Vec<{}>", spelled(element)),
    }
}

fn qualified(q: &QualifiedName) -> String {
    format!("{}.{}", q.schema, q.name)
}

/// `order_status` → `OrderStatus`, for the element of an enum array in messages only.
fn heck_like_pascal(name: &str) -> String {
    super::model::RenameRule::PascalCase.apply(name)
}

/// Prelude names and their full paths are the same type.
fn canonical_segments(segments: &[String]) -> Vec<String> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let prelude = match s.as_slice() {
        ["std" | "alloc", "string", "String"] => Some("String"),
        ["std" | "alloc", "vec", "Vec"] => Some("Vec"),
        ["std" | "core", "option", "Option"] => Some("Option"),
        ["std" | "core", "primitive", p] => Some(*p),
        _ => None,
    };
    match prelude {
        Some(p) => vec![p.to_owned()],
        None => segments.to_vec(),
    }
}

/// Type equality modulo `use`: full paths when the user wrote one, else the last segment.
fn same_type(user: &RustTypeRepr, expected: &RustTypeRepr) -> bool {
    let (RustTypeRepr::Path { segments: us, args: ua }, RustTypeRepr::Path { segments: es, args: ea }) = (user, expected)
    else {
        return false;
    };
    let us = canonical_segments(us);
    let es = canonical_segments(es);
    let names_match = if us.len() > 1 { us == es } else { us.last() == es.last() };
    names_match && ua.len() == ea.len() && ua.iter().zip(ea).all(|(u, e)| same_type(u, e))
}

/// Last segments of every type the built-in map produces: an enum/composite column must not be
/// read into one of these (it would fail at run time).
const BUILTIN_SCALARS: &[&str] = &[
    "bool", "i8", "i16", "i32", "i64", "u32", "f32", "f64", "String", "str", "Vec", "Option", "HashMap",
    "Decimal", "Value", "Uuid", "NaiveDate", "NaiveTime", "NaiveDateTime", "DateTime", "Date", "Time",
    "PrimitiveDateTime", "OffsetDateTime", "SystemTime", "IpAddr", "IpCidr", "MacAddress",
];

fn is_user_type(ty: &RustTypeRepr) -> bool {
    ty.last_segment().is_some_and(|last| !BUILTIN_SCALARS.contains(&last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typemap::MappingSource;

    fn mapping(ty: RustType, also: &[&str]) -> Mapping {
        Mapping { ty, source: MappingSource::Builtin, also_accepted: also.iter().map(|s| (*s).to_owned()).collect() }
    }

    fn fits(user: &str, m: &Mapping) -> bool {
        check(&RustTypeRepr::parse(user), m).is_ok()
    }

    #[test]
    fn aliases_and_full_paths() {
        let m = mapping(RustType::Path("chrono::DateTime<chrono::Utc>".into()), &["time::OffsetDateTime"]);
        assert!(fits("DateTime<Utc>", &m));
        assert!(fits("chrono::DateTime<chrono::Utc>", &m));
        assert!(fits("::chrono::DateTime<Utc>", &m));
        assert!(fits("OffsetDateTime", &m));
        assert!(!fits("chrono::DateTime<chrono::Local>", &m));
        assert!(!fits("other::DateTime<Utc>", &m));
        assert!(!fits("NaiveDateTime", &m));
        let s = mapping(RustType::Path("String".into()), &[]);
        assert!(fits("std::string::String", &s));
        assert!(!fits("&str", &s));
    }

    #[test]
    fn arrays_accept_vec_and_vec_option() {
        let m = mapping(
            RustType::Array { element: Box::new(RustType::Path("String".into())), nullable_elements: false },
            &[],
        );
        assert!(fits("Vec<String>", &m));
        assert!(fits("Vec<Option<String>>", &m));
        assert!(!fits("Vec<i32>", &m));
        assert!(!fits("String", &m));
    }

    #[test]
    fn enums_accept_user_types_and_fallback_is_unsupported() {
        let q = QualifiedName { schema: "public".into(), name: "status".into() };
        let m = mapping(RustType::Enum(q), &[]);
        assert!(fits("Status", &m));
        assert!(fits("crate::models::OrderState", &m));
        assert!(!fits("String", &m));
        let f = mapping(RustType::Fallback { sql_type: "money".into() }, &[]);
        assert!(matches!(check(&RustTypeRepr::parse("i64"), &f), Err(Mismatch::Unsupported)));
    }
}
