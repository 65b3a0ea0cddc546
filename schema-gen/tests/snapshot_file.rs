//! Loading snapshot files: corrupt and future-format files fail with errors naming the file.

mod common;

use schema_gen::Snapshot;

#[test]
fn saved_snapshot_loads_back_identical() {
    let db = common::db_with("file_round_trip", &["kitchen_sink"]);
    let s = common::snapshot(&db);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    assert!(s.save(&path).unwrap(), "first save writes");
    assert!(!s.save(&path).unwrap(), "second save is a no-op");
    let back = Snapshot::load(&path).unwrap();
    assert_eq!(back, s);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), s.to_json());
}

#[test]
fn corrupt_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, "{\"format_version\": 1, \"schemas\": [").unwrap();
    let err = Snapshot::load(&path).unwrap_err().to_string();
    assert!(err.contains(&format!("snapshot `{}` is corrupt", path.display())), "{err}");
    assert!(err.contains("schema-gen snapshot"), "hints at the fix: {err}");
}

#[test]
fn future_format_version_is_rejected_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, "{\"format_version\": 99, \"schemas\": [{\"name\": \"x\", \"new_field\": 1}]}").unwrap();
    let err = Snapshot::load(&path).unwrap_err().to_string();
    assert!(err.contains(&format!("snapshot `{}` has format_version 99", path.display())), "{err}");
    assert!(err.contains("upgrade schema-gen"), "{err}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let err = Snapshot::load("/nonexistent/snapshot.json").unwrap_err().to_string();
    assert!(err.starts_with("cannot read snapshot `/nonexistent/snapshot.json`"), "{err}");
}

#[test]
fn unknown_fields_are_rejected() {
    let err = Snapshot::from_json("{\"format_version\": 1, \"schemas\": [{\"name\": \"x\", \"tabels\": []}]}", "typo.json").unwrap_err().to_string();
    assert!(err.contains("`typo.json` is corrupt") && err.contains("tabels"), "{err}");
}
