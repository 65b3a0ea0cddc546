//! `generate`: the build-time work on the introspected 2,000-table snapshot — Rust models
//! (quote → syn → prettyplease, rustdoc on, as `build.rs` runs it) plus the Markdown docs,
//! timed together and separately.

use std::hint::black_box;

use schema_gen::docs::{render, DocsOptions};
use schema_gen::Config;

use crate::measure::{measure, median, secs, spread};
use crate::report::Report;
use crate::{large, Context, RUNS};

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
    report.target("generate", format!("generate + format + docs, {} tables, median of {RUNS}", large().0), secs(total), "≤ 1 s", Some(total.as_secs_f64() <= 1.0));
    report.info("generate", "  fastest / slowest run", spread(&both));
    let generate = measure(RUNS, || {
        black_box(config.generate(snapshot).unwrap_or_else(|e| panic!("generate: {e}")));
    });
    report.info("generate", format!("  Rust models alone ({:.1} MB, formatted), median", code_len as f64 / 1e6), secs(median(&generate)));
    let markdown = measure(RUNS, || {
        black_box(render(snapshot, &docs));
    });
    report.info("generate", format!("  Markdown docs alone ({:.1} MB), median", md_len as f64 / 1e6), secs(median(&markdown)));
    // Peak memory, each in its own process reading the snapshot file, as `schema-gen generate`
    // and `schema-gen docs` (or build.rs) do.
    let file = std::env::temp_dir().join(format!("pgcanon-bench-generate-{}.json", std::process::id()));
    snapshot.save(&file).expect("save the snapshot for the child processes");
    for (mode, what) in [("generate", "load snapshot + generate + format Rust models"), ("docs", "load snapshot + render Markdown docs")] {
        let mb = crate::child_peak_kb(mode, file.to_str().expect("UTF-8 temp path")) as f64 / 1024.0;
        report.target("generate", format!("peak RSS of a process doing one {mode} ({what}), {} tables", large().0), format!("{mb:.1} MB"), "≤ 100 MB", Some(mb <= 100.0));
    }
    let _ = std::fs::remove_file(&file);
    // For inspecting the large document by eye or with a Markdown/Mermaid validator.
    if let Ok(path) = std::env::var("PGCANON_BENCH_DOCS_OUT") {
        std::fs::write(&path, render(snapshot, &docs)).unwrap_or_else(|e| panic!("cannot write `{path}`: {e}"));
    }
}

/// Child mode `generate` or `docs`: load the snapshot at `path` and do that once, as the CLI
/// does (the output is dropped; writing it is measured by the snapshot section's file writes).
pub fn child(mode: &str, path: &str) {
    let snapshot = schema_gen::Snapshot::load(path).unwrap_or_else(|e| panic!("load `{path}`: {e}"));
    if mode == "generate" {
        let mut config = Config::new();
        config.pg_type("interval", "String");
        black_box(config.generate(&snapshot).unwrap_or_else(|e| panic!("generate: {e}")));
    } else {
        black_box(render(&snapshot, &DocsOptions::default()));
    }
}
