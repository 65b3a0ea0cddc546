//! Live or offline: which snapshot a build generates from.
//!
//! A configured, reachable database wins and refreshes the committed snapshot (written only
//! when its content changed). A configured but unreachable database never breaks a build:
//! it is reported and the committed snapshot is used, unless strict mode asks for an error.

use std::path::Path;

use schema_core::Snapshot;

use crate::codegen::GenerateOptions;
use crate::db::redact_url;
use crate::{Error, Result};

/// Where the snapshot used for generation came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotSource {
    /// Introspected from the database whose URL was in `var`.
    Live {
        /// The environment variable (or other origin) of the URL.
        var: String,
    },
    /// The committed file; no database was configured.
    Committed,
    /// The committed file, because the configured database could not be used.
    CommittedFallback,
}

/// The outcome of [`resolve`].
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The snapshot to generate from.
    pub snapshot: Snapshot,
    /// Where it came from.
    pub source: SnapshotSource,
    /// True when the committed file was rewritten from the live database.
    pub snapshot_written: bool,
    /// Warnings for the build output (URLs always redacted).
    pub warnings: Vec<String>,
}

/// Resolves the snapshot at `path`, given an optional `(origin, url)` of a live database.
pub fn resolve(path: &Path, url: Option<(&str, &str)>, strict: bool, options: &GenerateOptions) -> Result<Resolution> {
    let Some((var, url)) = url else {
        return Ok(Resolution { snapshot: load_committed(path)?, source: SnapshotSource::Committed, snapshot_written: false, warnings: vec![] });
    };
    let redacted = redact_url(url);
    let reason = match introspect(url, options) {
        Ok(live) => return adopt_live(path, live, var, &redacted, strict),
        Err(e) => e,
    };
    if strict {
        return Err(Error::LiveUnavailable { var: var.to_owned(), url: redacted, reason });
    }
    let warning = format!(
        "pgcanon: cannot introspect `{redacted}` (from `{var}`): {reason}; using the committed snapshot `{}` (set `PGCANON_STRICT=1` to make this an error)",
        path.display()
    );
    Ok(Resolution { snapshot: load_committed(path)?, source: SnapshotSource::CommittedFallback, snapshot_written: false, warnings: vec![warning] })
}

/// Saves the live snapshot over the committed one, unless the live database shares none of
/// the committed tables — then it is most likely the wrong database (an empty scratch DB, a
/// server's admin DB), and overwriting would silently wipe every model.
fn adopt_live(path: &Path, live: Snapshot, var: &str, redacted: &str, strict: bool) -> Result<Resolution> {
    if let Ok(committed) = Snapshot::load(path) {
        if unrelated(&committed, &live) {
            let msg = format!(
                "the database `{redacted}` (from `{var}`) has none of the tables of the committed snapshot `{}`; \
                 refusing to overwrite it. Point `{var}` at the right database, or delete the snapshot to start over",
                path.display()
            );
            if strict {
                return Err(Error::Refused(msg));
            }
            return Ok(Resolution {
                snapshot: committed,
                source: SnapshotSource::CommittedFallback,
                snapshot_written: false,
                warnings: vec![format!("pgcanon: {msg}")],
            });
        }
    }
    let written = live.save(path)?;
    Ok(Resolution { snapshot: live, source: SnapshotSource::Live { var: var.to_owned() }, snapshot_written: written, warnings: vec![] })
}

/// True when `committed` has tables and `live` has none of them.
fn unrelated(committed: &Snapshot, live: &Snapshot) -> bool {
    let mut tables = committed.schemas.iter().flat_map(|s| s.tables.iter().map(move |t| (&s.name, &t.name))).peekable();
    if tables.peek().is_none() {
        return false;
    }
    !tables.any(|(schema, table)| live.schema(schema).and_then(|s| s.table(table)).is_some())
}

fn load_committed(path: &Path) -> Result<Snapshot> {
    if !path.exists() {
        return Err(Error::NoSnapshot { path: path.display().to_string() });
    }
    Ok(Snapshot::load(path)?)
}

/// Introspects `url`, filtered like the generator; the error text is already redacted.
#[cfg(feature = "live")]
fn introspect(url: &str, options: &GenerateOptions) -> std::result::Result<Snapshot, String> {
    let opts = crate::introspect::IntrospectOptions {
        include_schemas: options.include_schemas.clone(),
        exclude_schemas: options.exclude_schemas.clone(),
        function_bodies: options.function_bodies,
        privileges: options.privileges,
        ..Default::default()
    };
    crate::introspect::introspect_url(url, &opts).map_err(|e| e.to_string())
}

/// Without the `live` feature there is no client: report it so the fallback warning says why.
#[cfg(not(feature = "live"))]
fn introspect(_url: &str, _options: &GenerateOptions) -> std::result::Result<Snapshot, String> {
    Err("schema-gen was built without its `live` feature; enable it in [build-dependencies]".to_owned())
}
