//! A human-readable, dated change log of schema changes (e.g. `schema/CHANGES.md`).
//!
//! [`entry`] turns the diff of two snapshots into a Markdown section grouped into Added /
//! Changed / Removed, destructive changes flagged; [`append`] inserts it newest-first below the
//! file's header. `schema-gen snapshot --changelog FILE` calls both whenever it rewrites the
//! committed snapshot, so the log is a by-product of the normal workflow.

use std::path::Path;

use schema_core::Snapshot;

use crate::diff::{diff, Action, Change, Severity};
use crate::Result;

/// The header a new change-log file starts with; entries go below it.
pub const HEADER: &str = "# Schema changes\n\nNewest first. Maintained by `schema-gen snapshot --changelog`; edit the prose freely, keep the `## ` headings.\n";

/// The environment variable that overrides [`today`] (format `YYYY-MM-DD`), for reproducible
/// tests and for back-dating an entry.
pub const DATE_ENV: &str = "PGCANON_DATE";

/// A change-log entry for the changes from `old` to `new`, headed `## {date}`.
///
/// Identical snapshots yield an entry saying so, so the function is total; callers usually
/// skip appending in that case (see [`append_if_changed`]).
pub fn entry(old: &Snapshot, new: &Snapshot, date: &str) -> String {
    entry_from_changes(&diff(old, new), date)
}

/// Like [`entry`], for an already computed change list.
pub fn entry_from_changes(changes: &[Change], date: &str) -> String {
    let mut out = format!("## {date}\n\n");
    if changes.is_empty() {
        out.push_str("No structural changes.\n");
        return out;
    }
    let destructive = changes.iter().filter(|c| c.severity == Severity::Destructive).count();
    if destructive > 0 {
        out.push_str(&format!("> **Warning:** {destructive} destructive change{} (may lose data).\n\n", if destructive == 1 { "" } else { "s" }));
    }
    for (title, action) in [("Added", Action::Added), ("Changed", Action::Changed), ("Removed", Action::Removed)] {
        let group: Vec<&Change> = changes.iter().filter(|c| c.kind.action() == action).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("### {title}\n\n"));
        for c in group {
            let flag = match c.severity {
                Severity::Destructive => "**destructive:** ",
                Severity::Breaking => "*breaking:* ",
                Severity::Additive | Severity::Cosmetic => "",
            };
            // Descriptions contain catalog text in code spans; a newline would end the bullet.
            out.push_str(&format!("- {flag}{}\n", c.describe().replace(['\n', '\r'], " ")));
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Inserts `entry` at the top of the change log at `path` (below the header), creating the
/// file with [`HEADER`] when it does not exist. The write is atomic.
///
/// The header is everything before the first line starting with `## `; a file without such a
/// line is all header, and the entry goes at its end.
pub fn append(path: impl AsRef<Path>, entry: &str) -> Result<()> {
    let path = path.as_ref();
    // Bounded and regular files only (a FIFO given as the log must not block the snapshot).
    let existing = match schema_core::fsutil::read_to_string(path, "read change log") {
        Ok(s) => s,
        Err(schema_core::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => HEADER.to_owned(),
        Err(e) => return Err(e.into()),
    };
    let split = first_entry_offset(&existing);
    let (head, rest) = existing.split_at(split);
    let mut text = head.trim_end_matches('\n').to_owned();
    text.push_str("\n\n");
    text.push_str(entry.trim_end_matches('\n'));
    text.push('\n');
    if !rest.is_empty() {
        text.push('\n');
        text.push_str(rest);
    }
    crate::write_if_changed(path, text.as_bytes())?;
    Ok(())
}

/// Appends an entry dated [`today`] when the snapshots differ. Returns true when it did.
/// This is the one call `schema-gen snapshot --changelog FILE` needs.
pub fn append_if_changed(path: impl AsRef<Path>, old: &Snapshot, new: &Snapshot) -> Result<bool> {
    let changes = diff(old, new);
    if changes.is_empty() {
        return Ok(false);
    }
    append(path, &entry_from_changes(&changes, &today()?))?;
    Ok(true)
}

fn first_entry_offset(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            return offset;
        }
        offset += line.len();
    }
    text.len()
}

/// Today's UTC date as `YYYY-MM-DD`, or the value of [`DATE_ENV`] when set (validated).
pub fn today() -> Result<String> {
    if let Ok(v) = std::env::var(DATE_ENV) {
        return validate_date(v.trim().to_owned(), DATE_ENV);
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// Returns `date` when it looks like `YYYY-MM-DD`, else an error naming `origin` (a flag or
/// variable).
pub fn validate_date(date: String, origin: &str) -> Result<String> {
    if is_iso_date(&date) {
        Ok(date)
    } else {
        Err(crate::Error::Config(format!("`{origin}` is `{date}`, expected a real calendar date as `YYYY-MM-DD`, like `2024-05-31`")))
    }
}

/// True for `YYYY-MM-DD` naming a real day of the Gregorian calendar (`2026-13-45` and
/// `2025-02-29` are not).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (s[..4].parse().unwrap_or(0), s[5..7].parse().unwrap_or(0), s[8..].parse().unwrap_or(0));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`), so no date crate is needed for one formatted date.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(20_416), (2025, 11, 24));
    }

    #[test]
    fn validates_dates() {
        assert!(is_iso_date("2024-05-31"));
        assert!(!is_iso_date("2024-5-31"));
        assert!(!is_iso_date("yesterday!"));
        assert!(!is_iso_date("2026-13-45"), "month 13");
        assert!(!is_iso_date("2026-04-31"), "April has 30 days");
        assert!(!is_iso_date("2025-02-29") && is_iso_date("2024-02-29") && is_iso_date("2000-02-29") && !is_iso_date("1900-02-29"));
        assert!(!is_iso_date("2026-00-10") && !is_iso_date("2026-01-00"));
    }

    #[test]
    fn appends_newest_first_below_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("CHANGES.md");
        append(&p, "## 2024-01-01\n\n- first\n").unwrap();
        append(&p, "## 2024-02-01\n\n- second\n").unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text, format!("{}\n## 2024-02-01\n\n- second\n\n## 2024-01-01\n\n- first\n", HEADER));
    }
}
