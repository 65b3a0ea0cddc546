//! Lines of objects in a committed snapshot file, so SARIF and GitHub annotations can point
//! code-scanning UIs at a real file and line.
//!
//! The snapshot is written by one deterministic pretty-printer (two-space indent), so an
//! object's `"name"` sits at a known depth: schemas at 6 spaces, their tables, views and types
//! at 10, and columns, indexes and constraints at 14 (12 for the primary key object). One pass
//! over the text records those lines; anything unrecognised falls back to its parent's line.

use std::collections::HashMap;

use super::{ObjectKind, ObjectRef};

/// Which list of a relation a member name was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Member {
    Column,
    Index,
    Constraint,
}

/// Object → 1-based line in one snapshot file.
#[derive(Debug, Clone, Default)]
pub struct SnapshotLines {
    schemas: HashMap<String, usize>,
    relations: HashMap<(String, String), usize>,
    members: HashMap<(String, String, Member, String), usize>,
}

impl SnapshotLines {
    /// Indexes the snapshot JSON `text` (as `Snapshot::to_json` writes it).
    pub fn index(text: &str) -> SnapshotLines {
        let mut out = SnapshotLines::default();
        let (mut schema, mut relation) = (String::new(), String::new());
        let mut section: Option<Member> = None;
        for (i, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            let body = &line[indent..];
            let lineno = i + 1;
            if let Some(value) = body.strip_prefix("\"name\": ") {
                let Ok(name) = serde_json::from_str::<String>(value.trim_end_matches(',')) else { continue };
                match (indent, section) {
                    (6, _) => {
                        out.schemas.insert(name.clone(), lineno);
                        schema = name;
                    }
                    (10, _) => {
                        // Tables come first; a function of the same name later must not win.
                        out.relations.entry((schema.clone(), name.clone())).or_insert(lineno);
                        relation = name;
                        section = None;
                    }
                    (14, Some(m)) | (12, Some(m @ Member::Constraint)) => {
                        out.members.entry((schema.clone(), relation.clone(), m, name)).or_insert(lineno);
                    }
                    _ => {}
                }
            } else if indent == 10 {
                // A key of a relation: which member list follows.
                section = match body.split(':').next().unwrap_or("") {
                    "\"columns\"" => Some(Member::Column),
                    "\"indexes\"" => Some(Member::Index),
                    "\"primary_key\"" | "\"foreign_keys\"" | "\"uniques\"" | "\"checks\"" | "\"exclusions\"" => Some(Member::Constraint),
                    _ => None,
                };
            }
        }
        out
    }

    /// The line of `object`, else of its relation, else of its schema, else 1.
    pub fn line(&self, object: &ObjectRef) -> usize {
        let member = match object.kind {
            ObjectKind::Column => Some(Member::Column),
            ObjectKind::Index => Some(Member::Index),
            ObjectKind::Constraint => Some(Member::Constraint),
            _ => None,
        };
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
    }
}
