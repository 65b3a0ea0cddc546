//! `snapshot`: connect + introspect + serialize end to end (in-process and as the CLI process),
//! catalog round trips on a large and a small schema, and peak memory of one snapshot.

use std::process::{Command, Stdio};

use schema_gen::introspect::{introspect, introspect_url, introspect_url_with_stats, IntrospectOptions};

use crate::measure::{cpu_ticks, measure, median, secs, spread, ticks_to_duration};
use crate::report::Report;
use crate::{large, Context, RUNS, SMALL};

/// The section.
pub fn section(ctx: &Context, report: &mut Report) {
    let size = large();
    let options = IntrospectOptions::default();
    let mut last_json_len = 0;
    // `introspect_url` is what the CLI and build.rs call: connect, introspect, disconnect.
    let times = measure(RUNS, || {
        let snapshot = introspect_url(ctx.large_url(), &options).expect("introspect the bench database");
        last_json_len = snapshot.to_json().len();
    });
    let e2e = median(&times);
    report.target("snapshot", format!("snapshot end to end in-process, {}×{} (connect+introspect+JSON), median of {RUNS}", size.0, size.1), secs(e2e), "≤ 0.5 s", Some(e2e.as_secs_f64() <= 0.5));
    report.info("snapshot", "  fastest / slowest run", spread(&times));
    // The same on one connection (no helper), for comparison in the same conditions.
    let single = measure(RUNS, || {
        let mut client = schema_gen::db::connect(ctx.large_url()).expect("connect to the bench database");
        let snapshot = introspect(&mut client, &options).expect("introspect the bench database");
        last_json_len = snapshot.to_json().len();
    });
    report.info("snapshot", "  the same on one connection (`introspect`, no helper), median", secs(median(&single)));
    report.info("snapshot", "  snapshot JSON size", format!("{:.1} MB", last_json_len as f64 / 1e6));

    cpu_split(ctx, report, &options);

    let (snapshot, large) = introspect_url_with_stats(ctx.large_url(), &options).expect("introspect the bench database");
    let (_, small) = introspect_url_with_stats(ctx.small_url(), &options).expect("introspect the small bench database");
    assert_eq!(snapshot.stats().tables, size.0, "the bench database should hold {} tables", size.0);
    let constant = (large.catalog_queries, large.round_trips) == (small.catalog_queries, small.round_trips);
    report.target(
        "snapshot",
        format!("catalog queries / round trips, {} tables vs {} tables", SMALL.0, size.0),
        format!("{} / {} vs {} / {}", small.catalog_queries, small.round_trips, large.catalog_queries, large.round_trips),
        "constant",
        Some(constant),
    );
    report.info("snapshot", "  connections (main + helper)", large.connections.to_string());
    report.info("snapshot", "  catalog rows streamed", large.rows.to_string());
    report.info("snapshot", "  introspection transaction (one run)", secs(large.elapsed));
    for (name, time) in &large.query_times {
        report.info("snapshot", format!("    {name}"), secs(*time));
    }
    if large.connections > 1 {
        report.info("snapshot", "    (constraints, indexes, triggers ran on the helper connection, concurrently)", "");
    }
    let json_times = measure(RUNS, || last_json_len = snapshot.to_json().len());
    report.info("snapshot", "  to_json, median", secs(median(&json_times)));
    let file = std::env::temp_dir().join(format!("pgcanon-bench-save-{}.json", std::process::id()));
    let save_times = measure(RUNS, || {
        let _ = std::fs::remove_file(&file);
        snapshot.save(&file).expect("save the snapshot");
    });
    let unchanged_times = measure(RUNS, || assert!(!snapshot.save(&file).expect("save the snapshot")));
    let _ = std::fs::remove_file(&file);
    report.info("snapshot", "  save to a new file (atomic write + fsync), median", secs(median(&save_times)));
    report.info("snapshot", "  save when unchanged (compare only), median", secs(median(&unchanged_times)));

    let binary = env!("CARGO_BIN_EXE_schema-gen");
    let out = std::env::temp_dir().join(format!("pgcanon-bench-{}.json", std::process::id()));
    let cli_times = measure(RUNS, || {
        let _ = std::fs::remove_file(&out);
        let status = Command::new(binary).args(["snapshot", "--database-url", ctx.large_url(), "--out"]).arg(&out).stdout(Stdio::null()).status().expect("run schema-gen");
        assert!(status.success(), "schema-gen snapshot failed");
    });
    let _ = std::fs::remove_file(&out);
    let cli = median(&cli_times);
    report.target("snapshot", "`schema-gen snapshot` process to a new file, median", secs(cli), "≤ 0.5 s", Some(cli.as_secs_f64() <= 0.5));
    report.info("snapshot", "  fastest / slowest run", spread(&cli_times));
    let label = format!("local server {}", crate::versions::server_version(ctx.large_url()));
    crate::peers::report_snapshot_vs_pg_dump(report, "snapshot", &label, ctx.large_url(), RUNS);

    let peak = crate::child_peak_kb("snapshot", ctx.large_url());
    let mb = peak as f64 / 1024.0;
    report.target("snapshot", "peak RSS of a process doing one snapshot (VmHWM)", format!("{mb:.1} MB"), "≤ 100 MB", Some(mb <= 100.0));
}

/// CPU time is what the machine would need with no competing load: wall times on a shared
/// 2-core box swing with other work, CPU seconds much less. Measured on one connection
/// (`introspect`, no helper), so one backend's CPU is the whole server side.
fn cpu_split(ctx: &Context, report: &mut Report, options: &IntrospectOptions) {
    let (mut server_cpu, mut client_cpu) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let mut client = schema_gen::db::connect(ctx.large_url()).expect("connect to the bench database");
        let backend: i32 = client.query_one("SELECT pg_backend_pid()", &[]).expect("backend pid").get(0);
        let (server_before, client_before) = (cpu_ticks(&format!("/proc/{backend}/stat")), cpu_ticks("/proc/self/stat"));
        let snapshot = introspect(&mut client, options).expect("introspect the bench database");
        let _ = snapshot.to_json();
        server_cpu.push(ticks_to_duration(cpu_ticks(&format!("/proc/{backend}/stat")) - server_before));
        client_cpu.push(ticks_to_duration(cpu_ticks("/proc/self/stat") - client_before));
    }
    server_cpu.sort();
    client_cpu.sort();
    report.info("snapshot", "  one connection: server CPU of the backend, median", secs(median(&server_cpu)));
    report.info("snapshot", "  one connection: client CPU (introspect + JSON), median", secs(median(&client_cpu)));
}

/// Child mode `snapshot`: one full snapshot written to a file, as `schema-gen snapshot` does.
pub fn child(url: &str) {
    let snapshot = introspect_url(url, &IntrospectOptions::default()).expect("introspect");
    let path = std::env::temp_dir().join(format!("pgcanon-bench-child-{}.json", std::process::id()));
    snapshot.save(&path).expect("write snapshot");
    let _ = std::fs::remove_file(path);
}
