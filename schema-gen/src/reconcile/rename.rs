//! Explicit rename hints (`--rename public.users.username=user_name`): renames are never
//! guessed, because a drop plus an add looks the same in the catalog and loses data.

use schema_core::sql::{qualified, quote_ident};
use schema_core::Snapshot;

use super::guards::{self, do_if};
use super::{rank, Phase, Step};

/// One rename hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// The schema.
    pub schema: String,
    /// The table (its old name).
    pub table: String,
    /// The column (its old name), for a column rename.
    pub column: Option<String>,
    /// The new name.
    pub to: String,
}

impl std::str::FromStr for Rename {
    type Err = crate::Error;

    /// `schema.table=new_table` or `schema.table.column=new_column`.
    fn from_str(s: &str) -> crate::Result<Rename> {
        let bad = || crate::Error::Config(format!("bad `--rename {s}`: use `schema.table=new_name` or `schema.table.column=new_name`"));
        let (path, to) = s.split_once('=').ok_or_else(bad)?;
        let parts: Vec<&str> = path.split('.').collect();
        if to.is_empty() || parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        match parts.as_slice() {
            [schema, table] => Ok(Rename { schema: (*schema).into(), table: (*table).into(), column: None, to: to.into() }),
            [schema, table, column] => Ok(Rename { schema: (*schema).into(), table: (*table).into(), column: Some((*column).into()), to: to.into() }),
            _ => Err(bad()),
        }
    }
}

fn rename_step(path: String, sql: String) -> Step {
    Step { kind: None, path, phase: Phase::One, rank: rank::RENAME, seq: 0, sql, relation: None }
}

/// Applies the hints to `from` (so the diff sees renamed objects as the same) and returns the
/// `RENAME` steps. Each hint must name an object of `from` and a new name present in `to`.
pub(crate) fn apply(from: &mut Snapshot, to: &Snapshot, renames: &[Rename]) -> crate::Result<Vec<Step>> {
    let mut steps = Vec::new();
    for r in renames {
        let hint = match &r.column {
            Some(c) => format!("{}.{}.{c}={}", r.schema, r.table, r.to),
            None => format!("{}.{}={}", r.schema, r.table, r.to),
        };
        let err = |what: &str| crate::Error::Config(format!("`--rename {hint}`: {what}; check the names against `schema-gen diff`"));
        let target_table = match &r.column {
            Some(_) => r.table.clone(),
            None => r.to.clone(),
        };
        let Some(t_to) = to.schema(&r.schema).and_then(|s| s.table(&target_table)) else { return Err(err("the new table is not in the target")) };
        let schema = from.schemas.iter_mut().find(|s| s.name == r.schema).ok_or_else(|| err("the schema is not in the current state"))?;
        let rel = qualified(&r.schema, &r.table);
        match &r.column {
            None => {
                if schema.tables.iter().any(|t| t.name == r.to) {
                    continue;
                }
                let t = schema.tables.iter_mut().find(|t| t.name == r.table).ok_or_else(|| err("the table is not in the current state"))?;
                let (old_q, new_q) = (format!(" ON {}.{} ", r.schema, r.table), format!(" ON {}.{} ", r.schema, r.to));
                t.name = r.to.clone();
                for i in &mut t.indexes {
                    i.definition = i.definition.replace(&old_q, &new_q);
                }
                for g in &mut t.triggers {
                    g.definition = g.definition.replace(&old_q, &new_q);
                }
                schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
                for s in &mut from.schemas {
                    for t in &mut s.tables {
                        for f in &mut t.foreign_keys {
                            if f.references.schema == r.schema && f.references.name == r.table {
                                f.references.name = r.to.clone();
                            }
                        }
                    }
                }
                steps.push(rename_step(format!("{}.{}", r.schema, r.table), format!("ALTER TABLE IF EXISTS {rel} RENAME TO {}", quote_ident(&r.to))));
            }
            Some(c) => {
                if !t_to.columns.iter().any(|x| x.name == r.to) {
                    return Err(err("the new column is not in the target"));
                }
                let t = schema.tables.iter_mut().find(|t| t.name == r.table).ok_or_else(|| err("the table is not in the current state"))?;
                if t.columns.iter().any(|x| x.name == r.to) {
                    continue;
                }
                let col = t.columns.iter_mut().find(|x| x.name == *c).ok_or_else(|| err("the column is not in the current state"))?;
                col.name = r.to.clone();
                let fix = |list: &mut Vec<String>| list.iter_mut().filter(|x| *x == c).for_each(|x| *x = r.to.clone());
                if let Some(pk) = &mut t.primary_key {
                    fix(&mut pk.columns);
                }
                t.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
                t.foreign_keys.iter_mut().for_each(|f| fix(&mut f.columns));
                t.indexes.iter_mut().for_each(|i| fix(&mut i.columns));
                let cond = format!("{} AND NOT {}", guards::column_exists(&r.schema, &r.table, c), guards::column_exists(&r.schema, &r.table, &r.to));
                let sql = do_if(&cond, &format!("ALTER TABLE {rel} RENAME COLUMN {} TO {}", quote_ident(c), quote_ident(&r.to)));
                steps.push(rename_step(format!("{}.{}.{c}", r.schema, r.table), sql));
            }
        }
    }
    Ok(steps)
}
