//! A content digest of a snapshot file, with which a build script vouches for it.
//!
//! The derive must re-run its checks whenever the snapshot changes. By itself it can only make
//! rustc watch the file by including it (`include_bytes!`), and rustc then reads, hashes and
//! stores all of it in every check of the crate: for a 15 MB snapshot that alone cost about
//! 0.4 s per `cargo check`. A build script that calls `schema_gen::Config::compile()` already
//! watches the file (`rerun-if-changed`), so it hands the derive the file's digest in
//! [`DIGEST_ENV`]: when the content changes, the build script re-runs, the digest changes, and
//! cargo recompiles the crate because a variable rustc read changed. The derive includes the
//! file only when the digest it computes itself does not match (no build script, another
//! snapshot, an edit the build script has not seen yet), so a stale check never results.

/// The variable a build script sets (`cargo:rustc-env=`) to the digest of the snapshot named by
/// `PGCANON_SNAPSHOT`. Internal to pgcanon: set by `Config::compile()`, read by the derive.
pub const DIGEST_ENV: &str = "PGCANON_SNAPSHOT_DIGEST";

/// The digest of a snapshot file's bytes: its length and a 64-bit hash, e.g.
/// `15342010-9f1c0e55a1b2c3d4`. A change detector, not a cryptographic hash: it guards against
/// edits, not against someone forging a file (who could as well edit the build script).
///
/// The loop runs in the derive's unoptimized build, so it reads eight bytes per step with
/// plain indexing and native operators only (each method call is a real call there).
pub fn content_digest(bytes: &[u8]) -> String {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let whole = bytes.len() - bytes.len() % 8;
    let mut i = 0;
    while i < whole {
        let b = &bytes[i..i + 8];
        let w = (b[0] as u64)
            | (b[1] as u64) << 8
            | (b[2] as u64) << 16
            | (b[3] as u64) << 24
            | (b[4] as u64) << 32
            | (b[5] as u64) << 40
            | (b[6] as u64) << 48
            | (b[7] as u64) << 56;
        h = (h ^ w).wrapping_mul(PRIME);
        // Fold the high half back, so every input bit reaches every output bit over a few
        // words (FNV over whole words alone never moves high bits down).
        h ^= h >> 29;
        i += 8;
    }
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(PRIME);
        i += 1;
    }
    format!("{}-{h:016x}", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_changes_the_digest() {
        let text = br#"{"format_version": 2, "schemas": [{"name": "public", "tables": [{"name": "users"}]}]}"#;
        let base = content_digest(text);
        assert_eq!(base, content_digest(text), "deterministic");
        assert!(base.starts_with(&format!("{}-", text.len())));
        // Every single-bit flip of every byte gives another digest.
        let mut seen = std::collections::HashSet::new();
        for i in 0..text.len() {
            for bit in 0..8 {
                let mut edited = text.to_vec();
                edited[i] ^= 1 << bit;
                let d = content_digest(&edited);
                assert_ne!(d, base, "byte {i} bit {bit}");
                seen.insert(d);
            }
        }
        assert_eq!(seen.len(), text.len() * 8, "no two flips collide");
        // Swapping two names (the same bytes in another order) is seen too.
        let swapped = br#"{"format_version": 2, "schemas": [{"name": "users", "tables": [{"name": "public"}]}]}"#;
        assert_ne!(content_digest(&swapped[..]), base);
        assert_ne!(content_digest(&text[..text.len() - 1]), base);
    }
}
