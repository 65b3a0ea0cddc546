//! Issue 9, items 4, 13 and 14: empty snapshots, empty model reports and CLI consistency,
//! against a real server.

mod common;

use common::run::{fixture_path, run, run_in, stderr, stdout};

#[test]
fn an_empty_or_filtered_away_snapshot_never_overwrites_a_good_one() {
    let full = common::db_with("cli_guards_full", &["kitchen_sink"]);
    let empty = test_support::TestDb::new("cli_guards_empty");
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot.json");
    let snap_s = snap.to_str().unwrap();
    assert_eq!(run(&["snapshot", "--database-url", full.url(), "--out", snap_s]).status.code(), Some(0));
    let good = std::fs::read_to_string(&snap).unwrap();

    let o = run(&["snapshot", "--database-url", empty.url(), "--out", snap_s]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("has no tables, views or types; refusing to write an empty snapshot to"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--allow-empty"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), good, "the committed snapshot is untouched");

    let o = run(&["snapshot", "--database-url", full.url(), "--schema", "nosuch", "--out", snap_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--schema nosuch` matched no schema in"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), good);
    // A typo among good names is named too.
    let o = run(&["snapshot", "--database-url", full.url(), "--schema", "app", "--schema", "nosuch", "--out", snap_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--schema nosuch` matched no schema") && stderr(&o).contains("only `app` exist"), "{}", stderr(&o));
    // `check` agrees: a filter that matches nothing is an error, not a clean gate.
    let o = run(&["check", "--snapshot", snap_s, "--no-docs", "--database-url", full.url(), "--schema", "nosuch"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));

    // Asked for explicitly, an empty snapshot is written.
    let o = run(&["snapshot", "--database-url", empty.url(), "--out", snap_s, "--allow-empty"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("wrote {snap_s}: 1 schema, 0 tables")), "{}", stdout(&o));
}

#[test]
fn models_with_nothing_to_check_is_an_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), "pub struct NotAModel;\n").unwrap();
    let snapshot = fixture_path("shop_v1.json");
    let o = run_in(Some(dir.path()), &["models", "--snapshot", &snapshot, "src"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("no `#[derive(Model)]` structs found in `src`"), "{}", stderr(&o));
    let o = run_in(Some(dir.path()), &["models", "--snapshot", &snapshot, "--allow-empty", "src"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "no findings; 0 models checked\n");
}

#[test]
fn flags_say_only_what_works() {
    let help = run(&["introspect", "--help"]);
    assert!(!stdout(&help).contains("markdown"), "{}", stdout(&help));
    let o = run(&["introspect", "--format", "markdown", "--database-url", "postgres://u@127.0.0.1:1/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value 'markdown'"), "{}", stderr(&o));

    let v1 = fixture_path("shop_v1.json");
    let v2 = fixture_path("shop_v2.json");
    for date in ["2026-13-45", "2026-02-30", "2025-02-29"] {
        let o = run(&["changelog", &v1, &v2, "--date", date]);
        assert_eq!(o.status.code(), Some(2), "{date}");
        assert!(stderr(&o).contains(&format!("`--date` is `{date}`, expected a real calendar date")), "{}", stderr(&o));
    }
    assert_eq!(run(&["changelog", &v1, &v2, "--date", "2024-02-29"]).status.code(), Some(0));
}

#[test]
fn help_examples_are_never_wrapped_mid_command() {
    for cmd in ["", "snapshot", "introspect", "generate", "docs", "diff", "check", "changelog", "models"] {
        let args: Vec<&str> = [cmd, "--help"].into_iter().filter(|a| !a.is_empty()).collect();
        let o = common::run::command(&args).env("COLUMNS", "80").output().unwrap();
        let help = stdout(&o);
        let Some((_, examples)) = help.split_once("Examples:\n") else { continue };
        let mut continued = false;
        for line in examples.lines().take_while(|l| !l.is_empty()) {
            // Each line starts a command or continues one that ended in ` \`.
            let starts = line.starts_with("  schema-gen ") || line.starts_with("  git ");
            assert!(starts || continued, "`schema-gen {cmd} --help` wraps an example: {line:?}\n{help}");
            continued = line.ends_with(" \\");
        }
    }
}
