//! `diff`: the diff engine on the introspected 2,000-table snapshot, against itself and
//! against a copy with a few changes of every common kind.

use std::hint::black_box;

use schema_gen::diff::{diff, render_json, render_text};
use schema_gen::snapshot::{Column, Table, TypeRef};
use schema_gen::Snapshot;

use crate::measure::{measure, median, secs};
use crate::report::Report;
use crate::{large, Context, RUNS};

/// The section.
pub fn section(ctx: &Context, report: &mut Report) {
    let base = ctx.snapshot();
    let changed = modified(base);
    let mut changes = Vec::new();
    let times = measure(RUNS, || changes = diff(base, &changed));
    report.target("diff", format!("diff {} tables against a copy with {} changes, median", large().0, changes.len()), secs(median(&times)), "none set", None);
    let same = measure(RUNS, || assert!(diff(base, base).is_empty(), "a snapshot differs from itself"));
    report.info("diff", "  diff of identical snapshots, median", secs(median(&same)));
    let text = measure(RUNS, || {
        black_box(render_text(&changes, "a", "b"));
    });
    let json = measure(RUNS, || {
        black_box(render_json(&changes, "a", "b"));
    });
    report.info("diff", "  render the changes as text / JSON, median", format!("{} / {}", secs(median(&text)), secs(median(&json))));
}

/// A copy with a few changes of each common kind: 1% of tables lose a column, gain one, and
/// have a type changed; 5 tables dropped, 5 added, an enum label added.
fn modified(base: &Snapshot) -> Snapshot {
    let mut s = base.clone();
    let Some(public) = s.schemas.iter_mut().find(|s| s.name == "public") else { panic!("the bench snapshot has no public schema") };
    let n = public.tables.len();
    for (k, t) in public.tables.iter_mut().enumerate().filter(|(k, _)| k % 100 == 7) {
        t.columns.retain(|c| c.name != "updated_at");
        let ordinal = t.columns.len() as u32 + 1;
        let text = TypeRef { schema: "pg_catalog".into(), name: "text".into(), ..TypeRef::default() };
        t.columns.push(Column { name: "added_col".into(), ordinal, sql_type: "text".into(), type_ref: text, nullable: true, ..Column::default() });
        if let Some(c) = t.columns.iter_mut().find(|c| c.name.starts_with("c00_")) {
            c.sql_type = format!("{}-changed-{k}", c.sql_type);
        }
    }
    public.tables.truncate(n.saturating_sub(5));
    for i in 0..5 {
        let int8 = TypeRef { schema: "pg_catalog".into(), name: "int8".into(), ..TypeRef::default() };
        let id = Column { name: "id".into(), ordinal: 1, sql_type: "bigint".into(), type_ref: int8, ..Column::default() };
        public.tables.push(Table { name: format!("new_{i}"), columns: vec![id], ..Table::default() });
    }
    if let Some(e) = public.enums.first_mut() {
        e.labels.push("deleted".into());
    }
    s.normalize();
    s
}
