//! Benchmark: `Config::generate` (quote → syn → prettyplease) on a synthetic schema of
//! 2,000 tables × 20 columns, the shape of `../shared/bench/synth_schema.py`. Target ≤ 1 s.
//!
//! ```sh
//! cargo bench -p schema-gen --bench generate            # default 2000 tables, 7 runs
//! cargo bench -p schema-gen --bench generate -- 500 3   # tables, runs
//! ```

use std::time::{Duration, Instant};

use schema_gen::snapshot::{Column, EnumType, Identity, PrimaryKey, Schema, Snapshot, Table, TypeKind, TypeRef};
use schema_gen::Config;

/// A synthetic column type: SQL spelling, typname, array dims, length, precision, scale.
type SynthType = (&'static str, &'static str, u32, Option<u32>, Option<u32>, Option<u32>);

/// `synth_schema.py`'s column types.
const TYPES: &[SynthType] = &[
    ("integer", "int4", 0, None, None, None),
    ("bigint", "int8", 0, None, None, None),
    ("text", "text", 0, None, None, None),
    ("character varying(120)", "varchar", 0, Some(120), None, None),
    ("boolean", "bool", 0, None, None, None),
    ("timestamp with time zone", "timestamptz", 0, None, None, None),
    ("date", "date", 0, None, None, None),
    ("numeric(12,2)", "numeric", 0, None, Some(12), Some(2)),
    ("jsonb", "jsonb", 0, None, None, None),
    ("uuid", "uuid", 0, None, None, None),
    ("double precision", "float8", 0, None, None, None),
    ("smallint", "int2", 0, None, None, None),
    ("bytea", "bytea", 0, None, None, None),
    ("text[]", "text", 1, None, None, None),
    ("inet", "inet", 0, None, None, None),
    ("interval", "interval", 0, None, None, None),
];

fn builtin(name: &str) -> TypeRef {
    TypeRef { schema: "pg_catalog".into(), name: name.into(), kind: TypeKind::Builtin, ..TypeRef::default() }
}

fn column(name: String, ordinal: u32, sql_type: &str, type_ref: TypeRef, nullable: bool) -> Column {
    Column { name, ordinal, sql_type: sql_type.into(), type_ref, nullable, ..Column::default() }
}

/// The synthetic snapshot: `n` tables of `c` columns, one enum.
fn synth(n: usize, c: usize) -> Snapshot {
    let mut tables = Vec::with_capacity(n);
    for i in 0..n {
        let mut cols = vec![Column { identity: Some(Identity::ByDefault), ..column("id".into(), 1, "bigint", builtin("int8"), false) }];
        if i > 0 {
            cols.push(column("parent_id".into(), 2, "bigint", builtin("int8"), true));
        }
        let status = TypeRef { schema: "public".into(), name: "status".into(), kind: TypeKind::Enum, ..TypeRef::default() };
        cols.push(Column { default: Some("'draft'::status".into()), ..column("status".into(), 0, "status", status, false) });
        for j in 0..c.saturating_sub(cols.len() + 2) {
            let (sql, typname, dims, length, precision, scale) = TYPES[(i + j) % TYPES.len()];
            let not_null = (i + j) % 3 == 0 && typname != "jsonb" && typname != "bytea";
            let suffix = sql.split(['(', ' ']).next().unwrap_or(sql).replace("[]", "_arr");
            let t = TypeRef { array_dims: dims, length, precision, scale, ..builtin(typname) };
            cols.push(column(format!("c{j:02}_{suffix}"), 0, sql, t, !not_null));
        }
        cols.push(Column { default: Some("now()".into()), ..column("created_at".into(), 0, "timestamp with time zone", builtin("timestamptz"), false) });
        cols.push(column("updated_at".into(), 0, "timestamp with time zone", builtin("timestamptz"), true));
        for (k, col) in cols.iter_mut().enumerate() {
            col.ordinal = k as u32 + 1;
        }
        tables.push(Table {
            name: format!("t{i:05}"),
            comment: Some(format!("synthetic table {i}")),
            columns: cols,
            primary_key: Some(PrimaryKey { name: format!("t{i:05}_pkey"), columns: vec!["id".into()] }),
            ..Table::default()
        });
    }
    let status = EnumType { name: "status".into(), comment: None, labels: vec!["draft".into(), "active".into(), "archived".into()] };
    let mut snap = Snapshot { schemas: vec![Schema { name: "public".into(), tables, enums: vec![status], ..Schema::default() }], ..Snapshot::default() };
    snap.normalize();
    snap
}

fn main() {
    // `cargo bench` passes `--bench`; positional numbers are ours.
    let nums: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let tables = nums.first().copied().unwrap_or(2000);
    let runs = nums.get(1).copied().unwrap_or(7).max(1);
    let snapshot = synth(tables, 20);
    let columns: usize = snapshot.schemas.iter().flat_map(|s| &s.tables).map(|t| t.columns.len()).sum();
    let mut config = Config::new();
    // `interval` has no built-in mapping; override it so the run measures generation, not
    // 2,000 fallback warnings.
    config.pg_type("interval", "String");
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let generated = config.generate(&snapshot).unwrap_or_else(|e| panic!("generate: {e}"));
        times.push(start.elapsed());
        bytes = generated.code.len();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "generate: {tables} tables, {columns} columns -> {:.1} MB of Rust; median {:.0} ms, min {:.0} ms, max {:.0} ms over {runs} runs",
        bytes as f64 / 1e6,
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}
