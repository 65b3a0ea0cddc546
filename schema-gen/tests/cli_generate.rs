//! `schema-gen generate`: same output as the library, config files, change-only writes, exit codes.

use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen").join(name)
}

fn generate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_schema-gen")).arg("generate").args(args).output().expect("run schema-gen")
}

#[test]
fn writes_the_library_output_once_and_warns_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models.rs");
    let snapshot = fixture("zoo.json");
    let args = ["--snapshot", snapshot.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let first = generate(&args);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("warning: column `public.zoo.c_point`"), "{stderr}");
    assert!(stderr.contains("wrote "), "{stderr}");
    let expected = schema_gen::Config::new().generate(&schema_gen::Snapshot::load(&snapshot).unwrap()).unwrap().code;
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    let second = generate(&args);
    assert!(String::from_utf8_lossy(&second.stderr).contains("is up to date"));
}

#[test]
fn reads_options_from_json_and_toml_config_files() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = fixture("zoo.json");
    let json = dir.path().join("pgcanon.json");
    std::fs::write(&json, r#"{"types": {"time": "time", "type_overrides": {"interval": "String"}}}"#).unwrap();
    let toml = dir.path().join("pgcanon.toml");
    std::fs::write(&toml, "[types]\ntime = \"time\"\n[types.type_overrides]\ninterval = \"String\"\n").unwrap();
    for config in [&json, &toml] {
        let out = generate(&["--snapshot", snapshot.to_str().unwrap(), "--out", "-", "--config", config.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let code = String::from_utf8_lossy(&out.stdout);
        assert!(code.contains("pub c_timestamptz: time::OffsetDateTime"), "{}", config.display());
        assert!(code.contains("pub c_interval: Option<String>"));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("c_interval"));
    }
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.rs");
    let missing = generate(&["--snapshot", "/nonexistent/snapshot.json", "--out", out.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read snapshot `/nonexistent/snapshot.json`"));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"dcos": true}"#).unwrap();
    let snapshot = fixture("zoo.json");
    let e = generate(&["--snapshot", snapshot.to_str().unwrap(), "--out", out.to_str().unwrap(), "--config", bad.to_str().unwrap()]);
    assert_eq!(e.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&e.stderr).contains("unknown field `dcos`"));
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn targets_come_from_the_flag_or_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = fixture("zoo.json");
    let toml = dir.path().join("pgcanon.toml");
    std::fs::write(&toml, "targets = [\"tokio-postgres\", \"sqlx\"]\nserde = true\n").unwrap();
    let from_file = generate(&["--snapshot", snapshot.to_str().unwrap(), "--out", "-", "--config", toml.to_str().unwrap()]);
    assert!(from_file.status.success(), "{}", String::from_utf8_lossy(&from_file.stderr));
    let code = String::from_utf8_lossy(&from_file.stdout);
    assert!(code.contains("impl TryFrom<&tokio_postgres::Row> for Zoo") && code.contains("sqlx::FromRow"), "both targets");
    assert!(code.contains("serde::Serialize") && !code.contains("TryFrom<&postgres::Row>"));
    // The flag replaces the file's targets.
    let flag = generate(&["--snapshot", snapshot.to_str().unwrap(), "--out", "-", "--config", toml.to_str().unwrap(), "--target", "sqlx"]);
    let code = String::from_utf8_lossy(&flag.stdout);
    assert!(code.contains("sqlx::FromRow") && !code.contains("tokio_postgres") && !code.contains("postgres_types"));
    let unknown = generate(&["--snapshot", snapshot.to_str().unwrap(), "--out", "-", "--target", "diesel"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("unknown target `diesel`; use one of `postgres`, `tokio-postgres`, `sqlx`"), "{stderr}");
}
