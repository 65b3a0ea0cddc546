//! Issue 9, item 3: passwords are redacted structurally, and fix commands can be pasted.

mod common;

use common::run::{command, finish, run, stderr, stdout};

/// `url` (a `postgres://` URL) with its user info replaced by `user:password`.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let host_and_path = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    format!("{scheme}://{user}:{password}@{host_and_path}")
}

#[test]
fn server_messages_are_not_garbled_by_password_masking() {
    let server = test_support::server_url();
    // Password `e`: masking by substring turned `does not exist` into `do***s not ***xist`,
    // which garbles the message and tells the reader the password.
    let url = test_support::with_database(&with_credentials(&server, "postgres", "e"), "pgcanon_no_such_db");
    let o = run(&["introspect", "--database-url", &url]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("database \"pgcanon_no_such_db\" does not exist"), "{err}");
    assert!(err.contains("cannot connect to `postgres://postgres:***@"), "{err}");
    assert!(!err.contains("***r") && !err.contains("***x"), "garbled: {err}");

    // A user name equal to the password is the server's word about the user: it stays.
    let url = with_credentials(&server, "pgcanon_no_such_role", "pgcanon_no_such_role");
    let o = run(&["introspect", "--database-url", &url]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("role \"pgcanon_no_such_role\" does not exist"), "{err}");
    assert!(err.contains("postgres://pgcanon_no_such_role:***@"), "{err}");
}

#[test]
fn the_check_fix_command_can_be_pasted() {
    let db = common::db_with("cli_guards_fix", &[]);
    db.execute("CREATE TABLE t (id int)");
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot.json");
    let o = run(&["snapshot", "--database-url", db.url(), "--out", snap.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    db.execute("ALTER TABLE t ADD COLUMN name text");
    // The local server trusts, so any password connects; it must not reach the fix line.
    let secret_url = with_credentials(db.url(), "postgres", "s3cret");
    let o = run(&["check", "--snapshot", snap.to_str().unwrap(), "--no-docs", "--database-url", &secret_url]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let fix = out.lines().find(|l| l.trim_start().starts_with("fix:")).unwrap_or_else(|| panic!("no fix line: {out}"));
    assert!(fix.contains("schema-gen snapshot --database-url \"$DATABASE_URL\" --out "), "{fix}");
    assert!(!fix.contains("***") && !out.contains("s3cret"), "{out}");

    // Without a password the URL itself pastes and runs.
    let o = run(&["check", "--snapshot", snap.to_str().unwrap(), "--no-docs", "--database-url", db.url()]);
    assert!(stdout(&o).contains(&format!("fix: schema-gen snapshot --database-url {} --out ", db.url())), "{}", stdout(&o));
}

/// A URL without a password takes it from `PGPASSWORD`, as libpq does: so `PGCANON_DATABASE_URL`
/// (which a build script watches, and cargo records in clear text under `target/`) need not
/// hold the password. Against a server that requires the password of the role.
#[test]
fn a_password_can_come_from_pgpassword_instead_of_the_url() {
    let major = test_support::majors_under_test()[0];
    let server = test_support::PgServer::start(major);
    // Roles are server-wide (and the server is thrown away with them).
    let db = server.db("cli_redaction_pw");
    // PostgreSQL 13 stores md5 by default, which a `scram-sha-256` line rejects.
    db.execute("SET password_encryption = 'scram-sha-256'; CREATE ROLE pgcanon_pw LOGIN PASSWORD 'fpsecret42'");
    server.require_password("pgcanon_pw");
    let url = with_credentials(server.url(), "pgcanon_pw", "").replace(":@", "@");
    assert!(!url.contains("fpsecret42") && url.contains("pgcanon_pw@"), "{url}");
    let introspect = |password: Option<&str>| {
        let args = ["introspect", "--database-url", &url];
        let mut c = command(&args);
        if let Some(p) = password {
            c.env("PGPASSWORD", p);
        }
        let child = c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        finish(child, &args)
    };
    let o = introspect(None);
    assert_eq!(o.status.code(), Some(2), "the server requires the password:\n{}", stderr(&o));
    let o = introspect(Some("wrong"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("password authentication failed for user \"pgcanon_pw\""), "{}", stderr(&o));
    assert!(!stderr(&o).contains("wrong"), "{}", stderr(&o));
    let o = introspect(Some("fpsecret42"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("schema public"), "{}", stdout(&o));
}
