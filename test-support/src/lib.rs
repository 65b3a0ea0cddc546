//! Throwaway databases on a real PostgreSQL server, one per test.
//!
//! The default server comes from `DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each [`TestDb`] creates a uniquely named
//! database and drops it (with `FORCE`) when it goes out of scope. When no server answers, the
//! test fails with instructions: nothing skips.
//!
//! The version matrix runs on throwaway servers of every supported major ([`PgServer`]), started
//! from the binaries `scripts/fetch-postgres.sh` puts in the cache.

use std::sync::atomic::{AtomicU32, Ordering};

mod server;

pub use server::{major_under_test, majors_under_test, PgServer, SUPPORTED_MAJORS};

/// The server URL used when `DATABASE_URL` is not set.
pub const DEFAULT_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL of the test server.
pub fn server_url() -> String {
    std::env::var("DATABASE_URL").ok().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| DEFAULT_SERVER_URL.to_owned())
}

/// Replaces the database name (the URL path) of a `postgres://` URL.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "these tests need a real PostgreSQL server, but none answered at DATABASE_URL \
             (or the default {DEFAULT_SERVER_URL}): {e}.\n\
             Start one with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
             or point DATABASE_URL at a server where this user may CREATE DATABASE."
        )
    })
}

/// A freshly created, empty database, dropped on drop.
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
}

impl TestDb {
    /// Creates a new database named after `label` (a test name), unique per process and call,
    /// on the `DATABASE_URL` server.
    pub fn new(label: &str) -> TestDb {
        TestDb::on_server(&server_url(), label)
    }

    /// Creates a new database on the server that `admin_url` connects to (as a role that may
    /// `CREATE DATABASE`), e.g. a [`PgServer`]'s.
    pub fn on_server(admin_url: &str, label: &str) -> TestDb {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let clean: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(30)
            .collect();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("pgcanon_t_{clean}_{}_{}_{nanos:x}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed));
        let mut admin = admin_client(admin_url);
        admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap_or_else(|e| panic!("cannot create test database `{name}`: {e}"));
        let url = with_database(admin_url, &name);
        TestDb { name, url, admin_url: admin_url.to_owned() }
    }

    /// Creates a database and runs `sql` in it.
    pub fn with_sql(label: &str, sql: &str) -> TestDb {
        let db = TestDb::new(label);
        db.execute(sql);
        db
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL that connects to this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new connection to this database.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap_or_else(|e| panic!("cannot connect to test database `{}`: {e}", self.name))
    }

    /// Runs a batch of SQL statements, panicking with the error and the SQL on failure.
    pub fn execute(&self, sql: &str) {
        let mut c = self.client();
        if let Err(e) = c.batch_execute(sql) {
            let detail = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_else(|| e.to_string());
            panic!("SQL failed in `{}`: {detail}\n--- SQL ---\n{sql}", self.name);
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Best effort: a failure here must not mask the test's own result.
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// One `#[test]` per supported PostgreSQL major, `pg13` ... `pg18`, each calling `$run(major)`:
/// separate tests so the harness runs the majors in parallel and a failure names its major.
///
/// ```ignore
/// fn matrix(major: u32) { /* start a PgServer of `major`, test on it */ }
/// test_support::per_major!(matrix);
/// ```
#[macro_export]
macro_rules! per_major {
    ($run:path) => {
        $crate::per_major!(@one $run, pg13 13, pg14 14, pg15 15, pg16 16, pg17 17, pg18 18);
    };
    (@one $run:path, $($name:ident $major:literal),*) => {
        $(
            #[test]
            fn $name() {
                $run($major);
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_in_urls() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
    }

    #[test]
    fn creates_and_drops_a_database() {
        let name = {
            let db = TestDb::with_sql("harness", "CREATE TABLE t (id int)");
            let n: i64 = db.client().query_one("SELECT count(*) FROM pg_class WHERE relname = 't'", &[]).unwrap().get(0);
            assert_eq!(n, 1);
            db.name().to_owned()
        };
        let mut admin = admin_client(&server_url());
        let left: i64 = admin.query_one("SELECT count(*) FROM pg_database WHERE datname = $1", &[&name]).unwrap().get(0);
        assert_eq!(left, 0, "the test database must be dropped");
    }
}
