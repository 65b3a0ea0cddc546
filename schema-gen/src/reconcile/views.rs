//! Steps for views and materialized views: replaced in place when compatible (`CREATE OR
//! REPLACE VIEW` keeps the old columns as a prefix), else dropped and created again in
//! dependency order, with their comments, privileges, indexes and triggers restored.
//!
//! Dependencies between views, and of views on tables, are read from the definitions (which the
//! catalog prints schema-qualified): the snapshot holds no `pg_depend`.

use std::collections::{BTreeMap, BTreeSet};

use schema_core::snapshot::{Schema, View};
use schema_core::sql::{qualified, quote_ident};
use schema_core::Snapshot;

use super::guards::{self, do_if};
use super::table_sql::{mentions, trigger_sql};
use super::{objects, rank, step, Ctx, Hazard as H, Outcome, Step};
use crate::diff::{Change, ChangeKind as K};

/// True when `s.n` names a view on either side.
pub(crate) fn is_view(ctx: &Ctx<'_>, s: &str, n: &str) -> bool {
    let has = |x: Option<&Schema>| x.is_some_and(|x| x.view(n).is_some());
    has(ctx.old_schema(s)) || has(ctx.new_schema(s))
}

/// True when `def` refers to relation `s.n`.
fn refers(def: &str, s: &str, n: &str) -> bool {
    def.contains(&qualified(s, n)) || mentions(def, &format!("{s}.{n}"))
}

/// Old columns are a prefix of the new ones (same names and types): `CREATE OR REPLACE` works.
fn compatible(a: &View, b: &View) -> bool {
    !a.materialized && !b.materialized && a.columns.len() <= b.columns.len() && a.columns.iter().zip(&b.columns).all(|(x, y)| x.name == y.name && x.sql_type == y.sql_type)
}

/// The views that must be dropped and created again: incompatible changes, views on a table
/// whose column types change, and (transitively) views on those.
pub(crate) fn recreated(ctx: &Ctx<'_>, changes: &[Change]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for a in &ctx.from.schemas {
        let Some(b) = ctx.new_schema(&a.name) else { continue };
        for v in &a.views {
            if let Some(w) = b.view(&v.name) {
                let changed = v.definition != w.definition || v.columns != w.columns || v.materialized != w.materialized;
                if changed && !(compatible(v, w) && v.columns.iter().zip(&w.columns).all(|(x, y)| x == y)) {
                    out.insert((a.name.clone(), v.name.clone()));
                }
            }
        }
    }
    let retyped: BTreeSet<(&str, &str)> = changes.iter().filter(|c| c.kind == K::ColumnTypeChanged).map(|c| (c.schema.as_str(), c.object.as_str())).collect();
    let in_both = |s: &str, n: &str| ctx.new_schema(s).and_then(|x| x.view(n)).is_some();
    loop {
        let before = out.len();
        for a in &ctx.from.schemas {
            for v in &a.views {
                let key = (a.name.clone(), v.name.clone());
                if out.contains(&key) || !in_both(&a.name, &v.name) {
                    continue;
                }
                let on_table = retyped.iter().any(|(s, t)| refers(&v.definition, s, t));
                let on_view = out.iter().any(|(s, n)| refers(&v.definition, s, n));
                if on_table || on_view {
                    out.insert(key);
                }
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// How many views `s.n` sits on top of, in `snap` (0: only tables).
fn depth(snap: &Snapshot, s: &str, n: &str) -> u16 {
    fn go(snap: &Snapshot, s: &str, n: &str, seen: &mut BTreeMap<(String, String), u16>, stack: &mut BTreeSet<(String, String)>) -> u16 {
        let key = (s.to_owned(), n.to_owned());
        if let Some(d) = seen.get(&key) {
            return *d;
        }
        let Some(v) = snap.schema(s).and_then(|x| x.view(n)) else { return 0 };
        if !stack.insert(key.clone()) {
            return 0;
        }
        let mut d = 0;
        for x in &snap.schemas {
            for u in &x.views {
                if (x.name != s || u.name != n) && refers(&v.definition, &x.name, &u.name) {
                    d = d.max(1 + go(snap, &x.name, &u.name, seen, stack));
                }
            }
        }
        stack.remove(&key);
        seen.insert(key, d);
        d
    }
    go(snap, s, n, &mut BTreeMap::new(), &mut BTreeSet::new()).min(8)
}

fn noun(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

fn definition(v: &View) -> &str {
    v.definition.trim().trim_end_matches(';')
}

fn drop_view(change: Option<&Change>, from: &Snapshot, s: &str, v: &View) -> Step {
    let sql = format!("DROP {} IF EXISTS {}", noun(v), qualified(s, &v.name));
    let r = rank::DROP_VIEW - depth(from, s, &v.name).min(4);
    match change {
        Some(c) => step(c, r, sql),
        None => Step { kind: None, path: format!("{s}.{}", v.name), phase: super::Phase::One, rank: r, seq: 0, sql, relation: None },
    }
}

/// Creates view `v` of schema `s` and everything on it.
fn create_view(change: &Change, to: &Snapshot, s: &str, v: &View) -> Vec<Step> {
    let q = qualified(s, &v.name);
    let r = rank::VIEW + depth(to, s, &v.name);
    let sql = if v.materialized {
        do_if(&format!("NOT ({})", guards::relation_exists(s, &v.name)), &format!("CREATE MATERIALIZED VIEW {q} AS {} WITH DATA", definition(v)))
    } else {
        format!("CREATE OR REPLACE VIEW {q} AS {}", definition(v))
    };
    let mut steps = vec![step(change, r, sql)];
    if let Some(c) = &v.comment {
        steps.push(step(change, rank::COMMENT, view_comment(s, v, Some(c))));
    }
    for c in v.columns.iter().filter(|c| c.comment.is_some()) {
        steps.push(step(change, rank::COMMENT, column_comment(s, &v.name, &c.name, c.comment.as_deref())));
    }
    for g in &v.grants {
        steps.push(step(change, rank::GRANT, objects::grant_sql(g, &format!("TABLE {q}"), None)));
    }
    for i in &v.indexes {
        steps.push(step(change, rank::VIEW_EXTRA, index_sql(&i.definition)));
    }
    for t in &v.triggers {
        steps.push(step(change, rank::TRIGGER, trigger_sql(s, &v.name, t)));
    }
    steps
}

fn index_sql(def: &str) -> String {
    for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = def.strip_prefix(prefix) {
            return format!("{prefix}IF NOT EXISTS {rest}");
        }
    }
    def.to_owned()
}

fn view_comment(s: &str, v: &View, want: Option<&str>) -> String {
    do_if(&guards::comment_differs(&guards::regclass(s, &v.name), "pg_class", want), &guards::comment_sql(&format!("{} {}", noun(v), qualified(s, &v.name)), want))
}

fn column_comment(s: &str, n: &str, c: &str, want: Option<&str>) -> String {
    do_if(&guards::column_comment_differs(s, n, c, want), &guards::comment_sql(&format!("COLUMN {}.{}", qualified(s, n), quote_ident(c)), want))
}

/// Steps for one change on a view.
pub(crate) fn view(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let (s, n) = (change.schema.as_str(), change.object.as_str());
    let old = ctx.old_schema(s).and_then(|x| x.view(n));
    let new = ctx.new_schema(s).and_then(|x| x.view(n));
    if ctx.recreated_views.contains(&(s.to_owned(), n.to_owned())) {
        return Outcome::Covered;
    }
    let sub = change.path.strip_prefix(&format!("{s}.{n}.")).unwrap_or("");
    match change.kind {
        K::ViewAdded => match new {
            Some(v) => Outcome::Steps(create_view(change, ctx.to, s, v), vec![]),
            None => Outcome::Refuse("the view is not in the target snapshot".into()),
        },
        K::ViewRemoved => match old {
            Some(v) => Outcome::Steps(vec![drop_view(Some(change), ctx.from, s, v)], vec![]),
            None => Outcome::Covered,
        },
        K::ViewDefinitionChanged => match new {
            Some(v) => Outcome::Steps(vec![step(change, rank::VIEW + depth(ctx.to, s, n), format!("CREATE OR REPLACE VIEW {} AS {}", qualified(s, n), definition(v)))], vec![]),
            None => Outcome::Covered,
        },
        K::ViewCommentChanged => match new {
            Some(v) => Outcome::Steps(vec![step(change, rank::COMMENT, view_comment(s, v, v.comment.as_deref()))], vec![]),
            None => Outcome::Covered,
        },
        K::ColumnCommentChanged => {
            let want = new.and_then(|v| v.columns.iter().find(|c| c.name == sub)).and_then(|c| c.comment.as_deref());
            Outcome::Steps(vec![step(change, rank::COMMENT, column_comment(s, n, sub, want))], vec![])
        }
        K::TriggerAdded | K::TriggerChanged | K::TriggerRemoved => {
            let mut steps = Vec::new();
            if change.kind != K::TriggerAdded {
                steps.push(step(change, rank::DROP_TRIGGER, format!("DROP TRIGGER IF EXISTS {} ON {}", quote_ident(sub), qualified(s, n))));
            }
            if let Some(t) = new.and_then(|v| v.triggers.iter().find(|t| t.name == sub)) {
                steps.push(step(change, rank::TRIGGER, trigger_sql(s, n, t)));
            }
            Outcome::Steps(steps, vec![])
        }
        K::IndexAdded | K::IndexChanged | K::IndexRemoved => {
            let mut steps = Vec::new();
            if change.kind != K::IndexAdded {
                steps.push(step(change, rank::DROP_INDEX, format!("DROP INDEX IF EXISTS {}", qualified(s, sub))));
            }
            if let Some(i) = new.and_then(|v| v.indexes.iter().find(|i| i.name == sub)) {
                steps.push(step(change, rank::VIEW_EXTRA, index_sql(&i.definition)));
            }
            Outcome::Steps(steps, vec![H::IndexBuild])
        }
        // Column lists follow the definition; kind changes are recreated.
        _ => Outcome::Covered,
    }
}

/// The drop and create steps of every recreated view, attributed to the first change on it.
pub(crate) fn recreate_steps(ctx: &Ctx<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    for (s, n) in &ctx.recreated_views {
        let (Some(old), Some(new)) = (ctx.old_schema(s).and_then(|x| x.view(n)), ctx.new_schema(s).and_then(|x| x.view(n))) else { continue };
        let change = Change {
            kind: K::ViewDefinitionChanged,
            severity: crate::diff::Severity::Breaking,
            schema: s.clone(),
            object: n.clone(),
            path: format!("{s}.{n}"),
            old: None,
            new: None,
        };
        let mut drop = drop_view(Some(&change), ctx.from, s, old);
        drop.sql = do_if(&recreate_condition(ctx, s, old, new), &drop.sql);
        steps.push(drop);
        steps.extend(create_view(&change, ctx.to, s, new));
    }
    steps
}


/// The kind and output columns of view `s.n` as the catalog has them now, e.g.
/// `v:id integer, name text` (NULL when there is no such view).
fn live_signature(s: &str, n: &str) -> String {
    format!(
        "(SELECT c.relkind::text || ':' || coalesce(pg_catalog.string_agg(a.attname::text || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum), '') \
         FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE c.oid = pg_catalog.to_regclass({}) GROUP BY c.relkind)",
        schema_core::sql::quote_literal(&qualified(s, n))
    )
}

/// The signature a view will have once created from `v`.
fn wanted_signature(v: &View) -> String {
    let cols = v.columns.iter().map(|c| format!("{} {}", c.name, c.sql_type)).collect::<Vec<_>>().join(", ");
    format!("{}:{cols}", if v.materialized { "m" } else { "v" })
}

/// When a recreated view must be dropped: while it, or a recreated view it is built on, does
/// not have its target signature yet. So a second run of the script drops nothing, even once
/// new views depend on the recreated ones. A materialized view whose query alone changed is
/// always rebuilt.
fn recreate_condition(ctx: &Ctx<'_>, s: &str, old: &View, new: &View) -> String {
    if old.materialized && new.materialized && old.columns == new.columns {
        return "true".to_owned();
    }
    let mut conds = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo = vec![(s.to_owned(), old.name.clone())];
    while let Some((xs, xn)) = todo.pop() {
        if !seen.insert((xs.clone(), xn.clone())) {
            continue;
        }
        let (Some(a), Some(b)) = (ctx.old_schema(&xs).and_then(|x| x.view(&xn)), ctx.new_schema(&xs).and_then(|x| x.view(&xn))) else { continue };
        conds.push(format!("{} IS DISTINCT FROM {}", live_signature(&xs, &xn), schema_core::sql::quote_literal(&wanted_signature(b))));
        for (ys, yn) in &ctx.recreated_views {
            if (ys, yn) != (&xs, &xn) && refers(&a.definition, ys, yn) {
                todo.push((ys.clone(), yn.clone()));
            }
        }
    }
    conds.join(" OR ")
}
