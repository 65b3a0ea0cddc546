//! Errors of the I/O-free core.

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core: reading, writing and interpreting snapshots.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done, e.g. `read snapshot`.
        action: &'static str,
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The snapshot is not valid JSON or does not match the snapshot model.
    #[error("snapshot `{path}` is corrupt: {source}; regenerate it with `schema-gen snapshot`")]
    SnapshotParse {
        /// The file (or `<stdin>`).
        path: String,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The snapshot has no `format_version`, so it is not a pgcanon snapshot.
    #[error("`{path}` is not a pgcanon snapshot (no `format_version` field); create one with `schema-gen snapshot`")]
    SnapshotNotASnapshot {
        /// The file.
        path: String,
    },
    /// The snapshot was written by a different (usually newer) format.
    #[error("{}", version_message(.path, .found, *.supported))]
    SnapshotVersion {
        /// The file.
        path: String,
        /// The version found in the file.
        found: String,
        /// The version this build reads.
        supported: u32,
    },
    /// A path pgcanon would read or replace is not a regular file.
    #[error(
        "`{path}` is a {kind}, not a regular file; pgcanon reads and replaces only regular files \
         (symbolic links to them are followed), so give the path of a regular file"
    )]
    NotARegularFile {
        /// The path as given.
        path: String,
        /// `directory`, `character device`, `FIFO (named pipe)`, `socket`, ...
        kind: &'static str,
    },
    /// A symbolic link to be written through points nowhere.
    #[error("`{path}` is a symbolic link to `{target}`, which does not exist; create the target or remove the link")]
    DanglingSymlink {
        /// The link.
        path: String,
        /// Where it points.
        target: String,
    },
    /// A file is larger than pgcanon reads.
    #[error("`{path}` is {size} bytes, more than the {limit} bytes pgcanon reads; check that this is the right file")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The bound in bytes.
        limit: u64,
    },
    /// The file holds JSON, but not an object (an array, a string, ...) or nothing at all.
    #[error("`{path}` is not a pgcanon snapshot: it holds {found}, not a JSON object with `format_version`; create one with `schema-gen snapshot`")]
    SnapshotNotAnObject {
        /// The file.
        path: String,
        /// What it holds: `a JSON array`, `no JSON at all (it is empty)`, ...
        found: &'static str,
    },
}

/// The message of [`Error::SnapshotVersion`]: which way the versions differ decides the fix.
fn version_message(path: &str, found: &str, supported: u32) -> String {
    match found.parse::<u64>() {
        Ok(v) if v > u64::from(supported) => format!(
            "snapshot `{path}` has format_version {v}, newer than the version {supported} this schema-gen reads; \
             upgrade schema-gen (or regenerate the snapshot with this one's `schema-gen snapshot`)"
        ),
        Ok(v) => format!(
            "snapshot `{path}` has format_version {v}, older than the version {supported} this schema-gen reads; \
             regenerate it with `schema-gen snapshot`"
        ),
        Err(_) => format!(
            "snapshot `{path}` has format_version {found}, which is not a version number (expected the number {supported}, \
             unquoted); the file was edited or written by another tool: regenerate it with `schema-gen snapshot`"
        ),
    }
}
