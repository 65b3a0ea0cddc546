//! The benchmark databases: synthetic schemas from the repository's `bench/synth_schema.py`, created once
//! and reused while their completion marker is present.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::measure::secs;

/// Creates `pgcanon_bench_{n}x{c}` from the synthetic schema unless a complete copy exists.
pub fn ensure_database((tables, columns): (usize, usize)) -> String {
    ensure(&Synth::tables(tables, columns))
}

/// A synthetic schema: `tables` × `columns`, plus `extra` object kinds (functions, sequences,
/// grants), as `bench/synth_schema.py` arguments.
pub struct Synth {
    /// Tables.
    pub tables: usize,
    /// Columns per table.
    pub columns: usize,
    /// Extra object kinds: (synth_schema.py flag, count), e.g. `("--functions", 2000)`.
    pub extra: Vec<(&'static str, usize)>,
}

impl Synth {
    /// Only tables.
    pub fn tables(tables: usize, columns: usize) -> Self {
        Synth { tables, columns, extra: Vec::new() }
    }

    /// The database name: `pgcanon_bench_{n}x{c}`, with each extra kind's count appended.
    fn name(&self) -> String {
        let mut name = format!("pgcanon_bench_{}x{}", self.tables, self.columns);
        for (flag, count) in &self.extra {
            name.push_str(&format!("_{}{count}", &flag[2..3]));
        }
        name
    }

    /// The generator's arguments.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec!["--tables".to_owned(), self.tables.to_string(), "--columns".to_owned(), self.columns.to_string()];
        for (flag, count) in &self.extra {
            args.push((*flag).to_owned());
            args.push(count.to_string());
        }
        args
    }
}

/// Creates the database of `synth` unless a complete copy exists, and returns its URL.
///
/// Completeness is marked by a database comment written after the load commits, so an
/// interrupted load is detected and redone rather than silently benchmarked.
pub fn ensure(synth: &Synth) -> String {
    let name = synth.name();
    let marker = format!("pgcanon synthetic schema {} v1", synth.args().join(" "));
    let server = test_support::server_url();
    let url = test_support::with_database(&server, &name);
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap_or_else(|e| panic!("the benchmark needs a PostgreSQL server at DATABASE_URL ({}): {e}", schema_gen::db::redact_url(&server)));
    let current: Option<Option<String>> = admin
        .query_opt("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", &[&name])
        .expect("look up the bench database")
        .map(|r| r.get(0));
    if current == Some(Some(marker.clone())) {
        return url;
    }
    println!("creating {name} (one time)...");
    let started = Instant::now();
    // Two statements, not one batch: DROP/CREATE DATABASE refuse to run in an implicit transaction.
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).expect("drop the stale bench database");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create the bench database");
    load(&url, &synth_sql(&synth.args()));
    admin.batch_execute(&format!("COMMENT ON DATABASE {name} IS '{marker}'")).expect("mark the bench database complete");
    println!("created {name} in {}", secs(started.elapsed()));
    url
}

/// Runs the synthetic schema `sql` in the database at `url`, then `VACUUM ANALYZE`s it (so
/// every server version starts from the same planner statistics).
pub fn load(url: &str, sql: &str) {
    let mut db = postgres::Client::connect(url, postgres::NoTls).expect("connect to the new bench database");
    // In chunks: one implicit transaction over thousands of CREATE TABLEs runs out of locks.
    let mut chunk = String::new();
    let mut statements = 0;
    // A function body (`AS $$ ... $$`) holds lines ending in `;` that do not end a statement.
    let mut in_body = false;
    for line in sql.lines() {
        chunk.push_str(line);
        chunk.push('\n');
        if line.matches("$$").count() % 2 == 1 {
            in_body = !in_body;
        }
        if !in_body && line.trim_end().ends_with(';') {
            statements += 1;
            if statements % 500 == 0 {
                db.batch_execute(&chunk).expect("load the synthetic schema");
                chunk.clear();
            }
        }
    }
    db.batch_execute(&chunk).expect("load the synthetic schema");
    db.batch_execute("VACUUM ANALYZE").expect("vacuum the bench database");
}

/// The SQL of the synthetic schema, from the repository's own `bench/synth_schema.py`.
pub fn synth_sql(args: &[String]) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bench/synth_schema.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 `{}`: {e}; the benchmark needs python3 on PATH", script.display()));
    assert!(out.status.success(), "`{}` failed: {}", script.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("synthetic SQL is UTF-8")
}
