//! `Config::compile`'s snapshot resolution: offline, live, unreachable (fallback or strict),
//! and the refusal to overwrite a snapshot from an unrelated database.

use std::path::Path;

use schema_gen::codegen::GenerateOptions;
use schema_gen::config::resolve::{resolve, SnapshotSource};
use schema_gen::{Config, Error, Snapshot};
use test_support::TestDb;

const UNREACHABLE: &str = "postgres://u:s3cret-pw@127.0.0.1:1/x";

fn committed(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("snapshot.json");
    let db = TestDb::with_sql("resolve_committed", "CREATE TABLE kept (id int PRIMARY KEY, name text)");
    let snap = schema_gen::introspect::introspect_url(db.url(), &Default::default()).expect("introspect");
    snap.save(&path).unwrap();
    path
}

fn offline_fixture(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("snapshot.json");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen/zoo.json")).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn without_a_url_the_committed_snapshot_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = offline_fixture(dir.path());
    let r = resolve(&path, None, false, &GenerateOptions::default()).unwrap();
    assert_eq!(r.source, SnapshotSource::Committed);
    assert!(r.warnings.is_empty());
    assert_eq!(r.snapshot, Snapshot::load(&path).unwrap());
}

#[test]
fn an_unreachable_database_falls_back_with_a_redacted_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = offline_fixture(dir.path());
    let before = std::fs::read(&path).unwrap();
    let r = resolve(&path, Some(("PGCANON_DATABASE_URL", UNREACHABLE)), false, &GenerateOptions::default()).unwrap();
    assert_eq!(r.source, SnapshotSource::CommittedFallback);
    let w = r.warnings.join("\n");
    assert!(w.contains("postgres://u:***@127.0.0.1:1/x"), "{w}");
    assert!(w.contains("PGCANON_DATABASE_URL") && w.contains("PGCANON_STRICT=1"), "{w}");
    assert!(!w.contains("s3cret-pw"), "password leaked: {w}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the committed snapshot must not change");
}

#[test]
fn strict_mode_makes_an_unreachable_database_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = offline_fixture(dir.path());
    let e = resolve(&path, Some(("DATABASE_URL", UNREACHABLE)), true, &GenerateOptions::default()).unwrap_err();
    assert!(matches!(e, Error::LiveUnavailable { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.starts_with("strict mode: cannot introspect `postgres://u:***@127.0.0.1:1/x` (from `DATABASE_URL`)"), "{msg}");
    assert!(!msg.contains("s3cret-pw"), "{msg}");
}

#[test]
fn a_missing_snapshot_without_a_database_says_how_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let e = resolve(&dir.path().join("nope.json"), None, false, &GenerateOptions::default()).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("does not exist; create it with `schema-gen snapshot"), "{msg}");
}

#[test]
fn a_live_database_refreshes_the_snapshot_only_when_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = committed(dir.path());
    let db = TestDb::with_sql("resolve_live", "CREATE TABLE kept (id int PRIMARY KEY, name text, added date)");
    let r = resolve(&path, Some(("PGCANON_DATABASE_URL", db.url())), true, &GenerateOptions::default()).unwrap();
    assert_eq!(r.source, SnapshotSource::Live { var: "PGCANON_DATABASE_URL".into() });
    assert!(r.snapshot_written, "the new column must be saved");
    assert!(Snapshot::load(&path).unwrap().relation("public.kept").unwrap().1.column("added").is_some());
    let again = resolve(&path, Some(("PGCANON_DATABASE_URL", db.url())), true, &GenerateOptions::default()).unwrap();
    assert!(!again.snapshot_written, "unchanged content must not rewrite the file");
}

#[test]
fn an_unrelated_database_never_overwrites_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = committed(dir.path());
    let before = std::fs::read(&path).unwrap();
    let empty = TestDb::new("resolve_empty");
    let r = resolve(&path, Some(("DATABASE_URL", empty.url())), false, &GenerateOptions::default()).unwrap();
    assert_eq!(r.source, SnapshotSource::CommittedFallback);
    assert!(r.warnings.join("\n").contains("has none of the tables of the committed snapshot"), "{:?}", r.warnings);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let e = resolve(&path, Some(("DATABASE_URL", empty.url())), true, &GenerateOptions::default()).unwrap_err();
    assert!(matches!(e, Error::Refused(_)), "{e:?}");
}

#[test]
fn compile_writes_models_only_when_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = offline_fixture(dir.path());
    let out = dir.path().join("out");
    let mut config = Config::new();
    config.snapshot_path(&path).out_dir(&out).database_url_vars(Vec::<String>::new());
    let first = config.compile().unwrap();
    assert!(first.output_written);
    assert_eq!(first.output_path, out.join("pgcanon_models.rs"));
    assert_eq!(first.source, SnapshotSource::Committed);
    assert!(first.warnings.iter().any(|w| w.contains("c_point")), "fallback warnings are reported");
    let code = std::fs::read_to_string(&first.output_path).unwrap();
    assert_eq!(code, config.generate(&Snapshot::load(&path).unwrap()).unwrap().code);
    let second = config.compile().unwrap();
    assert!(!second.output_written, "an unchanged output must not be rewritten");
}

#[test]
fn compile_keeps_the_markdown_docs_current() {
    let dir = tempfile::tempdir().unwrap();
    let path = offline_fixture(dir.path());
    let docs = dir.path().join("docs/SCHEMA.md");
    let mut config = Config::new();
    config.snapshot_path(&path).out_dir(dir.path().join("out")).database_url_vars(Vec::<String>::new()).docs_file(&docs);
    let first = config.compile().unwrap();
    assert_eq!(first.docs, Some((docs.clone(), true)));
    let expected = schema_gen::docs::render(&Snapshot::load(&path).unwrap(), &Default::default());
    assert_eq!(std::fs::read_to_string(&docs).unwrap(), expected);
    let second = config.compile().unwrap();
    assert_eq!(second.docs, Some((docs, false)), "unchanged docs must not be rewritten");
}
