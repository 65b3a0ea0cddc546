//! Compile-time behaviour of `#[derive(Model)]`: a passing set and one compile-fail case per
//! diagnostic, against `tests/fixtures/snapshot.json`.
//!
//! trybuild compiles the cases in its own crate under `target/tests/trybuild`, where
//! `CARGO_MANIFEST_DIR` is that generated crate, so the fixture is handed over through
//! `PGCANON_SNAPSHOT` as an absolute path (the same channel a build script uses). Regenerate
//! the `.stderr` files with `TRYBUILD=overwrite cargo test -p schema-derive --test ui`.

#[test]
fn ui() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/snapshot.json");
    // Inherited by the cargo/rustc processes trybuild spawns, hence by the proc macro.
    std::env::set_var("PGCANON_SNAPSHOT", fixture);
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
