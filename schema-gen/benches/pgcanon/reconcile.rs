//! `reconcile`: an empty database reconciled to the large synthetic schema. The planning alone
//! (both snapshots in memory, as `schema-gen reconcile` has them once loaded), then the script
//! applied end to end by the `schema-gen apply` process (its from-hash check, phase 1 in
//! transactions of [`TRANSACTION_SIZE`] statements, the re-snapshot that verifies the target)
//! into a fresh empty database, beside `psql -f` of `pg_dump --schema-only` output of the same
//! schema into another fresh empty database: the established way to copy a schema. The two are
//! interleaved, one of each per round, so that both see the same load.

use std::path::{Path, PathBuf};
use std::process::Command;

use schema_gen::apply::options_for;
use schema_gen::introspect::introspect_url;
use schema_gen::reconcile::script::{render, snapshot_hash, Header};
use schema_gen::reconcile::{plan, Options};

use crate::measure::{measure, median, secs, spread};
use crate::peers::{on_path, pg_cache, pg_dump, tempfile_dir, timed};
use crate::report::Report;
use crate::{large, Context, RUNS};

/// Rounds of the apply measurement (each creates two databases of the large schema).
const APPLY_RUNS: usize = 3;
/// `apply --transaction-size`: one transaction of the whole schema runs out of the default lock
/// table ("out of shared memory"), see the README's reconcile section.
const TRANSACTION_SIZE: &str = "500";

/// The section.
pub fn section(ctx: &Context, report: &mut Report) {
    let (tables, columns) = large();
    let target = introspect_url(ctx.large_url(), &options_for(false)).expect("introspect the bench database");
    let admin = test_support::server_url();
    let empty = Fresh::create(&admin, "pgcanon_bench_reconcile_empty");
    let from = introspect_url(&empty.url, &options_for(false)).expect("introspect an empty database");
    let options = Options::default();
    let mut planned = None;
    let times = measure(RUNS, || planned = Some(plan(&from, &target, &options).expect("plan the bootstrap")));
    let p = planned.expect("measure runs at least once");
    let plan_time = median(&times);
    report.target(
        "reconcile",
        format!("plan an empty database to {tables}×{columns} ({} steps), snapshots in memory, median of {RUNS}", p.steps.len()),
        secs(plan_time),
        "≤ 0.5 s",
        Some(plan_time.as_secs_f64() <= 0.5),
    );
    report.info("reconcile", "  fastest / slowest run", spread(&times));
    let header = Header {
        from_label: "empty".into(),
        from_hash: snapshot_hash(&from),
        to_label: "bench".into(),
        to_hash: snapshot_hash(&target),
        function_bodies: false,
        lock_timeout: "5s".into(),
        statement_timeout: "0".into(),
        ..Header::default()
    };
    let mut text = String::new();
    let render_times = measure(RUNS, || text = render(&p, &header));
    report.info("reconcile", format!("  render the script ({:.1} MB), median", text.len() as f64 / 1e6), secs(median(&render_times)));
    drop(empty);

    let measurement = format!("apply the script to an empty database (`schema-gen apply --transaction-size {TRANSACTION_SIZE}`) vs `psql -f` of `pg_dump --schema-only`, median of {APPLY_RUNS}");
    match apply_vs_psql(ctx.large_url(), &admin, &text) {
        Ok((ours, theirs)) => {
            report.versus("reconcile", measurement, median(&ours), ("psql -f pg_dump", median(&theirs)), ("≤ 1 × peer", 1.0));
            report.info("reconcile", "  fastest / slowest apply; psql -f", format!("{}; {}", spread(&ours), spread(&theirs)));
        }
        Err(reason) => report.failed("reconcile", measurement, reason, "≤ 1 × peer"),
    }
}

/// A new empty database, dropped on drop.
struct Fresh {
    admin: String,
    name: String,
    url: String,
}

impl Fresh {
    fn create(admin: &str, name: &str) -> Fresh {
        let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("connect to the bench server");
        // Two statements: DROP/CREATE DATABASE refuse to run in an implicit transaction.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).expect("drop a stale scratch database");
        c.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a scratch database");
        Fresh { admin: admin.to_owned(), name: name.to_owned(), url: test_support::with_database(admin, name) }
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// The `pg_dump` of the server's own major when cached (a newer one writes settings an older
/// server rejects, e.g. 17's `transaction_timeout`), else the snapshot peers' one.
fn restore_pg_dump(url: &str) -> Option<PathBuf> {
    let version = crate::versions::server_version(url);
    let major = version.split('.').next().unwrap_or("");
    Some(pg_cache().join(major).join("bin/pg_dump")).filter(|p| p.is_file()).or_else(pg_dump)
}

/// The `psql` beside the `pg_dump` in use (the same major reads its output: newer dumps hold
/// meta-commands older clients lack), else `psql` on `PATH`.
fn psql(pg_dump: &Path) -> Option<PathBuf> {
    pg_dump.parent().map(|d| d.join("psql")).filter(|p| p.is_file()).or_else(|| on_path("psql"))
}

/// Times `schema-gen apply` of `script` and `psql -f` of the large database's dump, each into a
/// fresh empty database, interleaved; the sorted durations of each, or what failed.
fn apply_vs_psql(source_url: &str, admin: &str, script: &str) -> Result<(Vec<std::time::Duration>, Vec<std::time::Duration>), String> {
    let pg_dump = restore_pg_dump(source_url).ok_or("no pg_dump (run scripts/fetch-postgres.sh, or set PGCANON_PG_DUMP)")?;
    let psql = psql(&pg_dump).ok_or("no psql beside pg_dump nor on PATH")?;
    let dir = tempfile_dir()?;
    let (script_file, dump_file) = (dir.join("bootstrap.sql"), dir.join("dump.sql"));
    let result = (|| {
        std::fs::write(&script_file, script).map_err(|e| format!("cannot write `{}`: {e}", script_file.display()))?;
        let mut dump = Command::new(&pg_dump);
        dump.args(["--schema-only", "--no-sync", "-d", source_url, "-f"]).arg(&dump_file);
        timed(&mut dump, "pg_dump --schema-only")?;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..APPLY_RUNS {
            let db = Fresh::create(admin, "pgcanon_bench_reconcile_apply");
            let mut apply = Command::new(env!("CARGO_BIN_EXE_schema-gen"));
            apply.arg("apply").arg(&script_file).args(["--database-url", &db.url, "--transaction-size", TRANSACTION_SIZE]);
            ours.push(timed(&mut apply, "schema-gen apply")?);
            drop(db);
            let db = Fresh::create(admin, "pgcanon_bench_reconcile_psql");
            let mut restore = Command::new(&psql);
            restore.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &db.url, "-f"]).arg(&dump_file);
            theirs.push(timed(&mut restore, "psql -f")?);
        }
        ours.sort();
        theirs.sort();
        Ok((ours, theirs))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
