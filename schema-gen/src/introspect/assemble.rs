//! Catalog rows → snapshot model: schemas, relations, types, columns and partitions.
//!
//! Rows arrive in no particular order; everything is keyed by OID while assembling (OIDs are
//! unstable across databases, so they never reach the snapshot) and sorted at the end by
//! [`Snapshot::normalize`]. Constraints, indexes and triggers are in [`super::objects`].

use std::collections::HashMap;

use postgres::types::FromSql;
use postgres::Row;
use schema_core::snapshot::{Column, CompositeField, CompositeType, Domain, EnumType, Identity, Index, Partition, Schema, Table, TableKind, Trigger, View};
use schema_core::Snapshot;

use super::queries::{self, Query};
use super::types::{type_ref, RawType};
use super::{grants, objects, schema_objects, viewdef, Session};
use crate::{Error, Result};

/// Where a relation's model lives: schema index, then index in that schema's list.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot {
    Table(usize, usize),
    View(usize, usize),
    Composite(usize, usize),
}

/// The snapshot under construction plus the OID indexes that route later rows to their owner.
#[derive(Default)]
pub(super) struct Builder {
    pub schemas: Vec<Schema>,
    schema_ix: HashMap<String, usize>,
    pub rels: HashMap<u32, Slot>,
    pub domains: HashMap<u32, (usize, usize)>,
    /// Table columns by (relid, attnum): their position in `Table::columns` until `finish`
    /// sorts them, so constraint keys can be named without another catalog join.
    attnums: HashMap<(u32, i16), usize>,
    /// Composite fields with their attnum, ordered once all rows are in.
    composite_fields: HashMap<u32, Vec<(i16, CompositeField)>>,
    /// Partition rows: (parent oid, own oid, partition).
    partition_rows: Vec<(u32, u32, Partition)>,
    /// The server's major version, for the few facts each version prints differently.
    server_major: u32,
    /// Record function bodies / privileges (see `IntrospectOptions`).
    pub function_bodies: bool,
    pub privileges: bool,
    /// Relation owners by OID, so column privileges can leave the owner's out.
    owners: HashMap<u32, String>,
    /// Installed extensions.
    pub extensions: Vec<schema_core::snapshot::Extension>,
    /// Column positions of `columns.sql`, from its first row.
    columns_ix: Option<ColumnsIx>,
    /// What partitions declare themselves, by partition OID: `schema.name` and a table-shaped
    /// holder, moved into the `Partition` once the tree is assembled.
    part_objects: HashMap<u32, (String, Table)>,
}

/// Reads a column of a catalog row, attributing a type mismatch to the query.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, column: &str, query: &Query) -> Result<T> {
    row.try_get(column).map_err(|e| Error::query(query.name, None, e))
}

/// Reads column `i` of a catalog row (see [`ColumnsIx`]).
fn get_at<'a, T: FromSql<'a>>(row: &'a Row, i: usize, query: &Query) -> Result<T> {
    row.try_get(i).map_err(|e| Error::query(query.name, None, e))
}

/// Where each column of `columns.sql` is in its rows, found once per introspection: the
/// `postgres` crate resolves a column name by scanning the row's column list on every call,
/// which on 40,000 column rows of 18 values each was a sixth of an introspection's client time.
#[derive(Clone, Copy)]
struct ColumnsIx {
    relid: usize,
    attnum: usize,
    name: usize,
    sql_type: usize,
    typmod: usize,
    ndims: usize,
    is_array: usize,
    type_schema: usize,
    type_name: usize,
    type_kind: usize,
    not_null: usize,
    identity: usize,
    generated_kind: usize,
    default_expr: usize,
    generated: usize,
    collation: usize,
    comment: usize,
    acl: usize,
}

impl ColumnsIx {
    fn of(row: &Row) -> Result<ColumnsIx> {
        let at = |name: &str| {
            row.columns().iter().position(|c| c.name() == name).ok_or_else(|| Error::Catalog {
                object: queries::COLUMNS.name.to_owned(),
                detail: format!("the query returned no `{name}` column"),
            })
        };
        Ok(ColumnsIx {
            relid: at("relid")?,
            attnum: at("attnum")?,
            name: at("name")?,
            sql_type: at("sql_type")?,
            typmod: at("typmod")?,
            ndims: at("ndims")?,
            is_array: at("is_array")?,
            type_schema: at("type_schema")?,
            type_name: at("type_name")?,
            type_kind: at("type_kind")?,
            not_null: at("not_null")?,
            identity: at("identity")?,
            generated_kind: at("generated_kind")?,
            default_expr: at("default_expr")?,
            generated: at("generated")?,
            collation: at("collation")?,
            comment: at("comment")?,
            acl: at("acl")?,
        })
    }
}

/// Assembles one row of a deferred query into the builder.
type Attach = fn(&mut Builder, &Row) -> Result<()>;

/// The queries whose rows only attach objects (constraints, indexes, triggers) to the relations
/// and columns read before them, with their assemblers. Nothing on the server side depends on
/// the other queries, so a helper connection sharing the transaction's snapshot may run them
/// concurrently (see `super::helper`).
pub(super) const DEFERRED: [(&Query, Attach); 4] = [
    (&queries::CONSTRAINTS, objects::constraint),
    (&queries::INDEXES, objects::index),
    (&queries::TRIGGERS, objects::trigger),
    (&queries::POLICIES, schema_objects::policy),
];

/// Schema-level objects that attach to nothing read later. They run on the main connection
/// while the helper works through [`DEFERRED`] (the heavier list: deparsing constraints and
/// indexes dominates an introspection), which keeps the two connections' work balanced.
const SCHEMA_OBJECTS: [(&Query, Attach); 4] = [
    (&queries::SEQUENCES, schema_objects::sequence),
    (&queries::FUNCTIONS, schema_objects::function),
    (&queries::EXTENSIONS, schema_objects::extension),
    (&queries::COLLATIONS, schema_objects::collation),
];

/// Runs every catalog query and assembles the (not yet normalized) snapshot.
///
/// With `deferred`, the [`DEFERRED`] queries were handed to a helper connection: their
/// rows are collected from it once the relations and columns they attach to are assembled. When
/// the helper could not deliver them, they run here, as they do without a helper.
pub(super) fn run(session: &mut Session<'_>, deferred: Option<&mut dyn FnMut() -> Option<Vec<Vec<Row>>>>) -> Result<Snapshot> {
    let mut b = Builder { server_major: session.version.major(), function_bodies: session.function_bodies, privileges: session.privileges, ..Builder::default() };
    session.query(&queries::SCHEMAS, |row| b.schema(row))?;
    session.query(&queries::RELATIONS, |row| b.relation(row))?;
    session.query(&queries::TYPES, |row| b.user_type(row))?;
    session.query(&queries::COLUMNS, |row| b.column(row))?;
    for (query, attach) in SCHEMA_OBJECTS {
        session.query(query, |row| attach(&mut b, row))?;
    }
    match deferred.and_then(|collect| collect()) {
        Some(results) => {
            for ((_, attach), rows) in DEFERRED.into_iter().zip(results) {
                for row in &rows {
                    attach(&mut b, row)?;
                }
            }
        }
        None => {
            for (query, attach) in DEFERRED {
                session.query(query, |row| attach(&mut b, row))?;
            }
        }
    }
    Ok(b.finish())
}

impl Builder {
    /// `schema.name` of a relation, for error messages.
    pub fn describe(&self, relid: u32) -> String {
        let (s, name) = match self.rels.get(&relid) {
            Some(Slot::Table(s, i)) => (*s, &self.schemas[*s].tables[*i].name),
            Some(Slot::View(s, i)) => (*s, &self.schemas[*s].views[*i].name),
            Some(Slot::Composite(s, i)) => (*s, &self.schemas[*s].composites[*i].name),
            None => {
                return match self.part_objects.get(&relid) {
                    Some((qualified, _)) => qualified.clone(),
                    None => format!("relation with oid {relid}"),
                }
            }
        };
        format!("{}.{}", self.schemas[s].name, name)
    }

    /// The table with this OID (or the holder of a partition's own objects), or a catalog
    /// error naming `what` was looked up.
    pub fn table_mut(&mut self, relid: u32, what: &str) -> Result<&mut Table> {
        match self.rels.get(&relid) {
            Some(Slot::Table(s, i)) => Ok(&mut self.schemas[*s].tables[*i]),
            // (NLL cannot yet return a `get_mut` borrow from one arm and use `self` in another.)
            None if self.part_objects.contains_key(&relid) => Ok(self.part_objects.get_mut(&relid).map(|(_, own)| own).expect("present")),
            _ => Err(self.missing(relid, what)),
        }
    }

    /// The index and trigger lists of the table, view or partition with this OID.
    pub fn indexes_and_triggers_mut(&mut self, relid: u32) -> Option<(&mut Vec<Index>, &mut Vec<Trigger>)> {
        match self.rels.get(&relid).copied() {
            Some(Slot::Table(s, i)) => {
                let t = &mut self.schemas[s].tables[i];
                Some((&mut t.indexes, &mut t.triggers))
            }
            Some(Slot::View(s, i)) => {
                let v = &mut self.schemas[s].views[i];
                Some((&mut v.indexes, &mut v.triggers))
            }
            Some(Slot::Composite(..)) => None,
            None => self.part_objects.get_mut(&relid).map(|(_, t)| (&mut t.indexes, &mut t.triggers)),
        }
    }

    /// The names of a table's columns `keys` (attnums), in key order.
    pub fn column_names(&self, relid: u32, keys: &[i16], what: &str) -> Result<Vec<String>> {
        let Some(Slot::Table(s, i)) = self.rels.get(&relid) else { return Err(self.missing(relid, what)) };
        let columns = &self.schemas[*s].tables[*i].columns;
        keys.iter()
            .map(|attnum| {
                self.attnums.get(&(relid, *attnum)).map(|&pos| columns[pos].name.clone()).ok_or_else(|| Error::Catalog {
                    object: what.to_owned(),
                    detail: format!("it names column number {attnum} of `{}`, which was not read", self.describe(relid)),
                })
            })
            .collect()
    }

    /// A catalog error for a row whose owning relation was not among the relations read.
    pub fn missing(&self, relid: u32, what: &str) -> Error {
        Error::Catalog { object: what.to_owned(), detail: format!("it belongs to `{}`, which is not a table read in the same snapshot", self.describe(relid)) }
    }

    /// The privileges in `acl` (a row's `acl` column) of everyone but `owner`; none when
    /// privileges are not recorded.
    pub fn grants(&self, row: &Row, query: &Query, owner: Option<&str>, object: &dyn Fn() -> String) -> Result<Vec<schema_core::snapshot::Grant>> {
        if !self.privileges {
            return Ok(Vec::new());
        }
        let acl: Option<Vec<String>> = get(row, "acl", query)?;
        grants::decode(&acl.unwrap_or_default(), owner).map_err(|detail| Error::Catalog { object: object(), detail })
    }

    pub(super) fn schema_index(&self, name: &str, object: &str) -> Result<usize> {
        self.schema_ix.get(name).copied().ok_or_else(|| Error::Catalog {
            object: format!("{name}.{object}"),
            detail: format!("its schema `{name}` was not listed by the schema query"),
        })
    }

    fn schema(&mut self, row: &Row) -> Result<()> {
        let q = &queries::SCHEMAS;
        let name: String = get(row, "name", q)?;
        let owner: Option<String> = get(row, "owner", q)?;
        let grants = self.grants(row, q, owner.as_deref(), &|| name.clone())?;
        self.schema_ix.insert(name.clone(), self.schemas.len());
        self.schemas.push(Schema { name, comment: get(row, "comment", q)?, grants, ..Schema::default() });
        Ok(())
    }

    fn relation(&mut self, row: &Row) -> Result<()> {
        let q = &queries::RELATIONS;
        let relid: u32 = get(row, "relid", q)?;
        let kind: &str = get(row, "kind", q)?;
        let schema: &str = get(row, "schema", q)?;
        let name: String = get(row, "name", q)?;
        let comment: Option<String> = get(row, "comment", q)?;
        if kind == "partition" {
            let parent: u32 = get::<Option<u32>>(row, "parent", q)?.ok_or_else(|| Error::Catalog {
                object: format!("{schema}.{name}"),
                detail: "a partition without a parent".into(),
            })?;
            let bound: Option<String> = get(row, "bound", q)?;
            self.part_objects.insert(relid, (format!("{schema}.{name}"), Table::default()));
            let owner: Option<String> = get(row, "owner", q)?;
            let partition = Partition {
                schema: schema.to_owned(),
                bound: bound.unwrap_or_default(),
                partition_key: get(row, "partition_key", q)?,
                unlogged: get(row, "unlogged", q)?,
                storage_options: get(row, "storage_options", q)?,
                row_security: get(row, "row_security", q)?,
                force_row_security: get(row, "force_row_security", q)?,
                grants: self.grants(row, q, owner.as_deref(), &|| format!("{schema}.{name}"))?,
                name,
                ..Partition::default()
            };
            self.partition_rows.push((parent, relid, partition));
            return Ok(());
        }
        let owner: Option<String> = get(row, "owner", q)?;
        let grants = self.grants(row, q, owner.as_deref(), &|| format!("{schema}.{name}"))?;
        if let Some(owner) = owner {
            self.owners.insert(relid, owner);
        }
        let s = self.schema_index(schema, &name)?;
        let sch = &mut self.schemas[s];
        let slot = match kind {
            "r" | "p" | "f" => {
                let kind = match kind {
                    "r" => TableKind::Ordinary,
                    "p" => TableKind::Partitioned,
                    _ => TableKind::Foreign,
                };
                let partition_key = get(row, "partition_key", q)?;
                sch.tables.push(Table {
                    name,
                    kind,
                    comment,
                    partition_key,
                    unlogged: get(row, "unlogged", q)?,
                    storage_options: get(row, "storage_options", q)?,
                    row_security: get(row, "row_security", q)?,
                    force_row_security: get(row, "force_row_security", q)?,
                    grants,
                    ..Table::default()
                });
                Slot::Table(s, sch.tables.len() - 1)
            }
            "v" | "m" => {
                let definition: Option<String> = get(row, "view_definition", q)?;
                let definition = definition.ok_or_else(|| Error::Catalog { object: format!("{schema}.{name}"), detail: "a view without a definition".into() })?;
                let definition = if self.server_major < 16 { viewdef::unqualify_single_relation(&definition) } else { definition };
                sch.views.push(View { name, materialized: kind == "m", comment, definition: definition.trim().to_owned(), grants, ..View::default() });
                Slot::View(s, sch.views.len() - 1)
            }
            "c" => {
                sch.composites.push(CompositeType { name, comment, fields: Vec::new() });
                Slot::Composite(s, sch.composites.len() - 1)
            }
            other => return Err(Error::Catalog { object: format!("{schema}.{name}"), detail: format!("unknown relkind `{other}`") }),
        };
        self.rels.insert(relid, slot);
        Ok(())
    }

    fn user_type(&mut self, row: &Row) -> Result<()> {
        let q = &queries::TYPES;
        let schema: &str = get(row, "schema", q)?;
        let name: String = get(row, "name", q)?;
        let kind: &str = get(row, "kind", q)?;
        let comment: Option<String> = get(row, "comment", q)?;
        let s = self.schema_index(schema, &name)?;
        match kind {
            "e" => self.schemas[s].enums.push(EnumType { name, comment, labels: get(row, "labels", q)? }),
            "r" => {
                let subtype: Option<String> = get(row, "range_subtype", q)?;
                let subtype = subtype.ok_or_else(|| Error::Catalog { object: format!("{schema}.{name}"), detail: "a range type without a subtype".into() })?;
                self.schemas[s].ranges.push(schema_core::snapshot::RangeType { name, comment, subtype, multirange: get(row, "multirange", q)? });
            }
            "d" => {
                let object = || format!("{schema}.{name}");
                let raw = RawType {
                    schema: get::<Option<&str>>(row, "type_schema", q)?.unwrap_or_default(),
                    name: get::<Option<&str>>(row, "type_name", q)?.unwrap_or_default(),
                    typtype: get::<Option<&str>>(row, "type_kind", q)?.unwrap_or_default(),
                    is_array: get(row, "is_array", q)?,
                    ndims: get(row, "ndims", q)?,
                    typmod: get(row, "typmod", q)?,
                };
                let type_ref = type_ref(raw, &object)?;
                let sql_type: Option<String> = get(row, "sql_type", q)?;
                let domain = Domain {
                    sql_type: sql_type.unwrap_or_default(),
                    type_ref,
                    not_null: get(row, "not_null", q)?,
                    default: get(row, "default_expr", q)?,
                    collation: get(row, "collation", q)?,
                    checks: Vec::new(),
                    name,
                    comment,
                };
                let typid: u32 = get(row, "typid", q)?;
                let domains = &mut self.schemas[s].domains;
                domains.push(domain);
                self.domains.insert(typid, (s, domains.len() - 1));
            }
            other => return Err(Error::Catalog { object: format!("{schema}.{name}"), detail: format!("unexpected typtype `{other}` in the type query") }),
        }
        Ok(())
    }

    fn column(&mut self, row: &Row) -> Result<()> {
        let q = &queries::COLUMNS;
        let ix = match self.columns_ix {
            Some(ix) => ix,
            None => *self.columns_ix.insert(ColumnsIx::of(row)?),
        };
        let relid: u32 = get_at(row, ix.relid, q)?;
        let attnum: i16 = get_at(row, ix.attnum, q)?;
        let name: String = get_at(row, ix.name, q)?;
        // A partition's column that differs from its parent's: kept with the partition's own
        // objects (a partition has no slot of its own).
        let slot = match self.rels.get(&relid) {
            Some(slot) => Some(*slot),
            None if self.part_objects.contains_key(&relid) => None,
            None => return Err(self.missing(relid, &name)),
        };
        let object = || format!("{}.{}", self.describe(relid), name);
        let raw = RawType {
            schema: get_at(row, ix.type_schema, q)?,
            name: get_at(row, ix.type_name, q)?,
            typtype: get_at(row, ix.type_kind, q)?,
            is_array: get_at(row, ix.is_array, q)?,
            ndims: get_at(row, ix.ndims, q)?,
            typmod: get_at(row, ix.typmod, q)?,
        };
        let type_ref = type_ref(raw, &object)?;
        let sql_type: String = get_at(row, ix.sql_type, q)?;
        let collation: Option<String> = get_at(row, ix.collation, q)?;
        let comment: Option<String> = get_at(row, ix.comment, q)?;
        let grants = if self.privileges {
            let acl: Option<Vec<String>> = get_at(row, ix.acl, q)?;
            match acl {
                Some(acl) => grants::decode(&acl, self.owners.get(&relid).map(String::as_str)).map_err(|detail| Error::Catalog { object: object(), detail })?,
                None => Vec::new(),
            }
        } else {
            Vec::new()
        };
        if let Some(Slot::Composite(..)) = slot {
            let field = CompositeField { name, sql_type, type_ref, collation, comment };
            self.composite_fields.entry(relid).or_default().push((attnum, field));
            return Ok(());
        }
        let identity = match get_at::<&str>(row, ix.identity, q)? {
            "" => None,
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            other => return Err(Error::Catalog { object: object(), detail: format!("unknown attidentity `{other}`") }),
        };
        let not_null: bool = get_at(row, ix.not_null, q)?;
        let mut column = Column {
            name,
            // The attnum for now; renumbered among live columns in `finish`.
            ordinal: attnum.max(0) as u32,
            sql_type,
            type_ref,
            nullable: !not_null,
            default: get_at(row, ix.default_expr, q)?,
            identity,
            generated: get_at(row, ix.generated, q)?,
            generated_virtual: get_at::<&str>(row, ix.generated_kind, q)? == "v",
            collation,
            comment,
            grants,
        };
        match slot {
            Some(Slot::Table(s, i)) => {
                let columns = &mut self.schemas[s].tables[i].columns;
                self.attnums.insert((relid, attnum), columns.len());
                columns.push(column);
            }
            Some(Slot::View(s, i)) => {
                // PostgreSQL does not track nullability of view columns; `view_nullability`
                // proves what it can once the snapshot is complete.
                column.nullable = true;
                self.schemas[s].views[i].columns.push(column);
            }
            Some(Slot::Composite(..)) => unreachable!("handled above"),
            None => self.part_objects.get_mut(&relid).expect("checked above").1.columns.push(column),
        }
        Ok(())
    }

    /// Orders columns and fields, assigns ordinals, and hangs partitions under their parents.
    fn finish(mut self) -> Snapshot {
        for (relid, mut fields) in std::mem::take(&mut self.composite_fields) {
            if let Some(Slot::Composite(s, i)) = self.rels.get(&relid) {
                fields.sort_by_key(|(attnum, _)| *attnum);
                self.schemas[*s].composites[*i].fields = fields.into_iter().map(|(_, f)| f).collect();
            }
        }
        for schema in &mut self.schemas {
            let column_lists = schema.tables.iter_mut().map(|t| &mut t.columns).chain(schema.views.iter_mut().map(|v| &mut v.columns));
            for columns in column_lists {
                columns.sort_by_key(|c| c.ordinal);
                for (n, c) in columns.iter_mut().enumerate() {
                    c.ordinal = n as u32 + 1;
                }
            }
        }
        self.attach_partitions();
        Snapshot { schemas: self.schemas, extensions: self.extensions, ..Snapshot::default() }
    }

    fn attach_partitions(&mut self) {
        let mut children: HashMap<u32, Vec<(u32, Partition)>> = HashMap::new();
        for (parent, oid, mut p) in std::mem::take(&mut self.partition_rows) {
            if let Some((_, own)) = self.part_objects.remove(&oid) {
                p.primary_key = own.primary_key;
                p.foreign_keys = own.foreign_keys;
                p.uniques = own.uniques;
                p.checks = own.checks;
                p.indexes = own.indexes;
                p.triggers = own.triggers;
                p.policies = own.policies;
                p.columns = own.columns;
            }
            children.entry(parent).or_default().push((oid, p));
        }
        let parents: Vec<(u32, usize, usize)> = self.rels.iter().filter_map(|(oid, slot)| match slot { Slot::Table(s, i) => Some((*oid, *s, *i)), _ => None }).collect();
        for (oid, s, i) in parents {
            let mut tree = take_tree(&mut children, oid);
            // A partition's own columns take the root table's ordinals: its attnums depend on
            // how it was made (PARTITION OF or ATTACH of a table with dropped columns).
            let root = &self.schemas[s].tables[i].columns;
            let ordinal: HashMap<&str, u32> = root.iter().map(|c| (c.name.as_str(), c.ordinal)).collect();
            set_parent_ordinals(&mut tree, &ordinal);
            self.schemas[s].tables[i].partitions = tree;
        }
        // Anything left belongs to a parent outside the snapshot (an excluded schema).
    }
}

/// Gives each partition's own columns (at any depth) the root table's ordinal of the same name.
fn set_parent_ordinals(parts: &mut [Partition], ordinal: &HashMap<&str, u32>) {
    for p in parts {
        for c in &mut p.columns {
            c.ordinal = ordinal.get(c.name.as_str()).copied().unwrap_or(0);
        }
        p.columns.sort_by_key(|c| c.ordinal);
        set_parent_ordinals(&mut p.partitions, ordinal);
    }
}

/// The partitions under `parent`, recursively. Entries are removed as they are placed, so a
/// corrupt catalog with a cycle cannot loop.
fn take_tree(children: &mut HashMap<u32, Vec<(u32, Partition)>>, parent: u32) -> Vec<Partition> {
    let Some(direct) = children.remove(&parent) else { return Vec::new() };
    direct
        .into_iter()
        .map(|(oid, mut p)| {
            p.partitions = take_tree(children, oid);
            p
        })
        .collect()
}
