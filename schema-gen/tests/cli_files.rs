//! Issue 9, items 1, 2 and 14 (`--out -`): what the CLI writes to, and how it writes to stdout.
//!
//! Device nodes and FIFOs are scratch nodes made in a temp dir (`mknod`, `mkfifo`), never the
//! system's `/dev` entries: the bug these tests guard against replaced them.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::run::{command, finish, fixture_path, run, run_in, stderr, stdout};

/// A FIFO and, where permitted (root), a character device with `/dev/null`'s numbers.
fn special_nodes(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut nodes = vec![(fifo, "FIFO (named pipe)")];
    let null = dir.join("null");
    if std::process::Command::new("mknod").arg(&null).args(["c", "1", "3"]).status().is_ok_and(|s| s.success()) {
        nodes.push((null, "character device"));
    }
    let sub = dir.join("a-directory");
    std::fs::create_dir(&sub).unwrap();
    nodes.push((sub, "directory"));
    nodes
}

fn kind_is_unchanged(path: &Path, kind: &str) -> bool {
    let ft = std::fs::symlink_metadata(path).unwrap().file_type();
    match kind {
        "FIFO (named pipe)" => ft.is_fifo(),
        "character device" => ft.is_char_device(),
        _ => ft.is_dir(),
    }
}

#[test]
fn every_writer_refuses_devices_fifos_and_directories_without_hanging() {
    let db = common::db_with("cli_files_nodes", &[]);
    db.execute("CREATE TABLE t (id int PRIMARY KEY)");
    let dir = tempfile::tempdir().unwrap();
    let snapshot = fixture_path("shop_v1.json");
    let other = fixture_path("shop_v2.json");
    for (node, kind) in special_nodes(dir.path()) {
        let node_s = node.to_str().unwrap();
        for args in [
            vec!["snapshot", "--database-url", db.url(), "--out", node_s],
            vec!["generate", "--snapshot", &snapshot, "--out", node_s],
            vec!["docs", "--snapshot", &snapshot, "--out", node_s],
            vec!["changelog", &snapshot, &other, "--date", "2026-01-02", "--append", node_s],
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            let expected = format!("`{node_s}` is a {kind}, not a regular file");
            assert!(stderr(&o).contains(&expected), "{args:?}: {}", stderr(&o));
            assert!(kind_is_unchanged(&node, kind), "{args:?} replaced the {kind}");
        }
    }
    let litter: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(litter.is_empty(), "temp files left: {litter:?}");
}

#[test]
fn a_bad_changelog_path_is_refused_before_the_snapshot_is_rewritten() {
    let db = common::db_with("cli_files_log", &[]);
    db.execute("CREATE TABLE t (id int)");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let out_s = out.to_str().unwrap();
    assert_eq!(run(&["snapshot", "--database-url", db.url(), "--out", out_s]).status.code(), Some(0));
    let before = std::fs::read_to_string(&out).unwrap();
    db.execute("ALTER TABLE t ADD COLUMN c text");
    let fifo = dir.path().join("CHANGES.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = run(&["snapshot", "--database-url", db.url(), "--out", out_s, "--changelog", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a FIFO (named pipe), not a regular file"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), before, "nothing is written when one output is bad");
}

#[test]
fn a_killed_writers_temp_file_is_cleaned_up_by_the_next_run() {
    let db = common::db_with("cli_files_litter", &[]);
    db.execute("CREATE TABLE t (id int)");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    // What `kill -9` during a write leaves: the temp file of a process that no longer runs.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let litter = dir.path().join(format!(".snapshot.json.{dead}.0.tmp"));
    std::fs::write(&litter, vec![b'{'; 4096]).unwrap();
    let o = run(&["snapshot", "--database-url", db.url(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!litter.exists(), "the stale temp file is removed");
    assert!(out.is_file());
}

#[test]
fn build_script_outputs_refuse_special_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pgcanon_models.rs");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let snapshot = fixture_path("shop_v1.json");
    let no_urls: [&str; 0] = [];
    let err = schema_gen::Config::new().snapshot_path(&snapshot).database_url_vars(no_urls).out_dir(dir.path()).compile().unwrap_err();
    assert!(err.to_string().contains("is a FIFO (named pipe), not a regular file"), "{err}");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let err = schema_gen::Config::new()
        .snapshot_path(&snapshot)
        .database_url_vars(no_urls)
        .out_dir(dir.path().join("out"))
        .docs_file(&docs)
        .compile()
        .unwrap_err();
    assert!(err.to_string().contains("is a directory, not a regular file"), "{err}");
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo() && docs.is_dir());
}

#[test]
fn reading_a_fifo_as_the_snapshot_is_refused_not_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("snapshot.json");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = run(&["docs", "--snapshot", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a FIFO (named pipe), not a regular file"), "{}", stderr(&o));
}

#[test]
fn a_symlinked_output_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let link = dir.path().join("SCHEMA.md");
    std::os::unix::fs::symlink("real/SCHEMA.md", &link).unwrap();
    std::fs::write(dir.path().join("real/SCHEMA.md"), "old\n").unwrap();
    let o = run(&["docs", "--snapshot", &fixture_path("shop_v1.json"), "--out", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(dir.path().join("real/SCHEMA.md")).unwrap().starts_with("# Database schema"));
}

#[test]
fn broken_pipes_end_output_quietly() {
    let v1 = fixture_path("shop_v1.json");
    let v2 = fixture_path("shop_v2.json");
    for (args, code) in [
        (vec!["docs", "--snapshot", v1.as_str()], 0),
        (vec!["generate", "--snapshot", v1.as_str(), "--out", "-"], 0),
        (vec!["diff", v1.as_str(), v2.as_str(), "--format", "json"], 1),
        (vec!["changelog", v1.as_str(), v2.as_str(), "--date", "2026-01-02"], 0),
    ] {
        // The reader goes away before the command writes: every write gets EPIPE, as with
        // `schema-gen docs | head -1` on a document longer than what `head` reads.
        let mut child = command(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let o = finish(child, &args);
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn snapshot_out_dash_means_stdout_like_generate() {
    let db = common::db_with("cli_files_stdout", &["kitchen_sink"]);
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(Some(dir.path()), &["snapshot", "--database-url", db.url(), "--out", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), common::snapshot(&db).to_json(), "the snapshot JSON, on stdout");
    assert!(!dir.path().join("-").exists(), "no file named `-`");
    assert!(stderr(&o).contains("2 schemas, 4 tables"), "the summary goes to stderr: {}", stderr(&o));

    let o = run_in(Some(dir.path()), &["docs", "--snapshot", &fixture_path("shop_v1.json"), "--out", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("# Database schema"));
    assert!(!dir.path().join("-").exists(), "no file named `-`");
}
