#!/usr/bin/env python3
"""Writes a crate of N `#[derive(Model)]` structs for tables t00000.. of a synthetic snapshot.

Usage: gen_models_crate.py SNAPSHOT.json CRATE_DIR REPO_ROOT [N]

The derive is behind the crate feature `checked` (`cfg_attr`), so the same source is measured
with and without the check. The feature `by_hand` adds, instead, the row mapping the derive
generates (`TryFrom<&postgres::Row>`, one `row.try_get("column")?` per field) written out by
hand: the code a model needs without the derive, so that the derive's own cost (reading the
snapshot, checking, expanding) can be told apart from compiling a row mapping at all. Field types follow the shared type map's defaults; `interval` has
no built-in mapping, so it uses a crate-local `FromSql` type marked `#[model(custom)]`.
"""
import json, os, sys

snap_path, crate, root = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 500
TYPES = {"int4": "i32", "int8": "i64", "text": "String", "varchar": "String", "bool": "bool",
         "timestamptz": "chrono::DateTime<chrono::Utc>", "date": "chrono::NaiveDate",
         "numeric": "rust_decimal::Decimal", "jsonb": "serde_json::Value", "uuid": "uuid::Uuid",
         "float8": "f64", "int2": "i16", "bytea": "Vec<u8>", "inet": "std::net::IpAddr",
         "interval": "PgInterval", "status": "Status"}

snap = json.load(open(snap_path))
tables = {t["name"]: t for s in snap["schemas"] if s["name"] == "public" for t in s.get("tables", [])}
os.makedirs(os.path.join(crate, "src"), exist_ok=True)
open(os.path.join(crate, "Cargo.toml"), "w").write(f"""[package]
name = "derive-bench"
version = "0.0.0"
edition = "2021"
publish = false

[features]
checked = ["dep:schema-derive"]
by_hand = []

[dependencies]
schema-derive = {{ path = "{root}/schema-derive", optional = true }}
postgres = {{ version = "0.19", features = ["with-chrono-0_4", "with-serde_json-1", "with-uuid-1"] }}
postgres-types = {{ version = "0.2", features = ["derive"] }}
chrono = {{ version = "0.4", default-features = false, features = ["std", "clock"] }}
rust_decimal = {{ version = "1", features = ["db-postgres"] }}
serde_json = "1"
uuid = "1"

[workspace]
""")
out = ["""#![allow(dead_code)]
use postgres_types::{FromSql, Type};

#[derive(Debug, FromSql)]
#[postgres(name = "status")]
pub enum Status {
    #[postgres(name = "draft")] Draft,
    #[postgres(name = "active")] Active,
    #[postgres(name = "archived")] Archived,
}

/// `interval` has no built-in mapping: a crate-local type, checked as `custom`.
#[derive(Debug)]
pub struct PgInterval(pub Vec<u8>);

impl<'a> FromSql<'a> for PgInterval {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(PgInterval(raw.to_vec()))
    }
    fn accepts(ty: &Type) -> bool { *ty == Type::INTERVAL }
}
"""]
for i in range(n):
    name = f"t{i:05d}"
    t = tables[name]
    out.append(f'#[derive(Debug)]\n#[cfg_attr(feature = "checked", derive(schema_derive::Model), model(table = "public.{name}", primary_key = "id"))]')
    out.append(f"pub struct T{i:05d} {{")
    for c in t["columns"]:
        ty = TYPES[c["type"]["name"]]
        if c["type"].get("array_dims"):
            ty = f"Vec<{ty}>"
        if c["nullable"]:
            ty = f"Option<{ty}>"
        if c["type"]["name"] == "interval":
            out.append('    #[cfg_attr(feature = "checked", model(custom))]')
        out.append(f"    pub {c['name']}: {ty},")
    out.append("}\n")
    inits = "".join(f'            {c["name"]}: row.try_get("{c["name"]}")?,\n' for c in t["columns"])
    out.append(f"""#[cfg(feature = "by_hand")]
impl TryFrom<&postgres::Row> for T{i:05d} {{
    type Error = postgres::Error;

    fn try_from(row: &postgres::Row) -> Result<Self, Self::Error> {{
        Ok(Self {{
{inits}        }})
    }}
}}
""")
open(os.path.join(crate, "src", "lib.rs"), "w").write("\n".join(out))
