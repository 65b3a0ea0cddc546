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
    #[error(
        "snapshot `{path}` has format_version {found}, but this schema-gen reads version {supported}; \
         upgrade schema-gen or regenerate the snapshot with `schema-gen snapshot`"
    )]
    SnapshotVersion {
        /// The file.
        path: String,
        /// The version found in the file.
        found: String,
        /// The version this build reads.
        supported: u32,
    },
}
