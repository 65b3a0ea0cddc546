//! The query gate from `build.rs`: findings become `cargo:warning=` lines at the literal's
//! `file:line:col`, every checked file is watched, and errors can fail the build.
//!
//! ```no_run
//! // build.rs, with `schema-gen = { version = "0.1", default-features = false, features = ["queries"] }`
//! let checked = schema_gen::queries::build::check(&["src"], "schema/snapshot.json").unwrap();
//! checked.emit();
//! if checked.errors > 0 {
//!     panic!("{} query errors; see the warnings above", checked.errors);
//! }
//! ```

use std::path::{Path, PathBuf};

use schema_core::Snapshot;

use super::{check_paths, source_files, QueriesConfig};
use crate::findings::Level;
use crate::Result;

/// What [`check`] found, ready to print from a build script.
#[derive(Debug, Clone, Default)]
pub struct BuildCheck {
    /// `cargo:` lines: one `rerun-if-changed` per file and path, one `warning` per finding.
    pub lines: Vec<String>,
    /// Findings at level error.
    pub errors: usize,
    /// Findings below error.
    pub others: usize,
}

impl BuildCheck {
    /// Prints the lines to stdout, as cargo reads them.
    pub fn emit(&self) {
        for l in &self.lines {
            println!("{l}");
        }
    }
}

/// Checks the queries under `paths` against the snapshot file, with the `[queries]` config of
/// `pgcanon.toml` when it exists (paths are relative to the build script's directory, the
/// package root).
pub fn check(paths: &[&str], snapshot: &str) -> Result<BuildCheck> {
    let config = if Path::new("pgcanon.toml").is_file() { QueriesConfig::load(Path::new("pgcanon.toml"))? } else { QueriesConfig::default() };
    let snap = Snapshot::load(Path::new(snapshot))?;
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let mut out = BuildCheck::default();
    out.lines.push(format!("cargo:rerun-if-changed={snapshot}"));
    for p in paths.iter().chain(&source_files(&paths, &config)?) {
        out.lines.push(format!("cargo:rerun-if-changed={}", p.display()));
    }
    let q = check_paths(&paths, &snap, &config)?;
    for f in &q.report.findings {
        if f.level == Level::Error {
            out.errors += 1;
        } else {
            out.others += 1;
        }
        let fix = f.fix.as_ref().map(|x| format!(" ({x})")).unwrap_or_default();
        out.lines.push(format!("cargo:warning={}: {}[{}] {}{fix}", f.location.display_name(), f.level.as_str(), f.rule, f.message));
    }
    Ok(out)
}
