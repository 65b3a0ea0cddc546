//! Unique, deterministic anchor ids for every documented object.
//!
//! Links point at explicit `<a id="..."></a>` anchors rather than at GitHub's heading slugs,
//! because heading slugs depend on the rendered heading text (and GitHub's de-duplication
//! order), while these ids depend only on the object's identity. Two objects whose slugs
//! collide (`Users` and `users`) get `-2`, `-3`... in snapshot order, which is itself sorted.

use std::collections::{BTreeMap, BTreeSet};

use schema_core::Snapshot;

use super::escape::slug;

/// What an anchor points at: a kind (`schema`, `table`, `view`, `enum`, ...), a schema and a name.
type Key = (&'static str, String, String);

/// Every anchor of one document.
#[derive(Debug, Default)]
pub struct Anchors {
    ids: BTreeMap<Key, String>,
}

impl Anchors {
    /// Assigns ids to every schema, table, view, enum, domain and composite of `snapshot`.
    pub fn build(snapshot: &Snapshot) -> Anchors {
        let mut anchors = Anchors::default();
        let mut used = BTreeSet::new();
        let mut add = |kind: &'static str, schema: &str, name: &str, ids: &mut BTreeMap<Key, String>| {
            let base = if name.is_empty() { slug(&[kind, schema]) } else { slug(&[kind, schema, name]) };
            let mut id = base.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            ids.insert((kind, schema.to_owned(), name.to_owned()), id);
        };
        for s in &snapshot.schemas {
            add("schema", &s.name, "", &mut anchors.ids);
            for t in &s.tables {
                add("table", &s.name, &t.name, &mut anchors.ids);
            }
            for v in &s.views {
                add("view", &s.name, &v.name, &mut anchors.ids);
            }
            for e in &s.enums {
                add("enum", &s.name, &e.name, &mut anchors.ids);
            }
            for d in &s.domains {
                add("domain", &s.name, &d.name, &mut anchors.ids);
            }
            for c in &s.composites {
                add("composite", &s.name, &c.name, &mut anchors.ids);
            }
            if !s.sequences.is_empty() {
                add("sequences", &s.name, "", &mut anchors.ids);
            }
            for f in &s.functions {
                add("function", &s.name, &format!("{}({})", f.name, f.arguments), &mut anchors.ids);
            }
        }
        anchors
    }

    /// The id of an object, when it is in the document.
    pub fn get(&self, kind: &'static str, schema: &str, name: &str) -> Option<&str> {
        self.ids.get(&(kind, schema.to_owned(), name.to_owned())).map(String::as_str)
    }

    /// The id of a table or view (tables first, as foreign keys usually point at tables).
    pub fn relation(&self, schema: &str, name: &str) -> Option<&str> {
        self.get("table", schema, name).or_else(|| self.get("view", schema, name))
    }

    /// The `<a id>` tag for an object (empty when it has no anchor, which cannot happen for
    /// objects taken from the same snapshot).
    pub fn tag(&self, kind: &'static str, schema: &str, name: &str) -> String {
        self.get(kind, schema, name).map(|id| format!("<a id=\"{id}\"></a>\n")).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use schema_core::snapshot::{Schema, Table};

    use super::*;

    #[test]
    fn colliding_slugs_get_suffixes() {
        let snap = Snapshot {
            schemas: vec![Schema {
                name: "public".into(),
                tables: vec![Table { name: "Users".into(), ..Table::default() }, Table { name: "users".into(), ..Table::default() }],
                ..Schema::default()
            }],
            ..Snapshot::default()
        };
        let a = Anchors::build(&snap);
        assert_eq!(a.get("table", "public", "Users"), Some("table-public-users"));
        assert_eq!(a.get("table", "public", "users"), Some("table-public-users-2"));
        assert_eq!(a.get("schema", "public", ""), Some("schema-public"));
    }
}
