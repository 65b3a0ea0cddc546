//! pgcanon's benchmark: `cargo bench -p schema-gen --bench pgcanon [SECTION...]`.
//!
//! Measures the targets of DESIGN.md against a synthetic schema from
//! `../shared/bench/synth_schema.py` (2,000 tables × 20 columns), loaded once into the scratch
//! database `pgcanon_bench_2000x20` and reused while its completion marker is present.
//!
//! Each section is a function taking the shared [`Context`] and adding rows to the [`Report`];
//! add a section by writing a function and listing it in [`SECTIONS`]. Naming sections on the
//! command line runs only those.
//!
//! Peak memory is measured honestly in a separate process: the bench re-runs itself in child
//! mode (`PGCANON_BENCH_CHILD=snapshot`), which does one full snapshot and reports its own
//! `VmHWM` (peak resident set) from `/proc/self/status`.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use schema_gen::introspect::{introspect, introspect_with_stats, IntrospectOptions};

/// Runs per timed measurement; the median is reported.
const RUNS: usize = 7;
/// The large synthetic schema: tables × columns.
const LARGE: (usize, usize) = (2000, 20);
/// A small schema, to show the number of round trips does not grow with the table count.
const SMALL: (usize, usize) = (10, 20);
/// The environment variable that puts the bench binary in child mode.
const CHILD_VAR: &str = "PGCANON_BENCH_CHILD";

/// A benchmark section: a name and the function that measures it.
type Section = (&'static str, fn(&Context, &mut Report));

/// Every section, in run order. Later work adds `generate`, `docs`, `diff` here.
const SECTIONS: &[Section] = &[("snapshot", snapshot_section)];

/// What every section may use: URLs of the prepared benchmark databases.
struct Context {
    /// The 2,000 × 20 database.
    large_url: String,
    /// The 10 × 20 database.
    small_url: String,
}

/// One line of the result table.
struct Row {
    section: &'static str,
    measurement: String,
    value: String,
    target: &'static str,
}

/// The result table.
#[derive(Default)]
struct Report {
    rows: Vec<Row>,
}

impl Report {
    fn add(&mut self, section: &'static str, measurement: impl Into<String>, value: impl Into<String>, target: &'static str) {
        let row = Row { section, measurement: measurement.into(), value: value.into(), target };
        println!("  {:<9} {:<52} {}", row.section, row.measurement, row.value);
        self.rows.push(row);
    }

    fn print(&self) {
        let w = self.rows.iter().map(|r| r.measurement.chars().count()).max().unwrap_or(0).max(11);
        let v = self.rows.iter().map(|r| r.value.chars().count()).max().unwrap_or(0).max(5);
        let t = self.rows.iter().map(|r| r.target.chars().count()).max().unwrap_or(0).max(6);
        let (section, measurement, value, target) = ("section", "measurement", "value", "target");
        println!();
        println!("| {section:<9} | {measurement:<w$} | {value:<v$} | {target:<t$} |");
        println!("|{}|{}|{}|{}|", "-".repeat(11), "-".repeat(w + 2), "-".repeat(v + 2), "-".repeat(t + 2));
        for r in &self.rows {
            println!("| {:<9} | {:<w$} | {:<v$} | {:<t$} |", r.section, r.measurement, r.value, r.target);
        }
    }
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD_VAR) {
        child(&mode);
        return;
    }
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let ctx = Context { large_url: ensure_database(LARGE), small_url: ensure_database(SMALL) };
    let mut report = Report::default();
    for (name, section) in SECTIONS {
        if wanted.is_empty() || wanted.iter().any(|w| w == name) {
            println!("section {name}:");
            section(&ctx, &mut report);
        }
    }
    report.print();
}

/// `snapshot`: connect + introspect + serialize, end to end; round trips; peak memory.
fn snapshot_section(ctx: &Context, report: &mut Report) {
    let options = IntrospectOptions::default();
    let mut last_json_len = 0;
    let times = measure(RUNS, || {
        let mut client = schema_gen::db::connect(&ctx.large_url).expect("connect to the bench database");
        let snapshot = introspect(&mut client, &options).expect("introspect the bench database");
        last_json_len = snapshot.to_json().len();
    });
    report.add("snapshot", format!("end to end, {}×{} (connect+introspect+JSON), median of {RUNS}", LARGE.0, LARGE.1), secs(median(&times)), "≤ 0.5 s");
    report.add("snapshot", "  fastest / slowest run", format!("{} / {}", secs(times[0]), secs(times[times.len() - 1])), "");
    report.add("snapshot", "  snapshot JSON size", format!("{:.1} MB", last_json_len as f64 / 1e6), "");

    // CPU time is what the machine would need with no competing load: wall times on a shared
    // 2-core box swing with other work, CPU seconds much less.
    let (mut server_cpu, mut client_cpu) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let mut client = schema_gen::db::connect(&ctx.large_url).expect("connect to the bench database");
        let backend: i32 = client.query_one("SELECT pg_backend_pid()", &[]).expect("backend pid").get(0);
        let (server_before, client_before) = (cpu_ticks(&format!("/proc/{backend}/stat")), cpu_ticks("/proc/self/stat"));
        let snapshot = introspect(&mut client, &options).expect("introspect the bench database");
        last_json_len = snapshot.to_json().len();
        server_cpu.push(ticks_to_duration(cpu_ticks(&format!("/proc/{backend}/stat")) - server_before));
        client_cpu.push(ticks_to_duration(cpu_ticks("/proc/self/stat") - client_before));
    }
    server_cpu.sort();
    client_cpu.sort();
    report.add("snapshot", "  server CPU of the introspecting backend, median", secs(median(&server_cpu)), "");
    report.add("snapshot", "  client CPU (introspect + JSON), median", secs(median(&client_cpu)), "");

    let mut client = schema_gen::db::connect(&ctx.large_url).expect("connect to the bench database");
    let (snapshot, large) = introspect_with_stats(&mut client, &options).expect("introspect the bench database");
    let mut small_client = schema_gen::db::connect(&ctx.small_url).expect("connect to the small bench database");
    let (_, small) = introspect_with_stats(&mut small_client, &options).expect("introspect the small bench database");
    assert_eq!(snapshot.stats().tables, LARGE.0, "the bench database should hold {} tables", LARGE.0);
    report.add("snapshot", format!("catalog queries / round trips, {} tables", LARGE.0), format!("{} / {}", large.catalog_queries, large.round_trips), "constant");
    report.add("snapshot", format!("catalog queries / round trips, {} tables", SMALL.0), format!("{} / {}", small.catalog_queries, small.round_trips), "constant");
    report.add("snapshot", "  catalog rows streamed", large.rows.to_string(), "");
    report.add("snapshot", "  introspection transaction (one run)", secs(large.elapsed), "");
    for (name, time) in &large.query_times {
        report.add("snapshot", format!("    {name}"), secs(*time), "");
    }
    let json_times = measure(RUNS, || last_json_len = snapshot.to_json().len());
    report.add("snapshot", "  to_json, median", secs(median(&json_times)), "");
    let file = std::env::temp_dir().join(format!("pgcanon-bench-save-{}.json", std::process::id()));
    let save_times = measure(RUNS, || {
        let _ = std::fs::remove_file(&file);
        snapshot.save(&file).expect("save the snapshot");
    });
    let unchanged_times = measure(RUNS, || assert!(!snapshot.save(&file).expect("save the snapshot")));
    let _ = std::fs::remove_file(&file);
    report.add("snapshot", "  save to a new file (atomic write + fsync), median", secs(median(&save_times)), "");
    report.add("snapshot", "  save when unchanged (compare only), median", secs(median(&unchanged_times)), "");

    let binary = env!("CARGO_BIN_EXE_schema-gen");
    let out = std::env::temp_dir().join(format!("pgcanon-bench-{}.json", std::process::id()));
    let cli_times = measure(RUNS, || {
        let _ = std::fs::remove_file(&out);
        let status = Command::new(binary).args(["snapshot", "--database-url", &ctx.large_url, "--out"]).arg(&out).stdout(std::process::Stdio::null()).status().expect("run schema-gen");
        assert!(status.success(), "schema-gen snapshot failed");
    });
    let _ = std::fs::remove_file(&out);
    report.add("snapshot", "`schema-gen snapshot` process wall time, median", secs(median(&cli_times)), "≤ 0.5 s");

    let peak = child_peak_kb("snapshot", &ctx.large_url);
    report.add("snapshot", "peak RSS of a process doing one snapshot (VmHWM)", format!("{:.1} MB", peak as f64 / 1024.0), "≤ 100 MB");
}

/// Child mode: do one unit of work named `mode`, then print `VmHWM` (kB) on stdout.
fn child(mode: &str) {
    let url = std::env::var("PGCANON_BENCH_URL").expect("child mode needs PGCANON_BENCH_URL");
    match mode {
        "snapshot" => {
            let snapshot = schema_gen::introspect::introspect_url(&url, &IntrospectOptions::default()).expect("introspect");
            let path = std::env::temp_dir().join(format!("pgcanon-bench-child-{}.json", std::process::id()));
            snapshot.save(&path).expect("write snapshot");
            let _ = std::fs::remove_file(path);
        }
        other => panic!("unknown child mode `{other}`"),
    }
    println!("{}", vm_hwm_kb().expect("VmHWM in /proc/self/status"));
}

fn child_peak_kb(mode: &str, url: &str) -> u64 {
    let exe = std::env::current_exe().expect("bench executable path");
    let out = Command::new(exe).env(CHILD_VAR, mode).env("PGCANON_BENCH_URL", url).output().expect("run the bench child");
    assert!(out.status.success(), "bench child failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("child prints VmHWM in kB")
}

/// User + system CPU time of a process in clock ticks, from its `/proc/<pid>/stat`.
fn cpu_ticks(stat_path: &str) -> u64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_else(|e| panic!("cannot read `{stat_path}`: {e}"));
    // Fields after the parenthesised command name (which may contain spaces): utime and stime
    // are fields 14 and 15 of the line, i.e. 12 and 13 after `) `.
    let rest = &stat[stat.rfind(')').expect("stat has a command name") + 2..];
    let fields: Vec<u64> = rest.split_whitespace().skip(11).take(2).map(|f| f.parse().expect("numeric CPU ticks")).collect();
    fields.iter().sum()
}

/// Clock ticks to a duration. Linux reports `/proc` CPU times in USER_HZ, which is 100.
fn ticks_to_duration(ticks: u64) -> Duration {
    Duration::from_millis(ticks * 10)
}

/// Peak resident set size of this process, in kB.
fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `f` once to warm up, then `runs` times; returns the sorted durations.
fn measure(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn median(sorted: &[Duration]) -> Duration {
    sorted[sorted.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Creates `pgcanon_bench_{n}x{c}` from the synthetic schema unless a complete copy exists.
///
/// Completeness is marked by a database comment written after the load commits, so an
/// interrupted load is detected and redone rather than silently benchmarked.
fn ensure_database((tables, columns): (usize, usize)) -> String {
    let name = format!("pgcanon_bench_{tables}x{columns}");
    let marker = format!("pgcanon synthetic schema {tables}x{columns} v1");
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
    let sql = synth_sql(tables, columns);
    let mut db = postgres::Client::connect(&url, postgres::NoTls).expect("connect to the new bench database");
    // In chunks: one implicit transaction over thousands of CREATE TABLEs runs out of locks.
    let mut chunk = String::new();
    let mut statements = 0;
    for line in sql.lines() {
        chunk.push_str(line);
        chunk.push('\n');
        if line.trim_end().ends_with(';') {
            statements += 1;
            if statements % 500 == 0 {
                db.batch_execute(&chunk).expect("load the synthetic schema");
                chunk.clear();
            }
        }
    }
    db.batch_execute(&chunk).expect("load the synthetic schema");
    db.batch_execute("VACUUM ANALYZE").expect("vacuum the bench database");
    admin.batch_execute(&format!("COMMENT ON DATABASE {name} IS '{marker}'")).expect("mark the bench database complete");
    println!("created {name} in {}", secs(started.elapsed()));
    url
}

/// The SQL of the synthetic schema, from `PGCANON_SYNTH` or the repository's sibling
/// `shared/bench/synth_schema.py`.
fn synth_sql(tables: usize, columns: usize) -> String {
    // The repository's sibling `shared/` is `CARGO_MANIFEST_DIR/../../shared` in the main
    // checkout; worktrees nest one level deeper, so look in every ancestor.
    let script = std::env::var_os("PGCANON_SYNTH").map(PathBuf::from).unwrap_or_else(|| {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        manifest
            .ancestors()
            .map(|dir| dir.join("shared/bench/synth_schema.py"))
            .find(|p| p.is_file())
            .unwrap_or_else(|| manifest.join("../../shared/bench/synth_schema.py"))
    });
    let out = Command::new("python3")
        .arg(&script)
        .args([tables.to_string(), columns.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 `{}`: {e}; set PGCANON_SYNTH to the synth_schema.py path", script.display()));
    assert!(out.status.success(), "`{}` failed: {}; set PGCANON_SYNTH to the synth_schema.py path", script.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("synthetic SQL is UTF-8")
}
