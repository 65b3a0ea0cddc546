//! `schema-gen models` against a real database: a hand-written model passes, then each kind of
//! schema change made with `ALTER TABLE` is caught with its code, position and exit code 1.

use std::path::Path;
use std::process::Command;

use schema_gen::introspect::{introspect_url, IntrospectOptions};
use test_support::TestDb;

const MODEL: &str = r#"use chrono::{DateTime, Utc};

#[derive(Debug, schema_derive::Model)]
#[model(table = "public.accounts", primary_key = "id")]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub nickname: Option<String>,
    pub balance: rust_decimal::Decimal,
    pub created_at: DateTime<Utc>,
}
"#;

/// Runs the binary and returns (exit code, parsed JSON report).
fn models(args: &[&str], dir: &Path) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .arg("models")
        .args(args)
        .args(["--format", "json", "src"])
        .current_dir(dir)
        .output()
        .expect("schema-gen runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("JSON report expected ({e}); stdout: {stdout}; stderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().expect("exit code"), report)
}

/// (code, line, column) of every finding.
fn findings(report: &serde_json::Value) -> Vec<(String, u64, u64)> {
    report["models"][0]["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (f["code"].as_str().unwrap().to_owned(), f["position"]["line"].as_u64().unwrap(), f["position"]["column"].as_u64().unwrap())
        })
        .collect()
}

fn snapshot(db: &TestDb, dir: &Path) {
    let snap = introspect_url(db.url(), &IntrospectOptions::default()).expect("introspection works");
    snap.save(dir.join("snapshot.json")).expect("snapshot is written");
}

#[test]
fn models_report_tracks_alter_table() {
    let db = TestDb::with_sql(
        "models_live",
        "CREATE TABLE accounts (
             id bigint PRIMARY KEY,
             email text NOT NULL,
             nickname text,
             balance numeric(12, 2) NOT NULL,
             created_at timestamptz NOT NULL DEFAULT now()
         );",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/account.rs"), MODEL).unwrap();

    snapshot(&db, dir.path());
    let (code, report) = models(&["--snapshot", "snapshot.json"], dir.path());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["models"][0]["name"], "Account");
    assert_eq!(findings(&report), []);

    db.execute(
        "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
         ALTER TABLE accounts ALTER COLUMN nickname TYPE integer USING NULL;
         ALTER TABLE accounts DROP COLUMN balance;",
    );
    // The committed file is stale until re-snapshotted: still clean against it...
    assert_eq!(models(&["--snapshot", "snapshot.json"], dir.path()).0, 0);
    // ...while the live database already shows every change, at the offending tokens.
    let expected = [
        ("nullability-mismatch".to_owned(), 7, 16),
        ("type-mismatch".to_owned(), 8, 19),
        ("unknown-column".to_owned(), 9, 9),
    ];
    let (code, live) = models(&["--snapshot", "snapshot.json", "--database-url", db.url()], dir.path());
    assert_eq!(code, 1, "{live:#}");
    assert_eq!(findings(&live), expected);

    snapshot(&db, dir.path());
    let (code, report) = models(&["--snapshot", "snapshot.json"], dir.path());
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), expected);
    let messages: Vec<&str> = report["models"][0]["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages[0].contains("`accounts.email` is nullable") && messages[0].contains("use `Option<String>`"), "{messages:?}");
    assert!(messages[1].contains("is `integer`, which maps to `i32`"), "{messages:?}");
    assert!(messages[2].contains("has no column `balance`"), "{messages:?}");
}

#[test]
fn models_report_errors_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/broken.rs"), "struct {").unwrap();
    std::fs::write(dir.path().join("snapshot.json"), "{\"format_version\": 1}").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_schema-gen"))
        .args(["models", "--snapshot", "snapshot.json", "src"])
        .current_dir(dir.path())
        .output()
        .expect("schema-gen runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot parse `src/broken.rs`"), "{stderr}");
}
