//! `catalog`: the whole catalog at scale (issue 10's target). The 2,000-table schema plus
//! 2,000 functions, 2,000 sequences and a grant on every table: `schema-gen snapshot` beside
//! `pg_dump --schema-only` of the same database, catalog round trips against a small schema
//! with the same kinds, and the peak memory of one snapshot.

use schema_gen::introspect::{introspect_url_with_stats, IntrospectOptions};

use crate::database::{ensure, Synth};
use crate::report::Report;
use crate::{Context, RUNS, SMALL};

/// Tables of the large schema (and, as extra kinds, functions, sequences and grants: as many).
const OBJECTS: usize = 2000;

/// A schema of `n` tables × 20 columns with `n` functions, `n` sequences and `n` grants.
fn synth(n: usize) -> Synth {
    Synth { tables: n, columns: 20, extra: vec![("--functions", n), ("--sequences", n), ("--grants", n)] }
}

/// The section.
pub fn section(_: &Context, report: &mut Report) {
    let (large, small) = (ensure(&synth(OBJECTS)), ensure(&synth(SMALL.0)));
    let options = IntrospectOptions::default();
    let (snapshot, large_stats) = introspect_url_with_stats(&large, &options).expect("introspect the catalog bench database");
    let stats = snapshot.stats();
    assert!(stats.tables == OBJECTS && stats.functions >= OBJECTS && stats.sequences >= OBJECTS, "the catalog bench database should hold {OBJECTS} tables, functions and sequences: {stats}");
    let grants: usize = snapshot.schemas.iter().flat_map(|s| &s.tables).map(|t| t.grants.len()).sum();
    report.info("catalog", format!("schema: {} tables, {} functions, {} sequences, {grants} table grants", stats.tables, stats.functions, stats.sequences), "");
    report.info("catalog", "  snapshot JSON size", format!("{:.1} MB", snapshot.to_json().len() as f64 / 1e6));
    crate::peers::report_snapshot_vs_pg_dump(report, "catalog", "whole catalog", &large, RUNS);

    let (_, small_stats) = introspect_url_with_stats(&small, &options).expect("introspect the small catalog bench database");
    let (l, s) = ((large_stats.catalog_queries, large_stats.round_trips), (small_stats.catalog_queries, small_stats.round_trips));
    report.target("catalog", format!("catalog queries / round trips, {} vs {OBJECTS} of each kind", SMALL.0), format!("{} / {} vs {} / {}", s.0, s.1, l.0, l.1), "constant", Some(l == s));

    let mb = crate::child_peak_kb("snapshot", &large) as f64 / 1024.0;
    report.target("catalog", "peak RSS of a process doing one whole-catalog snapshot (VmHWM)", format!("{mb:.1} MB"), "≤ 100 MB", Some(mb <= 100.0));
}
