//! The snapshot, indexed for name resolution: relations by `(schema, name)` with their
//! columns, and functions by `(schema, name)` with the arities of their overloads.

use std::collections::{HashMap, HashSet};

use schema_core::snapshot::{Column, Identity, Partition};
use schema_core::Snapshot;

/// What kind of relation a name resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelKind {
    /// A table, partitioned table, partition or foreign table: it has system columns.
    Table,
    /// A view or materialized view.
    View,
}

/// One column of a relation, as the checker needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatColumn {
    /// The column name.
    pub name: String,
    /// The type as PostgreSQL prints it (`format_type`), e.g. `timestamp with time zone`.
    pub sql_type: String,
    /// The internal type name, arrays with a leading `_` (`int4`, `_text`), as a client's
    /// row description names it.
    pub typname: String,
    /// False when the column is `NOT NULL`.
    pub nullable: bool,
    /// True when an INSERT may leave it out: a default, an identity or a generated column.
    pub has_default: bool,
    /// `GENERATED ALWAYS AS IDENTITY`.
    pub identity_always: bool,
    /// `GENERATED ALWAYS AS (expr)`.
    pub generated: bool,
}

/// A table or view.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The schema.
    pub schema: String,
    /// The name.
    pub name: String,
    /// Table or view.
    pub kind: RelKind,
    /// The columns, in order.
    pub columns: Vec<CatColumn>,
}

/// The arities one function name accepts, over its overloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    /// The largest number of arguments any overload takes; `None` when one is `VARIADIC`.
    pub max: Option<usize>,
}

/// The snapshot, indexed.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    relations: HashMap<(String, String), Relation>,
    functions: HashMap<(String, String), Arity>,
    schemas: HashSet<String>,
    /// True when the snapshot records extensions, whose objects it leaves out: an unknown
    /// function may be theirs, so it is not reported.
    pub has_extensions: bool,
}

fn cat_column(c: &Column) -> CatColumn {
    let t = &c.type_ref;
    let typname = if t.array_dims > 0 { format!("_{}", t.name) } else { t.name.clone() };
    CatColumn {
        name: c.name.clone(),
        sql_type: c.sql_type.clone(),
        typname,
        nullable: c.nullable,
        has_default: c.default.is_some() || c.identity.is_some() || c.generated.is_some(),
        identity_always: c.identity == Some(Identity::Always),
        generated: c.generated.is_some(),
    }
}

/// Counts the input arguments of an identity argument list (`a integer, OUT b text`), and
/// whether one is `VARIADIC`.
fn count_arguments(args: &str) -> (usize, bool) {
    let (mut depth, mut parts, mut current) = (0i32, Vec::new(), String::new());
    for ch in args.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    parts.push(current);
    let mut n = 0;
    let mut variadic = false;
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let lower = p.to_ascii_lowercase();
        if lower.starts_with("out ") {
            continue;
        }
        variadic |= lower.starts_with("variadic ");
        n += 1;
    }
    (n, variadic)
}

impl Catalog {
    /// Indexes `snapshot`.
    pub fn new(snapshot: &Snapshot) -> Catalog {
        let mut cat = Catalog { has_extensions: !snapshot.extensions.is_empty(), ..Catalog::default() };
        for schema in &snapshot.schemas {
            cat.schemas.insert(schema.name.clone());
            for t in &schema.tables {
                cat.add(&schema.name, &t.name, RelKind::Table, &t.columns);
                cat.add_partitions(&t.partitions, &t.columns);
            }
            for v in &schema.views {
                cat.add(&schema.name, &v.name, RelKind::View, &v.columns);
            }
            for f in &schema.functions {
                let (n, variadic) = count_arguments(&f.arguments);
                let entry = cat.functions.entry((schema.name.clone(), f.name.clone())).or_insert(Arity { max: Some(0) });
                entry.max = match (entry.max, variadic) {
                    (None, _) | (_, true) => None,
                    (Some(m), false) => Some(m.max(n)),
                };
            }
        }
        cat
    }

    fn add(&mut self, schema: &str, name: &str, kind: RelKind, columns: &[Column]) {
        let rel = Relation { schema: schema.into(), name: name.into(), kind, columns: columns.iter().map(cat_column).collect() };
        self.relations.insert((schema.into(), name.into()), rel);
    }

    fn add_partitions(&mut self, parts: &[Partition], parent_columns: &[Column]) {
        for p in parts {
            let cols = if p.columns.is_empty() { parent_columns } else { &p.columns };
            self.add(&p.schema, &p.name, RelKind::Table, cols);
            self.add_partitions(&p.partitions, cols);
        }
    }

    /// The relation `schema.name`.
    pub fn relation(&self, schema: &str, name: &str) -> Option<&Relation> {
        self.relations.get(&(schema.to_owned(), name.to_owned()))
    }

    /// True when the snapshot has the schema.
    pub fn has_schema(&self, schema: &str) -> bool {
        self.schemas.contains(schema)
    }

    /// The arity of function `schema.name`, when the snapshot has it.
    pub fn function(&self, schema: &str, name: &str) -> Option<Arity> {
        self.functions.get(&(schema.to_owned(), name.to_owned())).copied()
    }

    /// Relation names of the given schemas, for "did you mean".
    pub fn relation_names<'a>(&'a self, schemas: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        self.relations.keys().filter(move |(s, _)| schemas.contains(s)).map(|(_, n)| n.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_input_arguments() {
        assert_eq!(count_arguments(""), (0, false));
        assert_eq!(count_arguments("a integer, b numeric(10,2)"), (2, false));
        assert_eq!(count_arguments("a integer, OUT b text"), (1, false));
        assert_eq!(count_arguments("VARIADIC xs text[]"), (1, true));
    }
}
