//! Generates the demo models (`src/lib.rs` → `pgcanon::generated`) from `schema/snapshot.json`
//! and keeps the Markdown schema docs (`schema/SCHEMA.md`) current.
//!
//! Offline by default. With `PGCANON_DATABASE_URL` set (and only that variable: the test suite
//! sets `DATABASE_URL` to the server's admin database, which must never overwrite the demo
//! snapshot), the database is introspected, the snapshot refreshed when it changed, and the
//! models and docs regenerated. `PGCANON_STRICT=1` turns an unreachable database into a build
//! error.

fn main() {
    let result = schema_gen::Config::new()
        .database_url_vars(["PGCANON_DATABASE_URL"])
        .docs_file("schema/SCHEMA.md")
        .compile();
    if let Err(e) = result {
        // `cargo:warning` would let the build continue without models; fail with the reason.
        eprintln!("error: pgcanon model generation failed: {e}");
        std::process::exit(1);
    }
}
