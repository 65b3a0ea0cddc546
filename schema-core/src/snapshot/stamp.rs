//! The stamp with which a build script vouches for a snapshot file.
//!
//! The derive must re-run its checks whenever the snapshot changes. By itself it can only make
//! rustc watch the file by including it (`include_bytes!`), and rustc then reads, hashes and
//! stores all of it in every check of the crate: for a 15 MB snapshot a sizeable part of the
//! derive's cost. A build script that calls `schema_gen::Config::compile()` already watches the
//! file (`rerun-if-changed`), so it hands the derive the file's stamp (size and modification
//! time) in [`STAMP_ENV`]: when the file changes, cargo re-runs the build script, the stamp
//! changes, and cargo recompiles the crate because a variable rustc read changed. The derive
//! leaves the file out of its dependencies only when the file it read still has that stamp;
//! otherwise (no build script, another snapshot, an edit the build script has not seen) it
//! includes it, so a stale check never results.
//!
//! Size and modification time, not a hash of the content: cargo itself decides with
//! modification times whether the build script must re-run (and whether an included file
//! changed), so the stamp is exactly as strong as the mechanism it stands in for, and the
//! derive checks it without reading the file twice (a hash loop over 15 MB in the derive's
//! unoptimized build cost as much as the include it replaces).

use std::time::{SystemTime, UNIX_EPOCH};

/// The variable a build script sets (`cargo:rustc-env=`) to the stamp of the snapshot named by
/// `PGCANON_SNAPSHOT`. Internal to pgcanon: set by `Config::compile()`, read by the derive.
pub const STAMP_ENV: &str = "PGCANON_SNAPSHOT_STAMP";

/// The stamp of a file of `len` bytes last modified at `modified`, e.g.
/// `16014656-1764700000.123456789`.
pub fn file_stamp(len: u64, modified: SystemTime) -> String {
    let since = modified.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{len}-{}.{:09}", since.as_secs(), since.subsec_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn size_and_every_nanosecond_count() {
        let t = UNIX_EPOCH + Duration::new(1_764_700_000, 123_456_789);
        assert_eq!(file_stamp(42, t), "42-1764700000.123456789");
        assert_ne!(file_stamp(42, t), file_stamp(43, t));
        assert_ne!(file_stamp(42, t), file_stamp(42, t + Duration::from_nanos(1)));
        assert_eq!(file_stamp(0, UNIX_EPOCH - Duration::from_secs(1)), "0-0.000000000", "before the epoch: no panic");
    }
}
