//! PostgreSQL's name scoping, as the parser's analysis applies it: the sources of one query
//! level (FROM items, joins with their merged columns), the CTEs it sees, and the enclosing
//! levels a correlated reference may reach.
//!
//! Like PostgreSQL's namespace items, a source is *rel-visible* (reachable as `alias.col`) and
//! *cols-visible* (reachable unqualified) independently: the children of a join lose their
//! unqualified visibility to the join, which carries their columns (USING/NATURAL columns
//! merged); an aliased join hides its children's names too.

use std::collections::HashSet;

use serde::Serialize;

/// A column identity: the source that first produced it and its position there, so that a
/// `WHERE x IS NOT NULL` proof reaches the same column through a join.
pub type ColId = (usize, usize);

/// One output column of a query, or one column of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutCol {
    /// The column name.
    pub name: String,
    /// The SQL type as PostgreSQL prints it, when known.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub sql_type: Option<String>,
    /// The internal type name (`int4`, `_text`), as a client's row description has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typname: Option<String>,
    /// False only when the query proves the column never NULL.
    pub nullable: bool,
    /// Where the value comes from, for nullability proofs.
    #[serde(skip)]
    pub id: Option<ColId>,
}

impl OutCol {
    /// A column of unknown type, nullable.
    pub fn unknown(name: &str) -> OutCol {
        OutCol { name: name.into(), sql_type: None, typname: None, nullable: true, id: None }
    }
}

/// One FROM item (or join, or the target of a write) of a query level.
#[derive(Debug, Clone)]
pub struct Source {
    /// Unique within one analysis.
    pub id: usize,
    /// The name a qualified reference uses (`u` for `users u`), when rel-visible.
    pub alias: Option<String>,
    /// `(schema, table)` when the item is an unaliased table, so `schema.table.col` resolves.
    pub relation: Option<(String, String)>,
    /// Its columns; `None` when unknown (a function in FROM, a relation outside the snapshot).
    pub cols: Option<Vec<OutCol>>,
    /// Reachable by unqualified names.
    pub cols_visible: bool,
    /// A table: `ctid`, `xmin`... resolve too.
    pub system: bool,
}

/// A common table expression in scope.
#[derive(Debug, Clone)]
pub struct Cte {
    /// Its name.
    pub name: String,
    /// Its output columns; `None` when unknown.
    pub cols: Option<Vec<OutCol>>,
}

/// One query level.
#[derive(Debug, Default)]
pub struct Scope<'p> {
    /// The sources of this level, in FROM order.
    pub sources: Vec<Source>,
    /// The CTEs this level defines.
    pub ctes: Vec<Cte>,
    /// The enclosing level.
    pub parent: Option<&'p Scope<'p>>,
    /// The parent's sources are out of reach (a non-LATERAL FROM item, a JOIN's ON clause),
    /// but its CTEs and the levels above it are not.
    pub skip_parent_sources: bool,
    /// Columns proven non-NULL by this level's WHERE clause.
    pub proven: HashSet<ColId>,
}

/// The system columns every table has.
pub const SYSTEM_COLUMNS: &[&str] = &["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"];

/// What an unqualified or qualified column reference resolved to.
#[derive(Debug)]
pub enum Lookup {
    /// One column.
    Found(OutCol),
    /// A source with unknown columns could hold it: not checkable.
    Unknown,
    /// In two or more sources of the nearest level that has it.
    Ambiguous,
    /// Nowhere; the names in reach, for "did you mean".
    Missing(Vec<String>),
    /// `x.col` with no source `x` in reach.
    NoSource,
}

impl<'p> Scope<'p> {
    /// A level under `parent`.
    pub fn child(parent: Option<&'p Scope<'p>>, skip_parent_sources: bool) -> Scope<'p> {
        Scope { parent, skip_parent_sources, ..Scope::default() }
    }

    /// The levels from this one outwards, each with whether its sources are in reach.
    fn levels(&self) -> impl Iterator<Item = (&Scope<'p>, bool)> {
        let mut next = Some((self, true));
        std::iter::from_fn(move || {
            let (s, reach) = next?;
            next = s.parent.map(|p| (p, !s.skip_parent_sources));
            Some((s, reach))
        })
    }

    /// The CTE `name` nearest in scope.
    pub fn cte(&self, name: &str) -> Option<&Cte> {
        self.levels().find_map(|(s, _)| s.ctes.iter().rev().find(|c| c.name == name))
    }

    fn column_of(level: &Scope<'_>, src: &Source, idx: usize, c: &OutCol) -> OutCol {
        let mut c = c.clone();
        if c.id.is_none() {
            c.id = Some((src.id, idx));
        }
        if c.id.is_some_and(|id| level.proven.contains(&id)) {
            c.nullable = false;
        }
        c
    }

    /// Resolves an unqualified column name.
    pub fn unqualified(&self, name: &str) -> Lookup {
        let mut names = Vec::new();
        for (level, reach) in self.levels() {
            if !reach {
                continue;
            }
            let mut found: Vec<OutCol> = Vec::new();
            let mut unknown = false;
            for src in level.sources.iter().filter(|s| s.cols_visible) {
                match &src.cols {
                    None => unknown = true,
                    Some(cols) => {
                        for (i, c) in cols.iter().enumerate().filter(|(_, c)| c.name == name) {
                            found.push(Scope::column_of(level, src, i, c));
                        }
                        if src.system && SYSTEM_COLUMNS.contains(&name) {
                            found.push(OutCol { nullable: false, ..OutCol::unknown(name) });
                        }
                        names.extend(cols.iter().map(|c| c.name.clone()));
                    }
                }
            }
            match found.len() {
                0 if unknown => return Lookup::Unknown,
                0 => {}
                1 => return Lookup::Found(found.pop().expect("one")),
                _ => return Lookup::Ambiguous,
            }
        }
        Lookup::Missing(names)
    }

    /// Resolves `qualifier.name`, where `qualifier` is an alias or `schema.table`.
    pub fn qualified(&self, schema: Option<&str>, table: &str, name: &str) -> Lookup {
        for (level, reach) in self.levels() {
            if !reach {
                continue;
            }
            let hit = level.sources.iter().find(|s| match schema {
                None => s.alias.as_deref() == Some(table),
                Some(sc) => s.relation.as_ref().is_some_and(|(a, b)| a == sc && b == table),
            });
            let Some(src) = hit else { continue };
            let Some(cols) = &src.cols else { return Lookup::Unknown };
            if let Some((i, c)) = cols.iter().enumerate().find(|(_, c)| c.name == name) {
                return Lookup::Found(Scope::column_of(level, src, i, c));
            }
            if src.system && SYSTEM_COLUMNS.contains(&name) {
                return Lookup::Found(OutCol { nullable: false, ..OutCol::unknown(name) });
            }
            return Lookup::Missing(cols.iter().map(|c| c.name.clone()).collect());
        }
        Lookup::NoSource
    }

    /// The source `alias` (rel-visible) nearest in scope, for `alias.*` and whole-row references.
    pub fn source(&self, schema: Option<&str>, alias: &str) -> Option<&Source> {
        self.levels().filter(|(_, reach)| *reach).find_map(|(level, _)| {
            level.sources.iter().find(|s| match schema {
                None => s.alias.as_deref() == Some(alias),
                Some(sc) => s.relation.as_ref().is_some_and(|(a, b)| a == sc && b == alias),
            })
        })
    }

    /// The columns `*` expands to at this level; `None` when one source is unknown.
    pub fn star(&self) -> Option<Vec<OutCol>> {
        let mut out = Vec::new();
        for src in self.sources.iter().filter(|s| s.cols_visible) {
            for (i, c) in src.cols.as_ref()?.iter().enumerate() {
                out.push(Scope::column_of(self, src, i, c));
            }
        }
        Some(out)
    }

    /// The columns `src.*` expands to.
    pub fn star_of(&self, src: &Source) -> Option<Vec<OutCol>> {
        let cols = src.cols.as_ref()?;
        Some(cols.iter().enumerate().map(|(i, c)| Scope::column_of(self, src, i, c)).collect())
    }
}
