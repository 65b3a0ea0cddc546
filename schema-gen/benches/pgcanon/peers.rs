//! Peers: the established tools doing the same job, timed in the same run as pgcanon.
//!
//! `pg_dump --schema-only` is the peer of a snapshot (both read the whole catalog and write one
//! file). The `peers` section also times the optional ORM schema readers a user may have
//! installed (`diesel print-schema`, `sea-orm-cli generate entity`) on the large database,
//! once each (they take minutes), and reports "not installed" when they are not on `PATH`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::measure::{median, secs};
use crate::report::Report;
use crate::{large, Context};

/// The PostgreSQL binary cache `scripts/fetch-postgres.sh` fills (the same default as
/// test-support's).
pub fn pg_cache() -> PathBuf {
    match std::env::var_os("PGCANON_PG_CACHE").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/postgres"),
    }
}

/// `name` on `PATH`, if any.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// The `pg_dump` to compare with: `PGCANON_PG_DUMP`, else the newest major's in the binary
/// cache (pg_dump dumps servers of its own and every older major; the 13 package has none),
/// else `pg_dump` on `PATH`.
pub fn pg_dump() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGCANON_PG_DUMP").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let cache = pg_cache();
    (13..=18).rev().map(|major| cache.join(major.to_string()).join("bin/pg_dump")).find(|p| p.is_file()).or_else(|| on_path("pg_dump"))
}

/// Times `schema-gen snapshot` and `pg_dump --schema-only` of the database at `url`, each to a
/// new file, interleaved (one of each per round, after a warm-up of each) so that both see the
/// same load; returns the sorted durations of each, or the failing command's error.
pub fn snapshot_vs_pg_dump(url: &str, pg_dump: &Path, runs: usize) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let dir = tempfile_dir()?;
    let (snap_out, dump_out) = (dir.join("snapshot.json"), dir.join("dump.sql"));
    let snapshot = || -> Result<Duration, String> {
        let _ = std::fs::remove_file(&snap_out);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_schema-gen"));
        cmd.args(["snapshot", "--database-url", url, "--out"]).arg(&snap_out);
        timed(&mut cmd, "schema-gen snapshot")
    };
    let dump = || -> Result<Duration, String> {
        let _ = std::fs::remove_file(&dump_out);
        let mut cmd = Command::new(pg_dump);
        cmd.args(["--schema-only", "--no-sync", "-d", url, "-f"]).arg(&dump_out);
        timed(&mut cmd, "pg_dump --schema-only")
    };
    let result = (|| {
        snapshot()?;
        dump()?;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..runs.max(1) {
            ours.push(snapshot()?);
            theirs.push(dump()?);
        }
        ours.sort();
        theirs.sort();
        Ok((ours, theirs))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs `cmd` (stdout discarded) and returns its wall time, or its stderr when it fails.
pub fn timed(cmd: &mut Command, what: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let out = cmd.stdout(Stdio::null()).output().map_err(|e| format!("cannot run `{what}`: {e}"))?;
    let elapsed = started.elapsed();
    if out.status.success() {
        Ok(elapsed)
    } else {
        // The first line says what went wrong; the rest is usually context for it.
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(format!("`{what}` exited with {}: {}", out.status, stderr.lines().next().unwrap_or("").trim()))
    }
}

/// A fresh private scratch directory under the system temp dir.
pub fn tempfile_dir() -> Result<PathBuf, String> {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("pgcanon-bench-peers-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    Ok(dir)
}

/// Builds a peer's command line from its binary, the database URL and an output directory.
type PeerCommand = fn(&Path, &str, &Path) -> Command;

/// The section: the optional ORM schema readers, when installed.
pub fn section(ctx: &Context, report: &mut Report) {
    let tables = large().0;
    let tools: [(&str, &str, PeerCommand); 2] = [
        ("diesel", "diesel print-schema", |bin, url, _| {
            let mut cmd = Command::new(bin);
            cmd.args(["print-schema", "--database-url", url]);
            cmd
        }),
        ("sea-orm-cli", "sea-orm-cli generate entity", |bin, url, out| {
            let mut cmd = Command::new(bin);
            cmd.args(["generate", "entity", "-u", url, "-o"]).arg(out);
            cmd
        }),
    ];
    for (name, label, command) in tools {
        let measurement = format!("peer: `{label}`, {tables} tables, one run");
        let Some(bin) = on_path(name) else {
            report.peer_only("peers", measurement, format!("not installed (`{name}` not on PATH)"));
            continue;
        };
        let result = tempfile_dir().and_then(|dir| {
            // A scratch working directory, so neither tool picks up or writes a project's files.
            let mut cmd = command(&bin, ctx.large_url(), &dir.join("entities"));
            let r = timed(cmd.current_dir(&dir), label);
            let _ = std::fs::remove_dir_all(&dir);
            r
        });
        match result {
            Ok(t) => report.peer_only("peers", measurement, secs(t)),
            Err(e) => report.failed("peers", measurement, e, ""),
        }
    }
}

/// Adds the `schema-gen snapshot` vs `pg_dump` row for the database at `url` (label names the
/// server), or a failure row saying why it could not be measured.
pub fn report_snapshot_vs_pg_dump(report: &mut Report, section: &'static str, label: &str, url: &str, runs: usize) {
    let measurement = format!("{label}: `schema-gen snapshot` process vs `pg_dump --schema-only`, median of {runs}");
    let Some(pg_dump) = pg_dump() else {
        report.failed(section, measurement, "no pg_dump (run scripts/fetch-postgres.sh, or set PGCANON_PG_DUMP)", "≤ 0.5 × peer");
        return;
    };
    match snapshot_vs_pg_dump(url, &pg_dump, runs) {
        Ok((ours, theirs)) => report.versus(section, measurement, median(&ours), ("pg_dump", median(&theirs)), ("≤ 0.5 × peer", 0.5)),
        Err(e) => report.failed(section, measurement, e, "≤ 0.5 × peer"),
    }
}
