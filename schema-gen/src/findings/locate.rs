//! Lines of objects in a committed snapshot file, so SARIF and GitHub annotations can point
//! code-scanning UIs at a real file and line.
//!
//! The snapshot is written by one deterministic pretty-printer (two-space indent), so an
//! object's `"name"` sits at a known depth: schemas at 6 spaces, their tables, views and types
//! at 10, and columns, indexes and constraints at 14 (12 for the primary key object). One pass
//! over the text records those lines; anything unrecognised falls back to its parent's line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use super::{ObjectKind, ObjectRef};

/// Which list of a relation a member name was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Member {
    Column,
    Index,
    Constraint,
}

impl Member {
    /// The list an object of `kind` is in, when it is a member of a relation.
    fn of(kind: ObjectKind) -> Option<Member> {
        match kind {
            ObjectKind::Column => Some(Member::Column),
            ObjectKind::Index => Some(Member::Index),
            ObjectKind::Constraint => Some(Member::Constraint),
            _ => None,
        }
    }
}

/// Object → 1-based line in one snapshot file.
///
/// Nested by schema, relation and member name, so each name is stored once and looked up by
/// `&str` (the index of a 10,000-table schema held three owned names per member before).
#[derive(Debug, Clone, Default)]
pub struct SnapshotLines {
    schemas: HashMap<String, SchemaLines>,
    /// True when only the objects it was seeded with are recorded ([`SnapshotLines::index_for`]).
    seeded: bool,
}

/// One schema's line and its relations'.
#[derive(Debug, Clone, Default)]
struct SchemaLines {
    line: Option<u32>,
    relations: HashMap<String, RelationLines>,
}

/// One relation's line and its members': per name, a line in each member list.
#[derive(Debug, Clone, Default)]
struct RelationLines {
    line: Option<u32>,
    members: HashMap<String, [Option<u32>; 3]>,
}

/// The first line wins: tables come first, and a function of the same name later must not.
fn first(slot: &mut Option<u32>, lineno: u32) {
    slot.get_or_insert(lineno);
}

/// The one pass over the lines, whatever they come from.
struct Scan {
    out: SnapshotLines,
    schema: String,
    relation: String,
    section: Option<Member>,
}

impl Scan {
    fn new(out: SnapshotLines) -> Scan {
        Scan { out, schema: String::new(), relation: String::new(), section: None }
    }

    /// Takes line `lineno` (1-based), without its line ending.
    fn line(&mut self, lineno: u32, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if let Some(value) = body.strip_prefix("\"name\": ") {
            let Some(name) = json_string(value.trim_end_matches(',')) else { return };
            let seeded = self.out.seeded;
            match (indent, self.section) {
                (6, _) => {
                    // Every schema (there are few): objects fall back to their schema's line.
                    self.out.schemas.entry(name.to_string()).or_default().line = Some(lineno);
                    self.schema.clear();
                    self.schema.push_str(&name);
                }
                (10, _) => {
                    let schema = self.out.schemas.get_mut(&self.schema);
                    let relation = match (schema, seeded) {
                        (Some(s), true) => s.relations.get_mut(name.as_ref()),
                        (Some(s), false) => Some(s.relations.entry(name.to_string()).or_default()),
                        (None, _) => None,
                    };
                    if let Some(r) = relation {
                        first(&mut r.line, lineno);
                    }
                    self.relation.clear();
                    self.relation.push_str(&name);
                    self.section = None;
                }
                (14, Some(m)) | (12, Some(m @ Member::Constraint)) => {
                    let Some(r) = self.out.schemas.get_mut(&self.schema).and_then(|s| s.relations.get_mut(&self.relation)) else { return };
                    let slots = if seeded { r.members.get_mut(name.as_ref()) } else { Some(r.members.entry(name.to_string()).or_default()) };
                    if let Some(slots) = slots {
                        first(&mut slots[m as usize], lineno);
                    }
                }
                _ => {}
            }
        } else if indent == 10 {
            // A key of a relation: which member list follows.
            self.section = match body.split(':').next().unwrap_or("") {
                "\"columns\"" => Some(Member::Column),
                "\"indexes\"" => Some(Member::Index),
                "\"primary_key\"" | "\"foreign_keys\"" | "\"uniques\"" | "\"checks\"" | "\"exclusions\"" => Some(Member::Constraint),
                _ => None,
            };
        }
    }
}

/// The value of a JSON string literal; without escapes, borrowed (the common case: no
/// allocation per line of a large file).
fn json_string(literal: &str) -> Option<Cow<'_, str>> {
    match literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        Some(inner) if !inner.contains(['\\', '"']) && !inner.contains(|c: char| c.is_control()) => Some(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(literal).ok().map(Cow::Owned),
    }
}

impl SnapshotLines {
    /// Indexes every object of the snapshot JSON `text` (as `Snapshot::to_json` writes it).
    pub fn index(text: &str) -> SnapshotLines {
        let mut scan = Scan::new(SnapshotLines::default());
        for (i, line) in text.lines().enumerate() {
            scan.line(line_number(i + 1), line);
        }
        scan.out
    }

    /// Indexes only `objects` (the ones findings name) in the snapshot read from `reader`, a
    /// line at a time. [`SnapshotLines::line`] answers for them as an index of everything
    /// would, while neither the file's text nor an entry per object of a large schema is
    /// held in memory.
    pub fn index_for<'a>(mut reader: impl BufRead, objects: impl IntoIterator<Item = &'a ObjectRef>) -> std::io::Result<SnapshotLines> {
        let mut seed = SnapshotLines { seeded: true, ..SnapshotLines::default() };
        for o in objects {
            let relation = seed.schemas.entry(o.schema.clone()).or_default().relations.entry(o.relation.clone()).or_default();
            if let (Some(_), Some(name)) = (Member::of(o.kind), &o.member) {
                relation.members.entry(name.clone()).or_default();
            }
        }
        let mut scan = Scan::new(seed);
        let (mut line, mut lineno) = (String::new(), 0);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(scan.out);
            }
            lineno += 1;
            // The line endings `str::lines` strips, so both indexes agree.
            let body = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
            scan.line(line_number(lineno), body);
        }
    }

    /// [`SnapshotLines::index_for`] on the snapshot file at `path` (a bounded, regular file).
    pub fn index_file<'a>(path: &Path, objects: impl IntoIterator<Item = &'a ObjectRef>) -> crate::Result<SnapshotLines> {
        let file = schema_core::fsutil::open_bounded(path, "read snapshot")?;
        SnapshotLines::index_for(std::io::BufReader::with_capacity(256 * 1024, file), objects)
            .map_err(|source| schema_core::Error::Io { action: "read snapshot", path: path.display().to_string(), source }.into())
    }

    /// The line of `object`, else of its relation, else of its schema, else 1.
    pub fn line(&self, object: &ObjectRef) -> usize {
        let schema = self.schemas.get(&object.schema);
        let relation = schema.and_then(|s| s.relations.get(&object.relation));
        let member = Member::of(object.kind).zip(object.member.as_ref()).and_then(|(m, name)| relation?.members.get(name)?[m as usize]);
        member.or_else(|| relation?.line).or_else(|| schema?.line).map_or(1, |l| l as usize)
    }
}

/// A line number as stored: a snapshot file of over 4 billion lines is far beyond what
/// pgcanon reads (see `schema_core::fsutil::MAX_READ_BYTES`), so the cap never bites.
fn line_number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::snapshot::{Column, PrimaryKey, Schema, Table};
    use schema_core::Snapshot;

    #[test]
    fn finds_schema_table_column_and_key_lines() {
        let col = |n: &str, o| Column { name: n.into(), ordinal: o, sql_type: "text".into(), ..Column::default() };
        let table = Table {
            name: "t".into(),
            columns: vec![col("a", 1), col("name", 2)],
            primary_key: Some(PrimaryKey { name: "t_pkey".into(), columns: vec!["a".into()], ..PrimaryKey::default() }),
            ..Table::default()
        };
        let snap = Snapshot { schemas: vec![Schema { name: "s".into(), tables: vec![table], ..Schema::default() }], ..Snapshot::default() };
        let text = snap.to_json();
        let lines = SnapshotLines::index(&text);
        let at = |n: usize| text.lines().nth(n - 1).unwrap().trim().to_owned();
        assert_eq!(at(lines.line(&ObjectRef::schema("s"))), "\"name\": \"s\",");
        assert_eq!(at(lines.line(&ObjectRef::relation(ObjectKind::Table, "s", "t"))), "\"name\": \"t\",");
        assert_eq!(at(lines.line(&ObjectRef::member(ObjectKind::Column, "s", "t", "name"))), "\"name\": \"name\",");
        assert_eq!(at(lines.line(&ObjectRef::member(ObjectKind::Constraint, "s", "t", "t_pkey"))), "\"name\": \"t_pkey\",");
        // Unknown member: the relation's line.
        assert_eq!(lines.line(&ObjectRef::member(ObjectKind::Index, "s", "t", "nope")), lines.line(&ObjectRef::relation(ObjectKind::Table, "s", "t")));

        // Streamed, for a few objects only: the same lines for those, nothing else kept.
        let wanted = [ObjectRef::member(ObjectKind::Column, "s", "t", "name"), ObjectRef::member(ObjectKind::Index, "s", "t", "nope"), ObjectRef::schema("s")];
        let some = SnapshotLines::index_for(text.replace('\n', "\r\n").as_bytes(), &wanted).unwrap();
        for o in &wanted {
            assert_eq!(some.line(o), lines.line(o), "{o:?}");
        }
        let members = |l: &SnapshotLines| l.schemas["s"].relations.values().map(|r| r.members.len()).sum::<usize>();
        assert_eq!(members(&some), 2, "the two members asked for, one of them not found");
        assert!(members(&lines) > 2);
    }
}
