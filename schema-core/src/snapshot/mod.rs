//! The snapshot: serde model, canonical ordering, lookups, and file I/O.

mod ddl;
pub mod lazy;
pub mod stamp;
mod io;
mod model;
mod objects;

pub use model::*;
pub use objects::*;

/// A table or a view: anything with columns that a model struct can map to.
#[derive(Debug, Clone, Copy)]
pub enum Relation<'a> {
    /// A table (ordinary, partitioned or foreign).
    Table(&'a Table),
    /// A view or materialized view.
    View(&'a View),
}

impl<'a> Relation<'a> {
    /// The relation's name.
    pub fn name(&self) -> &'a str {
        match self {
            Relation::Table(t) => &t.name,
            Relation::View(v) => &v.name,
        }
    }

    /// The relation's columns, in ordinal order.
    pub fn columns(&self) -> &'a [Column] {
        match self {
            Relation::Table(t) => &t.columns,
            Relation::View(v) => &v.columns,
        }
    }

    /// The relation's comment.
    pub fn comment(&self) -> Option<&'a str> {
        match self {
            Relation::Table(t) => t.comment.as_deref(),
            Relation::View(v) => v.comment.as_deref(),
        }
    }

    /// The column with exactly this name.
    pub fn column(&self, name: &str) -> Option<&'a Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// The primary key columns (tables only).
    pub fn primary_key(&self) -> Option<&'a PrimaryKey> {
        match self {
            Relation::Table(t) => t.primary_key.as_ref(),
            Relation::View(_) => None,
        }
    }

    /// True for views and materialized views (read-only relations).
    pub fn is_view(&self) -> bool {
        matches!(self, Relation::View(_))
    }
}

impl Schema {
    /// The sequence `OWNED BY` `table.column` of this schema (a `serial` column's), if any.
    pub fn owning_sequence(&self, table: &str, column: &str) -> Option<&Sequence> {
        self.sequences.iter().find(|q| q.owned_by.as_deref().and_then(|o| o.split_once('.')) == Some((table, column)))
    }

    /// The table with exactly this name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The view or materialized view with exactly this name.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }

    /// The table or view with exactly this name.
    pub fn relation(&self, name: &str) -> Option<Relation<'_>> {
        self.table(name).map(Relation::Table).or_else(|| self.view(name).map(Relation::View))
    }

    /// All tables and views, tables first, each group sorted by name.
    pub fn relations(&self) -> impl Iterator<Item = Relation<'_>> {
        self.tables.iter().map(Relation::Table).chain(self.views.iter().map(Relation::View))
    }
}

impl Snapshot {
    /// The schema with exactly this name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    /// Looks up a table or view by `schema.name` or a bare `name`.
    ///
    /// A bare name is searched in `public` first, then in every schema (only when it is unique
    /// there). Names are exact (case-sensitive), as stored in the catalog.
    pub fn relation(&self, qualified: &str) -> Option<(&Schema, Relation<'_>)> {
        if let Some((schema, name)) = qualified.split_once('.') {
            if let Some(s) = self.schema(schema) {
                if let Some(r) = s.relation(name) {
                    return Some((s, r));
                }
            }
        }
        if let Some(s) = self.schema("public") {
            if let Some(r) = s.relation(qualified) {
                return Some((s, r));
            }
        }
        let mut found = self.schemas.iter().filter_map(|s| s.relation(qualified).map(|r| (s, r)));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The enum type named by a [`TypeRef`] (its element type, for arrays).
    pub fn enum_type(&self, t: &TypeRef) -> Option<&EnumType> {
        self.schema(&t.schema)?.enums.iter().find(|e| e.name == t.name)
    }

    /// The domain named by a [`TypeRef`].
    pub fn domain(&self, t: &TypeRef) -> Option<&Domain> {
        self.schema(&t.schema)?.domains.iter().find(|d| d.name == t.name)
    }

    /// The composite type named by a [`TypeRef`].
    pub fn composite(&self, t: &TypeRef) -> Option<&CompositeType> {
        self.schema(&t.schema)?.composites.iter().find(|c| c.name == t.name)
    }

    /// Follows domains down to their base type, keeping the outer array dimensions.
    ///
    /// Returns the input unchanged when it is not a domain, or when the domain is not in the
    /// snapshot (e.g. its schema was filtered out). Cycles cannot occur in PostgreSQL, but the
    /// walk is bounded anyway so corrupt input cannot hang a build.
    pub fn resolve_domain(&self, t: &TypeRef) -> TypeRef {
        let mut current = t.clone();
        for _ in 0..32 {
            if current.kind != TypeKind::Domain {
                break;
            }
            let Some(d) = self.domain(&current) else { break };
            let dims = current.array_dims + d.type_ref.array_dims;
            current = TypeRef { array_dims: dims, ..d.type_ref.clone() };
        }
        current
    }

    /// Sorts every collection into canonical order, so that equal structures serialize to
    /// identical bytes regardless of the order they were discovered in.
    pub fn normalize(&mut self) {
        self.schemas.sort_by(|a, b| a.name.cmp(&b.name));
        for s in &mut self.schemas {
            s.tables.sort_by(|a, b| a.name.cmp(&b.name));
            s.views.sort_by(|a, b| a.name.cmp(&b.name));
            s.enums.sort_by(|a, b| a.name.cmp(&b.name));
            s.domains.sort_by(|a, b| a.name.cmp(&b.name));
            s.composites.sort_by(|a, b| a.name.cmp(&b.name));
            for t in &mut s.tables {
                t.columns.sort_by_key(|c| c.ordinal);
                t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
                t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
                t.checks.sort_by(|a, b| a.name.cmp(&b.name));
                t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
                t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
                sort_triggers(&mut t.triggers);
                sort_partitions(&mut t.partitions);
            }
            for v in &mut s.views {
                v.columns.sort_by_key(|c| c.ordinal);
                v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
                sort_triggers(&mut v.triggers);
            }
            for d in &mut s.domains {
                d.checks.sort_by(|a, b| a.name.cmp(&b.name));
            }
            s.sequences.sort_by(|a, b| a.name.cmp(&b.name));
            s.ranges.sort_by(|a, b| a.name.cmp(&b.name));
            s.collations.sort_by(|a, b| a.name.cmp(&b.name));
            s.functions.sort_by(|a, b| (&a.name, &a.arguments).cmp(&(&b.name, &b.arguments)));
            sort_grants(&mut s.grants);
            for q in &mut s.sequences {
                sort_grants(&mut q.grants);
            }
            for f in &mut s.functions {
                sort_grants(&mut f.grants);
            }
            for t in &mut s.tables {
                t.policies.sort_by(|a, b| a.name.cmp(&b.name));
                sort_grants(&mut t.grants);
                for c in &mut t.columns {
                    sort_grants(&mut c.grants);
                }
            }
            for v in &mut s.views {
                sort_grants(&mut v.grants);
            }
        }
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Counts of the main object kinds, for one-line summaries.
    pub fn stats(&self) -> Stats {
        let mut st = Stats { schemas: self.schemas.len(), extensions: self.extensions.len(), ..Stats::default() };
        for s in &self.schemas {
            st.sequences += s.sequences.len();
            st.functions += s.functions.len();
            st.ranges += s.ranges.len();
            st.collations += s.collations.len();
            st.tables += s.tables.len();
            st.views += s.views.len();
            st.enums += s.enums.len();
            st.domains += s.domains.len();
            st.composites += s.composites.len();
            for t in &s.tables {
                st.columns += t.columns.len();
                st.indexes += t.indexes.len();
                st.foreign_keys += t.foreign_keys.len();
                st.policies += t.policies.len();
            }
            for v in &s.views {
                st.columns += v.columns.len();
            }
        }
        st
    }
}

fn sort_grants(grants: &mut [Grant]) {
    grants.sort_by(|a, b| a.grantee.cmp(&b.grantee));
    for g in grants {
        g.privileges.sort();
        g.grantable.sort();
    }
}

fn sort_triggers(triggers: &mut [Trigger]) {
    triggers.sort_by(|a, b| a.name.cmp(&b.name));
    for tr in triggers {
        tr.events.sort();
        tr.events.dedup();
    }
}

fn sort_partitions(parts: &mut [Partition]) {
    parts.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    for p in parts {
        p.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        p.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        p.checks.sort_by(|a, b| a.name.cmp(&b.name));
        p.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        sort_triggers(&mut p.triggers);
        p.policies.sort_by(|a, b| a.name.cmp(&b.name));
        sort_grants(&mut p.grants);
        p.columns.sort_by_key(|c| c.ordinal);
        sort_partitions(&mut p.partitions);
    }
}

/// Object counts of a snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Schemas.
    pub schemas: usize,
    /// Tables.
    pub tables: usize,
    /// Views and materialized views.
    pub views: usize,
    /// Columns of tables and views.
    pub columns: usize,
    /// Table indexes.
    pub indexes: usize,
    /// Foreign keys.
    pub foreign_keys: usize,
    /// Enum types.
    pub enums: usize,
    /// Domains.
    pub domains: usize,
    /// Composite types.
    pub composites: usize,
    /// Sequences.
    pub sequences: usize,
    /// Functions, procedures and aggregates.
    pub functions: usize,
    /// Range types.
    pub ranges: usize,
    /// Collations.
    pub collations: usize,
    /// Extensions.
    pub extensions: usize,
    /// Row-level security policies.
    pub policies: usize,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // "1 schema", "2 schemas": counts are read by people, so they agree in number.
        let counts = [
            (self.schemas, "schema", "schemas"),
            (self.tables, "table", "tables"),
            (self.views, "view", "views"),
            (self.columns, "column", "columns"),
            (self.indexes, "index", "indexes"),
            (self.foreign_keys, "foreign key", "foreign keys"),
            (self.enums, "enum", "enums"),
            (self.domains, "domain", "domains"),
            (self.composites, "composite type", "composite types"),
        ];
        // The kinds the whole-catalog work added are named only when present, so the line of a
        // schema without them reads as before.
        let optional = [
            (self.sequences, "sequence", "sequences"),
            (self.functions, "function", "functions"),
            (self.ranges, "range type", "range types"),
            (self.collations, "collation", "collations"),
            (self.extensions, "extension", "extensions"),
            (self.policies, "policy", "policies"),
        ];
        let shown = optional.into_iter().filter(|(n, _, _)| *n > 0);
        for (i, (n, one, many)) in counts.into_iter().chain(shown).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{n} {}", if n == 1 { one } else { many })?;
        }
        Ok(())
    }
}
