//! The generated code of every codegen fixture compiles and is clippy-clean (`-D warnings`,
//! with `missing_docs` on), in a scratch crate that depends on what a user's crate would:
//! `postgres`, `postgres-types` (derive), chrono, time, rust_decimal, serde_json, uuid.
//!
//! One cargo invocation checks all fixtures, in its own target directory (a nested cargo
//! cannot share the outer test run's locked one); after the first run only the scratch crate
//! itself is rechecked.

mod codegen_support;

use std::path::PathBuf;
use std::process::Command;

use codegen_support::fixture_outputs;

const MANIFEST: &str = r#"[package]
name = "pgcanon-codegen-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
postgres = { version = "0.19", features = ["with-chrono-0_4", "with-serde_json-1", "with-uuid-1", "with-time-0_3"] }
postgres-types = { version = "0.2", features = ["derive", "with-chrono-0_4", "with-serde_json-1", "with-uuid-1", "with-time-0_3"] }
chrono = { version = "0.4", default-features = false, features = ["std", "clock"] }
time = "0.3"
rust_decimal = { version = "1", features = ["db-postgres"] }
serde_json = "1"
uuid = "1"

# Not a member of the pgcanon workspace.
[workspace]
"#;

fn target_root() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

#[test]
fn generated_code_compiles_clippy_clean() {
    let root = target_root();
    let krate = root.join("pgcanon-codegen-check");
    let src = krate.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let write = |path: PathBuf, text: &str| {
        schema_gen::write_if_changed(&path, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    };
    write(krate.join("Cargo.toml"), MANIFEST);
    // Same dependency versions as the workspace (already downloaded, so `--offline` works).
    let lock = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock")).unwrap();
    if !krate.join("Cargo.lock").exists() {
        write(krate.join("Cargo.lock"), &lock);
    }
    let mut lib = String::from("//! Compile check of generated models.\n#![warn(missing_docs)]\n");
    for fixture in fixture_outputs() {
        write(src.join(format!("{}.rs", fixture.name)), &fixture.generated.code);
        lib.push_str(&format!("/// Fixture `{0}`.\npub mod {0} {{\n    include!(\"{0}.rs\");\n}}\n", fixture.name));
    }
    write(src.join("lib.rs"), &lib);

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let clippy = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.arg("clippy");
        if offline {
            cmd.arg("--offline");
        }
        cmd.args(["--quiet", "--all-targets", "--", "-D", "warnings"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", root.join("codegen-check"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo clippy")
    };
    // Offline first (everything is normally cached); on a machine whose cargo cache lacks a
    // dependency (e.g. `time`, which the workspace itself does not use), fetch it once.
    let mut output = clippy(true);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        output = clippy(false);
    }
    assert!(
        output.status.success(),
        "generated code does not pass `cargo clippy -- -D warnings` in {}:\n{}",
        krate.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
