//! `generate`: the build-time work on the introspected 2,000-table snapshot — Rust models
//! (quote → syn → prettyplease, rustdoc on, as `build.rs` runs it) plus the Markdown docs,
//! timed together and separately.

use std::hint::black_box;

use schema_gen::docs::{render, DocsOptions};
use schema_gen::Config;

use crate::measure::{measure, median, secs, spread};
use crate::report::Report;
use crate::{Context, LARGE, RUNS};

/// The section.
pub fn section(ctx: &Context, report: &mut Report) {
    let snapshot = ctx.snapshot();
    let mut config = Config::new();
    // `interval` now maps to the generated `pgcanon_support::Interval`; the override keeps the
    // generated code (and so the figures) comparable with earlier runs.
    config.pg_type("interval", "String");
    let docs = DocsOptions::default();
    let (mut code_len, mut md_len) = (0, 0);
    let both = measure(RUNS, || {
        let generated = config.generate(snapshot).unwrap_or_else(|e| panic!("generate: {e}"));
        let md = render(snapshot, &docs);
        code_len = generated.code.len();
        md_len = md.len();
    });
    let total = median(&both);
    report.target("generate", format!("generate + format + docs, {} tables, median of {RUNS}", LARGE.0), secs(total), "≤ 1 s", Some(total.as_secs_f64() <= 1.0));
    report.info("generate", "  fastest / slowest run", spread(&both));
    let generate = measure(RUNS, || {
        black_box(config.generate(snapshot).unwrap_or_else(|e| panic!("generate: {e}")));
    });
    report.info("generate", format!("  Rust models alone ({:.1} MB, formatted), median", code_len as f64 / 1e6), secs(median(&generate)));
    let markdown = measure(RUNS, || {
        black_box(render(snapshot, &docs));
    });
    report.info("generate", format!("  Markdown docs alone ({:.1} MB), median", md_len as f64 / 1e6), secs(median(&markdown)));
    // For inspecting the large document by eye or with a Markdown/Mermaid validator.
    if let Ok(path) = std::env::var("PGCANON_BENCH_DOCS_OUT") {
        std::fs::write(&path, render(snapshot, &docs)).unwrap_or_else(|e| panic!("cannot write `{path}`: {e}"));
    }
}
