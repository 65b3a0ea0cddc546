//! Lines of objects in a committed snapshot file, so SARIF and GitHub annotations can point
//! code-scanning UIs at a real file and line.
//!
//! The snapshot is written by one deterministic pretty-printer (two-space indent), so an
//! object's `"name"` sits at a known depth: schemas at 6 spaces, their tables, views and types
//! at 10, and columns, indexes and constraints at 14 (12 for the primary key object). One pass
//! over the text records those lines; anything unrecognised falls back to its parent's line.

use std::collections::{HashMap, HashSet};
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
#[derive(Debug, Clone, Default)]
pub struct SnapshotLines {
    schemas: HashMap<String, usize>,
    relations: HashMap<(String, String), usize>,
    members: HashMap<(String, String, Member, String), usize>,
}

/// The objects an index records beside the schemas: every one, or those some findings name
/// (with their relations, the fallback of [`SnapshotLines::line`]).
enum Wanted {
    All,
    Only { relations: HashSet<(String, String)>, members: HashSet<(String, String, Member, String)> },
}

impl Wanted {
    fn of<'a>(objects: impl IntoIterator<Item = &'a ObjectRef>) -> Wanted {
        let (mut relations, mut members) = (HashSet::new(), HashSet::new());
        for o in objects {
            relations.insert((o.schema.clone(), o.relation.clone()));
            if let (Some(m), Some(name)) = (Member::of(o.kind), &o.member) {
                members.insert((o.schema.clone(), o.relation.clone(), m, name.clone()));
            }
        }
        Wanted::Only { relations, members }
    }

    fn relation(&self, key: &(String, String)) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Only { relations, .. } => relations.contains(key),
        }
    }

    fn member(&self, key: &(String, String, Member, String)) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Only { members, .. } => members.contains(key),
        }
    }
}

/// The one pass over the lines, whatever they come from.
struct Scan {
    wanted: Wanted,
    out: SnapshotLines,
    schema: String,
    relation: String,
    section: Option<Member>,
}

impl Scan {
    fn new(wanted: Wanted) -> Scan {
        Scan { wanted, out: SnapshotLines::default(), schema: String::new(), relation: String::new(), section: None }
    }

    /// Takes line `lineno` (1-based), without its line ending.
    fn line(&mut self, lineno: usize, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if let Some(value) = body.strip_prefix("\"name\": ") {
            let Ok(name) = serde_json::from_str::<String>(value.trim_end_matches(',')) else { return };
            match (indent, self.section) {
                (6, _) => {
                    self.out.schemas.insert(name.clone(), lineno);
                    self.schema = name;
                }
                (10, _) => {
                    let key = (self.schema.clone(), name);
                    // Tables come first; a function of the same name later must not win.
                    if self.wanted.relation(&key) && !self.out.relations.contains_key(&key) {
                        self.out.relations.insert(key.clone(), lineno);
                    }
                    self.relation = key.1;
                    self.section = None;
                }
                (14, Some(m)) | (12, Some(m @ Member::Constraint)) => {
                    let key = (self.schema.clone(), self.relation.clone(), m, name);
                    if self.wanted.member(&key) && !self.out.members.contains_key(&key) {
                        self.out.members.insert(key, lineno);
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

impl SnapshotLines {
    /// Indexes every object of the snapshot JSON `text` (as `Snapshot::to_json` writes it).
    pub fn index(text: &str) -> SnapshotLines {
        let mut scan = Scan::new(Wanted::All);
        for (i, line) in text.lines().enumerate() {
            scan.line(i + 1, line);
        }
        scan.out
    }

    /// Indexes only `objects` (the ones findings name) in the snapshot read from `reader`, a
    /// line at a time. [`SnapshotLines::line`] answers for them as an index of everything
    /// would, while neither the file's text nor an entry per object of a large schema is
    /// held in memory.
    pub fn index_for<'a>(mut reader: impl BufRead, objects: impl IntoIterator<Item = &'a ObjectRef>) -> std::io::Result<SnapshotLines> {
        let mut scan = Scan::new(Wanted::of(objects));
        let (mut line, mut lineno) = (String::new(), 0);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(scan.out);
            }
            lineno += 1;
            // The line endings `str::lines` strips, so both indexes agree.
            let body = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
            scan.line(lineno, body);
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
        let member = Member::of(object.kind);
        let key = (object.schema.clone(), object.relation.clone());
        member
            .zip(object.member.clone())
            .and_then(|(m, name)| self.members.get(&(key.0.clone(), key.1.clone(), m, name)))
            .or_else(|| self.relations.get(&key))
            .or_else(|| self.schemas.get(&object.schema))
            .copied()
            .unwrap_or(1)
    }
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
        assert_eq!((some.members.len(), some.relations.len()), (1, 1));
        assert!(lines.members.len() > 1);
    }
}
