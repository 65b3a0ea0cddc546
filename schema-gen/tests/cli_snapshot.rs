//! The `schema-gen snapshot` and `introspect` commands, run as the built binary.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{db_with, snapshot};

fn schema_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .args(args)
        // Never pick up a URL from the developer's environment.
        .env_remove("DATABASE_URL")
        .env_remove("PGCANON_DATABASE_URL")
        .output()
        .expect("run schema-gen")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn snapshot_writes_once_then_reports_up_to_date() {
    let db = db_with("cli_snapshot", &["kitchen_sink"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schema/snapshot.json");
    let out_s = out.to_str().unwrap();

    let first = schema_gen(&["snapshot", "--database-url", db.url(), "--out", out_s]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let line = stdout(&first);
    assert_eq!(line.lines().count(), 1, "one summary line: {line}");
    assert!(line.starts_with(&format!("wrote {out_s}: 2 schemas, 4 tables, 2 views,")), "{line}");
    let content = std::fs::read_to_string(&out).unwrap();
    assert_eq!(content, snapshot(&db).to_json(), "the file is the canonical snapshot JSON");

    let before = mtime(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = schema_gen(&["snapshot", "--database-url", db.url(), "--out", out_s]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(stdout(&second).starts_with(&format!("{out_s} is up to date (2 schemas, 4 tables")), "{}", stdout(&second));
    assert_eq!(mtime(&out), before, "an unchanged snapshot is not rewritten");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), content);

    // A schema change is picked up and rewrites the file.
    db.execute("CREATE TABLE app.added (id int)");
    let third = schema_gen(&["snapshot", "--database-url", db.url(), "--out", out_s]);
    assert!(stdout(&third).starts_with(&format!("wrote {out_s}: 2 schemas, 5 tables")), "{}", stdout(&third));
}

#[test]
fn snapshot_honours_schema_filters_and_env_url() {
    let db = db_with("cli_filters", &["multi_schema"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let o = Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .args(["snapshot", "--schema", "sales", "--schema", "hr", "--exclude-schema", "hr", "--out"])
        .arg(&out)
        .env_remove("DATABASE_URL")
        .env("PGCANON_DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = schema_gen::Snapshot::load(&out).unwrap();
    assert_eq!(common::schema_names(&s), ["sales"]);
}

#[test]
fn introspect_prints_text_and_json() {
    let db = db_with("cli_introspect", &["kitchen_sink", "nasty_names"]);
    let json = schema_gen(&["introspect", "--database-url", db.url(), "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert_eq!(stdout(&json), snapshot(&db).to_json());

    let text = schema_gen(&["introspect", "--database-url", db.url()]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = stdout(&text);
    for expected in [
        "schema app -- Application tables",
        "  table accounts -- Customer accounts",
        "    id bigint not null [pk]",
        "    email app.email null",
        "  partitioned table events",
        "  foreign table remote_things -- Lives in another database",
        "  view active_accounts -- Accounts in use",
        "  materialized view document_counts",
        "  enum status: draft, pending, active, archived",
        "  domain email: character varying(320) not null",
        "  type address (street text, city character varying(80), zip character(5))",
        "  table User Accounts -- It's \"quoted\" and ünïcødé",
        "    quote\"inside text null",
    ] {
        assert!(text.lines().any(|l| l == expected), "missing line `{expected}` in:\n{text}");
    }
}

#[test]
fn connection_errors_exit_2_without_the_password() {
    for args in [
        vec!["snapshot", "--database-url", "postgres://u:topsecret@127.0.0.1:1/x", "--out", "/nonexistent/never.json"],
        vec!["introspect", "--database-url", "postgres://u:topsecret@127.0.0.1:1/x"],
        vec!["introspect", "--database-url", "host=127.0.0.1 port=1 user=u password=topsecret dbname=x"],
    ] {
        let o = schema_gen(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(!out.contains("topsecret") && !err.contains("topsecret"), "password leaked: {out}{err}");
        assert!(err.contains("cannot connect to") && err.contains("***"), "{err}");
        assert!(out.is_empty(), "nothing on stdout for an error: {out}");
    }
}

#[test]
fn missing_database_url_is_a_clear_error() {
    let o = schema_gen(&["introspect"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no database URL: pass `--database-url`"), "{}", stderr(&o));
}

#[test]
fn unwritable_output_is_an_error_naming_the_file() {
    let db = db_with("cli_unwritable", &[]);
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a directory is needed.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "x").unwrap();
    let out = blocker.join("snapshot.json");
    let o = schema_gen(&["snapshot", "--database-url", db.url(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("`{}`", out.display())), "{}", stderr(&o));
}
