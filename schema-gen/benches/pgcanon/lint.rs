//! `lint`: every default rule on the introspected 2,000-table snapshot, and on a 10,000-table
//! snapshot made of five renamed copies of its tables (the two sizes), plus rendering
//! the findings as text and SARIF.

use std::hint::black_box;

use schema_gen::findings::{render_sarif, render_text, Report as Findings};
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
        report.target("lint", format!("lint {tables} tables ({} findings), median", findings.len()), secs(median(&times)), target, Some(median(&times).as_secs_f64() <= limit));
        let r = Findings { findings, ..Findings::default() };
        let text = measure(RUNS, || {
            black_box(render_text(&r));
        });
        let sarif = measure(RUNS, || {
            black_box(render_sarif(&r));
        });
        report.info("lint", "  render as text / SARIF, median", format!("{} / {}", secs(median(&text)), secs(median(&sarif))));
    }
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
