//! Steps for tables and partitions: columns, keys, constraints, indexes, triggers, policies.

use schema_core::snapshot::{CheckConstraint, Column, ExclusionConstraint, ForeignKey, Identity, Index, Partition, Policy, PrimaryKey, Table, Trigger, UniqueConstraint};
use schema_core::sql::{qualified, quote_ident, quote_literal};

use super::guards::{self, do_if};
use super::{objects, rank, rel_step, step, Ctx, Hazard as H, Outcome, Phase, Step};
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
    fn of_table(t: &'a Table) -> Self {
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

    fn of_partition(p: &'a Partition) -> Self {
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
            done(create_partition(change, ps, pn, p, loc.new_table), vec![])
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

/// A `nextval`/`now()`-style default makes `ADD COLUMN` rewrite the table (a constant does not).
fn volatile_default(d: &str) -> bool {
    ["nextval(", "random(", "gen_random_uuid(", "clock_timestamp(", "uuid_generate"].iter().any(|f| d.contains(f))
}

fn collate(c: &str) -> String {
    if c.starts_with('"') || c.contains('.') {
        c.to_owned()
    } else {
        quote_ident(c)
    }
}

fn identity_words(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

fn identity_sql(i: Identity) -> String {
    format!("GENERATED {} AS IDENTITY", identity_words(i))
}

fn identity_code(i: Identity) -> &'static str {
    match i {
        Identity::Always => "a",
        Identity::ByDefault => "d",
    }
}

/// `"name" type [COLLATE c] [identity | generated | DEFAULT d] [NOT NULL]`.
pub(crate) fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", quote_ident(&c.name), c.sql_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", collate(coll)));
    }
    if let Some(i) = c.identity {
        s.push_str(&format!(" {}", identity_sql(i)));
    } else if let Some(g) = c.generated_sql() {
        s.push_str(&format!(" {g}"));
    } else if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

fn set_default(s: &str, n: &str, c: &Column) -> String {
    let rel = qualified(s, n);
    let col = quote_ident(&c.name);
    let action = match &c.default {
        Some(d) => format!("ALTER TABLE {rel} ALTER COLUMN {col} SET DEFAULT {d}"),
        None => format!("ALTER TABLE {rel} ALTER COLUMN {col} DROP DEFAULT"),
    };
    do_if(&guards::default_differs(s, n, &c.name, c.default.as_deref()), &action)
}

fn comment_table(s: &str, n: &str, want: Option<&str>) -> String {
    do_if(&guards::comment_differs(&guards::regclass(s, n), "pg_class", want), &guards::comment_sql(&format!("TABLE {}", qualified(s, n)), want))
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

/// True when `expr` names column `col` (as a word, or quoted).
pub(crate) fn mentions(expr: &str, col: &str) -> bool {
    if expr.contains(&quote_ident(col)) {
        return true;
    }
    let bytes = expr.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    expr.match_indices(col).any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + col.len()).copied();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

fn quoted_list(cols: &[String]) -> String {
    cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
}

fn key_list(cols: &[String], temporal: bool, prefix: &str, suffix: &str) -> String {
    let n = cols.len();
    cols.iter()
        .enumerate()
        .map(|(i, c)| if temporal && i + 1 == n { format!("{prefix}{}{suffix}", quote_ident(c)) } else { quote_ident(c) })
        .collect::<Vec<_>>()
        .join(", ")
}

fn pk_sql(pk: &PrimaryKey) -> String {
    format!("PRIMARY KEY ({})", key_list(&pk.columns, pk.without_overlaps, "", " WITHOUT OVERLAPS"))
}

fn unique_sql(u: &UniqueConstraint) -> String {
    let mut s = String::from("UNIQUE");
    if u.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    s.push_str(&format!(" ({})", key_list(&u.columns, u.without_overlaps, "", " WITHOUT OVERLAPS")));
    if u.deferrable {
        s.push_str(" DEFERRABLE");
    }
    s
}

fn fk_sql(f: &ForeignKey) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        key_list(&f.columns, f.period, "PERIOD ", ""),
        qualified(&f.references.schema, &f.references.name),
        key_list(&f.referenced_columns, f.period, "PERIOD ", "")
    );
    if f.match_full {
        s.push_str(" MATCH FULL");
    }
    if f.on_update != Default::default() {
        s.push_str(&format!(" ON UPDATE {}", f.on_update.as_sql()));
    }
    if f.on_delete != Default::default() {
        s.push_str(&format!(" ON DELETE {}", f.on_delete.as_sql()));
        if !f.on_delete_set_columns.is_empty() {
            s.push_str(&format!(" ({})", quoted_list(&f.on_delete_set_columns)));
        }
    }
    if f.deferrable {
        s.push_str(if f.initially_deferred { " DEFERRABLE INITIALLY DEFERRED" } else { " DEFERRABLE" });
    }
    s
}

fn add_constraint(s: &str, n: &str, name: &str, def: &str) -> String {
    do_if(&format!("NOT {}", guards::constraint_exists(s, n, name)), &format!("ALTER TABLE {} ADD CONSTRAINT {} {def}", qualified(s, n), quote_ident(name)))
}

fn drop_constraint(rel: &str, name: &str) -> String {
    format!("ALTER TABLE {rel} DROP CONSTRAINT IF EXISTS {}", quote_ident(name))
}

/// A check added `NOT VALID`, then validated (unless the target keeps it unvalidated).
fn check_steps(change: &Change, s: &str, n: &str, c: &CheckConstraint) -> Vec<Step> {
    let rel = qualified(s, n);
    let state = if c.not_enforced { " NOT ENFORCED" } else { " NOT VALID" };
    let mut steps = vec![rel_step(change, rank::CHECK, &rel, add_constraint(s, n, &c.name, &format!("{}{state}", c.definition)))];
    if !c.not_valid && !c.not_enforced {
        steps.push(rel_step(change, rank::VALIDATE, &rel, format!("ALTER TABLE {rel} VALIDATE CONSTRAINT {}", quote_ident(&c.name))));
    }
    steps
}

/// A foreign key added `NOT VALID`, then validated (unless the target keeps it unvalidated).
fn fk_steps(change: &Change, s: &str, n: &str, f: &ForeignKey) -> Vec<Step> {
    let rel = qualified(s, n);
    let state = if f.not_enforced { " NOT ENFORCED" } else { " NOT VALID" };
    let mut steps = vec![rel_step(change, rank::FK, &rel, add_constraint(s, n, &f.name, &format!("{}{state}", fk_sql(f))))];
    if !f.not_valid && !f.not_enforced {
        steps.push(rel_step(change, rank::VALIDATE, &rel, format!("ALTER TABLE {rel} VALIDATE CONSTRAINT {}", quote_ident(&f.name))));
    }
    steps
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS ...` from the catalog's definition.
fn index_create(def: &str, concurrent: bool) -> String {
    let how = if concurrent { "CONCURRENTLY IF NOT EXISTS " } else { "IF NOT EXISTS " };
    let def = def.replacen(" ON ONLY ", " ON ", 1);
    for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = def.strip_prefix(prefix) {
            return format!("{prefix}{how}{rest}");
        }
    }
    def
}

fn index_steps(change: &Change, s: &str, rel: &str, i: &Index, concurrent: bool) -> Vec<Step> {
    if concurrent {
        let guard = Step { phase: Phase::Two, ..rel_step(change, rank::INDEX, rel, guards::invalid_index_guard(s, &i.name)) };
        let build = Step { phase: Phase::Two, ..rel_step(change, rank::INDEX, rel, index_create(&i.definition, true)) };
        vec![guard, build]
    } else {
        vec![rel_step(change, rank::INDEX, rel, index_create(&i.definition, false))]
    }
}

fn drop_index(change: &Change, s: &str, name: &str, concurrent: bool) -> Step {
    let q = qualified(s, name);
    if concurrent {
        Step { phase: Phase::Two, ..step(change, rank::DROP_INDEX, format!("DROP INDEX CONCURRENTLY IF EXISTS {q}")) }
    } else {
        step(change, rank::DROP_INDEX, format!("DROP INDEX IF EXISTS {q}"))
    }
}

/// A trigger, created unless one of that name exists.
pub(crate) fn trigger_sql(s: &str, n: &str, t: &Trigger) -> String {
    do_if(&format!("NOT {}", guards::trigger_exists(s, n, &t.name)), &t.definition)
}

fn policy_sql(s: &str, n: &str, p: &Policy) -> String {
    let roles = p.roles.iter().map(|r| if r == "PUBLIC" { r.clone() } else { quote_ident(r) }).collect::<Vec<_>>().join(", ");
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {roles}",
        quote_ident(&p.name),
        qualified(s, n),
        if p.restrictive { "RESTRICTIVE" } else { "PERMISSIVE" },
        p.command
    );
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({c})"));
    }
    do_if(&format!("NOT {}", guards::policy_exists(s, n, &p.name)), &sql)
}

fn row_security_sql(rel: &str, o: Own<'_>) -> String {
    format!(
        "ALTER TABLE {rel} {} ROW LEVEL SECURITY, {} ROW LEVEL SECURITY",
        if o.row_security { "ENABLE" } else { "DISABLE" },
        if o.force_row_security { "FORCE" } else { "NO FORCE" }
    )
}

fn storage_steps(change: &Change, rel: &str, old: &[String], new: &[String]) -> Vec<Step> {
    let key = |o: &String| o.split('=').next().unwrap_or("").to_owned();
    let mut steps = Vec::new();
    let gone: Vec<String> = old.iter().map(key).filter(|k| !new.iter().any(|n| key(n) == *k)).collect();
    if !gone.is_empty() {
        steps.push(rel_step(change, rank::COLUMN_ALTER, rel, format!("ALTER TABLE {rel} RESET ({})", gone.join(", "))));
    }
    if !new.is_empty() && old != new {
        steps.push(rel_step(change, rank::COLUMN_ALTER, rel, format!("ALTER TABLE {rel} SET ({})", new.join(", "))));
    }
    steps
}

/// Everything a relation declares beyond its columns: keys, checks, foreign keys, indexes,
/// triggers, row-level security, policies and grants (for a new table or partition).
fn own_objects(change: &Change, s: &str, n: &str, o: Own<'_>, steps: &mut Vec<Step>) {
    let rel = qualified(s, n);
    if let Some(pk) = o.primary_key {
        steps.push(rel_step(change, rank::KEY, &rel, add_constraint(s, n, &pk.name, &pk_sql(pk))));
    }
    for u in o.uniques {
        steps.push(rel_step(change, rank::KEY, &rel, add_constraint(s, n, &u.name, &unique_sql(u))));
    }
    for x in o.exclusions {
        steps.push(rel_step(change, rank::KEY, &rel, add_constraint(s, n, &x.name, &x.definition)));
    }
    for c in o.checks {
        steps.extend(check_steps(change, s, n, c));
    }
    for f in o.foreign_keys {
        steps.extend(fk_steps(change, s, n, f));
    }
    for i in o.indexes.iter().filter(|i| i.constraint.is_none() && !i.primary && !i.invalid) {
        steps.extend(index_steps(change, s, &rel, i, false));
    }
    for t in o.triggers {
        steps.push(rel_step(change, rank::TRIGGER, &rel, trigger_sql(s, n, t)));
    }
    if o.row_security || o.force_row_security {
        steps.push(rel_step(change, rank::ROW_SECURITY, &rel, row_security_sql(&rel, o)));
    }
    for p in o.policies {
        steps.push(rel_step(change, rank::POLICY, &rel, policy_sql(s, n, p)));
    }
    for g in o.grants {
        steps.push(rel_step(change, rank::GRANT, &rel, objects::grant_sql(g, &format!("TABLE {rel}"), None)));
    }
}

/// Creates table `t` of schema `s` with everything it declares.
pub(crate) fn create_table(change: &Change, s: &str, t: &Table) -> (Vec<Step>, Vec<super::Hazard>) {
    let rel = qualified(s, &t.name);
    let cols = t.columns.iter().map(|c| format!("    {}", column_def(c))).collect::<Vec<_>>().join(",\n");
    let mut sql = format!("CREATE {}TABLE IF NOT EXISTS {rel} (\n{cols}\n)", if t.unlogged { "UNLOGGED " } else { "" });
    if let Some(k) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {k}"));
    }
    if !t.storage_options.is_empty() {
        sql.push_str(&format!(" WITH ({})", t.storage_options.join(", ")));
    }
    let mut steps = vec![rel_step(change, rank::TABLE, &rel, sql)];
    own_objects(change, s, &t.name, Own::of_table(t), &mut steps);
    if let Some(c) = &t.comment {
        steps.push(rel_step(change, rank::COMMENT, &rel, comment_table(s, &t.name, Some(c))));
    }
    for c in &t.columns {
        if let Some(text) = &c.comment {
            let sql = do_if(&guards::column_comment_differs(s, &t.name, &c.name, Some(text)), &guards::comment_sql(&format!("COLUMN {rel}.{}", quote_ident(&c.name)), Some(text)));
            steps.push(rel_step(change, rank::COMMENT, &rel, sql));
        }
        for g in &c.grants {
            steps.push(rel_step(change, rank::GRANT, &rel, objects::grant_sql(g, &format!("TABLE {rel}"), Some(&c.name))));
        }
    }
    for p in &t.partitions {
        steps.extend(create_partition(change, s, &t.name, p, Some(t)));
    }
    (steps, Vec::new())
}

/// Creates partition `p` of `ps.pn` (and its own partitions).
fn create_partition(change: &Change, ps: &str, pn: &str, p: &Partition, top: Option<&Table>) -> Vec<Step> {
    let rel = qualified(&p.schema, &p.name);
    let mut sql = format!("CREATE {}TABLE IF NOT EXISTS {rel} PARTITION OF {} {}", if p.unlogged { "UNLOGGED " } else { "" }, qualified(ps, pn), p.bound);
    if let Some(k) = &p.partition_key {
        sql.push_str(&format!(" PARTITION BY {k}"));
    }
    if !p.storage_options.is_empty() {
        sql.push_str(&format!(" WITH ({})", p.storage_options.join(", ")));
    }
    let mut steps = vec![rel_step(change, rank::PARTITION, &rel, sql)];
    let own = Own::of_partition(p);
    own_objects(change, &p.schema, &p.name, own, &mut steps);
    for c in &p.columns {
        let null = if c.nullable { "DROP NOT NULL" } else { "SET NOT NULL" };
        steps.push(rel_step(change, rank::COLUMN_ALTER + 1, &rel, format!("ALTER TABLE {rel} ALTER COLUMN {} {null}", quote_ident(&c.name))));
        steps.push(rel_step(change, rank::COLUMN_ALTER + 1, &rel, set_default(&p.schema, &p.name, c)));
    }
    for sub in &p.partitions {
        steps.extend(create_partition(change, &p.schema, &p.name, sub, top));
    }
    steps
}
