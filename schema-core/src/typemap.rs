//! The PostgreSQL → Rust type map shared by the generator and the checker.
//!
//! Both front ends ask the same [`TypeMap`], so a generated struct and a checked hand-written
//! struct always agree on what a column's Rust type is. The map is configured by
//! [`TypeOptions`] (which date/time crate, whether `rust_decimal`, `uuid`, `serde_json` and the
//! network crates are in use, and per-type / per-column overrides).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::snapshot::{Column, QualifiedName, Snapshot, TypeKind, TypeRef};

/// Which crate provides date and time types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeCrate {
    /// `chrono` 0.4 (`postgres` feature `with-chrono-0_4`).
    #[default]
    Chrono,
    /// `time` 0.3 (`postgres` feature `with-time-0_3`).
    Time,
}

/// Type-crate choices and overrides. Serializable so a config file or the build script can
/// hand the very same options to the CLI and the derive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypeOptions {
    /// Date/time crate.
    pub time: TimeCrate,
    /// Map `numeric` to `rust_decimal::Decimal` (else it falls back to the raw type).
    pub decimal: bool,
    /// Map `uuid` to `uuid::Uuid`.
    pub uuid: bool,
    /// Map `json`/`jsonb` to `serde_json::Value`.
    pub json: bool,
    /// Map `cidr` to `cidr::IpCidr` and `macaddr` to `eui48::MacAddress`
    /// (`inet` is always `std::net::IpAddr`).
    pub network: bool,
    /// Generate arrays as `Vec<Option<T>>` instead of `Vec<T>` (PostgreSQL arrays may hold NULLs).
    pub nullable_array_elements: bool,
    /// Per-PG-type overrides: key `typname` (`interval`) or `schema.typname`
    /// (`public.citext`), value a Rust type path.
    pub type_overrides: BTreeMap<String, String>,
    /// Per-column overrides: key `schema.table.column`, value a Rust type path.
    pub column_overrides: BTreeMap<String, String>,
}

impl Default for TypeOptions {
    fn default() -> Self {
        TypeOptions {
            time: TimeCrate::Chrono,
            decimal: true,
            uuid: true,
            json: true,
            network: false,
            nullable_array_elements: false,
            type_overrides: BTreeMap::new(),
            column_overrides: BTreeMap::new(),
        }
    }
}

/// The Rust side of a mapped type, before `Option` is applied for nullability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RustType {
    /// A concrete Rust type path, e.g. `i64` or `chrono::DateTime<chrono::Utc>`.
    Path(String),
    /// A PostgreSQL enum: the generator emits a Rust enum for it; a hand-written model uses
    /// its own enum implementing `ToSql`/`FromSql`.
    Enum(QualifiedName),
    /// A PostgreSQL composite type: a generated (or hand-written) struct.
    Composite(QualifiedName),
    /// An array: `Vec<T>` (or `Vec<Option<T>>` when `nullable_elements`).
    Array {
        /// The element type.
        element: Box<RustType>,
        /// Elements are `Option<T>`.
        nullable_elements: bool,
    },
    /// A type of the generated support module (`pgcanon_support::Interval`), named here without
    /// its module: generated code reaches it as `super::pgcanon_support::<name>`, and a
    /// hand-written model may use any type of that name (the generated one, or its own).
    Support(&'static str),
    /// A generic type of the generated support module applied to an element type:
    /// `pgcanon_support::Range<T>` for range columns, `pgcanon_support::Array<T>` for arrays of
    /// two or more dimensions. A hand-written model may use any type of that name with that
    /// one type argument.
    Generic {
        /// The support type's name, `Range` or `Array`.
        name: &'static str,
        /// The type argument.
        element: Box<RustType>,
    },
    /// No mapping is known: the generator emits its raw fallback type and a warning.
    Fallback {
        /// The SQL type as PostgreSQL formats it, for messages.
        sql_type: String,
    },
}

/// Where a mapping came from, so messages can say how to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingSource {
    /// The built-in table.
    Builtin,
    /// A per-type override.
    TypeOverride,
    /// A per-column override.
    ColumnOverride,
    /// Nothing matched.
    Fallback,
}

/// The result of mapping one column or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The Rust type (without `Option` for nullability).
    pub ty: RustType,
    /// Where it came from.
    pub source: MappingSource,
    /// Other Rust types a hand-written model may use for the same column (fully qualified),
    /// e.g. `time::OffsetDateTime` for a `timestamptz` column when chrono is the default.
    pub also_accepted: Vec<String>,
}

/// The type map, configured by [`TypeOptions`].
#[derive(Debug, Clone, Default)]
pub struct TypeMap {
    options: TypeOptions,
}

/// The raw fallback type's name in generated code (see the generator's support module).
pub const FALLBACK_TYPE_NAME: &str = "RawValue";

impl TypeMap {
    /// A type map with these options.
    pub fn new(options: TypeOptions) -> Self {
        TypeMap { options }
    }

    /// The options in use.
    pub fn options(&self) -> &TypeOptions {
        &self.options
    }

    /// Maps a column of `schema.table`. Per-column overrides win, then per-type overrides, then
    /// the built-in table; domains are resolved to their base type first.
    pub fn map_column(&self, snapshot: &Snapshot, schema: &str, table: &str, column: &Column) -> Mapping {
        let key = format!("{schema}.{table}.{}", column.name);
        if let Some(path) = self.options.column_overrides.get(&key) {
            return Mapping { ty: RustType::Path(path.clone()), source: MappingSource::ColumnOverride, also_accepted: vec![] };
        }
        self.map_type(snapshot, &column.type_ref, &column.sql_type)
    }

    /// Maps a type reference (with its SQL spelling, for messages).
    pub fn map_type(&self, snapshot: &Snapshot, t: &TypeRef, sql_type: &str) -> Mapping {
        // A per-type override on the domain itself wins over resolving it.
        if let Some(m) = self.override_for(t) {
            return self.wrap_array(t.array_dims, m, MappingSource::TypeOverride, vec![]);
        }
        let resolved = snapshot.resolve_domain(t);
        if resolved != *t {
            if let Some(m) = self.override_for(&resolved) {
                return self.wrap_array(resolved.array_dims, m, MappingSource::TypeOverride, vec![]);
            }
        }
        let t = &resolved;
        let qualified = QualifiedName { schema: t.schema.clone(), name: t.name.clone() };
        let (scalar, source, also) = match (t.kind, support_type(&t.name)) {
            (TypeKind::Range, _) => match self.range(snapshot, t) {
                Some(m) => (m.ty, m.source, m.also_accepted),
                None => (RustType::Fallback { sql_type: sql_type.to_owned() }, MappingSource::Fallback, vec![]),
            },
            (TypeKind::Enum, _) => (RustType::Enum(qualified), MappingSource::Builtin, vec![]),
            (TypeKind::Composite, _) => (RustType::Composite(qualified), MappingSource::Builtin, vec![]),
            (TypeKind::Builtin, Some(name)) => (RustType::Support(name), MappingSource::Builtin, vec![]),
            _ => match self.builtin(t) {
                Some((canonical, also)) => (RustType::Path(canonical), MappingSource::Builtin, also),
                None => (RustType::Fallback { sql_type: sql_type.to_owned() }, MappingSource::Fallback, vec![]),
            },
        };
        self.wrap_array(t.array_dims, scalar, source, also)
    }

    /// The mapping of a range type: `Range<T>` over its subtype's mapping, or `None` when the
    /// subtype has none (or is unknown: a range of a schema that was not introspected).
    fn range(&self, snapshot: &Snapshot, t: &TypeRef) -> Option<Mapping> {
        let (subtype, spelling) = match (t.schema.as_str(), t.name.as_str()) {
            ("pg_catalog", "int4range") => ("int4", "integer"),
            ("pg_catalog", "int8range") => ("int8", "bigint"),
            ("pg_catalog", "numrange") => ("numeric", "numeric"),
            ("pg_catalog", "tsrange") => ("timestamp", "timestamp without time zone"),
            ("pg_catalog", "tstzrange") => ("timestamptz", "timestamp with time zone"),
            ("pg_catalog", "daterange") => ("date", "date"),
            (schema, name) => {
                let range = snapshot.schemas.iter().find(|s| s.name == schema)?.ranges.iter().find(|r| r.name == name)?;
                // `format_type` spells a `pg_catalog` subtype without its schema and any other
                // qualified; only the former can be mapped from its spelling.
                let typname = typname_for(&range.subtype);
                if typname.contains('.') || typname.contains('"') {
                    return None;
                }
                return self.range_over(snapshot, TypeRef { schema: "pg_catalog".into(), name: typname, ..TypeRef::default() }, &range.subtype);
            }
        };
        self.range_over(snapshot, TypeRef { schema: "pg_catalog".into(), name: subtype.into(), ..TypeRef::default() }, spelling)
    }

    fn range_over(&self, snapshot: &Snapshot, subtype: TypeRef, spelling: &str) -> Option<Mapping> {
        let element = self.map_type(snapshot, &subtype, spelling);
        if element.source == MappingSource::Fallback {
            return None;
        }
        let also_accepted = element.also_accepted.iter().map(|a| format!("Range<{a}>")).collect();
        Some(Mapping { ty: RustType::Generic { name: "Range", element: Box::new(element.ty) }, source: element.source, also_accepted })
    }

    fn wrap_array(&self, dims: u32, scalar: RustType, source: MappingSource, also: Vec<String>) -> Mapping {
        if dims == 0 {
            return Mapping { ty: scalar, source, also_accepted: also };
        }
        // `postgres` decodes one dimension into a `Vec`; more go into the support `Array<T>`,
        // whose elements are always `Option<T>` (any element of any array may be NULL).
        if dims > 1 {
            let also_accepted = also.iter().map(|a| format!("Array<{a}>")).collect();
            return Mapping { ty: RustType::Generic { name: "Array", element: Box::new(scalar) }, source, also_accepted };
        }
        let nullable_elements = self.options.nullable_array_elements;
        let wrap = |inner: &str| {
            if nullable_elements {
                format!("Vec<Option<{inner}>>")
            } else {
                format!("Vec<{inner}>")
            }
        };
        let also_accepted = also.iter().map(|a| wrap(a)).collect();
        Mapping {
            ty: RustType::Array { element: Box::new(scalar), nullable_elements },
            source,
            also_accepted,
        }
    }

    fn override_for(&self, t: &TypeRef) -> Option<RustType> {
        let qualified = format!("{}.{}", t.schema, t.name);
        self.options
            .type_overrides
            .get(&qualified)
            .or_else(|| self.options.type_overrides.get(&t.name))
            .map(|p| RustType::Path(p.clone()))
    }

    /// The built-in mapping of a scalar base type: the canonical Rust type and the alternatives
    /// a hand-written model may use.
    fn builtin(&self, t: &TypeRef) -> Option<(String, Vec<String>)> {
        let chrono = self.options.time == TimeCrate::Chrono;
        let pick = |c: &str, tm: &str| -> (String, Vec<String>) {
            if chrono {
                (c.to_owned(), vec![tm.to_owned()])
            } else {
                (tm.to_owned(), vec![c.to_owned()])
            }
        };
        let one = |s: &str| (s.to_owned(), Vec::new());
        let string_like = || one("String");
        // Extension types are keyed by name wherever their schema is.
        if t.kind == TypeKind::Base {
            return match t.name.as_str() {
                "citext" | "ltree" | "lquery" | "ltxtquery" => Some(string_like()),
                "hstore" => Some(one("std::collections::HashMap<String, Option<String>>")),
                _ => None,
            };
        }
        if t.kind != TypeKind::Builtin {
            return None;
        }
        Some(match t.name.as_str() {
            "bool" => one("bool"),
            "int2" => one("i16"),
            "int4" => one("i32"),
            "int8" => one("i64"),
            "oid" => one("u32"),
            "float4" => one("f32"),
            "float8" => one("f64"),
            "char" => one("i8"),
            "text" | "varchar" | "bpchar" | "name" | "unknown" => string_like(),
            "bytea" => one("Vec<u8>"),
            "numeric" if self.options.decimal => one("rust_decimal::Decimal"),
            "json" | "jsonb" if self.options.json => one("serde_json::Value"),
            "uuid" if self.options.uuid => one("uuid::Uuid"),
            "date" => pick("chrono::NaiveDate", "time::Date"),
            "time" => pick("chrono::NaiveTime", "time::Time"),
            "timestamp" => pick("chrono::NaiveDateTime", "time::PrimitiveDateTime"),
            "timestamptz" => {
                let (c, mut also) = pick("chrono::DateTime<chrono::Utc>", "time::OffsetDateTime");
                also.extend(
                    ["chrono::DateTime<chrono::FixedOffset>", "chrono::DateTime<chrono::Local>", "std::time::SystemTime"]
                        .into_iter()
                        .filter(|a| *a != c)
                        .map(str::to_owned),
                );
                (c, also)
            }
            "inet" => one("std::net::IpAddr"),
            "cidr" if self.options.network => one("cidr::IpCidr"),
            "macaddr" if self.options.network => one("eui48::MacAddress"),
            _ => return None,
        })
    }
}

/// The `pg_catalog` types mapped to a type of the generated support module, and its name.
/// Small hand-written types rather than new dependencies: each is a few lines over the wire
/// format, and the `postgres` crate has no mapping for them without extra crates and features.
pub const SUPPORT_TYPES: &[(&str, &str)] =
    &[("interval", "Interval"), ("money", "Money"), ("bit", "BitString"), ("varbit", "BitString"), ("xml", "Xml"), ("tsvector", "TsVector")];

fn support_type(typname: &str) -> Option<&'static str> {
    SUPPORT_TYPES.iter().find(|(pg, _)| *pg == typname).map(|(_, rust)| *rust)
}

/// The `type_overrides` key (`.pg_type(key, ...)`) that changes the mapping of columns of type
/// `t`: its `typname` for `pg_catalog` types (`bit` for `bit(3)`, `int4` for `integer`), else
/// `schema.typname`. For an array it is the element's key: an override of the element maps
/// arrays of it too (`Vec<T>`, or `Array<T>` for two or more dimensions). Always `Some` today;
/// an `Option` so that a type no override can help can say so.
pub fn override_key(t: &TypeRef) -> Option<String> {
    Some(if t.schema == "pg_catalog" { t.name.clone() } else { format!("{}.{}", t.schema, t.name) })
}

/// The SQL type as a user would write it. `format_type` prints `integer[]` for an array of any
/// number of dimensions; the dimensions are in the [`TypeRef`].
pub fn sql_type_display(sql_type: &str, t: &TypeRef) -> String {
    if t.array_dims > 1 {
        format!("{}{}", sql_type.trim_end_matches("[]"), "[]".repeat(t.array_dims as usize))
    } else {
        sql_type.to_owned()
    }
}

/// The catalog `typname` for an SQL spelling of a built-in type (`integer` → `int4`,
/// `bit varying(8)` → `varbit`), for the hint on an override key that matches nothing.
/// Returns the input without modifiers when it is no known alias.
pub fn typname_for(spelling: &str) -> String {
    let base = spelling.trim().trim_end_matches("[]");
    let base = base.split('(').next().unwrap_or(base).trim().to_ascii_lowercase();
    let name = match base.as_str() {
        "integer" | "int" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "boolean" => "bool",
        "real" => "float4",
        "double precision" => "float8",
        "decimal" => "numeric",
        "bit varying" => "varbit",
        "character varying" => "varchar",
        "character" | "char" => "bpchar",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time with time zone" => "timetz",
        "time without time zone" => "time",
        other => other,
    };
    name.to_owned()
}

/// The message that accompanies one fallback mapping: what happened and an override that
/// fixes it (a type override when one can, see [`override_key`]; always the column override).
pub fn fallback_hint(schema: &str, table: &str, column: &str, sql_type: &str, t: &TypeRef) -> String {
    let shown = sql_type_display(sql_type, t);
    let by_type = match override_key(t) {
        Some(key) if t.array_dims > 0 => format!(" or `.pg_type(\"{key}\", \"my_crate::MyType\")` for every column of `{key}` and arrays of it"),
        Some(key) => format!(" or `.pg_type(\"{key}\", \"my_crate::MyType\")` for every `{shown}` column"),
        None => String::new(),
    };
    format!(
        "column `{schema}.{table}.{column}` has type `{shown}`, which has no built-in Rust mapping; \
         it is generated as `{FALLBACK_TYPE_NAME}` (raw bytes). Add an override, e.g. \
         `.column_type(\"{schema}.{table}.{column}\", \"my_crate::MyType\")`{by_type}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(name: &str) -> TypeRef {
        TypeRef { schema: "pg_catalog".into(), name: name.into(), ..TypeRef::default() }
    }

    #[test]
    fn maps_builtins_with_both_time_crates() {
        let snap = Snapshot::default();
        let chrono = TypeMap::new(TypeOptions::default());
        let m = chrono.map_type(&snap, &builtin("timestamptz"), "timestamp with time zone");
        assert_eq!(m.ty, RustType::Path("chrono::DateTime<chrono::Utc>".into()));
        assert!(m.also_accepted.contains(&"time::OffsetDateTime".to_owned()));
        let time = TypeMap::new(TypeOptions { time: TimeCrate::Time, ..TypeOptions::default() });
        let m = time.map_type(&snap, &builtin("date"), "date");
        assert_eq!(m.ty, RustType::Path("time::Date".into()));
    }

    #[test]
    fn arrays_wrap_elements_and_multidim_falls_back() {
        let snap = Snapshot::default();
        let map = TypeMap::new(TypeOptions::default());
        let t = TypeRef { array_dims: 1, ..builtin("text") };
        let m = map.map_type(&snap, &t, "text[]");
        assert_eq!(
            m.ty,
            RustType::Array { element: Box::new(RustType::Path("String".into())), nullable_elements: false }
        );
        let t = TypeRef { array_dims: 2, ..builtin("int4") };
        let m = map.map_type(&snap, &t, "integer[]");
        assert_eq!(m.ty, RustType::Generic { name: "Array", element: Box::new(RustType::Path("i32".into())) });
        assert_eq!(override_key(&t).as_deref(), Some("int4"), "an element override maps N-dimensional arrays too");
        assert_eq!(sql_type_display("integer[]", &t), "integer[][]");
        // Without an element mapping the elements fall back (`Array<RawValue>`, as a
        // one-dimensional array is `Vec<RawValue>`), and the element's override is the fix.
        let t = TypeRef { array_dims: 2, ..builtin("point") };
        let m = map.map_type(&snap, &t, "point[]");
        assert_eq!(m.source, MappingSource::Fallback);
        assert_eq!(m.ty, RustType::Generic { name: "Array", element: Box::new(RustType::Fallback { sql_type: "point[]".into() }) });
        let mut opts = TypeOptions::default();
        opts.type_overrides.insert("point".into(), "my::Point".into());
        let m = TypeMap::new(opts).map_type(&snap, &t, "point[]");
        assert_eq!(m.ty, RustType::Generic { name: "Array", element: Box::new(RustType::Path("my::Point".into())) });
    }

    #[test]
    fn ranges_map_over_their_subtype() {
        let range = |schema: &str, name: &str| TypeRef { schema: schema.into(), name: name.into(), kind: TypeKind::Range, ..TypeRef::default() };
        let generic = |inner: &str| RustType::Generic { name: "Range", element: Box::new(RustType::Path(inner.into())) };
        let mut snap = Snapshot::default();
        snap.schemas.push(crate::snapshot::Schema {
            name: "app".into(),
            ranges: vec![
                crate::snapshot::RangeType { name: "floatrange".into(), subtype: "double precision".into(), ..Default::default() },
                crate::snapshot::RangeType { name: "moodrange".into(), subtype: "app.mood".into(), ..Default::default() },
            ],
            ..Default::default()
        });
        let map = TypeMap::new(TypeOptions::default());
        assert_eq!(map.map_type(&snap, &range("pg_catalog", "int4range"), "int4range").ty, generic("i32"));
        let m = map.map_type(&snap, &range("pg_catalog", "tstzrange"), "tstzrange");
        assert_eq!(m.ty, generic("chrono::DateTime<chrono::Utc>"));
        assert!(m.also_accepted.contains(&"Range<time::OffsetDateTime>".to_owned()), "{:?}", m.also_accepted);
        assert_eq!(map.map_type(&snap, &range("app", "floatrange"), "app.floatrange").ty, generic("f64"));
        // A subtype without a mapping (here a user type), or a range the snapshot does not
        // describe, falls back as a whole.
        assert_eq!(map.map_type(&snap, &range("app", "moodrange"), "app.moodrange").source, MappingSource::Fallback);
        assert_eq!(map.map_type(&snap, &range("other", "r"), "other.r").source, MappingSource::Fallback);
        // Arrays of ranges are `Vec<Range<T>>`.
        let t = TypeRef { array_dims: 1, ..range("pg_catalog", "daterange") };
        assert_eq!(
            map.map_type(&snap, &t, "daterange[]").ty,
            RustType::Array { element: Box::new(generic("chrono::NaiveDate")), nullable_elements: false }
        );
    }

    #[test]
    fn override_keys_are_typnames() {
        assert_eq!(override_key(&TypeRef { length: Some(3), ..builtin("bit") }).as_deref(), Some("bit"));
        let ext = TypeRef { schema: "ext".into(), name: "geometry".into(), kind: TypeKind::Base, ..TypeRef::default() };
        assert_eq!(override_key(&ext).as_deref(), Some("ext.geometry"));
        assert_eq!(typname_for("bit varying(8)"), "varbit");
        assert_eq!(typname_for("bit(3)"), "bit");
        assert_eq!(typname_for("integer[]"), "int4");
    }

    #[test]
    fn overrides_win_and_unknown_types_fall_back() {
        let snap = Snapshot::default();
        let mut opts = TypeOptions::default();
        opts.type_overrides.insert("interval".into(), "my::Interval".into());
        let map = TypeMap::new(opts);
        assert_eq!(map.map_type(&snap, &builtin("interval"), "interval").ty, RustType::Path("my::Interval".into()));
        let m = map.map_type(&snap, &builtin("int4multirange"), "int4multirange");
        assert_eq!(m.ty, RustType::Fallback { sql_type: "int4multirange".into() });
        assert_eq!(map.map_type(&snap, &builtin("money"), "money").ty, RustType::Support("Money"));
    }
}
