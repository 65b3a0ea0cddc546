//! Which column type changes are widenings (no stored value can be lost).
//!
//! Anything not recognised here is treated as possibly narrowing, hence destructive: a false
//! alarm costs a second look, a missed narrowing costs data.

use schema_core::snapshot::TypeRef;

/// True when every value of `old` converts to `new` without loss.
pub fn is_widening(old: &TypeRef, new: &TypeRef) -> bool {
    if old.array_dims != new.array_dims || old.kind != new.kind {
        return false;
    }
    if old.schema != "pg_catalog" || new.schema != "pg_catalog" {
        return false;
    }
    let (o, n) = (old.name.as_str(), new.name.as_str());
    let at_least = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => b >= a,
    };
    match (o, n) {
        ("varchar", "varchar") | ("varbit", "varbit") => at_least(old.length, new.length),
        ("varchar" | "bpchar", "text") | ("int2", "int4" | "int8") | ("int4", "int8") | ("float4", "float8") => true,
        ("int2" | "int4" | "int8", "numeric") => {
            // An unbounded numeric holds any integer; a bounded one needs enough integer digits.
            let digits = match o {
                "int2" => 5,
                "int4" => 10,
                _ => 19,
            };
            match (new.precision, new.scale) {
                (None, _) => true,
                (Some(p), s) => p.saturating_sub(s.unwrap_or(0)) >= digits,
            }
        }
        ("numeric", "numeric") => match (old.precision, new.precision) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(op), Some(np)) => {
                let (os, ns) = (old.scale.unwrap_or(0), new.scale.unwrap_or(0));
                ns >= os && np.saturating_sub(ns) >= op.saturating_sub(os)
            }
        },
        ("timestamp", "timestamp") | ("timestamptz", "timestamptz") | ("time", "time") | ("interval", "interval") => {
            at_least(old.precision, new.precision)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, length: Option<u32>, precision: Option<u32>, scale: Option<u32>) -> TypeRef {
        TypeRef { schema: "pg_catalog".into(), name: name.into(), length, precision, scale, ..TypeRef::default() }
    }

    #[test]
    fn recognises_widenings_and_rejects_narrowings() {
        assert!(is_widening(&t("varchar", Some(10), None, None), &t("varchar", Some(20), None, None)));
        assert!(is_widening(&t("varchar", Some(10), None, None), &t("text", None, None, None)));
        assert!(!is_widening(&t("varchar", Some(20), None, None), &t("varchar", Some(10), None, None)));
        assert!(is_widening(&t("int4", None, None, None), &t("int8", None, None, None)));
        assert!(!is_widening(&t("int8", None, None, None), &t("int4", None, None, None)));
        assert!(!is_widening(&t("text", None, None, None), &t("int4", None, None, None)));
        assert!(is_widening(&t("numeric", None, Some(10), Some(2)), &t("numeric", None, Some(12), Some(2))));
        assert!(!is_widening(&t("numeric", None, Some(10), Some(2)), &t("numeric", None, Some(10), Some(4))));
        assert!(is_widening(&t("int4", None, None, None), &t("numeric", None, Some(12), Some(2))));
        assert!(!is_widening(&t("int8", None, None, None), &t("numeric", None, Some(12), Some(2))));
    }
}
