//! Reading and writing snapshot files.
//!
//! Writing is atomic (temp file in the same directory, then rename) and happens only when the
//! bytes differ, so an unchanged schema never touches a file's mtime and never triggers
//! downstream rebuilds.

use std::path::Path;

use serde::Deserialize;

use super::model::{Snapshot, FORMAT_VERSION, OLDEST_READABLE_FORMAT};
use crate::error::{Error, Result};
use crate::fsutil::write_if_changed;

/// Only the version field, so a future-format file is rejected before its body is misread.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
}

impl Snapshot {
    /// Parses a snapshot from JSON text. `origin` names the source in errors (a path, `<stdin>`).
    ///
    /// One pass in the common case: the body is parsed directly. Only when that fails, or finds
    /// another format version, is the version probed on its own, so a file from a newer (or
    /// older) format gets a version error instead of a confusing field error. Probing first
    /// would scan a large snapshot twice: serde must read to the end of the object even to
    /// extract one field.
    ///
    /// A file of an older, still readable format ([`OLDEST_READABLE_FORMAT`]) is upgraded in
    /// memory: every fact added since is one such a file cannot contain, and each defaults to
    /// "absent", so the result is the same schema at the current [`FORMAT_VERSION`].
    pub fn from_json(text: &str, origin: &str) -> Result<Snapshot> {
        // Editors on some platforms save UTF-8 with a byte-order mark; it is not corruption.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // serde would accept a JSON array as a struct (fields by position) and name internal
        // types in its errors, so anything but an object is reported for what it is.
        let found = match text.trim_start().as_bytes().first() {
            Some(b'{') => None,
            Some(b'[') => Some("a JSON array"),
            Some(b'"') => Some("a JSON string"),
            Some(b'0'..=b'9' | b'-') => Some("a JSON number"),
            Some(b't' | b'f') => Some("a JSON boolean"),
            Some(b'n') => Some("JSON `null`"),
            Some(_) => Some("text that is not JSON"),
            None => Some("nothing (the file is empty)"),
        };
        if let Some(found) = found {
            return Err(Error::SnapshotNotAnObject { path: origin.to_owned(), found });
        }
        let parsed = match serde_json::from_str::<Snapshot>(text) {
            Ok(mut snapshot) if (OLDEST_READABLE_FORMAT..=FORMAT_VERSION).contains(&snapshot.format_version) => {
                snapshot.format_version = FORMAT_VERSION;
                return Ok(snapshot);
            }
            other => other,
        };
        let probe: VersionProbe = serde_json::from_str(text).map_err(|source| Error::SnapshotParse {
            path: origin.to_owned(),
            source,
        })?;
        match probe.format_version {
            Some(serde_json::Value::Number(n))
                if n.as_u64().and_then(|v| u32::try_from(v).ok()).is_some_and(|v| (OLDEST_READABLE_FORMAT..=FORMAT_VERSION).contains(&v)) => {}
            Some(found) => {
                return Err(Error::SnapshotVersion {
                    path: origin.to_owned(),
                    found: found.to_string(),
                    supported: FORMAT_VERSION,
                })
            }
            None => return Err(Error::SnapshotNotASnapshot { path: origin.to_owned() }),
        }
        // The version is ours, so the body itself is malformed: report the parse error.
        parsed.map_err(|source| Error::SnapshotParse { path: origin.to_owned(), source })
    }

    /// Loads a snapshot file.
    pub fn load(path: impl AsRef<Path>) -> Result<Snapshot> {
        let path = path.as_ref();
        // Bounded, regular files only: a device or FIFO given as the snapshot must not hang
        // or exhaust memory.
        let text = crate::fsutil::read_to_string(path, "read snapshot")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_version_is_a_version_error_even_when_the_body_parses() {
        let next = FORMAT_VERSION + 1;
        let err = Snapshot::from_json(&format!("{{\"format_version\": {next}}}"), "next.json").unwrap_err();
        assert!(matches!(err, Error::SnapshotVersion { ref found, .. } if *found == next.to_string()), "{err}");
    }

    #[test]
    fn a_version_1_file_loads_as_the_current_format() {
        let v1 = "{\"format_version\": 1, \"schemas\": [{\"name\": \"app\", \"tables\": [{\"name\": \"t\", \"columns\": [], \
                  \"checks\": [{\"name\": \"c\", \"definition\": \"CHECK ((x > 0))\"}]}]}]}";
        let snap = Snapshot::from_json(v1, "old.json").unwrap();
        assert_eq!(snap.format_version, FORMAT_VERSION);
        let check = &snap.schemas[0].tables[0].checks[0];
        assert_eq!((check.definition.as_str(), check.not_valid, check.not_enforced), ("CHECK ((x > 0))", false, false));
        // Saved again, it is a current-format file with the same facts.
        assert!(snap.to_json().contains(&format!("\"format_version\": {FORMAT_VERSION}")));
    }

    #[test]
    fn json_without_a_version_is_not_a_snapshot() {
        let err = Snapshot::from_json("{\"schemas\": []}", "other.json").unwrap_err();
        assert!(matches!(err, Error::SnapshotNotASnapshot { .. }), "{err}");
        assert!(err.to_string().contains("`other.json` is not a pgcanon snapshot"), "{err}");
    }

    #[test]
    fn non_objects_say_what_they_hold_without_internal_names() {
        for (text, found) in [("[1, 2]", "a JSON array"), ("", "nothing (the file is empty)"), ("\"x\"", "a JSON string"), ("<html>", "text that is not JSON")] {
            let err = Snapshot::from_json(text, "s.json").unwrap_err().to_string();
            assert!(err.contains(&format!("`s.json` is not a pgcanon snapshot: it holds {found}")), "{err}");
            assert!(!err.contains("VersionProbe") && !err.contains("struct"), "{err}");
        }
    }

    #[test]
    fn version_errors_name_the_right_fix() {
        let err = Snapshot::from_json("{\"format_version\": \"1\"}", "s.json").unwrap_err().to_string();
        assert!(err.contains("has format_version \"1\", which is not a version number"), "{err}");
        assert!(!err.contains("upgrade schema-gen"), "{err}");
        let err = Snapshot::from_json("{\"format_version\": 99}", "s.json").unwrap_err().to_string();
        assert!(err.contains("has format_version 99, newer than the version") && err.contains("upgrade schema-gen"), "{err}");
        let err = Snapshot::from_json("{\"format_version\": 0}", "s.json").unwrap_err().to_string();
        assert!(err.contains("has format_version 0, older than the version") && !err.contains("upgrade"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let snap = Snapshot::default();
        assert_eq!(Snapshot::from_json(&format!("\u{feff}{}", snap.to_json()), "bom.json").unwrap(), snap);
    }

    #[test]
    fn a_current_snapshot_round_trips() {
        let snap = Snapshot::default();
        assert_eq!(Snapshot::from_json(&snap.to_json(), "x").unwrap(), snap);
    }
}
