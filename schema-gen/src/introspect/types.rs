//! Structured type references: catalog type facts → [`TypeRef`].
//!
//! The catalog queries resolve arrays to their element type and report its schema, `typname`
//! and `typtype`; this module classifies the kind and decodes the type modifier (`typmod`)
//! into length, precision and scale. Typmods are only decoded for `pg_catalog` types, whose
//! encodings are known; an extension type's modifier is opaque.

use schema_core::snapshot::{TypeKind, TypeRef};

use crate::{Error, Result};

/// `VARHDRSZ`: varchar/char/numeric typmods are offset by the varlena header size.
const VARHDRSZ: i32 = 4;
/// The interval typmod's "no precision given" marker (`INTERVAL_FULL_PRECISION`).
const INTERVAL_FULL_PRECISION: i32 = 0xffff;

/// The type facts one catalog row carries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawType<'a> {
    /// Schema of the (element) type.
    pub schema: &'a str,
    /// `typname` of the (element) type.
    pub name: &'a str,
    /// `typtype` of the (element) type.
    pub typtype: &'a str,
    /// True when the declared type is an array of the element type.
    pub is_array: bool,
    /// Declared array dimensions (`attndims`); PostgreSQL does not enforce them and reports 0
    /// in some places (views), so an array always counts at least one.
    pub ndims: i32,
    /// The type modifier (`atttypmod`), -1 when none.
    pub typmod: i32,
}

/// Builds the [`TypeRef`] for `raw`; `object` names the column or domain for errors.
pub(crate) fn type_ref(raw: RawType<'_>, object: &dyn Fn() -> String) -> Result<TypeRef> {
    let kind = type_kind(raw.typtype, raw.schema).ok_or_else(|| Error::Catalog {
        object: object(),
        detail: format!("unknown typtype `{}` for type `{}.{}`", raw.typtype, raw.schema, raw.name),
    })?;
    let mods = if kind == TypeKind::Builtin { decode_typmod(raw.name, raw.typmod).map_err(|detail| Error::Catalog { object: object(), detail })? } else { Modifiers::default() };
    let array_dims = if raw.is_array { raw.ndims.max(1) as u32 } else { 0 };
    Ok(TypeRef {
        schema: raw.schema.to_owned(),
        name: raw.name.to_owned(),
        kind,
        array_dims,
        length: mods.length,
        precision: mods.precision,
        scale: mods.scale,
    })
}

/// Classifies a `typtype`. Base types are builtin when they live in `pg_catalog`.
fn type_kind(typtype: &str, schema: &str) -> Option<TypeKind> {
    Some(match typtype {
        "b" if schema == "pg_catalog" => TypeKind::Builtin,
        "b" => TypeKind::Base,
        "e" => TypeKind::Enum,
        "d" => TypeKind::Domain,
        "c" => TypeKind::Composite,
        "r" => TypeKind::Range,
        "m" => TypeKind::Multirange,
        "p" => TypeKind::Pseudo,
        _ => return None,
    })
}

/// Length, precision and scale decoded from a typmod.
#[derive(Debug, Default, PartialEq, Eq)]
struct Modifiers {
    length: Option<u32>,
    precision: Option<u32>,
    scale: Option<u32>,
}

/// Decodes a builtin type's typmod (the inverse of each type's `typmodin`).
fn decode_typmod(typname: &str, typmod: i32) -> std::result::Result<Modifiers, String> {
    let mut m = Modifiers::default();
    if typmod < 0 {
        return Ok(m);
    }
    match typname {
        "varchar" | "bpchar" if typmod >= VARHDRSZ => m.length = Some((typmod - VARHDRSZ) as u32),
        "bit" | "varbit" => m.length = Some(typmod as u32),
        "numeric" if typmod >= VARHDRSZ => {
            let t = typmod - VARHDRSZ;
            m.precision = Some(((t >> 16) & 0xffff) as u32);
            // PostgreSQL 15 stores the scale as an 11-bit signed number (negative scales round
            // to the left of the decimal point); the snapshot model has no negative scale.
            let scale = ((t & 0x7ff) ^ 1024) - 1024;
            if scale < 0 {
                return Err(format!("numeric scale {scale} is negative, which the snapshot model cannot represent"));
            }
            m.scale = Some(scale as u32);
        }
        "time" | "timetz" | "timestamp" | "timestamptz" => m.precision = Some(typmod as u32),
        "interval" => {
            let p = typmod & 0xffff;
            if p != INTERVAL_FULL_PRECISION {
                m.precision = Some(p as u32);
            }
        }
        _ => {}
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mods(length: Option<u32>, precision: Option<u32>, scale: Option<u32>) -> Modifiers {
        Modifiers { length, precision, scale }
    }

    #[test]
    fn decodes_typmods_of_builtin_types() {
        assert_eq!(decode_typmod("varchar", 124).unwrap(), mods(Some(120), None, None));
        assert_eq!(decode_typmod("bpchar", 9).unwrap(), mods(Some(5), None, None));
        assert_eq!(decode_typmod("bit", 8).unwrap(), mods(Some(8), None, None));
        assert_eq!(decode_typmod("numeric", 917512).unwrap(), mods(None, Some(14), Some(4)));
        assert_eq!(decode_typmod("numeric", -1).unwrap(), mods(None, None, None));
        assert_eq!(decode_typmod("timestamptz", 3).unwrap(), mods(None, Some(3), None));
        assert_eq!(decode_typmod("time", 0).unwrap(), mods(None, Some(0), None));
        assert_eq!(decode_typmod("interval", 2147418114).unwrap(), mods(None, Some(2), None));
        assert_eq!(decode_typmod("interval", 458751).unwrap(), mods(None, None, None));
        assert_eq!(decode_typmod("text", 42).unwrap(), mods(None, None, None));
    }

    #[test]
    fn rejects_negative_numeric_scale() {
        // numeric(2, -3): (2 << 16 | (-3 & 0x7ff)) + 4
        let typmod = ((2 << 16) | (-3i32 & 0x7ff)) + 4;
        let err = decode_typmod("numeric", typmod).unwrap_err();
        assert!(err.contains("negative"), "{err}");
    }

    #[test]
    fn unknown_typtype_is_a_catalog_error() {
        let raw = RawType { schema: "x", name: "y", typtype: "?", is_array: false, ndims: 0, typmod: -1 };
        let err = type_ref(raw, &|| "s.t.c".to_owned()).unwrap_err();
        assert!(matches!(err, Error::Catalog { .. }), "{err}");
        assert!(err.to_string().contains("unknown typtype `?`"), "{err}");
    }

    #[test]
    fn arrays_count_at_least_one_dimension() {
        let raw = RawType { schema: "pg_catalog", name: "int4", typtype: "b", is_array: true, ndims: 0, typmod: -1 };
        let t = type_ref(raw, &String::new).unwrap();
        assert_eq!((t.kind, t.array_dims), (TypeKind::Builtin, 1));
    }
}
