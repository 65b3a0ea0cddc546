//! The reverse foreign-key index: for each table, the foreign keys that point at it.

use std::collections::BTreeMap;

use schema_core::snapshot::{ForeignKey, Partition, Schema, Table};
use schema_core::Snapshot;

/// One incoming foreign key: the referencing schema, table and constraint.
pub struct Incoming<'a> {
    /// The referencing table's schema.
    pub schema: &'a Schema,
    /// The referencing table.
    pub table: &'a Table,
    /// The constraint.
    pub fk: &'a ForeignKey,
    /// The partition of `table` that declares it, for a partition's own foreign key.
    pub partition: Option<&'a Partition>,
}

/// Incoming foreign keys, keyed by the referenced `(schema, table)`. A BTreeMap and a sorted
/// walk keep the "referenced by" lists in a stable order.
pub struct ReverseRefs<'a> {
    map: BTreeMap<(String, String), Vec<Incoming<'a>>>,
}

impl<'a> ReverseRefs<'a> {
    /// Indexes every foreign key of the snapshot by its target.
    pub fn build(snapshot: &'a Snapshot) -> ReverseRefs<'a> {
        let mut map: BTreeMap<(String, String), Vec<Incoming<'a>>> = BTreeMap::new();
        for schema in &snapshot.schemas {
            for table in &schema.tables {
                for fk in &table.foreign_keys {
                    map.entry((fk.references.schema.clone(), fk.references.name.clone()))
                        .or_default()
                        .push(Incoming { schema, table, fk, partition: None });
                }
                let mut stack: Vec<&'a Partition> = table.partitions.iter().collect();
                while let Some(p) = stack.pop() {
                    for fk in &p.foreign_keys {
                        map.entry((fk.references.schema.clone(), fk.references.name.clone()))
                            .or_default()
                            .push(Incoming { schema, table, fk, partition: Some(p) });
                    }
                    stack.extend(&p.partitions);
                }
            }
        }
        ReverseRefs { map }
    }

    /// The foreign keys referencing `schema.table`, in (schema, table, constraint) order.
    pub fn to(&self, schema: &str, table: &str) -> &[Incoming<'a>] {
        self.map.get(&(schema.to_owned(), table.to_owned())).map(Vec::as_slice).unwrap_or(&[])
    }
}
