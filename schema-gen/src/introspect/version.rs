//! The server's version: which catalog shape to query, and whether pgcanon supports it.

use std::fmt;

use crate::{Error, Result};

/// The oldest major pgcanon supports.
pub const OLDEST_SUPPORTED_MAJOR: u32 = 13;
/// The newest major pgcanon is tested on. Newer servers are introspected with a warning.
pub const NEWEST_TESTED_MAJOR: u32 = 18;

/// A PostgreSQL server version, from `server_version_num` (e.g. `160004` for 16.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion(u32);

impl ServerVersion {
    /// The version with this `server_version_num`.
    pub fn from_num(num: u32) -> ServerVersion {
        ServerVersion(num)
    }

    /// `server_version_num`, e.g. `160004`.
    pub fn num(self) -> u32 {
        self.0
    }

    /// The major version, e.g. `16` (`9` for 9.x: the two-part majors predate 10).
    pub fn major(self) -> u32 {
        self.0 / 10000
    }

    /// Refuses servers older than [`OLDEST_SUPPORTED_MAJOR`]; returns a warning for servers
    /// newer than [`NEWEST_TESTED_MAJOR`].
    pub fn check_supported(self) -> Result<Option<String>> {
        if self.major() < OLDEST_SUPPORTED_MAJOR {
            return Err(Error::UnsupportedServer { version: self.to_string() });
        }
        Ok((self.major() > NEWEST_TESTED_MAJOR).then(|| {
            format!(
                "{self} is newer than the newest major pgcanon is tested on ({NEWEST_TESTED_MAJOR}); \
                 the snapshot may miss facts this version adds: check it, and upgrade schema-gen when a release supports {}",
                self.major()
            )
        }))
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.major() >= 10 {
            write!(f, "PostgreSQL {}.{}", self.major(), self.0 % 10000)
        } else {
            write!(f, "PostgreSQL {}.{}.{}", self.0 / 10000, self.0 / 100 % 100, self.0 % 100)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_both_numbering_schemes() {
        assert_eq!(ServerVersion::from_num(160004).to_string(), "PostgreSQL 16.4");
        assert_eq!(ServerVersion::from_num(90624).to_string(), "PostgreSQL 9.6.24");
    }

    #[test]
    fn gates_on_the_supported_range() {
        let old = ServerVersion::from_num(120022).check_supported().unwrap_err().to_string();
        assert!(old.contains("PostgreSQL 12.22") && old.contains("13") && old.contains("18"), "{old}");
        assert_eq!(ServerVersion::from_num(130000).check_supported().unwrap(), None);
        assert_eq!(ServerVersion::from_num(180006).check_supported().unwrap(), None);
        let warning = ServerVersion::from_num(190001).check_supported().unwrap().expect("a warning for 19");
        assert!(warning.contains("PostgreSQL 19.1") && warning.contains("18"), "{warning}");
    }
}
