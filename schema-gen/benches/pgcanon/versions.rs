//! `versions`: the same 2,000-table schema on a throwaway server of every PostgreSQL major
//! (13–18), `schema-gen snapshot` timed beside `pg_dump --schema-only` in the same run, and the
//! catalog round trips of a 10-table and the 2,000-table database on each.
//!
//! Servers come from test-support's [`PgServer`] (the binaries `scripts/fetch-postgres.sh`
//! caches; initdb into a temporary directory, free port, `fsync=off`, as `nobody` under root).
//! Each major is measured in isolation: one that cannot start, load or snapshot gets a
//! `failed: …` row and the others still run.

use std::panic::{catch_unwind, AssertUnwindSafe};

use schema_gen::introspect::{introspect_url_with_stats, IntrospectOptions};
use test_support::{PgServer, SUPPORTED_MAJORS};

use crate::database::{load, synth_sql, Synth};
use crate::peers::{pg_cache, report_snapshot_vs_pg_dump};
use crate::report::Report;
use crate::{Context, RUNS, SMALL};

/// The schema every major gets: the historical 2,000 × 20 benchmark schema, whatever
/// `PGCANON_BENCH_TABLES` says (that scale point is for the local server's sections).
const SIZE: (usize, usize) = (2000, 20);

/// The majors to measure: `PGCANON_BENCH_MAJORS` (comma-separated; `none` for none), else
/// every supported major whose server binaries are in the cache.
fn majors() -> Result<Vec<u32>, String> {
    match std::env::var("PGCANON_BENCH_MAJORS").ok().filter(|v| !v.trim().is_empty()) {
        Some(list) if list.trim() == "none" => Ok(Vec::new()),
        Some(list) => list
            .split(',')
            .map(|m| match m.trim().parse::<u32>() {
                Ok(n) if SUPPORTED_MAJORS.contains(&n) => Ok(n),
                _ => Err(format!("PGCANON_BENCH_MAJORS names `{}`, not one of {SUPPORTED_MAJORS:?}", m.trim())),
            })
            .collect(),
        None => Ok(SUPPORTED_MAJORS.into_iter().filter(|m| pg_cache().join(m.to_string()).join("bin/postgres").is_file()).collect()),
    }
}

/// The server's `server_version` (e.g. `15.20`), or `?` when it cannot be read.
pub fn server_version(url: &str) -> String {
    let version = schema_gen::db::connect(url).ok().and_then(|mut c| c.query_one("SHOW server_version", &[]).ok()).map(|r| r.get::<_, String>(0));
    // Distribution builds append a package suffix: "15.20 (Debian 15.20-0+deb12u1)".
    version.as_deref().and_then(|v| v.split_whitespace().next()).unwrap_or("?").to_owned()
}

/// The section.
pub fn section(_: &Context, report: &mut Report) {
    let majors = match majors() {
        Ok(m) => m,
        Err(e) => return report.failed("versions", "PostgreSQL majors", e, ""),
    };
    if majors.is_empty() {
        report.info("versions", "no PostgreSQL majors to measure (run scripts/fetch-postgres.sh)", "");
        return;
    }
    // Generated once: the SQL is the same for every major.
    let (large_sql, small_sql) = (synth_sql(&Synth::tables(SIZE.0, SIZE.1).args()), synth_sql(&Synth::tables(SMALL.0, SMALL.1).args()));
    let mut trips = Vec::new();
    // The reason of a failed major goes into its row; the default hook would print it again,
    // with a backtrace hint, in the middle of the table.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for major in majors {
        println!("PostgreSQL {major}: starting a throwaway server and loading {} tables...", SIZE.0);
        // PgServer and the loader panic with their reason; one major's failure is its row.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let server = PgServer::start(major);
            let (large_db, small_db) = (server.db("bench_large"), server.db("bench_small"));
            load(large_db.url(), &large_sql);
            load(small_db.url(), &small_sql);
            let label = format!("PostgreSQL {}", server_version(server.url()));
            report_snapshot_vs_pg_dump(report, "versions", &label, large_db.url(), RUNS);
            let options = IntrospectOptions::default();
            let stats = |url: &str| introspect_url_with_stats(url, &options).map(|(_, s)| (s.catalog_queries, s.round_trips)).map_err(|e| e.to_string());
            (label, stats(large_db.url()).and_then(|large| Ok((stats(small_db.url())?, large))))
        }));
        match outcome {
            Ok((label, Ok(((sq, srt), (lq, lrt))))) => {
                let measurement = format!("{label}: catalog queries / round trips, {} vs {} tables", SMALL.0, SIZE.0);
                report.target("versions", measurement, format!("{sq} / {srt} vs {lq} / {lrt}"), "constant", Some((sq, srt) == (lq, lrt)));
                trips.push((major, lq, lrt));
            }
            Ok((label, Err(e))) => report.failed("versions", format!("{label}: catalog round trips"), e, "constant"),
            Err(panic) => {
                let reason = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("panicked");
                report.failed("versions", format!("PostgreSQL {major}"), reason.lines().next().unwrap_or(reason), "");
            }
        }
    }
    std::panic::set_hook(default_hook);
    // The same queries on every major: version differences live inside the SQL, not in extra
    // round trips.
    if let Some(&(_, q, rt)) = trips.first() {
        let same = trips.iter().all(|&(_, lq, lrt)| (lq, lrt) == (q, rt));
        let majors: Vec<String> = trips.iter().map(|(m, _, _)| m.to_string()).collect();
        report.target("versions", format!("catalog queries / round trips across majors {}", majors.join(", ")), format!("{q} / {rt}{}", if same { " on each" } else { ", differing" }), "constant", Some(same));
    }
}
