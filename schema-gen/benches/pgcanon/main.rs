//! pgcanon's benchmark: `cargo bench -p schema-gen --bench pgcanon [SECTION...]`.
//!
//! Measures the targets of DESIGN.md against a synthetic schema from
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
//! Peak memory is measured honestly in a separate process: the bench re-runs itself in child
//! mode (`PGCANON_BENCH_CHILD=snapshot`), which does one full snapshot and reports its own
//! `VmHWM` (peak resident set) from `/proc/self/status`.

mod database;
mod diff;
mod generate;
mod measure;
mod report;
mod snapshot;

use std::cell::OnceCell;
use std::process::Command;

use report::Report;
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use schema_gen::Snapshot;

/// Runs per timed measurement; the median is reported.
const RUNS: usize = 7;
/// The large synthetic schema: tables × columns.
const LARGE: (usize, usize) = (2000, 20);
/// A small schema, to show the number of round trips does not grow with the table count.
const SMALL: (usize, usize) = (10, 20);
/// The environment variable that puts the bench binary in child mode.
const CHILD_VAR: &str = "PGCANON_BENCH_CHILD";
/// Where to write the headline rows for `bench/run.sh` (see [`report`]).
const SUMMARY_VAR: &str = "PGCANON_BENCH_SUMMARY";

/// A benchmark section: a name and the function that measures it.
type Section = (&'static str, fn(&Context, &mut Report));

/// Every section, in run order.
const SECTIONS: &[Section] = &[("snapshot", snapshot::section), ("generate", generate::section), ("diff", diff::section)];

/// What every section may use: the prepared benchmark databases and their snapshot.
struct Context {
    /// The 2,000 × 20 database.
    large_url: String,
    /// The 10 × 20 database.
    small_url: String,
    /// The large database's snapshot, introspected on first use.
    snapshot: OnceCell<Snapshot>,
}

impl Context {
    /// The large database's snapshot.
    fn snapshot(&self) -> &Snapshot {
        self.snapshot.get_or_init(|| introspect_url(&self.large_url, &IntrospectOptions::default()).expect("introspect the bench database"))
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
    let ctx = Context { large_url: database::ensure_database(LARGE), small_url: database::ensure_database(SMALL), snapshot: OnceCell::new() };
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
    let url = std::env::var("PGCANON_BENCH_URL").expect("child mode needs PGCANON_BENCH_URL");
    match mode {
        "snapshot" => snapshot::child(&url),
        other => panic!("unknown child mode `{other}`"),
    }
    println!("{}", measure::vm_hwm_kb().expect("VmHWM in /proc/self/status"));
}

/// Runs this binary in child mode `mode` and returns the child's peak RSS in kB.
fn child_peak_kb(mode: &str, url: &str) -> u64 {
    let exe = std::env::current_exe().expect("bench executable path");
    let out = Command::new(exe).env(CHILD_VAR, mode).env("PGCANON_BENCH_URL", url).output().expect("run the bench child");
    assert!(out.status.success(), "bench child failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("child prints VmHWM in kB")
}
