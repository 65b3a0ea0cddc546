//! Times docs rendering and diffing on a synthetic 2,000-table × 20-column snapshot, built in
//! memory to mirror `shared/bench/synth_schema.py` (no database needed).
//!
//! Run: `cargo bench -p schema-gen --bench docs_diff` (optionally `-- TABLES COLUMNS RUNS`).
//! Prints the median of several runs for each step. Set `PGCANON_BENCH_DOCS_OUT=FILE` to keep
//! the rendered Markdown.

use std::time::{Duration, Instant};

use schema_gen::diff::{diff, render_json, render_text};
use schema_gen::docs::{render, DocsOptions};
use schema_gen::snapshot::{
    CheckConstraint, Column, EnumType, FkAction, ForeignKey, Identity, Index, PrimaryKey, QualifiedName, Schema, Table, TypeKind, TypeRef,
};
use schema_gen::Snapshot;

/// (sql_type, typname, length, precision, scale, array_dims).
type SynthType = (&'static str, &'static str, Option<u32>, Option<u32>, Option<u32>, u32);

/// The column types, in synth_schema.py's order.
const TYPES: [SynthType; 16] = [
    ("integer", "int4", None, None, None, 0),
    ("bigint", "int8", None, None, None, 0),
    ("text", "text", None, None, None, 0),
    ("character varying(120)", "varchar", Some(120), None, None, 0),
    ("boolean", "bool", None, None, None, 0),
    ("timestamp with time zone", "timestamptz", None, None, None, 0),
    ("date", "date", None, None, None, 0),
    ("numeric(12,2)", "numeric", None, Some(12), Some(2), 0),
    ("jsonb", "jsonb", None, None, None, 0),
    ("uuid", "uuid", None, None, None, 0),
    ("double precision", "float8", None, None, None, 0),
    ("smallint", "int2", None, None, None, 0),
    ("bytea", "bytea", None, None, None, 0),
    ("text[]", "text", None, None, None, 1),
    ("inet", "inet", None, None, None, 0),
    ("interval", "interval", None, None, None, 0),
];

fn builtin(name: &str) -> TypeRef {
    TypeRef { schema: "pg_catalog".into(), name: name.into(), ..TypeRef::default() }
}

fn column(name: String, ordinal: u32, sql_type: &str, type_ref: TypeRef, nullable: bool) -> Column {
    Column { name, ordinal, sql_type: sql_type.into(), type_ref, nullable, ..Column::default() }
}

/// The snapshot `synth_schema.py n c` would introspect to.
fn synthetic(n: usize, c: usize) -> Snapshot {
    let mut tables = Vec::with_capacity(n);
    for i in 0..n {
        let t = format!("t{i:05}");
        let mut cols = vec![Column { identity: Some(Identity::ByDefault), ..column("id".into(), 1, "bigint", builtin("int8"), false) }];
        let mut fks = Vec::new();
        let mut indexes = vec![Index {
            name: format!("{t}_pkey"),
            unique: true,
            primary: true,
            method: "btree".into(),
            columns: vec!["id".into()],
            constraint: Some(format!("{t}_pkey")),
            definition: format!("CREATE UNIQUE INDEX {t}_pkey ON public.{t} USING btree (id)"),
            ..Index::default()
        }];
        if i > 0 {
            cols.push(column("parent_id".into(), 2, "bigint", builtin("int8"), true));
            let parent = format!("t{:05}", (i * 7919) % i);
            fks.push(ForeignKey {
                name: format!("{t}_parent_id_fkey"),
                columns: vec!["parent_id".into()],
                references: QualifiedName { schema: "public".into(), name: parent },
                referenced_columns: vec!["id".into()],
                on_delete: FkAction::Cascade,
                ..ForeignKey::default()
            });
            indexes.push(Index {
                name: format!("{t}_parent_idx"),
                method: "btree".into(),
                columns: vec!["parent_id".into()],
                definition: format!("CREATE INDEX {t}_parent_idx ON public.{t} USING btree (parent_id)"),
                ..Index::default()
            });
        }
        let status = TypeRef { schema: "public".into(), name: "status".into(), kind: TypeKind::Enum, ..TypeRef::default() };
        let ord = cols.len() as u32 + 1;
        cols.push(Column { default: Some("'draft'::public.status".into()), ..column("status".into(), ord, "public.status", status, false) });
        for j in 0..c.saturating_sub(cols.len() + 2) {
            let (sql, typname, length, precision, scale, dims) = TYPES[(i + j) % TYPES.len()];
            let nn = (i + j) % 3 == 0 && typname != "jsonb" && typname != "bytea";
            let short = sql.split('(').next().unwrap().split(' ').next().unwrap().replace("[]", "_arr");
            let tr = TypeRef { length, precision, scale, array_dims: dims, ..builtin(typname) };
            let ord = cols.len() as u32 + 1;
            cols.push(column(format!("c{j:02}_{short}"), ord, sql, tr, !nn));
        }
        let ord = cols.len() as u32 + 1;
        cols.push(Column { default: Some("now()".into()), ..column("created_at".into(), ord, "timestamp with time zone", builtin("timestamptz"), false) });
        cols.push(column("updated_at".into(), ord + 1, "timestamp with time zone", builtin("timestamptz"), true));
        tables.push(Table {
            name: t.clone(),
            comment: Some(format!("synthetic table {i}")),
            columns: cols,
            primary_key: Some(PrimaryKey { name: format!("{t}_pkey"), columns: vec!["id".into()] }),
            foreign_keys: fks,
            checks: vec![CheckConstraint { name: format!("{t}_chk"), definition: "CHECK ((id > 0))".into() }],
            indexes,
            ..Table::default()
        });
    }
    let enums = vec![EnumType { name: "status".into(), comment: None, labels: vec!["draft".into(), "active".into(), "archived".into()] }];
    let mut s = Snapshot { schemas: vec![Schema { name: "public".into(), tables, enums, ..Schema::default() }], ..Snapshot::default() };
    s.normalize();
    s
}

/// A copy with a few changes of each common kind: 1% of tables lose a column, gain one, and
/// have a type narrowed; 5 tables dropped, 5 added, an enum label added.
fn modified(base: &Snapshot) -> Snapshot {
    let mut s = base.clone();
    let public = &mut s.schemas[0];
    let n = public.tables.len();
    for (k, t) in public.tables.iter_mut().enumerate().filter(|(k, _)| k % 100 == 7) {
        t.columns.retain(|c| c.name != "updated_at");
        let ord = t.columns.len() as u32 + 1;
        t.columns.push(column("added_col".into(), ord, "text", builtin("text"), true));
        if let Some(c) = t.columns.iter_mut().find(|c| c.name.starts_with("c00_")) {
            c.sql_type = format!("{}-changed-{k}", c.sql_type);
        }
    }
    public.tables.truncate(n.saturating_sub(5));
    for i in 0..5 {
        public.tables.push(Table { name: format!("new_{i}"), columns: vec![column("id".into(), 1, "bigint", builtin("int8"), false)], ..Table::default() });
    }
    public.enums[0].labels.push("deleted".into());
    s.normalize();
    s
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = None;
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            last = Some(std::hint::black_box(f()));
            start.elapsed()
        })
        .collect();
    (median(samples), last.expect("at least one run"))
}

fn main() {
    // `cargo bench` passes `--bench`; positional numbers override the defaults.
    let nums: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (n, c, runs) = (nums.first().copied().unwrap_or(2000), nums.get(1).copied().unwrap_or(20), nums.get(2).copied().unwrap_or(7).max(1));

    let (t_build, base) = time(1, || synthetic(n, c));
    let changed = modified(&base);
    println!("synthetic snapshot: {} ({} ms to build)", base.stats(), t_build.as_millis());

    let opts = DocsOptions::default();
    let (t_docs, md) = time(runs, || render(&base, &opts));
    println!("docs render:       median {:>8.1} ms over {runs} runs ({:.1} MB of Markdown)", ms(t_docs), md.len() as f64 / 1e6);

    // For inspecting the large document by eye or with a Markdown/Mermaid validator.
    if let Ok(path) = std::env::var("PGCANON_BENCH_DOCS_OUT") {
        std::fs::write(&path, &md).unwrap_or_else(|e| panic!("cannot write `{path}`: {e}"));
    }

    let (t_diff_same, same) = time(runs, || diff(&base, &base.clone()));
    assert!(same.is_empty());
    println!("diff (identical):  median {:>8.1} ms over {runs} runs (includes a clone)", ms(t_diff_same));

    let (t_diff, changes) = time(runs, || diff(&base, &changed));
    println!("diff (modified):   median {:>8.1} ms over {runs} runs ({} changes)", ms(t_diff), changes.len());

    let (t_text, _) = time(runs, || render_text(&changes, "a", "b"));
    let (t_json, _) = time(runs, || render_json(&changes, "a", "b"));
    println!("diff render:       text {:.2} ms, json {:.2} ms", ms(t_text), ms(t_json));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
