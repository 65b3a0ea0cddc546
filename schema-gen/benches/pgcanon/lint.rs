//! `lint`: every default rule on the introspected 2,000-table snapshot, and on a 10,000-table
//! snapshot made of five renamed copies of its tables (the two sizes): the rules alone,
//! then what `schema-gen lint FILE` does (stream the snapshot on disk into its structs, lint,
//! index the lines of the findings' objects), rendering the findings as text and as SARIF, and
//! the peak memory of a process that does all of it, beside the snapshot's size on disk.

use std::hint::black_box;
use std::path::Path;

use schema_gen::findings::{render_text, write_sarif, Report as Findings, SnapshotLines};
use schema_gen::lint::{lint, LintConfig};
use schema_gen::Snapshot;

use crate::measure::{measure, median, secs};
use crate::report::Report;
use crate::RUNS;

/// The section.
pub fn section(ctx: &crate::Context, report: &mut Report) {
    let config = LintConfig::default();
    let base = ctx.snapshot();
    for (snapshot, target, limit) in [(base.clone(), "≤ 0.2 s", 0.2), (widened(base, 5), "≤ 1 s", 1.0)] {
        let tables: usize = snapshot.schemas.iter().map(|s| s.tables.len()).sum();
        let mut findings = Vec::new();
        let times = measure(RUNS, || findings = lint(&snapshot, &config, &[]).expect("lint runs").findings);
        report.target("lint", format!("lint {tables} tables ({} findings), rules alone, median", findings.len()), secs(median(&times)), target, Some(median(&times).as_secs_f64() <= limit));
        let file = std::env::temp_dir().join(format!("pgcanon-bench-lint-{tables}-{}.json", std::process::id()));
        snapshot.save(&file).expect("save the snapshot for the lint measurements");
        let path = file.to_str().expect("UTF-8 temp path").to_owned();
        let size_mb = std::fs::metadata(&file).expect("the saved snapshot").len() as f64 / (1024.0 * 1024.0);
        let end_to_end = measure(RUNS, || {
            black_box(lint_file(&path));
        });
        report.info("lint", format!("  load the {size_mb:.1} MB snapshot file + lint + index the findings' lines, median"), secs(median(&end_to_end)));
        let r = Findings { findings, ..Findings::default() };
        let text = measure(RUNS, || {
            black_box(render_text(&r));
        });
        let sarif = measure(RUNS, || {
            write_sarif(&r, &mut std::io::sink()).expect("SARIF to a sink");
        });
        report.info("lint", "  render as text / stream as SARIF, median", format!("{} / {}", secs(median(&text)), secs(median(&sarif))));
        let mb = crate::child_peak_kb("lint", &path) as f64 / 1024.0;
        let ratio = mb / size_mb;
        report.target(
            "lint",
            format!("peak RSS of a process doing `schema-gen lint --format sarif` on it, {tables} tables"),
            format!("{mb:.1} MB = {ratio:.1} × the {size_mb:.1} MB snapshot on disk"),
            "≤ 2 × snapshot on disk",
            Some(ratio <= 2.0),
        );
        let _ = std::fs::remove_file(&file);
    }
}

/// What `schema-gen lint FILE` does before rendering: load (stream) the snapshot, lint, and
/// index the lines of the objects the findings name, read again from the file.
fn lint_file(path: &str) -> Findings {
    let snapshot = Snapshot::load(path).unwrap_or_else(|e| panic!("load `{path}`: {e}"));
    let outcome = lint(&snapshot, &LintConfig::default(), &[]).expect("lint runs");
    let lines = SnapshotLines::index_file(Path::new(path), outcome.findings.iter().filter_map(|f| f.object_ref())).unwrap_or_else(|e| panic!("index `{path}`: {e}"));
    Findings { findings: outcome.findings, rules: outcome.rules, artifact: Some(path.to_owned()), lines: Some(lines), ..Findings::default() }
}

/// Child mode `lint`: lint the snapshot file at `path` and stream the SARIF log to a sink, as
/// `schema-gen lint FILE --format sarif > lint.sarif` does.
pub fn child(path: &str) {
    let report = lint_file(path);
    write_sarif(&report, &mut std::io::sink()).expect("SARIF to a sink");
}

/// `copies` renamed copies of every table (foreign keys keep pointing at the originals).
fn widened(base: &Snapshot, copies: usize) -> Snapshot {
    let mut s = base.clone();
    for schema in &mut s.schemas {
        let originals = schema.tables.clone();
        for k in 1..copies {
            schema.tables.extend(originals.iter().cloned().map(|mut t| {
                t.name = format!("{}_copy{k}", t.name);
                t
            }));
        }
    }
    s.normalize();
    s
}
