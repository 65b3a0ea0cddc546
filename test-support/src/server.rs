//! Throwaway PostgreSQL servers of a given major version, for the version matrix.
//!
//! The binaries come from the cache that `scripts/fetch-postgres.sh` fills
//! (`$PGCANON_PG_CACHE/<major>/bin`, default `<repo>/target/postgres`): registry-packaged
//! builds, so no container runtime and no OS packages are needed. Each [`PgServer`] runs
//! `initdb` into a fresh temporary directory, starts `postgres` on a free loopback port with its
//! socket in that directory and `fsync=off`, and on drop stops the server and removes the
//! directory. PostgreSQL refuses to run as root, so under root both run as `nobody` (uid 65534)
//! through `setpriv`.
//!
//! A missing binary is a loud failure naming the fetch command: the matrix never skips.

use std::fs::File;
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::TestDb;

/// Every PostgreSQL major pgcanon supports and tests, oldest first.
pub const SUPPORTED_MAJORS: [u32; 6] = [13, 14, 15, 16, 17, 18];

/// The uid (and gid) the servers run as when the tests run as root: `nobody`.
const UNPRIVILEGED: u32 = 65534;

/// The majors the matrix runs on: every supported one, or the comma-separated list in
/// `PGCANON_PG_VERSIONS` (e.g. `PGCANON_PG_VERSIONS=13,18`). A value naming an unsupported major
/// is a loud failure, so a typo cannot silently shrink the matrix.
pub fn majors_under_test() -> Vec<u32> {
    let Some(list) = std::env::var("PGCANON_PG_VERSIONS").ok().filter(|v| !v.trim().is_empty() && v.trim() != "all") else {
        return SUPPORTED_MAJORS.to_vec();
    };
    list.split(',')
        .map(|m| {
            let m = m.trim();
            match m.parse::<u32>() {
                Ok(n) if SUPPORTED_MAJORS.contains(&n) => n,
                _ => panic!("PGCANON_PG_VERSIONS names `{m}`, which is not a supported major; use a comma-separated subset of {SUPPORTED_MAJORS:?}, or `all`"),
            }
        })
        .collect()
}

/// Whether the matrix includes `major` (see [`majors_under_test`]).
pub fn major_under_test(major: u32) -> bool {
    majors_under_test().contains(&major)
}

/// The binary cache `scripts/fetch-postgres.sh` fills.
fn cache_dir() -> PathBuf {
    match std::env::var_os("PGCANON_PG_CACHE").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/postgres"),
    }
}

/// A running throwaway PostgreSQL server; stopped and deleted on drop.
pub struct PgServer {
    major: u32,
    dir: PathBuf,
    child: Option<Child>,
    url: String,
}

impl PgServer {
    /// Starts a fresh server of `major` (13–18) and waits until it accepts connections.
    ///
    /// Panics with the fix when the binaries are missing or the server does not come up.
    pub fn start(major: u32) -> PgServer {
        PgServer::start_with(major, &[])
    }

    /// [`PgServer::start`] with extra server settings, each `name=value` (passed as `-c`), e.g.
    /// `max_locks_per_transaction=10` for a test that needs a small lock table.
    pub fn start_with(major: u32, settings: &[&str]) -> PgServer {
        assert!(SUPPORTED_MAJORS.contains(&major), "PostgreSQL {major} is not a supported major ({SUPPORTED_MAJORS:?})");
        let bin = cache_dir().join(major.to_string()).join("bin");
        for tool in ["initdb", "postgres"] {
            if !bin.join(tool).is_file() {
                panic!(
                    "PostgreSQL {major} server binaries are not in `{}`: run `scripts/fetch-postgres.sh {major}` \
                     (the README's test command, `scripts/test.sh`, fetches every major), or point \
                     PGCANON_PG_CACHE at a cache it filled",
                    bin.display()
                );
            }
        }
        let bin = reachable_by_server_user(major, &bin);
        let dir = scratch_dir(major);
        let data = dir.join("data");
        let out = run_as_server_user(&bin.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", bin.join("initdb").display()));
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&dir);
            panic!(
                "initdb of PostgreSQL {major} failed ({}): {}{}\nIf the cache is not readable by uid {UNPRIVILEGED} (the tests run as root), \
                 move it with PGCANON_PG_CACHE and re-run `scripts/fetch-postgres.sh`.",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // A port taken between choosing it and the server binding it makes the server exit:
        // try again with another.
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port();
            let log = File::create(dir.join("server.log")).expect("create the server log");
            let child = run_as_server_user(&bin.join("postgres"))
                .arg("-D")
                .arg(&data)
                .arg("-p")
                .arg(port.to_string())
                .arg("-k")
                .arg(&dir)
                .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
                .args(["-c", "max_connections=40", "-c", "shared_buffers=32MB"])
                .args(settings.iter().flat_map(|s| ["-c", s]))
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("clone the log handle"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", bin.join("postgres").display()));
            let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
            let mut server = PgServer { major, dir: dir.clone(), child: Some(child), url };
            if server.wait_ready() {
                return server;
            }
            last_log = server.log();
            server.stop();
        }
        panic!("PostgreSQL {major} did not start; its log:\n{last_log}");
    }

    /// The major version this server runs.
    pub fn major(&self) -> u32 {
        self.major
    }

    /// A superuser URL of the server's `postgres` database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new throwaway database on this server.
    pub fn db(&self, label: &str) -> TestDb {
        TestDb::on_server(&self.url, label)
    }

    /// A new throwaway database on this server with `sql` run in it.
    pub fn db_with_sql(&self, label: &str, sql: &str) -> TestDb {
        let db = self.db(label);
        db.execute(sql);
        db
    }

    /// Makes `role` log in over TCP with its password (`scram-sha-256`); every other role keeps
    /// `trust`. For tests of how a password reaches the server.
    pub fn require_password(&self, role: &str) {
        let hba = self.dir.join("data/pg_hba.conf");
        let old = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        // The first matching line wins; rewriting in place keeps the file's owner (the server's).
        std::fs::write(&hba, format!("host all {role} 127.0.0.1/32 scram-sha-256\n{old}")).expect("write pg_hba.conf");
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test server");
        c.batch_execute("SELECT pg_reload_conf()").expect("reload the configuration");
    }

    /// The server's `server_version_num`, e.g. `180006`.
    pub fn version_num(&self) -> u32 {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test server");
        let v: String = c.query_one("SHOW server_version_num", &[]).expect("read server_version_num").get(0);
        v.parse().expect("server_version_num is a number")
    }

    /// Stops the server at once (`immediate` shutdown: every connection is cut, as when a
    /// server crashes), for tests of a server that goes away mid-operation.
    pub fn kill(&mut self) {
        if let Some(child) = &self.child {
            signal(child.id(), "QUIT");
        }
        self.reap(Duration::from_secs(10));
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(self.dir.join("server.log")) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(child) = &mut self.child {
                if let Ok(Some(_)) = child.try_wait() {
                    self.child = None;
                    return false;
                }
            }
            if postgres::Client::connect(&self.url, postgres::NoTls).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Fast shutdown (rolls back open transactions, then exits), then waits for the process.
    fn stop(&mut self) {
        if let Some(child) = &self.child {
            signal(child.id(), "INT");
        }
        self.reap(Duration::from_secs(20));
    }

    fn reap(&mut self, patience: Duration) {
        let Some(mut child) = self.child.take() else { return };
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh directory for one server, writable by the user the server runs as.
fn scratch_dir(major: u32) -> PathBuf {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!("pgcanon-pg{major}-{}-{}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create `{}`: {e}", dir.display()));
    if running_as_root() {
        std::os::unix::fs::chown(&dir, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).unwrap_or_else(|e| panic!("cannot hand `{}` to uid {UNPRIVILEGED}: {e}", dir.display()));
    }
    dir
}

/// `bin` if the server user can run it; otherwise (tests as root in a checkout under a private
/// directory such as `/root` or a `mktemp -d`) a copy of the major's install under the system
/// temp dir, made once per version: hard links where the file system allows, copies otherwise.
fn reachable_by_server_user(major: u32, bin: &Path) -> PathBuf {
    if !running_as_root() {
        return bin.to_owned();
    }
    let probe = run_as_server_user(Path::new("/bin/sh")).arg("-c").arg("test -x \"$0\"").arg(bin.join("postgres")).status();
    if probe.is_ok_and(|s| s.success()) {
        return bin.to_owned();
    }
    let install = bin.parent().expect("bin has a parent");
    let version = std::fs::read_to_string(install.join(".pgcanon-version")).unwrap_or_default();
    let base = std::env::temp_dir().join("pgcanon-postgres");
    let dest = base.join(format!("{major}-{}", version.trim()));
    if dest.join("bin/postgres").is_file() {
        return dest.join("bin");
    }
    let _ = std::fs::create_dir_all(&base);
    let _ = std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755));
    let staging = base.join(format!(".{major}-{}-{}", std::process::id(), SEQ_COPY.fetch_add(1, Ordering::Relaxed)));
    copy_tree(install, &staging).unwrap_or_else(|e| panic!("cannot make PostgreSQL {major} readable to uid {UNPRIVILEGED} in `{}`: {e}", base.display()));
    // Another test may have finished the same copy first: either copy is fine.
    if std::fs::rename(&staging, &dest).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    dest.join("bin")
}

static SEQ_COPY: AtomicU32 = AtomicU32::new(0);

/// Recreates `from` at `to`: directories world-readable, files hard-linked (or copied), symlinks
/// as symlinks.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755))?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &dst)?;
        } else if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

fn running_as_root() -> bool {
    // The owner of /proc/self is the process's effective uid.
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

/// `program`, run as the unprivileged user when the tests run as root.
fn run_as_server_user(program: &Path) -> Command {
    if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args([format!("--reuid={UNPRIVILEGED}"), format!("--regid={UNPRIVILEGED}"), "--clear-groups".to_owned()]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("find a free loopback port")
}

fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).stderr(Stdio::null()).status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_serves_and_removes_a_server() {
        let major = *majors_under_test().last().expect("at least one major");
        let dir;
        {
            let server = PgServer::start(major);
            dir = server.dir.clone();
            assert_eq!(server.version_num() / 10000, major);
            let db = server.db_with_sql("server", "CREATE TABLE t (id int)");
            let n: i64 = db.client().query_one("SELECT count(*) FROM pg_class WHERE relname = 't'", &[]).unwrap().get(0);
            assert_eq!(n, 1);
        }
        assert!(!dir.exists(), "the server's directory must be removed");
    }
}
