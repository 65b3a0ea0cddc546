//! pgcanon's benchmark: `cargo bench -p schema-gen --bench pgcanon [-- SECTION...]`.
//!
//! Measures the targets of the README's benchmark table against a synthetic schema from
//! the repository's `bench/synth_schema.py` (2,000 tables × 20 columns), loaded once into the scratch
//! database `pgcanon_bench_2000x20` and reused while its completion marker is present.
//! `bench/run.sh` runs this and the cargo-driven measurements (build.rs no-op, derive
//! overhead) and prints one summary.
//!
//! Each section is a module with a `section` function taking the shared [`Context`] and adding
//! rows to the [`Report`]; add a section by writing one and listing it in [`SECTIONS`]. Naming
//! sections on the command line runs only those. The `generate` and `diff` sections work on the
//! snapshot introspected from the benchmark database, so they measure the real thing.
//!
//! The `versions` section starts a throwaway server of every PostgreSQL major in
//! `PGCANON_BENCH_MAJORS` (default: every major fetched by `scripts/fetch-postgres.sh`), loads
//! the same schema into each and times `schema-gen snapshot` beside `pg_dump --schema-only`.
//! `PGCANON_BENCH_TABLES=10000` moves the large schema of the other sections to 10,000 tables.
//!
//! Peak memory is measured honestly in a separate process: the bench re-runs itself in child
//! mode (`PGCANON_BENCH_CHILD=snapshot`), which does one full snapshot and reports its own
//! `VmHWM` (peak resident set) from `/proc/self/status`.

mod catalog;
mod database;
mod diff;
mod generate;
mod lint;
mod measure;
mod peers;
#[cfg(feature = "queries")]
mod queries;
mod reconcile;
mod report;
mod snapshot;
mod versions;

use std::cell::OnceCell;
use std::process::Command;

use report::Report;
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_gen::Snapshot;

/// Runs per timed measurement; the median is reported.
const RUNS: usize = 7;
/// The large synthetic schema: 2,000 tables × 20 columns, or `PGCANON_BENCH_TABLES` tables.
fn large() -> (usize, usize) {
    let tables = std::env::var("PGCANON_BENCH_TABLES").ok().map(|v| v.parse().unwrap_or_else(|_| panic!("PGCANON_BENCH_TABLES must be a number of tables, not `{v}`")));
    (tables.unwrap_or(2000), 20)
}
/// A small schema, to show the number of round trips does not grow with the table count.
const SMALL: (usize, usize) = (10, 20);
/// The environment variable that puts the bench binary in child mode.
const CHILD_VAR: &str = "PGCANON_BENCH_CHILD";
/// Where to write the headline rows for `bench/run.sh` (see [`report`]).
const SUMMARY_VAR: &str = "PGCANON_BENCH_SUMMARY";

/// A benchmark section: a name and the function that measures it.
type Section = (&'static str, fn(&Context, &mut Report));

/// Every section, in run order.
const SECTIONS: &[Section] = &[
    ("snapshot", snapshot::section),
    ("generate", generate::section),
    ("diff", diff::section),
    ("catalog", catalog::section),
    ("lint", lint::section),
    ("reconcile", reconcile::section),
    #[cfg(feature = "queries")]
    ("queries", queries::section),
    ("peers", peers::section),
    ("versions", versions::section),
];

/// What every section may use: the benchmark databases on the local server and their
/// snapshot, each prepared on first use (the `versions` section needs none of them).
#[derive(Default)]
struct Context {
    /// The large (2,000 × 20) database's URL.
    large_url: OnceCell<String>,
    /// The 10 × 20 database's URL.
    small_url: OnceCell<String>,
    /// The large database's snapshot.
    snapshot: OnceCell<Snapshot>,
}

impl Context {
    /// The large database's URL.
    fn large_url(&self) -> &str {
        self.large_url.get_or_init(|| database::ensure_database(large()))
    }

    /// The small database's URL.
    fn small_url(&self) -> &str {
        self.small_url.get_or_init(|| database::ensure_database(SMALL))
    }

    /// The large database's snapshot.
    fn snapshot(&self) -> &Snapshot {
        self.snapshot.get_or_init(|| introspect_url(self.large_url(), &IntrospectOptions::default()).expect("introspect the bench database"))
    }
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD_VAR) {
        child(&mode);
        return;
    }
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if let Some(unknown) = wanted.iter().find(|w| !SECTIONS.iter().any(|(name, _)| name == w)) {
        let names: Vec<&str> = SECTIONS.iter().map(|(name, _)| *name).collect();
        eprintln!("unknown section `{unknown}`; sections: {}", names.join(", "));
        std::process::exit(2);
    }
    let ctx = Context::default();
    let mut report = Report::default();
    for (name, section) in SECTIONS {
        if wanted.is_empty() || wanted.iter().any(|w| w == name) {
            println!("section {name}:");
            section(&ctx, &mut report);
        }
    }
    report.print();
    if let Ok(path) = std::env::var(SUMMARY_VAR) {
        report.write_summary(&path).unwrap_or_else(|e| panic!("cannot write the summary to `{path}`: {e}"));
    }
}

/// Child mode: do one unit of work named `mode`, then print `VmHWM` (kB) on stdout.
fn child(mode: &str) {
    // A database URL for `snapshot`, a snapshot file for `generate`, `docs` and `lint`.
    let arg = std::env::var("PGCANON_BENCH_ARG").expect("child mode needs PGCANON_BENCH_ARG");
    match mode {
        "snapshot" => snapshot::child(&arg),
        "generate" | "docs" => generate::child(mode, &arg),
        "lint" => lint::child(&arg),
        other => panic!("unknown child mode `{other}`"),
    }
    println!("{}", measure::vm_hwm_kb().expect("VmHWM in /proc/self/status"));
}

/// Runs this binary in child mode `mode` on `arg` and returns the child's peak RSS in kB.
fn child_peak_kb(mode: &str, arg: &str) -> u64 {
    let exe = std::env::current_exe().expect("bench executable path");
    let out = Command::new(exe).env(CHILD_VAR, mode).env("PGCANON_BENCH_ARG", arg).output().expect("run the bench child");
    assert!(out.status.success(), "bench child failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("child prints VmHWM in kB")
}
