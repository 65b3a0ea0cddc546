//! Catalog rows → constraints, indexes and triggers of the relations already assembled.

use postgres::Row;
use schema_core::snapshot::{CheckConstraint, ExclusionConstraint, FkAction, ForeignKey, Index, PrimaryKey, QualifiedName, Trigger, TriggerEvent, TriggerTiming, UniqueConstraint};

use super::assemble::{get, Builder};
use super::queries;
use crate::{Error, Result};

// `pg_trigger.tgtype` bits (src/include/catalog/pg_trigger.h).
const TRIGGER_TYPE_ROW: i32 = 1 << 0;
const TRIGGER_TYPE_BEFORE: i32 = 1 << 1;
const TRIGGER_TYPE_INSERT: i32 = 1 << 2;
const TRIGGER_TYPE_DELETE: i32 = 1 << 3;
const TRIGGER_TYPE_UPDATE: i32 = 1 << 4;
const TRIGGER_TYPE_TRUNCATE: i32 = 1 << 5;
const TRIGGER_TYPE_INSTEAD: i32 = 1 << 6;

/// One row of `constraints.sql`: a table constraint or a domain check.
pub(super) fn constraint(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::CONSTRAINTS;
    let relid: u32 = get(row, "relid", q)?;
    let typid: u32 = get(row, "typid", q)?;
    let name: String = get(row, "name", q)?;
    let kind: &str = get(row, "kind", q)?;
    let definition: Option<String> = get(row, "definition", q)?;
    let required_definition = |b: &Builder, definition: Option<String>| {
        definition.ok_or_else(|| Error::Catalog { object: format!("{}.{name}", b.describe(relid)), detail: "a constraint without a definition".into() })
    };

    if relid == 0 {
        // A domain constraint. PostgreSQL 17+ also records domain NOT NULL here (`n`); that
        // fact is already in `Domain::not_null`.
        let Some(&(s, i)) = b.domains.get(&typid) else {
            return Err(Error::Catalog { object: name, detail: "a domain constraint whose domain was not read".into() });
        };
        return match kind {
            "c" => {
                let definition = required_definition(b, definition)?;
                let check = check_constraint(row, name, definition)?;
                b.schemas[s].domains[i].checks.push(check);
                Ok(())
            }
            "n" => Ok(()),
            other => Err(Error::Catalog { object: format!("{}.{}", b.schemas[s].name, b.schemas[s].domains[i].name), detail: format!("unknown domain constraint type `{other}`") }),
        };
    }

    let object = format!("{}.{name}", b.describe(relid));
    let keys: Vec<i16> = get(row, "keys", q)?;
    // Check and exclusion constraints carry their columns in the definition.
    // A partition's key columns come named from the query (its columns are not read).
    let named: Option<Vec<String>> = get(row, "key_columns", q)?;
    let columns = match named {
        _ if !matches!(kind, "p" | "u" | "f") => Vec::new(),
        Some(names) => names,
        None => b.column_names(relid, &keys, &object)?,
    };
    match kind {
        "p" => b.table_mut(relid, &object)?.primary_key = Some(PrimaryKey { name, columns, without_overlaps: get(row, "period", q)? }),
        "u" => {
            let unique = UniqueConstraint {
                name,
                columns,
                nulls_not_distinct: get(row, "nulls_not_distinct", q)?,
                deferrable: get(row, "deferrable", q)?,
                without_overlaps: get(row, "period", q)?,
            };
            b.table_mut(relid, &object)?.uniques.push(unique);
        }
        "f" => {
            let ref_schema: Option<String> = get(row, "ref_schema", q)?;
            let ref_table: Option<String> = get(row, "ref_table", q)?;
            let (Some(schema), Some(table)) = (ref_schema, ref_table) else {
                return Err(Error::Catalog { object, detail: "a foreign key without a referenced table".into() });
            };
            let match_full = match get::<&str>(row, "match_type", q)? {
                "s" => false,
                "f" => true,
                other => return Err(Error::Catalog { object, detail: format!("unsupported foreign key match type `{other}`") }),
            };
            let referenced_columns = match get::<Option<Vec<String>>>(row, "ref_columns", q)? {
                Some(names) => names,
                None => b.column_names(get(row, "ref_relid", q)?, &get::<Vec<i16>>(row, "ref_keys", q)?, &object)?,
            };
            let (not_valid, not_enforced) = state(row)?;
            let on_delete_set_columns = match get::<Option<Vec<String>>>(row, "delete_set_columns", q)? {
                Some(names) => names,
                None => b.column_names(relid, &get::<Vec<i16>>(row, "delete_set_keys", q)?, &object)?,
            };
            let fk = ForeignKey {
                columns,
                references: QualifiedName { schema, name: table },
                referenced_columns,
                on_update: fk_action(get(row, "on_update", q)?, &object)?,
                on_delete: fk_action(get(row, "on_delete", q)?, &object)?,
                deferrable: get(row, "deferrable", q)?,
                initially_deferred: get(row, "deferred", q)?,
                match_full,
                on_delete_set_columns,
                period: get(row, "period", q)?,
                not_valid,
                not_enforced,
                name,
            };
            b.table_mut(relid, &object)?.foreign_keys.push(fk);
        }
        "c" => {
            let definition = required_definition(b, definition)?;
            let check = check_constraint(row, name, definition)?;
            b.table_mut(relid, &object)?.checks.push(check);
        }
        "x" => {
            let definition = required_definition(b, definition)?;
            b.table_mut(relid, &object)?.exclusions.push(ExclusionConstraint { name, definition });
        }
        // Constraint triggers are reported as triggers; NOT NULL constraints (PostgreSQL 18+)
        // are already `Column::nullable`.
        "t" | "n" => {}
        other => return Err(Error::Catalog { object, detail: format!("unknown constraint type `{other}`") }),
    }
    Ok(())
}

/// A check or foreign key's `(not_valid, not_enforced)`. A `NOT ENFORCED` constraint is never
/// validated, so `NOT VALID` is recorded only for enforced ones: that is what the DDL says.
fn state(row: &Row) -> Result<(bool, bool)> {
    let q = &queries::CONSTRAINTS;
    let enforced: bool = get(row, "enforced", q)?;
    let validated: bool = get(row, "validated", q)?;
    Ok((enforced && !validated, !enforced))
}

/// A check constraint (of a table or a domain), its definition without the state suffixes
/// `pg_get_constraintdef` appends: the state is recorded in its own fields.
fn check_constraint(row: &Row, name: String, definition: String) -> Result<CheckConstraint> {
    let (not_valid, not_enforced) = state(row)?;
    let mut definition = definition.as_str();
    if not_enforced {
        definition = definition.strip_suffix(" NOT ENFORCED").unwrap_or(definition);
    }
    if not_valid {
        definition = definition.strip_suffix(" NOT VALID").unwrap_or(definition);
    }
    Ok(CheckConstraint { name, definition: definition.to_owned(), not_valid, not_enforced })
}

fn fk_action(code: &str, object: &str) -> Result<FkAction> {
    Ok(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        other => return Err(Error::Catalog { object: object.to_owned(), detail: format!("unknown foreign key action `{other}`") }),
    })
}

/// One row of `indexes.sql`.
pub(super) fn index(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::INDEXES;
    let relid: u32 = get(row, "relid", q)?;
    let name: String = get(row, "name", q)?;
    let mut columns: Vec<String> = get(row, "parts", q)?;
    let nkeys: i32 = get(row, "nkeys", q)?;
    let include = columns.split_off((nkeys.max(0) as usize).min(columns.len()));
    let index = Index {
        unique: get(row, "is_unique", q)?,
        primary: get(row, "is_primary", q)?,
        method: get(row, "method", q)?,
        columns,
        include,
        predicate: get(row, "predicate", q)?,
        constraint: get(row, "constraint_name", q)?,
        nulls_not_distinct: get(row, "nulls_not_distinct", q)?,
        invalid: get(row, "invalid", q)?,
        definition: get(row, "definition", q)?,
        name,
    };
    match b.indexes_and_triggers_mut(relid) {
        Some((indexes, _)) => indexes.push(index),
        None => return Err(b.missing(relid, &index.name)),
    }
    Ok(())
}

/// One row of `triggers.sql`.
pub(super) fn trigger(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::TRIGGERS;
    let relid: u32 = get(row, "relid", q)?;
    let name: String = get(row, "name", q)?;
    let tgtype: i32 = get(row, "tgtype", q)?;
    let timing = if tgtype & TRIGGER_TYPE_INSTEAD != 0 {
        TriggerTiming::InsteadOf
    } else if tgtype & TRIGGER_TYPE_BEFORE != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let events: Vec<TriggerEvent> = [
        (TRIGGER_TYPE_INSERT, TriggerEvent::Insert),
        (TRIGGER_TYPE_UPDATE, TriggerEvent::Update),
        (TRIGGER_TYPE_DELETE, TriggerEvent::Delete),
        (TRIGGER_TYPE_TRUNCATE, TriggerEvent::Truncate),
    ]
    .into_iter()
    .filter(|(bit, _)| tgtype & bit != 0)
    .map(|(_, e)| e)
    .collect();
    if events.is_empty() {
        return Err(Error::Catalog { object: format!("{}.{name}", b.describe(relid)), detail: format!("trigger type {tgtype} names no event") });
    }
    let trigger = Trigger { timing, events, for_each_row: tgtype & TRIGGER_TYPE_ROW != 0, function: get(row, "function", q)?, definition: get(row, "definition", q)?, name };
    match b.indexes_and_triggers_mut(relid) {
        Some((_, triggers)) => triggers.push(trigger),
        None => return Err(b.missing(relid, &trigger.name)),
    }
    Ok(())
}
