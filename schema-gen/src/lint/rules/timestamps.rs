//! The timestamps convention: `created_at timestamptz NOT NULL DEFAULT now()`, and
//! `updated_at` maintained as `[lint.timestamps] mode` says.

use schema_core::snapshot::{Column, TriggerEvent, TriggerTiming};

use super::{ident, TableCtx};
use crate::findings::{ObjectKind, ObjectRef};
use crate::lint::config::{glob_match, UpdatedMode};
use crate::lint::Emitter;

pub(super) fn check(t: &TableCtx<'_>, e: &mut Emitter<'_>) {
    if !t.is_stored() {
        return;
    }
    let cfg = &e.config.timestamps;
    let (schema, table) = (&t.schema.name, &t.table.name);
    let column_ref = |c: &str| ObjectRef::member(ObjectKind::Column, schema, table, c);
    let table_ref = ObjectRef::relation(ObjectKind::Table, schema, table);
    let accepted = |c: &Column| c.default.as_deref().is_some_and(|d| cfg.accepted_defaults.iter().any(|a| a == d));
    let expected_default = cfg.accepted_defaults.first().map(String::as_str).unwrap_or("now()").to_owned();

    match t.table.columns.iter().find(|c| c.name == cfg.created) {
        None => e.emit(
            "timestamps-missing-created-at",
            table_ref.clone(),
            format!("no `{}` column", cfg.created),
            Some(format!("ALTER TABLE {} ADD COLUMN {} timestamptz NOT NULL DEFAULT {expected_default};", t.sql_name(), ident(&cfg.created))),
        ),
        Some(c) => {
            if c.nullable {
                e.emit("timestamps-created-at-nullable", column_ref(&c.name), "is nullable".into(), Some(format!("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;", t.sql_name(), ident(&c.name))));
            }
            if !accepted(c) {
                let got = c.default.as_deref().map_or("no default".to_owned(), |d| format!("default `{d}`"));
                e.emit(
                    "timestamps-created-at-default",
                    column_ref(&c.name),
                    format!("has {got}, expected one of {}", list(&cfg.accepted_defaults)),
                    Some(format!("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {expected_default};", t.sql_name(), ident(&c.name))),
                );
            }
        }
    }

    let qualified = format!("{schema}.{table}");
    let append_only = cfg.append_only.iter().any(|g| glob_match(g, &qualified));
    match t.table.columns.iter().find(|c| c.name == cfg.updated) {
        None if append_only => {}
        None => e.emit(
            "timestamps-missing-updated-at",
            table_ref,
            format!("no `{}` column (list the table in `[lint.timestamps] append_only` if rows are never updated)", cfg.updated),
            Some(format!("ALTER TABLE {} ADD COLUMN {} timestamptz NOT NULL DEFAULT {expected_default};", t.sql_name(), ident(&cfg.updated))),
        ),
        Some(c) => {
            if c.nullable {
                e.emit("timestamps-updated-at-nullable", column_ref(&c.name), "is nullable".into(), Some(format!("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;", t.sql_name(), ident(&c.name))));
            }
            // The snapshot has the trigger's function, not its body: "a BEFORE UPDATE row trigger
            // calling one of the configured functions" is what can be checked.
            let trigger = t.table.triggers.iter().find(|tr| {
                tr.timing == TriggerTiming::Before
                    && tr.for_each_row
                    && tr.events.contains(&TriggerEvent::Update)
                    && (cfg.trigger_functions.is_empty() || cfg.trigger_functions.contains(&tr.function))
            });
            let mut problems = Vec::new();
            match cfg.mode {
                UpdatedMode::Database => {
                    if !accepted(c) {
                        problems.push(format!("no accepted default (one of {})", list(&cfg.accepted_defaults)));
                    }
                    if trigger.is_none() {
                        let which = if cfg.trigger_functions.is_empty() { String::new() } else { format!(" calling {}", list(&cfg.trigger_functions)) };
                        problems.push(format!("no BEFORE UPDATE FOR EACH ROW trigger{which}"));
                    }
                }
                UpdatedMode::Application => {
                    if let Some(d) = &c.default {
                        problems.push(format!("a server default `{d}`"));
                    }
                    if let Some(tr) = trigger {
                        problems.push(format!("trigger `{}` calling `{}`", tr.name, tr.function));
                    }
                }
            }
            if !problems.is_empty() {
                let mode = match cfg.mode {
                    UpdatedMode::Database => "database-managed (`mode = \"database\"`) but has",
                    UpdatedMode::Application => "application-managed (`mode = \"application\"`) but has",
                };
                e.emit("timestamps-updated-at-policy", column_ref(&c.name), format!("is {mode} {}", problems.join(" and ")), None);
            }
        }
    }

    for c in &t.table.columns {
        let convention = c.name == cfg.created || c.name == cfg.updated;
        if (convention || cfg.all_columns) && c.type_ref.is_builtin("timestamp") && c.type_ref.array_dims == 0 {
            e.emit(
                "timestamps-without-time-zone",
                column_ref(&c.name),
                "is `timestamp without time zone`; use `timestamptz`".into(),
                Some(format!("ALTER TABLE {} ALTER COLUMN {} TYPE timestamptz USING {} AT TIME ZONE 'UTC';", t.sql_name(), ident(&c.name), ident(&c.name))),
            );
        }
    }
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}
