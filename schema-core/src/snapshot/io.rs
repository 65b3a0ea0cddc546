//! Reading and writing snapshot files.
//!
//! Writing is atomic (temp file in the same directory, then rename) and happens only when the
//! bytes differ, so an unchanged schema never touches a file's mtime and never triggers
//! downstream rebuilds.

use std::path::Path;

use serde::Deserialize;

use super::model::{Snapshot, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::fsutil::write_if_changed;

/// Only the version field, so a future-format file is rejected before its body is misread.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
}

impl Snapshot {
    /// Parses a snapshot from JSON text. `origin` names the source in errors (a path, `<stdin>`).
    pub fn from_json(text: &str, origin: &str) -> Result<Snapshot> {
        let probe: VersionProbe = serde_json::from_str(text).map_err(|source| Error::SnapshotParse {
            path: origin.to_owned(),
            source,
        })?;
        match probe.format_version {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION as u64) => {}
            Some(serde_json::Value::Number(n)) => {
                return Err(Error::SnapshotVersion {
                    path: origin.to_owned(),
                    found: n.to_string(),
                    supported: FORMAT_VERSION,
                })
            }
            Some(other) => {
                return Err(Error::SnapshotVersion {
                    path: origin.to_owned(),
                    found: other.to_string(),
                    supported: FORMAT_VERSION,
                })
            }
            None => return Err(Error::SnapshotNotASnapshot { path: origin.to_owned() }),
        }
        serde_json::from_str(text).map_err(|source| Error::SnapshotParse { path: origin.to_owned(), source })
    }

    /// Loads a snapshot file.
    pub fn load(path: impl AsRef<Path>) -> Result<Snapshot> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "read snapshot",
            path: path.display().to_string(),
            source,
        })?;
        Snapshot::from_json(&text, &path.display().to_string())
    }

    /// Serializes to the canonical JSON text (pretty, sorted as stored, trailing newline).
    ///
    /// Call [`Snapshot::normalize`] first when the value was built by hand.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("snapshot serialization cannot fail");
        text.push('\n');
        text
    }

    /// Writes the canonical JSON atomically, only when the file's content differs.
    /// Returns true when the file was (re)written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<bool> {
        write_if_changed(path.as_ref(), self.to_json().as_bytes())
    }
}
