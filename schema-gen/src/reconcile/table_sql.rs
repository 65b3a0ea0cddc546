//! The SQL text of table-level objects (columns, keys, constraints, indexes, triggers,
//! policies) and the creation of new tables and partitions with everything they declare.

use schema_core::snapshot::{CheckConstraint, Column, ForeignKey, Identity, Index, Partition, Policy, PrimaryKey, Table, Trigger, UniqueConstraint};
use schema_core::sql::{qualified, quote_ident};

use super::guards::{self, do_if};
use super::tables::Own;
use super::{objects, rank, rel_step, step, Phase, Step};
use crate::diff::Change;

/// A `nextval`/`now()`-style default makes `ADD COLUMN` rewrite the table (a constant does not).
pub(crate) fn volatile_default(d: &str) -> bool {
    ["nextval(", "random(", "gen_random_uuid(", "clock_timestamp(", "uuid_generate"].iter().any(|f| d.contains(f))
}

pub(crate) fn collate(c: &str) -> String {
    if c.starts_with('"') || c.contains('.') {
        c.to_owned()
    } else {
        quote_ident(c)
    }
}

pub(crate) fn identity_words(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

pub(crate) fn identity_sql(i: Identity) -> String {
    format!("GENERATED {} AS IDENTITY", identity_words(i))
}

pub(crate) fn identity_code(i: Identity) -> &'static str {
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

pub(crate) fn set_default(s: &str, n: &str, c: &Column) -> String {
    let rel = qualified(s, n);
    let col = quote_ident(&c.name);
    let action = match &c.default {
        Some(d) => format!("ALTER TABLE {rel} ALTER COLUMN {col} SET DEFAULT {d}"),
        None => format!("ALTER TABLE {rel} ALTER COLUMN {col} DROP DEFAULT"),
    };
    do_if(&guards::default_differs(s, n, &c.name, c.default.as_deref()), &action)
}

pub(crate) fn comment_table(s: &str, n: &str, want: Option<&str>) -> String {
    do_if(&guards::comment_differs(&guards::regclass(s, n), "pg_class", want), &guards::comment_sql(&format!("TABLE {}", qualified(s, n)), want))
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

pub(crate) fn quoted_list(cols: &[String]) -> String {
    cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
}

pub(crate) fn key_list(cols: &[String], temporal: bool, prefix: &str, suffix: &str) -> String {
    let n = cols.len();
    cols.iter()
        .enumerate()
        .map(|(i, c)| if temporal && i + 1 == n { format!("{prefix}{}{suffix}", quote_ident(c)) } else { quote_ident(c) })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn pk_sql(pk: &PrimaryKey) -> String {
    format!("PRIMARY KEY ({})", key_list(&pk.columns, pk.without_overlaps, "", " WITHOUT OVERLAPS"))
}

pub(crate) fn unique_sql(u: &UniqueConstraint) -> String {
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

pub(crate) fn fk_sql(f: &ForeignKey) -> String {
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

pub(crate) fn add_constraint(s: &str, n: &str, name: &str, def: &str) -> String {
    do_if(&format!("NOT {}", guards::constraint_exists(s, n, name)), &format!("ALTER TABLE {} ADD CONSTRAINT {} {def}", qualified(s, n), quote_ident(name)))
}

pub(crate) fn drop_constraint(rel: &str, name: &str) -> String {
    format!("ALTER TABLE {rel} DROP CONSTRAINT IF EXISTS {}", quote_ident(name))
}

/// A check added `NOT VALID`, then validated (unless the target keeps it unvalidated).
pub(crate) fn check_steps(change: &Change, s: &str, n: &str, c: &CheckConstraint) -> Vec<Step> {
    let rel = qualified(s, n);
    let state = if c.not_enforced { " NOT ENFORCED" } else { " NOT VALID" };
    let mut steps = vec![rel_step(change, rank::CHECK, &rel, add_constraint(s, n, &c.name, &format!("{}{state}", c.definition)))];
    if !c.not_valid && !c.not_enforced {
        steps.push(rel_step(change, rank::VALIDATE, &rel, format!("ALTER TABLE {rel} VALIDATE CONSTRAINT {}", quote_ident(&c.name))));
    }
    steps
}

/// A foreign key added `NOT VALID`, then validated (unless the target keeps it unvalidated).
pub(crate) fn fk_steps(change: &Change, s: &str, n: &str, f: &ForeignKey) -> Vec<Step> {
    let rel = qualified(s, n);
    let state = if f.not_enforced { " NOT ENFORCED" } else { " NOT VALID" };
    let mut steps = vec![rel_step(change, rank::FK, &rel, add_constraint(s, n, &f.name, &format!("{}{state}", fk_sql(f))))];
    if !f.not_valid && !f.not_enforced {
        steps.push(rel_step(change, rank::VALIDATE, &rel, format!("ALTER TABLE {rel} VALIDATE CONSTRAINT {}", quote_ident(&f.name))));
    }
    steps
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS ...` from the catalog's definition.
pub(crate) fn index_create(def: &str, concurrent: bool) -> String {
    let how = if concurrent { "CONCURRENTLY IF NOT EXISTS " } else { "IF NOT EXISTS " };
    let def = def.replacen(" ON ONLY ", " ON ", 1);
    for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = def.strip_prefix(prefix) {
            return format!("{prefix}{how}{rest}");
        }
    }
    def
}

pub(crate) fn index_steps(change: &Change, s: &str, rel: &str, i: &Index, concurrent: bool) -> Vec<Step> {
    if concurrent {
        let guard = Step { phase: Phase::Two, ..rel_step(change, rank::INDEX, rel, guards::invalid_index_guard(s, &i.name)) };
        let build = Step { phase: Phase::Two, ..rel_step(change, rank::INDEX, rel, index_create(&i.definition, true)) };
        vec![guard, build]
    } else {
        vec![rel_step(change, rank::INDEX, rel, index_create(&i.definition, false))]
    }
}

pub(crate) fn drop_index(change: &Change, s: &str, name: &str, concurrent: bool) -> Step {
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

pub(crate) fn policy_sql(s: &str, n: &str, p: &Policy) -> String {
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

pub(crate) fn row_security_sql(rel: &str, o: Own<'_>) -> String {
    format!(
        "ALTER TABLE {rel} {} ROW LEVEL SECURITY, {} ROW LEVEL SECURITY",
        if o.row_security { "ENABLE" } else { "DISABLE" },
        if o.force_row_security { "FORCE" } else { "NO FORCE" }
    )
}

pub(crate) fn storage_steps(change: &Change, rel: &str, old: &[String], new: &[String]) -> Vec<Step> {
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
pub(crate) fn own_objects(change: &Change, s: &str, n: &str, o: Own<'_>, steps: &mut Vec<Step>) {
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
        steps.extend(create_partition(change, s, &t.name, p));
    }
    (steps, Vec::new())
}

/// Creates partition `p` of `ps.pn` (and its own partitions).
pub(crate) fn create_partition(change: &Change, ps: &str, pn: &str, p: &Partition) -> Vec<Step> {
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
        steps.extend(create_partition(change, &p.schema, &p.name, sub));
    }
    steps
}
