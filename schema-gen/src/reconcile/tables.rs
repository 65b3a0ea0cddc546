//! Steps for tables and partitions: columns, keys, constraints, indexes, triggers, policies.

use schema_core::snapshot::{CheckConstraint, Column, ExclusionConstraint, ForeignKey, Index, Partition, Policy, PrimaryKey, Table, Trigger, UniqueConstraint};
use schema_core::sql::{qualified, quote_ident, quote_literal};

use super::guards::{self, do_if};
use super::table_sql::*;
use super::{rank, rel_step, step, Ctx, Hazard as H, Outcome, Step};
use crate::diff::{Change, ChangeKind as K};

/// What a table or a partition declares itself.
#[derive(Clone, Copy)]
pub(crate) struct Own<'a> {
    pub primary_key: Option<&'a PrimaryKey>,
    pub foreign_keys: &'a [ForeignKey],
    pub uniques: &'a [UniqueConstraint],
    pub checks: &'a [CheckConstraint],
    pub exclusions: &'a [ExclusionConstraint],
    pub indexes: &'a [Index],
    pub triggers: &'a [Trigger],
    pub columns: &'a [Column],
    pub policies: &'a [Policy],
    pub grants: &'a [schema_core::snapshot::Grant],
    pub row_security: bool,
    pub force_row_security: bool,
    pub unlogged: bool,
    pub storage_options: &'a [String],
    pub partitioned: bool,
}

impl<'a> Own<'a> {
    pub(crate) fn of_table(t: &'a Table) -> Self {
        Own {
            primary_key: t.primary_key.as_ref(),
            foreign_keys: &t.foreign_keys,
            uniques: &t.uniques,
            checks: &t.checks,
            exclusions: &t.exclusions,
            indexes: &t.indexes,
            triggers: &t.triggers,
            columns: &t.columns,
            policies: &t.policies,
            grants: &t.grants,
            row_security: t.row_security,
            force_row_security: t.force_row_security,
            unlogged: t.unlogged,
            storage_options: &t.storage_options,
            partitioned: t.partition_key.is_some(),
        }
    }

    pub(crate) fn of_partition(p: &'a Partition) -> Self {
        Own {
            primary_key: p.primary_key.as_ref(),
            foreign_keys: &p.foreign_keys,
            uniques: &p.uniques,
            checks: &p.checks,
            exclusions: &[],
            indexes: &p.indexes,
            triggers: &p.triggers,
            columns: &p.columns,
            policies: &p.policies,
            grants: &p.grants,
            row_security: p.row_security,
            force_row_security: p.force_row_security,
            unlogged: p.unlogged,
            storage_options: &p.storage_options,
            partitioned: p.partition_key.is_some(),
        }
    }
}

/// The relation a table-level change is on.
struct Loc<'a> {
    schema: String,
    name: String,
    /// The part of the path after the relation (`column`, `constraint`), empty for the relation.
    sub: String,
    old: Option<Own<'a>>,
    new: Option<Own<'a>>,
    new_part: Option<&'a Partition>,
    /// For a partition: its parent, schema and name.
    parent: Option<(String, String)>,
    /// The parent table on the new side (for a partition's inherited columns).
    new_table: Option<&'a Table>,
}

/// Finds partition `q` (`schema.name`) under `parts`, with its parent.
fn find_partition<'a>(parts: &'a [Partition], q: &str, parent: (&str, &str)) -> Option<(&'a Partition, (String, String))> {
    for p in parts {
        let pq = format!("{}.{}", p.schema, p.name);
        if q == pq || q.starts_with(&format!("{pq}.")) {
            if let Some(found) = find_partition(&p.partitions, q, (&p.schema, &p.name)) {
                return Some(found);
            }
            if q == pq || !p.partitions.iter().any(|c| q.starts_with(&format!("{}.{}", c.schema, c.name))) {
                return Some((p, (parent.0.to_owned(), parent.1.to_owned())));
            }
        }
    }
    None
}

fn locate<'a>(ctx: &Ctx<'a>, change: &Change) -> Loc<'a> {
    let old_t = ctx.old_schema(&change.schema).and_then(|s| s.table(&change.object));
    let new_t = ctx.new_schema(&change.schema).and_then(|s| s.table(&change.object));
    let find = |t: Option<&'a Table>| t.and_then(|t| find_partition(&t.partitions, &change.path, (&change.schema, &t.name)));
    let (op, np) = (find(old_t), find(new_t));
    if let Some((p, parent)) = np.clone().or(op.clone()) {
        let q = format!("{}.{}", p.schema, p.name);
        let sub = change.path.strip_prefix(&q).unwrap_or("").trim_start_matches('.').to_owned();
        let old_part = op.as_ref().map(|x| x.0).filter(|x| x.schema == p.schema && x.name == p.name);
        let new_part = np.as_ref().map(|x| x.0).filter(|x| x.schema == p.schema && x.name == p.name);
        return Loc {
            schema: p.schema.clone(),
            name: p.name.clone(),
            sub,
            old: old_part.map(Own::of_partition),
            new: new_part.map(Own::of_partition),
            new_part,
            parent: Some(parent),
            new_table: new_t,
        };
    }
    let tp = format!("{}.{}", change.schema, change.object);
    let sub = change.path.strip_prefix(&tp).unwrap_or("").trim_start_matches('.').to_owned();
    Loc {
        schema: change.schema.clone(),
        name: change.object.clone(),
        sub,
        old: old_t.map(Own::of_table),
        new: new_t.map(Own::of_table),
        new_part: None,
        parent: None,
        new_table: new_t,
    }
}

/// Steps for one table-level change.
pub(crate) fn table(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let loc = locate(ctx, change);
    let rel = qualified(&loc.schema, &loc.name);
    let (s, n, sub) = (loc.schema.as_str(), loc.name.as_str(), loc.sub.as_str());
    let one = |r: u16, sql: String| rel_step(change, r, &rel, sql);
    let done = |steps: Vec<Step>, hz: Vec<H>| Outcome::Steps(steps, hz);
    let existed = loc.old.is_some();
    match change.kind {
        K::TableAdded => {
            let Some(t) = ctx.new_schema(s).and_then(|x| x.table(n)) else { return missing(change) };
            let (steps, hz) = create_table(change, s, t);
            done(steps, hz)
        }
        K::TableRemoved => done(vec![step(change, rank::DROP_TABLE, format!("DROP TABLE IF EXISTS {rel}"))], vec![H::DeletesData]),
        K::TableCommentChanged => {
            let want = ctx.new_schema(s).and_then(|x| x.table(n)).and_then(|t| t.comment.as_deref());
            done(vec![one(rank::COMMENT, comment_table(s, n, want))], vec![])
        }
        K::ColumnAdded => {
            let Some(c) = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)) else { return missing(change) };
            let mut hz = Vec::new();
            if !c.nullable && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
                hz.push(H::MayFailOnData);
            }
            if c.generated.is_some() && !c.generated_virtual || c.default.as_deref().is_some_and(volatile_default) || c.identity.is_some() {
                hz.push(H::TableRewrite);
            }
            let add = Step { seq: c.ordinal, ..one(rank::COLUMN_ADD, format!("ALTER TABLE {rel} ADD COLUMN IF NOT EXISTS {}", column_def(c))) };
            done(vec![add], hz)
        }
        K::ColumnRemoved => done(vec![one(rank::DROP_COLUMN, format!("ALTER TABLE {rel} DROP COLUMN IF EXISTS {}", quote_ident(sub)))], vec![H::DeletesData]),
        K::ColumnTypeChanged => column_type(change, &loc, &rel),
        K::ColumnNullabilityChanged => {
            let Some(c) = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)) else { return missing(change) };
            let (action, hz) = if c.nullable { ("DROP NOT NULL", vec![]) } else { ("SET NOT NULL", vec![H::TableScan, H::MayFailOnData]) };
            let sql = do_if(&guards::not_null_differs(s, n, sub, !c.nullable), &format!("ALTER TABLE {rel} ALTER COLUMN {} {action}", quote_ident(sub)));
            done(vec![one(rank::COLUMN_ALTER + 1, sql)], hz)
        }
        K::ColumnDefaultChanged => {
            let Some(c) = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)) else { return missing(change) };
            done(vec![one(rank::COLUMN_ALTER + 1, set_default(s, n, c))], vec![])
        }
        K::ColumnIdentityChanged => {
            let Some(c) = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)) else { return missing(change) };
            let had = loc.old.and_then(|o| o.columns.iter().find(|c| c.name == sub)).and_then(|c| c.identity);
            let col = quote_ident(sub);
            let (want, action) = match (had, c.identity) {
                (_, None) => ("", format!("ALTER TABLE {rel} ALTER COLUMN {col} DROP IDENTITY IF EXISTS")),
                (None, Some(i)) => (identity_code(i), format!("ALTER TABLE {rel} ALTER COLUMN {col} ADD {}", identity_sql(i))),
                (Some(_), Some(i)) => (identity_code(i), format!("ALTER TABLE {rel} ALTER COLUMN {col} SET GENERATED {}", identity_words(i))),
            };
            done(vec![one(rank::COLUMN_ALTER + 2, do_if(&guards::identity_differs(s, n, sub, want), &action))], vec![])
        }
        K::ColumnGeneratedChanged => {
            let c = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub));
            match c {
                Some(c) if c.generated.is_none() => {
                    done(vec![one(rank::COLUMN_ALTER, format!("ALTER TABLE {rel} ALTER COLUMN {} DROP EXPRESSION IF EXISTS", quote_ident(sub)))], vec![])
                }
                _ => Outcome::Refuse("a generation expression cannot be added or changed in place on every supported version; drop and add the column by hand".into()),
            }
        }
        K::ColumnCollationChanged => Outcome::Refuse("collation changes rewrite the column and its indexes; change it by hand".into()),
        K::ColumnCommentChanged => {
            let want = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)).and_then(|c| c.comment.as_deref());
            let sql = do_if(&guards::column_comment_differs(s, n, sub, want), &guards::comment_sql(&format!("COLUMN {rel}.{}", quote_ident(sub)), want));
            done(vec![one(rank::COMMENT, sql)], vec![])
        }
        K::PrimaryKeyAdded | K::PrimaryKeyChanged | K::PrimaryKeyRemoved => {
            let mut steps = Vec::new();
            if change.kind != K::PrimaryKeyAdded {
                if let Some(pk) = loc.old.and_then(|o| o.primary_key) {
                    steps.push(one(rank::DROP_CONSTRAINT, drop_constraint(&rel, &pk.name)));
                }
            }
            if let Some(pk) = loc.new.and_then(|o| o.primary_key) {
                steps.push(one(rank::KEY, add_constraint(s, n, &pk.name, &pk_sql(pk))));
            }
            done(steps, if existed { vec![H::TableScan, H::IndexBuild, H::MayFailOnData] } else { vec![] })
        }
        K::UniqueAdded | K::UniqueChanged | K::UniqueRemoved => {
            let old = loc.old.and_then(|o| o.uniques.iter().find(|u| u.name == sub));
            let new = loc.new.and_then(|o| o.uniques.iter().find(|u| u.name == sub));
            let mut steps = Vec::new();
            if let (Some(u), true) = (old, change.kind != K::UniqueAdded) {
                steps.push(one(rank::DROP_CONSTRAINT, drop_constraint(&rel, &u.name)));
            }
            if let Some(u) = new {
                steps.push(one(rank::KEY, add_constraint(s, n, &u.name, &unique_sql(u))));
            }
            done(steps, if existed && new.is_some() { vec![H::TableScan, H::IndexBuild, H::MayFailOnData] } else { vec![] })
        }
        K::CheckAdded | K::CheckChanged | K::CheckRemoved => {
            let old = loc.old.and_then(|o| o.checks.iter().find(|c| c.name == sub));
            let new = loc.new.and_then(|o| o.checks.iter().find(|c| c.name == sub));
            let mut steps = Vec::new();
            if let (Some(c), true) = (old, change.kind != K::CheckAdded) {
                steps.push(one(rank::DROP_CONSTRAINT, drop_constraint(&rel, &c.name)));
            }
            if let Some(c) = new {
                steps.extend(check_steps(change, s, n, c));
            }
            done(steps, if new.is_some() && existed { vec![H::MayFailOnData] } else { vec![] })
        }
        K::ExclusionAdded | K::ExclusionChanged | K::ExclusionRemoved => {
            let old = loc.old.and_then(|o| o.exclusions.iter().find(|c| c.name == sub));
            let new = loc.new.and_then(|o| o.exclusions.iter().find(|c| c.name == sub));
            let mut steps = Vec::new();
            if let (Some(c), true) = (old, change.kind != K::ExclusionAdded) {
                steps.push(one(rank::DROP_CONSTRAINT, drop_constraint(&rel, &c.name)));
            }
            if let Some(c) = new {
                steps.push(one(rank::KEY, add_constraint(s, n, &c.name, &c.definition)));
            }
            done(steps, if new.is_some() && existed { vec![H::TableScan, H::IndexBuild, H::MayFailOnData] } else { vec![] })
        }
        K::ForeignKeyAdded | K::ForeignKeyChanged | K::ForeignKeyRemoved => {
            let old = loc.old.and_then(|o| o.foreign_keys.iter().find(|c| c.name == sub));
            let new = loc.new.and_then(|o| o.foreign_keys.iter().find(|c| c.name == sub));
            let mut steps = Vec::new();
            if let (Some(f), true) = (old, change.kind != K::ForeignKeyAdded) {
                steps.push(one(rank::DROP_FK, drop_constraint(&rel, &f.name)));
            }
            if let Some(f) = new {
                steps.extend(fk_steps(change, s, n, f));
            }
            done(steps, if new.is_some() && existed { vec![H::MayFailOnData] } else { vec![] })
        }
        K::IndexAdded | K::IndexChanged | K::IndexRemoved => {
            let old = loc.old.and_then(|o| o.indexes.iter().find(|i| i.name == sub));
            let new = loc.new.and_then(|o| o.indexes.iter().find(|i| i.name == sub));
            if old.is_some_and(|i| i.constraint.is_some() || i.primary) || new.is_some_and(|i| i.constraint.is_some() || i.primary) {
                return Outcome::Covered;
            }
            if new.is_some_and(|i| i.invalid) {
                return Outcome::Refuse("the target index is invalid (a failed concurrent build); fix the target database first".into());
            }
            let concurrent = existed && !loc.old.is_some_and(|o| o.partitioned) && loc.parent.is_none();
            let mut steps = Vec::new();
            if let (Some(i), true) = (old, change.kind != K::IndexAdded) {
                steps.push(drop_index(change, s, &i.name, concurrent));
            }
            let mut hz = vec![];
            if let Some(i) = new {
                steps.extend(index_steps(change, s, &rel, i, concurrent));
                hz.push(H::IndexBuild);
                if i.unique {
                    hz.push(H::MayFailOnData);
                }
            }
            done(steps, hz)
        }
        K::TriggerAdded | K::TriggerChanged | K::TriggerRemoved => {
            let old = loc.old.and_then(|o| o.triggers.iter().find(|i| i.name == sub));
            let new = loc.new.and_then(|o| o.triggers.iter().find(|i| i.name == sub));
            let mut steps = Vec::new();
            if let (Some(t), true) = (old, change.kind != K::TriggerAdded) {
                steps.push(one(rank::DROP_TRIGGER, format!("DROP TRIGGER IF EXISTS {} ON {rel}", quote_ident(&t.name))));
            }
            if let Some(t) = new {
                steps.push(one(rank::TRIGGER, trigger_sql(s, n, t)));
            }
            done(steps, vec![])
        }
        K::PartitionAdded => {
            let (Some(p), Some((ps, pn))) = (loc.new_part, &loc.parent) else { return missing(change) };
            done(create_partition(change, ps, pn, p), vec![])
        }
        K::PartitionRemoved => done(vec![step(change, rank::DROP_TABLE, format!("DROP TABLE IF EXISTS {rel}"))], vec![H::DeletesData]),
        K::PartitionBoundChanged => {
            let (Some(p), Some((ps, pn))) = (loc.new_part, &loc.parent) else { return missing(change) };
            let parent = qualified(ps, pn);
            let cond = format!(
                "(SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_class c WHERE c.oid = {}) IS DISTINCT FROM {}",
                guards::regclass(s, n),
                quote_literal(&p.bound)
            );
            let body = format!("ALTER TABLE {parent} DETACH PARTITION {rel}; ALTER TABLE {parent} ATTACH PARTITION {rel} {}", p.bound);
            done(vec![one(rank::PARTITION, do_if(&cond, &body))], vec![H::TableScan, H::MayFailOnData])
        }
        K::PartitionKeyChanged => Outcome::Refuse("a partition key cannot be changed in place; create a new partitioned table and move the data".into()),
        K::TableKindChanged => Outcome::Refuse("a table cannot change kind (ordinary, partitioned, foreign) in place".into()),
        K::PartitionColumnAdded | K::PartitionColumnChanged | K::PartitionColumnRemoved => {
            // The partition's own setting, else the parent's (what removing the override means).
            let own = loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub));
            let Some(c) = own.or_else(|| loc.new_table.and_then(|t| t.columns.iter().find(|c| c.name == sub))) else { return missing(change) };
            let col = quote_ident(sub);
            let null = if c.nullable { "DROP NOT NULL" } else { "SET NOT NULL" };
            let steps = vec![
                one(rank::COLUMN_ALTER + 1, format!("ALTER TABLE {rel} ALTER COLUMN {col} {null}")),
                one(rank::COLUMN_ALTER + 1, set_default(s, n, c)),
            ];
            done(steps, vec![])
        }
        K::RowSecurityChanged => {
            let Some(o) = loc.new else { return missing(change) };
            done(vec![one(rank::ROW_SECURITY, row_security_sql(&rel, o))], vec![])
        }
        K::PolicyAdded | K::PolicyChanged | K::PolicyRemoved => {
            let old = loc.old.and_then(|o| o.policies.iter().find(|p| p.name == sub));
            let new = loc.new.and_then(|o| o.policies.iter().find(|p| p.name == sub));
            let mut steps = Vec::new();
            if let (Some(p), true) = (old, change.kind != K::PolicyAdded) {
                steps.push(one(rank::DROP_POLICY, format!("DROP POLICY IF EXISTS {} ON {rel}", quote_ident(&p.name))));
            }
            if let Some(p) = new {
                steps.push(one(rank::POLICY, policy_sql(s, n, p)));
            }
            done(steps, vec![])
        }
        K::TableStorageChanged => {
            let (Some(o), Some(new)) = (loc.old, loc.new) else { return missing(change) };
            let mut steps = Vec::new();
            let mut hz = Vec::new();
            if o.unlogged != new.unlogged {
                let want = if new.unlogged { "UNLOGGED" } else { "LOGGED" };
                let cond = format!(
                    "(SELECT c.relpersistence FROM pg_catalog.pg_class c WHERE c.oid = {}) <> {}",
                    guards::regclass(s, n),
                    quote_literal(if new.unlogged { "u" } else { "p" })
                );
                steps.push(one(rank::COLUMN_ALTER, do_if(&cond, &format!("ALTER TABLE {rel} SET {want}"))));
                hz.push(H::TableRewrite);
            }
            steps.extend(storage_steps(change, &rel, o.storage_options, new.storage_options));
            done(steps, hz)
        }
        _ => Outcome::Refuse(format!("reconcile has no statement for `{}` here", change.kind.code())),
    }
}

fn missing(change: &Change) -> Outcome {
    Outcome::Refuse(format!("`{}` is not in the snapshot where the change says it is; the snapshots may be inconsistent", change.path))
}

fn column_type(change: &Change, loc: &Loc<'_>, rel: &str) -> Outcome {
    let (s, n, sub) = (loc.schema.as_str(), loc.name.as_str(), loc.sub.as_str());
    let (Some(old), Some(new)) = (loc.old.and_then(|o| o.columns.iter().find(|c| c.name == sub)), loc.new.and_then(|o| o.columns.iter().find(|c| c.name == sub)))
    else {
        return missing(change);
    };
    let generated_uses = loc.old.map(|o| o.columns.iter().any(|g| g.generated.as_deref().is_some_and(|e| mentions(e, sub)))).unwrap_or(false);
    if generated_uses {
        return Outcome::Refuse(format!("a generated column uses `{sub}`, and PostgreSQL cannot change the type of such a column; drop the generated column first"));
    }
    let col = quote_ident(sub);
    let widening = crate::diff::is_widening(&old.type_ref, &new.type_ref);
    let mut parts = Vec::new();
    if old.default.is_some() {
        parts.push(format!("ALTER COLUMN {col} DROP DEFAULT"));
    }
    let using = if widening { String::new() } else { format!(" USING {col}::{}", new.sql_type) };
    parts.push(format!("ALTER COLUMN {col} TYPE {}{using}", new.sql_type));
    if let Some(d) = &new.default {
        parts.push(format!("ALTER COLUMN {col} SET DEFAULT {d}"));
    }
    let sql = do_if(&guards::type_differs(s, n, sub, &new.sql_type), &format!("ALTER TABLE {rel} {}", parts.join(", ")));
    let hz = if widening { vec![] } else { vec![H::TableRewrite, H::MayFailOnData] };
    Outcome::Steps(vec![rel_step(change, rank::COLUMN_ALTER, rel, sql)], hz)
}

