//! Inferred nullability of view columns.
//!
//! PostgreSQL records no nullability for the columns of a view or materialized view (its
//! catalog says every one may be NULL), so the assembled snapshot starts with `nullable: true`
//! everywhere. This stage reads each definition with the query checker ([`schema_queries`],
//! PostgreSQL's own parser) against the snapshot being built, and marks a column
//! `nullable: false` only where the definition *proves* it is never NULL: a NOT NULL column of
//! an inner-joined table, `WHERE x IS NOT NULL`, `COALESCE` with a non-NULL argument,
//! `count(*)`... Anything the checker cannot prove stays nullable, so the result is
//! conservative: a field generated without `Option` never meets a NULL.
//!
//! The input is the snapshot's own, already normalized, definitions (one spelling on every
//! major, see `viewdef.rs`) and the snapshot's columns, so the result is the same on every
//! PostgreSQL version. Views over views are handled by rounds: each round re-reads the views'
//! columns as the previous round left them, and the rounds stop when one proves nothing new.
//!
//! Compiled with the `queries` feature (it needs `pg_query`); without it views stay nullable.

use schema_core::Snapshot;
use schema_queries::diag::{self, Severity};
use schema_queries::scope::OutCol;
use schema_queries::{check_sql, Catalog, Options};

/// Marks every view column whose definition proves it never NULL as `nullable: false`.
/// Returns how many columns it marked.
///
/// A view is left untouched when its definition does not parse, when the checker reports an
/// error in it (a name it could not resolve makes every inference about it doubtful), or when
/// the inferred columns differ in number or names from the catalog's.
pub(crate) fn infer(snapshot: &mut Snapshot) -> usize {
    // `pg_get_viewdef` ran with `search_path = pg_catalog`: every user object is qualified, and
    // what is left unqualified is PostgreSQL's own.
    let options = Options { search_path: vec!["pg_catalog".into()] };
    let mut pending: Vec<(usize, usize)> =
        snapshot.schemas.iter().enumerate().flat_map(|(s, schema)| (0..schema.views.len()).map(move |v| (s, v))).collect();
    let mut marked = 0;
    // Each productive round marks at least one column, so this ends; the bound is a guard.
    for _ in 0..=pending.len() {
        if pending.is_empty() {
            break;
        }
        let catalog = Catalog::new(snapshot);
        let mut round = 0;
        pending.retain(|&(s, v)| {
            let view = &mut snapshot.schemas[s].views[v];
            let Some(inferred) = infer_one(&catalog, &options, &view.definition) else { return false };
            let same_shape = inferred.len() == view.columns.len() && inferred.iter().zip(&view.columns).all(|(i, c)| i.name == c.name);
            if !same_shape {
                return false;
            }
            for (column, out) in view.columns.iter_mut().zip(&inferred) {
                if column.nullable && !out.nullable {
                    column.nullable = false;
                    round += 1;
                }
            }
            // A view whose every column is proven has nothing left to learn.
            view.columns.iter().any(|c| c.nullable)
        });
        marked += round;
        if round == 0 {
            break;
        }
    }
    marked
}

/// The columns `definition` returns, or `None` when they cannot be trusted.
fn infer_one(catalog: &Catalog, options: &Options, definition: &str) -> Option<Vec<OutCol>> {
    let checked = check_sql(catalog, options, definition, None);
    // An unknown function is no reason to doubt the rest: its value is simply unknown (so
    // nullable). Any other error means a name resolved differently than on the server.
    let doubtful = checked.diagnostics.iter().any(|d| d.severity() == Severity::Error && d.rule != diag::UNKNOWN_FUNCTION);
    if doubtful {
        return None;
    }
    match checked.statements.as_slice() {
        [one] => one.columns.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::snapshot::{Column, Schema, Table, View};

    fn column(name: &str, nullable: bool) -> Column {
        Column { name: name.into(), nullable, sql_type: "integer".into(), ..Column::default() }
    }

    fn view(name: &str, definition: &str, columns: &[&str]) -> View {
        View { name: name.into(), definition: definition.into(), columns: columns.iter().map(|c| column(c, true)).collect(), ..View::default() }
    }

    fn nullability(snapshot: &Snapshot, view: &str) -> Vec<bool> {
        snapshot.schemas[0].views.iter().find(|v| v.name == view).expect("view").columns.iter().map(|c| c.nullable).collect()
    }

    fn snapshot(views: Vec<View>) -> Snapshot {
        let t = Table { name: "t".into(), columns: vec![column("a", false), column("b", true)], ..Table::default() };
        Snapshot { schemas: vec![Schema { name: "public".into(), tables: vec![t], views, ..Schema::default() }], ..Snapshot::default() }
    }

    #[test]
    fn proves_not_null_through_views_over_views_in_any_order() {
        // `top` comes first, so its base is only known in the second round.
        let mut snap = snapshot(vec![
            view("top", "SELECT a, b FROM public.base;", &["a", "b"]),
            view("base", "SELECT a, COALESCE(b, 0) AS b FROM public.t;", &["a", "b"]),
        ]);
        assert_eq!(infer(&mut snap), 4);
        assert_eq!(nullability(&snap, "base"), [false, false]);
        assert_eq!(nullability(&snap, "top"), [false, false]);
    }

    #[test]
    fn unknown_stays_nullable_and_mismatches_are_left_alone() {
        let mut snap = snapshot(vec![
            view("expr", "SELECT a, b + 1 AS c, a + 1 AS d FROM public.t;", &["a", "c", "d"]),
            view("renamed", "SELECT a FROM public.t;", &["x"]),
            view("wider", "SELECT a FROM public.t;", &["a", "b"]),
            view("broken", "SELECT a, nope FROM public.t;", &["a", "nope"]),
            view("garbage", "SELEC a;", &["a"]),
        ]);
        assert_eq!(infer(&mut snap), 2);
        assert_eq!(nullability(&snap, "expr"), [false, true, false]);
        for untouched in ["renamed", "wider", "broken", "garbage"] {
            assert!(nullability(&snap, untouched).iter().all(|n| *n), "{untouched}");
        }
    }
}
