//! Every input of the derive's checks makes the next build re-check: the snapshot, the type
//! options file next to it, and the `PGCANON_TYPE_OPTIONS` / `PGCANON_SNAPSHOT` variables; and
//! a crate without the `postgres` dependency is told to add it.
//!
//! A scratch crate under `target/` uses the derive, with a stand-in `postgres` crate (a `Row`
//! with `try_get`) so the check needs no real client; it is checked by a nested cargo in its
//! own target directory (the outer one is locked by this test run), so only the first run
//! compiles the derive's dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

const SNAPSHOT: &str = r#"{"format_version": 1, "schemas": [{"name": "public", "tables": [{"name": "t", "columns": [
  {"name": "id", "ordinal": 1, "sql_type": "bigint", "type": {"schema": "pg_catalog", "name": "int8", "kind": "builtin"}, "nullable": false},
  {"name": "amount", "ordinal": 2, "sql_type": "numeric", "type": {"schema": "pg_catalog", "name": "numeric", "kind": "builtin"}, "nullable": false}
]}]}]}"#;

const OTHER_SNAPSHOT: &str = r#"{"format_version": 1, "schemas": [{"name": "public"}]}"#;

const LIB: &str = r#"pub mod rust_decimal {
    #[derive(Default)]
    pub struct Decimal;
}

#[derive(schema_derive::Model)]
#[model(table = "public.t")]
pub struct T {
    pub id: i64,
    pub amount: rust_decimal::Decimal,
}
"#;

const FAKE_POSTGRES: &str = r#"pub struct Row;
pub struct Error;
impl Row {
    pub fn try_get<T: Default>(&self, _column: &str) -> Result<T, Error> {
        Ok(T::default())
    }
}
"#;

fn manifest(with_postgres: bool) -> String {
    let derive = Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string();
    let postgres = if with_postgres { "postgres = { path = \"pg\" }\n" } else { "" };
    format!(
        "[package]\nname = \"pgcanon-derive-rebuild\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nschema-derive = {{ path = {derive:?} }}\n{postgres}\n[workspace]\n"
    )
}

fn target_root() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Writes `text` to `path` and makes sure its mtime moves forward (cargo compares mtimes, and a
/// rewrite within the same clock tick must still count as a change).
fn write(path: &Path, text: &str) {
    let before = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    loop {
        std::fs::write(path, text).unwrap();
        let after = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if before.is_none() || after > before {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// `cargo check` of the scratch crate with `env` set (and both derive variables otherwise
/// unset): (success, stderr).
fn check(krate: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["check", "--quiet", "--offline", "--message-format", "short"])
        .arg("--target-dir")
        .arg(krate.join("target"))
        .current_dir(krate)
        .env_remove("PGCANON_SNAPSHOT")
        .env_remove("PGCANON_TYPE_OPTIONS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cargo runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_input_of_the_checks_triggers_a_recheck() {
    let krate = target_root().join("pgcanon-derive-rebuild");
    write(&krate.join("Cargo.toml"), &manifest(true));
    // Same dependency versions as the workspace (already downloaded, so `--offline` works).
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock")).unwrap();
    if !krate.join("Cargo.lock").exists() {
        write(&krate.join("Cargo.lock"), &lock);
    }
    write(&krate.join("pg/Cargo.toml"), "[package]\nname = \"postgres\"\nversion = \"0.0.0\"\nedition = \"2021\"\n");
    write(&krate.join("pg/src/lib.rs"), FAKE_POSTGRES);
    write(&krate.join("src/lib.rs"), LIB);
    write(&krate.join("schema/snapshot.json"), SNAPSHOT);
    write(&krate.join("schema/other.json"), OTHER_SNAPSHOT);
    let options = krate.join("schema/pgcanon.json");
    write(&options, r#"{"types": {"decimal": true}}"#);

    let (ok, stderr) = check(&krate, &[]);
    assert!(ok, "the model fits the snapshot:\n{stderr}");

    // The options file: `numeric` without `decimal` has no mapping.
    write(&options, r#"{"types": {"decimal": false}}"#);
    let (ok, stderr) = check(&krate, &[]);
    assert!(!ok && stderr.contains("[unsupported-type]"), "an edited options file must re-run the checks:\n{stderr}");
    write(&options, r#"{"types": {"decimal": true}}"#);
    assert!(check(&krate, &[]).0, "and editing it back must re-check again");

    // `PGCANON_TYPE_OPTIONS`, which wins over the file.
    let (ok, stderr) = check(&krate, &[("PGCANON_TYPE_OPTIONS", r#"{"decimal": false}"#)]);
    assert!(!ok && stderr.contains("[unsupported-type]"), "a new PGCANON_TYPE_OPTIONS must re-run the checks:\n{stderr}");
    assert!(check(&krate, &[]).0, "unsetting it must re-check again");

    // `PGCANON_SNAPSHOT`: another snapshot, without the table.
    let (ok, stderr) = check(&krate, &[("PGCANON_SNAPSHOT", "schema/other.json")]);
    assert!(!ok && stderr.contains("[unknown-table]"), "a new PGCANON_SNAPSHOT must re-run the checks:\n{stderr}");

    // The snapshot itself.
    write(&krate.join("schema/snapshot.json"), OTHER_SNAPSHOT);
    let (ok, stderr) = check(&krate, &[]);
    assert!(!ok && stderr.contains("[unknown-table]"), "an edited snapshot must re-run the checks:\n{stderr}");
    write(&krate.join("schema/snapshot.json"), SNAPSHOT);
    assert!(check(&krate, &[]).0);

    // Without `postgres` in `[dependencies]`: say which dependency to add, and nothing else.
    write(&krate.join("Cargo.toml"), &manifest(false));
    let (ok, stderr) = check(&krate, &[]);
    write(&krate.join("Cargo.toml"), &manifest(true));
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("`pgcanon-derive-rebuild` must depend on the `postgres` crate; add `postgres = \"0.19\"` to `[dependencies]`"),
        "{stderr}"
    );
    assert!(!stderr.contains("E0433") && !stderr.contains("cannot find"), "no cascade of unresolved paths:\n{stderr}");
}

/// The `.d` dep-info files rustc wrote for the scratch crate's library, concatenated: the files
/// the last check depended on.
fn dep_info(krate: &Path, name: &str) -> String {
    let deps = krate.join("target/debug/deps");
    let mut text = String::new();
    for entry in std::fs::read_dir(&deps).unwrap().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if (file.starts_with(&format!("lib{name}-")) || file.starts_with(&format!("{name}-"))) && file.ends_with(".d") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    text
}

/// A crate whose build script runs `schema_gen::Config::compile()`: the build script vouches for
/// the snapshot (its size and mtime in `PGCANON_SNAPSHOT_STAMP`), so the derive no longer makes rustc
/// include the whole file, and editing the snapshot still re-runs the checks (through the build
/// script). A build script that vouches for other content gets the file included again.
#[test]
fn a_snapshot_vouched_for_by_the_build_script_is_not_included_and_still_rechecks() {
    let krate = target_root().join("pgcanon-derive-rebuild-build");
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema-gen").display().to_string();
    let manifest = manifest(true).replace("name = \"pgcanon-derive-rebuild\"", "name = \"pgcanon-derive-vouched\"").replace(
        "\n[workspace]\n",
        &format!("\n[build-dependencies]\nschema-gen = {{ path = {gen:?}, default-features = false }}\n\n[workspace]\n"),
    );
    write(&krate.join("Cargo.toml"), &manifest);
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock")).unwrap();
    if !krate.join("Cargo.lock").exists() {
        write(&krate.join("Cargo.lock"), &lock);
    }
    write(&krate.join("pg/Cargo.toml"), "[package]\nname = \"postgres\"\nversion = \"0.0.0\"\nedition = \"2021\"\n");
    write(&krate.join("pg/src/lib.rs"), FAKE_POSTGRES);
    write(&krate.join("src/lib.rs"), LIB);
    let build = |stamp_override: &str| {
        format!(
            "fn main() {{\n    schema_gen::Config::new().database_url_vars(Vec::<String>::new()).compile().expect(\"compile\");\n    {stamp_override}\n}}\n"
        )
    };
    write(&krate.join("build.rs"), &build(""));
    let snapshot = krate.join("schema/snapshot.json");
    write(&snapshot, SNAPSHOT);
    // As rustc writes it in dep-info: the absolute path `Config::compile()` resolved.
    let shown = std::fs::canonicalize(&snapshot).unwrap().display().to_string();

    let (ok, stderr) = check(&krate, &[]);
    assert!(ok, "the model fits the snapshot:\n{stderr}");
    let deps = dep_info(&krate, "pgcanon_derive_vouched");
    assert!(deps.contains("PGCANON_SNAPSHOT_STAMP"), "the stamp is a tracked input:\n{deps}");
    let includes = |deps: &str| deps.lines().any(|l| l == format!("{shown}:"));
    assert!(!includes(&deps), "a vouched-for snapshot is not included:\n{deps}");
    // The build script's scan of the snapshot, which the derive reads instead of scanning.
    let index = deps.lines().find_map(|l| l.strip_prefix("# env-dep:PGCANON_SNAPSHOT_INDEX=")).expect("an index");
    let index = std::fs::read_to_string(index).unwrap();
    let stamp = deps.lines().find_map(|l| l.strip_prefix("# env-dep:PGCANON_SNAPSHOT_STAMP=")).unwrap();
    assert!(index.contains(&format!("\"stamp\":\"{stamp}\"")) && index.contains("[\"t\","), "{index}");

    // Editing the snapshot re-runs the build script, whose new stamp re-runs the checks.
    write(&snapshot, OTHER_SNAPSHOT);
    let (ok, stderr) = check(&krate, &[]);
    assert!(!ok && stderr.contains("[unknown-table]"), "an edited snapshot must re-run the checks:\n{stderr}");
    write(&snapshot, SNAPSHOT);
    let (ok, stderr) = check(&krate, &[]);
    assert!(ok, "and editing it back must re-check again:\n{stderr}");

    // A stamp of another file state (here forged; in practice a file edited after the build
    // script ran) is not trusted: the derive includes the file, so the next edit is seen.
    write(&krate.join("build.rs"), &build("println!(\"cargo:rustc-env=PGCANON_SNAPSHOT_STAMP=0-0.000000000\");"));
    let (ok, stderr) = check(&krate, &[]);
    assert!(ok, "{stderr}");
    let deps = dep_info(&krate, "pgcanon_derive_vouched");
    assert!(includes(&deps), "a snapshot whose stamp does not match is included:\n{deps}");
}
