//! The catalog queries, one `.sql` file each under `sql/`.
//!
//! Every query is prefixed with `sql/namespaces.sql`, which defines the `ns` (included schemas)
//! and `rel` (modelled relations) CTEs from the two parameters `$1` (include) and `$2`
//! (exclude), so the schema filter is written once and applied identically everywhere.
//!
//! Catalogs differ between majors, so a line may be gated on the server version by a trailing
//! marker comment: `-- pg15+` keeps the line on PostgreSQL 15 and later only, `-- pg<15` on
//! versions before 15 only, `-- pg15-16` on 15 and 16 only. Gated lines come in pairs that produce the same column either way
//! (the newer catalog column, or a constant meaning "this version cannot have it"), so one
//! `.sql` file reads as one query and the Rust side decodes one shape on every version.

use std::borrow::Cow;

use super::version::ServerVersion;

/// A named catalog query.
pub(crate) struct Query {
    /// The file name, used in error messages.
    pub name: &'static str,
    /// The full SQL text (shared prefix included), version markers and all.
    template: &'static str,
}

macro_rules! query {
    ($name:literal) => {
        Query {
            name: concat!($name, ".sql"),
            template: concat!(include_str!("sql/namespaces.sql"), include_str!(concat!("sql/", $name, ".sql"))),
        }
    };
}

pub(crate) const SCHEMAS: Query = query!("schemas");
pub(crate) const RELATIONS: Query = query!("relations");
pub(crate) const COLUMNS: Query = query!("columns");
pub(crate) const CONSTRAINTS: Query = query!("constraints");
pub(crate) const INDEXES: Query = query!("indexes");
pub(crate) const TRIGGERS: Query = query!("triggers");
pub(crate) const TYPES: Query = query!("types");
pub(crate) const SEQUENCES: Query = query!("sequences");
pub(crate) const FUNCTIONS: Query = query!("functions");
pub(crate) const EXTENSIONS: Query = query!("extensions");
pub(crate) const POLICIES: Query = query!("policies");
pub(crate) const COLLATIONS: Query = query!("collations");

/// The file names of every catalog query, in the order they run. Their number is the number of
/// catalog round trips an introspection makes, whatever the size of the database.
pub const QUERY_NAMES: [&str; 12] = [
    SCHEMAS.name,
    RELATIONS.name,
    TYPES.name,
    COLUMNS.name,
    CONSTRAINTS.name,
    INDEXES.name,
    TRIGGERS.name,
    POLICIES.name,
    SEQUENCES.name,
    FUNCTIONS.name,
    EXTENSIONS.name,
    COLLATIONS.name,
];

/// Every query, for tests that check each renders on each version.
#[cfg(test)]
const ALL: [&Query; 12] = [&SCHEMAS, &RELATIONS, &TYPES, &COLUMNS, &CONSTRAINTS, &INDEXES, &TRIGGERS, &POLICIES, &SEQUENCES, &FUNCTIONS, &EXTENSIONS, &COLLATIONS];

impl Query {
    /// The SQL to send to a server of `version`: the template without the lines gated to other
    /// versions. Borrowed when the template has no gated line.
    pub(crate) fn sql_for(&self, version: ServerVersion) -> Cow<'static, str> {
        if !self.template.contains("-- pg") {
            return Cow::Borrowed(self.template);
        }
        let mut out = String::with_capacity(self.template.len());
        for line in self.template.split_inclusive('\n') {
            if gate(line).is_none_or(|(min, max)| (min..=max).contains(&version.major())) {
                out.push_str(line);
            }
        }
        Cow::Owned(out)
    }
}

/// A line's version gate as the inclusive range of majors it is kept on: `-- pgN+`, `-- pg<N`
/// or `-- pgA-B`. Other comments that merely start with `pg` (`-- pg_get_expr ...`) are not
/// gates.
fn gate(line: &str) -> Option<(u32, u32)> {
    let comment = line[marker(line)? + "-- pg".len()..].trim_end();
    if let Some(n) = comment.strip_suffix('+') {
        return n.parse().ok().map(|n| (n, u32::MAX));
    }
    if let Some(n) = comment.strip_prefix('<') {
        return n.parse::<u32>().ok().filter(|n| *n > 0).map(|n| (0, n - 1));
    }
    let (a, b) = comment.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Where a line's version marker starts: the last `-- pg` followed by a digit or `<`.
fn marker(line: &str) -> Option<usize> {
    line.rmatch_indices("-- pg").map(|(i, _)| i).find(|&i| line[i + "-- pg".len()..].starts_with(|c: char| c.is_ascii_digit() || c == '<'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gated_lines_are_kept_only_on_their_versions() {
        let q = Query { name: "t.sql", template: "SELECT a, -- pg15+\n  b, -- pg<15\n  d, -- pg15-16\n  c -- any\n" };
        assert_eq!(q.sql_for(ServerVersion::from_num(150002)), "SELECT a, -- pg15+\n  d, -- pg15-16\n  c -- any\n");
        assert_eq!(q.sql_for(ServerVersion::from_num(140010)), "  b, -- pg<15\n  c -- any\n");
        assert_eq!(q.sql_for(ServerVersion::from_num(170000)), "SELECT a, -- pg15+\n  c -- any\n");
    }

    #[test]
    fn every_marker_is_well_formed_and_paired() {
        // A typo in a marker (`-- pg15`, `-- pg<15+`) would keep the line on every version.
        for q in ALL {
            for line in q.template.lines().filter(|l| marker(l).is_some()) {
                assert!(gate(line).is_some(), "{}: malformed version marker in `{line}`", q.name);
            }
            for major in [13, 18] {
                let sql = q.sql_for(ServerVersion::from_num(major * 10000));
                assert!(!sql.contains(",\nFROM") && !sql.contains(", \nFROM"), "{}: a gate leaves a dangling comma on {major}", q.name);
            }
        }
    }
}
