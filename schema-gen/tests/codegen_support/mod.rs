//! Fixture snapshots and the generator configurations the codegen tests exercise.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use schema_gen::codegen::Generated;
use schema_gen::typemap::TimeCrate;
use schema_gen::{Config, Snapshot};

/// `schema-gen/tests/fixtures/codegen/<name>.json`, or the root package's demo snapshot.
pub fn load(name: &str) -> Snapshot {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = match name {
        "demo" => root.join("../schema/snapshot.json"),
        other => root.join("tests/fixtures/codegen").join(format!("{other}.json")),
    };
    Snapshot::load(&path).unwrap_or_else(|e| panic!("fixture `{}`: {e}", path.display()))
}

/// One generated fixture.
pub struct Fixture {
    /// Snapshot name and module name in the compile check.
    pub name: &'static str,
    /// Needs the `time` crate rather than chrono.
    pub uses_time: bool,
    /// The generator's output.
    pub generated: Generated,
}

/// Every fixture × configuration whose output is snapshotted and compiled.
pub fn fixture_outputs() -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut push = |name: &'static str, snapshot: &str, uses_time: bool, config: &Config| {
        let generated = config.generate(&load(snapshot)).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.push(Fixture { name, uses_time, generated });
    };
    push("demo", "demo", false, &Config::new());
    push("nasty", "nasty", false, &Config::new());
    push("zoo", "zoo", false, &Config::new());
    let mut time = Config::new();
    time.time_crate(TimeCrate::Time).nullable_array_elements(true).pg_type("interval", "String");
    push("zoo_time", "zoo", true, &time);
    let mut bare = Config::new();
    bare.docs(false)
        .decimal(false)
        .json(false)
        .uuid(false)
        .column_type("public.users.email", "Box<str>")
        .derive("billing.payments", "Eq, Hash")
        .field_attribute("public.users.tags", "#[doc(alias = \"labels\")]");
    push("demo_bare", "demo", false, &bare);
    out
}
