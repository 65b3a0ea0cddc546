//! Issue 9, item 3: passwords are redacted structurally, and fix commands can be pasted.

mod common;

use common::run::{run, stderr, stdout};

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
