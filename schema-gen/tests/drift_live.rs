//! Drift end to end on a real database: apply DDL, introspect before and after, and check the
//! diff kinds, the change-log entry, and the exit codes of `check`, `diff` and `snapshot
//! --changelog` through the built binary.

use std::path::Path;
use std::process::{Command, Output};

use schema_gen::changelog::entry;
use schema_gen::diff::{diff, ChangeKind as K, Severity as S};
use schema_gen::introspect::{introspect_url, IntrospectOptions};
use test_support::TestDb;

const BASE: &str = "
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, age integer, feeling mood);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    total numeric(10, 2) NOT NULL
);
";

const DDL: &str = "
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users DROP COLUMN age;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(8, 2);
ALTER TYPE mood ADD VALUE 'ecstatic';
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;
";

fn bin(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("PGCANON_DATABASE_URL")
        .env("PGCANON_DATE", "2031-05-06")
        .output()
        .expect("run schema-gen")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The test database's URL with a password added: the server trusts local connections and
/// ignores it, which lets the test prove the password never reaches the output.
fn url_with_password(db: &TestDb) -> String {
    db.url().replacen("postgres://postgres@", "postgres://postgres:hunter2@", 1)
}

#[test]
fn ddl_changes_are_detected_logged_and_gated() {
    let db = TestDb::with_sql("drift_live", BASE);
    let url = url_with_password(&db);
    assert!(url.contains(":hunter2@"), "test URL has an unexpected shape: {}", db.url());
    let opts = IntrospectOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // Commit a snapshot and its docs; the gate is green.
    let before = introspect_url(&url, &opts).unwrap();
    before.save(d.join("schema/snapshot.json")).unwrap();
    before.save(d.join("before.json")).unwrap();
    let o = bin(&["docs", "--out", "schema/SCHEMA.md"], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin(&["check", "--database-url", &url], d);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).ends_with("no findings; 2 artifacts checked: 2 current\n"), "{}", stdout(&o));

    // Change the database.
    db.execute(DDL);
    let after = introspect_url(&url, &opts).unwrap();
    let changes = diff(&before, &after);
    let got: Vec<(K, S, &str)> = changes.iter().map(|c| (c.kind, c.severity, c.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (K::EnumLabelAdded, S::Additive, "public.mood"),
            (K::ForeignKeyRemoved, S::Breaking, "public.orders.orders_user_id_fkey"),
            (K::ColumnTypeChanged, S::Destructive, "public.orders.total"),
            (K::ColumnRemoved, S::Destructive, "public.users.age"),
            (K::ColumnAdded, S::Additive, "public.users.nickname"),
            (K::IndexAdded, S::Additive, "public.users.users_email_idx"),
        ]
    );

    let log = entry(&before, &after, "2031-05-06");
    for line in [
        "## 2031-05-06",
        "> **Warning:** 2 destructive changes (may lose data).",
        "- label of enum `public.mood` added: `ecstatic`",
        "- **destructive:** column `public.orders.total`: type changed from `numeric(10,2)` to `numeric(8,2)`",
        "- **destructive:** column `public.users.age` removed (was `integer`)",
        "- *breaking:* foreign key `public.orders.orders_user_id_fkey` removed",
    ] {
        assert!(log.contains(line), "change-log entry lacks {line:?}:\n{log}");
    }

    // The gate now fails on the snapshot (docs still match the committed snapshot), names the
    // stale file and the command that refreshes it, and never prints the password.
    let o = bin(&["check", "--database-url", &url], d);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("STALE    snapshot   schema/snapshot.json"), "{out}");
    // Each change is a `snapshot-drift` finding under the stale artifact, levelled by severity.
    assert!(out.contains("         error[snapshot-drift] public.users.age: column `public.users.age` removed (was `integer`)\n"), "{out}");
    assert!(out.contains("         warning[snapshot-drift] public.users.nickname: column `public.users.nickname` added: `text`\n"), "{out}");
    // A redacted URL would not paste; the fix names a variable instead.
    assert!(out.contains("fix: schema-gen snapshot --database-url \"$DATABASE_URL\" --out schema/snapshot.json"), "{out}");
    assert!(out.contains("current  docs"), "{out}");
    assert!(!out.contains("hunter2"), "password leaked: {out}");

    // `diff FILE URL` reports the same changes; exit 1; URL redacted.
    let o = bin(&["diff", "before.json", &url, "--format", "json"], d);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["summary"]["total"], 6);
    assert!(json["new"].as_str().unwrap().contains(":***@"));
    assert!(!stdout(&o).contains("hunter2"));

    // Refresh the snapshot with a change log, as the fix says.
    let o = bin(&["snapshot", "--database-url", &url, "--out", "schema/snapshot.json", "--changelog", "schema/CHANGES.md"], d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let changes_md = std::fs::read_to_string(d.join("schema/CHANGES.md")).unwrap();
    assert!(changes_md.starts_with("# Schema changes"), "{changes_md}");
    assert!(changes_md.contains(&log), "logged entry differs from `entry`:\n{changes_md}");

    // Now the docs are stale relative to the refreshed snapshot.
    let o = bin(&["check", "--database-url", &url], d);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("current  snapshot") && out.contains("STALE    docs"), "{out}");
    assert!(out.contains("fix: schema-gen docs --snapshot schema/snapshot.json --out schema/SCHEMA.md"), "{out}");
    let o = bin(&["docs", "--out", "schema/SCHEMA.md"], d);
    assert!(o.status.success());
    let o = bin(&["check", "--database-url", &url], d);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // A second snapshot run with nothing changed adds no entry.
    let o = bin(&["snapshot", "--database-url", &url, "--out", "schema/snapshot.json", "--changelog", "schema/CHANGES.md"], d);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(d.join("schema/CHANGES.md")).unwrap(), changes_md);
}

#[test]
fn a_missing_snapshot_is_reported_with_the_command_that_creates_it() {
    let db = TestDb::with_sql("drift_missing", BASE);
    let dir = tempfile::tempdir().unwrap();
    let o = bin(&["check", "--database-url", db.url()], dir.path());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("MISSING  snapshot   schema/snapshot.json"), "{out}");
    assert!(out.contains("error[snapshot-missing] schema/snapshot.json: does not exist"), "{out}");
    let o = bin(&["snapshot", "--database-url", db.url()], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin(&["check", "--database-url", db.url()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn unreachable_database_is_an_error_not_drift() {
    let dir = tempfile::tempdir().unwrap();
    schema_gen::Snapshot::default().save(dir.path().join("schema/snapshot.json")).unwrap();
    let o = bin(&["check", "--database-url", "postgres://nobody:pw@127.0.0.1:1/none"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot connect") && !err.contains(":pw@"), "{err}");
}
