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

/// (rule, line, column) of every finding; each is an error of the model `Account` at a source
/// position of `src/account.rs`.
fn findings(report: &serde_json::Value) -> Vec<(String, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            assert_eq!((f["level"].as_str(), f["properties"]["model"].as_str(), f["properties"]["table"].as_str()), (Some("error"), Some("Account"), Some("public.accounts")), "{f:#}");
            let at = &f["location"]["source"];
            assert_eq!(at["file"], "src/account.rs");
            (f["rule"].as_str().unwrap().to_owned(), at["line"].as_u64().unwrap(), at["column"].as_u64().unwrap())
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
    assert_eq!(report["examined"][0]["name"], "Account");
    assert_eq!(report["examined"][0]["status"], "ok");
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
    assert_eq!((report["examined"][0]["status"].as_str(), report["examined"][0]["findings"].as_u64()), (Some("failing"), Some(3)));
    assert_eq!(report["summary"]["error"], 3);
    let messages: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages[0].contains("`accounts.email` is nullable") && messages[0].contains("use `Option<String>`"), "{messages:?}");
    assert!(messages[1].contains("is `integer`, which maps to `i32`"), "{messages:?}");
    assert!(messages[2].contains("has no column `balance`"), "{messages:?}");

    // The same findings as GitHub annotations at the offending tokens, and as SARIF results
    // with a physical location (file, line, column) and the checker's code as rule id.
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_schema-gen")).args(["models", "--snapshot", "snapshot.json", "--format", format, "src"]).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let gh = run("github");
    assert!(gh.lines().next().unwrap().starts_with("::error file=src/account.rs,line=7,col=16,title=nullability-mismatch::src/account.rs:7:16: column `accounts.email` is nullable"), "{gh}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][1];
    assert_eq!(result["ruleId"], "type-mismatch");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize]["id"], "type-mismatch");
    let phys = &result["locations"][0]["physicalLocation"];
    assert_eq!((phys["artifactLocation"]["uri"].as_str(), phys["region"]["startLine"].as_u64(), phys["region"]["startColumn"].as_u64()), (Some("src/account.rs"), Some(8), Some(19)));
    assert_eq!(result["properties"]["model"], "Account");
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
