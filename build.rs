//! Generates the demo models (`src/lib.rs` → `pgcanon::generated`) from `schema/snapshot.json`
//! and keeps the Markdown schema docs (`schema/SCHEMA.md`) current.
//!
//! Offline by default. With `PGCANON_DATABASE_URL` set (and only that variable: the test suite
//! sets `DATABASE_URL` to the server's admin database, which must never overwrite the demo
//! snapshot), the database is introspected, the snapshot refreshed when it changed, and the
//! models and docs regenerated. `PGCANON_STRICT=1` turns an unreachable database into a build
//! error.
//!
//! The same snapshot also gives the models of the async targets, for the examples and tests
//! that use them (`tokio-postgres`, `sqlx` are dev-dependencies of this crate):
//! `OUT_DIR/pgcanon_models_tokio_postgres.rs` and `OUT_DIR/pgcanon_models_sqlx.rs`.

use schema_gen::{Config, Snapshot, Target};

fn main() {
    if let Err(e) = generate() {
        // `cargo:warning` would let the build continue without models; fail with the reason.
        eprintln!("error: pgcanon model generation failed: {e}");
        std::process::exit(1);
    }
}

fn generate() -> schema_gen::Result<()> {
    let compiled = Config::new().database_url_vars(["PGCANON_DATABASE_URL"]).docs_file("schema/SCHEMA.md").compile()?;
    // Generated from the snapshot `compile` just resolved: no second introspection.
    let snapshot = Snapshot::load(&compiled.snapshot_path)?;
    let out_dir = compiled.output_path.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    for (target, file) in [(Target::TokioPostgres, "pgcanon_models_tokio_postgres.rs"), (Target::Sqlx, "pgcanon_models_sqlx.rs")] {
        let generated = Config::new().targets([target]).serde(true).generate(&snapshot)?;
        schema_gen::write_if_changed(&out_dir.join(file), generated.code.as_bytes())?;
    }
    Ok(())
}
