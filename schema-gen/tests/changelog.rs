//! Change-log entries and the `changelog`, `diff` and `check` commands (docs and generated code)
//! on fixture snapshots, with no database.

use std::process::Command;

use schema_gen::changelog::{append, append_if_changed, entry, HEADER};
use schema_gen::docs::{render, DocsOptions};
use schema_gen::Snapshot;

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Snapshot {
    let mut s = Snapshot::load(fixture_path(name)).unwrap_or_else(|e| panic!("{e}"));
    s.normalize();
    s
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_schema-gen"))
}

#[test]
fn golden_entry() {
    let e = entry(&fixture("shop_v1.json"), &fixture("shop_v2.json"), "2024-06-01");
    assert!(e.starts_with("## 2024-06-01\n\n> **Warning:** 4 destructive changes"));
    insta::assert_snapshot!("shop_entry", e);
}

#[test]
fn identical_snapshots_make_a_no_change_entry_and_append_nothing() {
    let a = fixture("shop_v1.json");
    assert_eq!(entry(&a, &a, "2024-06-01"), "## 2024-06-01\n\nNo structural changes.\n");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("CHANGES.md");
    assert!(!append_if_changed(&log, &a, &a).unwrap());
    assert!(!log.exists());
}

#[test]
fn append_keeps_an_existing_header_and_entries() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("CHANGES.md");
    std::fs::write(&log, "# Our schema log\n\nHand-written intro.\n\n## 2024-01-01\n\n- old entry\n").unwrap();
    append(&log, "## 2024-02-01\n\n- new entry\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "# Our schema log\n\nHand-written intro.\n\n## 2024-02-01\n\n- new entry\n\n## 2024-01-01\n\n- old entry\n"
    );
    assert!(HEADER.starts_with("# Schema changes"));
}

#[test]
fn changelog_command_prints_and_appends_with_the_env_date() {
    let out = bin().args(["changelog", &fixture_path("shop_v1.json"), &fixture_path("shop_v2.json")]).env("PGCANON_DATE", "2030-01-02").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, entry(&fixture("shop_v1.json"), &fixture("shop_v2.json"), "2030-01-02"));

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("CHANGES.md");
    let out = bin()
        .args(["changelog", &fixture_path("shop_v1.json"), &fixture_path("shop_v2.json"), "--date", "2030-01-03", "--append"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with(HEADER) && text.contains("\n## 2030-01-03\n"), "{text}");

    let out = bin().args(["changelog", &fixture_path("shop_v1.json"), &fixture_path("shop_v2.json"), "--date", "tomorrow"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a real calendar date as `YYYY-MM-DD`"));
}

#[test]
fn diff_command_exit_codes() {
    let same = bin().args(["diff", &fixture_path("shop_v1.json"), &fixture_path("shop_v1.json")]).output().unwrap();
    assert_eq!(same.status.code(), Some(0));
    let differ = bin().args(["diff", &fixture_path("shop_v1.json"), &fixture_path("shop_v2.json"), "--format", "json"]).output().unwrap();
    assert_eq!(differ.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&differ.stdout).unwrap();
    assert_eq!(json["summary"]["destructive"], 4);
    let missing = bin().args(["diff", "/nonexistent/snapshot.json", &fixture_path("shop_v1.json")]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/snapshot.json"));
}

#[test]
fn check_command_reports_missing_stale_and_current_docs() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot.json");
    std::fs::copy(fixture_path("shop_v1.json"), &snap).unwrap();
    let docs = dir.path().join("SCHEMA.md");
    let check = |extra: &[&str]| {
        bin().arg("check").arg("--offline").arg("--snapshot").arg(&snap).args(extra).env_remove("DATABASE_URL").env_remove("PGCANON_DATABASE_URL").output().unwrap()
    };

    // Explicit --docs that does not exist: missing, with the command that creates it.
    let out = check(&["--docs", docs.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MISSING  docs"), "{text}");
    assert!(text.contains(&format!("fix: schema-gen docs --snapshot {} --out {}", snap.display(), docs.display())), "{text}");

    // Run the fix command as printed: the artifact becomes current.
    let out = bin().args(["docs", "--snapshot", snap.to_str().unwrap(), "--out", docs.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(0), "SCHEMA.md beside the snapshot is checked by default: {}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no findings; 1 artifact checked: 1 current"));

    // Edit the snapshot: the committed docs are now stale.
    std::fs::copy(fixture_path("shop_v2.json"), &snap).unwrap();
    let out = check(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((json["examined"][0]["name"].as_str(), json["examined"][0]["status"].as_str()), (Some("docs"), Some("stale")));
    assert_eq!(json["findings"][0]["rule"], "docs-stale");
    assert_eq!(json["findings"][0]["location"]["file"]["file"], docs.to_str().unwrap());
    assert!(json["findings"][0]["fix"].as_str().unwrap().starts_with("schema-gen docs --snapshot "));
    assert_eq!(std::fs::read_to_string(&docs).unwrap(), render(&fixture("shop_v1.json"), &DocsOptions::default()));

    // Markdown for job summaries.
    let out = check(&["--format", "markdown"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("| docs | "));
    assert!(String::from_utf8_lossy(&out.stdout).contains("| error | `docs-stale` | "));

    // A gate with nothing to check is misconfigured, not green.
    let out = check(&["--no-docs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to check"));
}

#[test]
fn check_command_compares_committed_generated_code() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot.json");
    std::fs::copy(fixture_path("shop_v1.json"), &snap).unwrap();
    let models = dir.path().join("models.rs");
    let config = dir.path().join("pgcanon.json");
    // Options that change the output, so a check without the same config would be stale.
    std::fs::write(&config, r#"{ "include_schemas": ["public"] }"#).unwrap();
    let run = |args: &[&str]| bin().args(args).env_remove("DATABASE_URL").env_remove("PGCANON_DATABASE_URL").output().unwrap();
    let (s, m, c) = (snap.to_str().unwrap(), models.to_str().unwrap(), config.to_str().unwrap());

    let out = run(&["generate", "--snapshot", s, "--out", m, "--config", c]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["check", "--offline", "--no-docs", "--snapshot", s, "--generated", m, "--config", c]);
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("current  generated"));

    // Without the config the expected code differs: stale, and the fix omits --config.
    let out = run(&["check", "--offline", "--no-docs", "--snapshot", s, "--generated", m]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("fix: schema-gen generate --snapshot {s} --out {m}\n")));

    // Hand edits are stale; the fix command names the config.
    std::fs::write(&models, "// edited\n").unwrap();
    let out = run(&["check", "--offline", "--no-docs", "--snapshot", s, "--generated", m, "--config", c]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("STALE    generated") && text.contains(&format!("fix: schema-gen generate --snapshot {s} --out {m} --config {c}")), "{text}");
}
