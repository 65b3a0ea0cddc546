//! Reading and writing snapshot files.
//!
//! Writing is atomic (temp file in the same directory, then rename) and happens only when the
//! bytes differ, so an unchanged schema never touches a file's mtime and never triggers
//! downstream rebuilds.

use std::io::{BufRead, BufReader, Read};
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
    ///
    /// The file is streamed into the structs, not read whole first: its text is about as large
    /// as the parsed snapshot, so holding both doubled the peak memory of every command that
    /// loads one. Whatever the stream does not load cleanly (a byte-order mark, anything but
    /// an object, another format version, malformed JSON, invalid UTF-8, an unreadable file)
    /// is read again whole and parsed by [`Snapshot::from_json`], so what loads and every
    /// error are exactly those of the text path.
    pub fn load(path: impl AsRef<Path>) -> Result<Snapshot> {
        let path = path.as_ref();
        if let Some(snapshot) = Snapshot::stream(path) {
            return Ok(snapshot);
        }
        // Bounded, regular files only: a device or FIFO given as the snapshot must not hang
        // or exhaust memory.
        let text = crate::fsutil::read_to_string(path, "read snapshot")?;
        Snapshot::from_json(&text, &path.display().to_string())
    }

    /// The snapshot at `path` parsed from a stream, when it is a current-format snapshot that
    /// [`Snapshot::from_json`] would accept as is; `None` sends the caller to the text path.
    fn stream(path: &Path) -> Option<Snapshot> {
        let file = crate::fsutil::open_bounded(path, "read snapshot").ok()?;
        let mut reader = BufReader::with_capacity(STREAM_BUFFER, Utf8Checked::new(file));
        // JSON whitespace, then `{`; anything else (a byte-order mark, an array, nothing) is
        // for the text path to report.
        loop {
            let buf = reader.fill_buf().ok()?;
            let blank = buf.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
            match buf.get(blank) {
                Some(b'{') => {
                    reader.consume(blank);
                    break;
                }
                Some(_) => return None,
                None if blank == 0 => return None,
                None => reader.consume(blank),
            }
        }
        let mut snapshot: Snapshot = serde_json::from_reader(&mut reader).ok()?;
        // serde_json reads to the end to check nothing follows the object; a partial UTF-8
        // sequence there would only show at the end of the stream.
        if !reader.get_ref().complete() || !(OLDEST_READABLE_FORMAT..=FORMAT_VERSION).contains(&snapshot.format_version) {
            return None;
        }
        snapshot.format_version = FORMAT_VERSION;
        Some(snapshot)
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

/// The stream's buffer: large enough that reads are few, small beside any snapshot.
const STREAM_BUFFER: usize = 256 * 1024;

/// A reader that fails with `InvalidData` on bytes that are not UTF-8, as reading the file into
/// a `String` does, so the stream accepts only what the text path accepts (serde_json checks
/// the strings it keeps, but not every byte it skips).
struct Utf8Checked<R> {
    inner: R,
    /// The start of a character split between two reads, and its length so far.
    partial: [u8; 4],
    partial_len: usize,
    /// True once the end was reached with no split character pending.
    at_end: bool,
}

impl<R: Read> Utf8Checked<R> {
    fn new(inner: R) -> Self {
        Utf8Checked { inner, partial: [0; 4], partial_len: 0, at_end: false }
    }

    /// True when everything was read and was UTF-8.
    fn complete(&self) -> bool {
        self.at_end
    }

    /// Checks the next `bytes`, which follow those checked before.
    fn check(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8");
        if self.partial_len > 0 {
            // The lead byte of a split character says how long it is (it was checked a
            // valid start of one).
            let width = match self.partial[0] {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (width - self.partial_len).min(bytes.len());
            self.partial[self.partial_len..self.partial_len + take].copy_from_slice(&bytes[..take]);
            self.partial_len += take;
            bytes = &bytes[take..];
            match std::str::from_utf8(&self.partial[..self.partial_len]) {
                Ok(_) => self.partial_len = 0,
                Err(e) if e.error_len().is_none() => return Ok(()),
                Err(_) => return Err(invalid()),
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                let rest = &bytes[e.valid_up_to()..];
                self.partial[..rest.len()].copy_from_slice(rest);
                self.partial_len = rest.len();
                Ok(())
            }
            Err(_) => Err(invalid()),
        }
    }
}

impl<R: Read> Read for Utf8Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            if self.partial_len > 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"));
            }
            self.at_end = true;
        }
        self.check(&buf[..n])?;
        Ok(n)
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

    /// A snapshot with a few nested lists, as its canonical text.
    fn sample() -> Snapshot {
        let col = |n: &str, o| super::super::Column { name: n.into(), ordinal: o, sql_type: "text".into(), comment: Some("é €".into()), ..Default::default() };
        let table = super::super::Table { name: "t".into(), columns: vec![col("a", 1), col("b", 2), col("c", 3)], ..Default::default() };
        Snapshot { schemas: vec![super::super::Schema { name: "s".into(), tables: vec![table.clone(), table], ..Default::default() }], ..Snapshot::default() }
    }

    #[test]
    fn load_streams_what_the_text_path_parses_and_fails_the_same_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let text = sample().to_json();
        let cases: Vec<Vec<u8>> = vec![
            text.clone().into_bytes(),
            format!("\u{feff}{text}").into_bytes(),
            format!(" \n\t{text}\n\n").into_bytes(),
            text.replace("\"format_version\": 2", "\"format_version\": 1").into_bytes(),
            b"[1, 2]".to_vec(),
            Vec::new(),
            b"   ".to_vec(),
            b"{\"format_version\": 99}".to_vec(),
            b"{\"schemas\": []}".to_vec(),
            text.as_bytes()[..text.len() / 2].to_vec(),
            format!("{text}x").into_bytes(),
            text.replace("\"a\"", "\"\u{e9}\"").into_bytes(),
            // Invalid UTF-8 in a string, outside one, and a character cut off at the end.
            [&text.as_bytes()[..20], &[0xC3, 0x28], &text.as_bytes()[20..]].concat(),
            [text.as_bytes(), &[0xE2, 0x82]].concat(),
            [text.trim_end().as_bytes(), &[b' ', 0xF0]].concat(),
        ];
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            let streamed = Snapshot::load(&path).map_err(|e| e.to_string());
            let whole = crate::fsutil::read_to_string(&path, "read snapshot").and_then(|t| Snapshot::from_json(&t, &path.display().to_string())).map_err(|e| e.to_string());
            assert_eq!(streamed, whole, "{}", String::from_utf8_lossy(&bytes));
        }
        std::fs::write(&path, &text).unwrap();
        assert_eq!(Snapshot::load(&path).unwrap(), sample());
        // The stream itself takes the clean file (not only the fallback).
        assert_eq!(Snapshot::stream(&path), Some(sample()));
    }

    #[test]
    fn utf8_is_checked_across_reads_of_any_size() {
        /// Hands out one byte per read, so every character is split.
        struct Drip<'a>(&'a [u8]);
        impl Read for Drip<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let read = |bytes: &[u8]| {
            let mut r = Utf8Checked::new(Drip(bytes));
            let mut out = Vec::new();
            r.read_to_end(&mut out).map(|_| r.complete())
        };
        assert!(read("a é € 😀 z".as_bytes()).unwrap());
        assert!(read(&[b'a', 0xC3, 0x28]).is_err(), "a lead byte without its continuation");
        assert!(read(&[0xE2, 0x82]).is_err(), "a character cut off at the end");
        assert!(read(&[0xFF]).is_err());
        let mut whole = Utf8Checked::new("😀".as_bytes());
        assert!(whole.read_to_end(&mut Vec::new()).is_ok() && whole.complete());
    }

    #[test]
    fn a_current_snapshot_round_trips() {
        let snap = Snapshot::default();
        assert_eq!(Snapshot::from_json(&snap.to_json(), "x").unwrap(), snap);
    }
}
