//! Steps for schemas, extensions, types (enums, domains, composites), sequences, functions and
//! privileges.

use schema_core::snapshot::{Domain, Function, Grant, RoutineKind, Sequence};
use schema_core::sql::{qualified, quote_ident, quote_literal};

use super::guards::{self, do_if};
use super::{rank, step, Ctx, Hazard as H, Outcome, Step};
use crate::diff::{Change, ChangeKind as K};

/// `DO` block running `body` unconditionally (several statements as one step).
fn do_all(body: &str) -> String {
    let tag = guards::tag_for(body, "pgcanon");
    format!("DO ${tag}$ BEGIN {body}; END ${tag}$")
}

fn grantee(g: &str) -> String {
    if g == "PUBLIC" {
        g.to_owned()
    } else {
        quote_ident(g)
    }
}

/// The `GRANT` statements giving `g` its privileges on `on` (e.g. `TABLE "s"."t"`), or on
/// `column` of it.
fn grant_stmts(g: &Grant, on: &str, column: Option<&str>) -> Vec<String> {
    let privs = |list: &mut dyn Iterator<Item = &String>| {
        list.map(|p| match column {
            Some(c) => format!("{p} ({})", quote_ident(c)),
            None => p.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
    };
    let plain = privs(&mut g.privileges.iter().filter(|p| !g.grantable.contains(p)));
    let with = privs(&mut g.grantable.iter());
    let mut stmts = Vec::new();
    if !plain.is_empty() {
        stmts.push(format!("GRANT {plain} ON {on} TO {}", grantee(&g.grantee)));
    }
    if !with.is_empty() {
        stmts.push(format!("GRANT {with} ON {on} TO {} WITH GRANT OPTION", grantee(&g.grantee)));
    }
    stmts
}

/// One step granting `g` its privileges on `on` (or its `column`).
pub(crate) fn grant_sql(g: &Grant, on: &str, column: Option<&str>) -> String {
    let mut stmts = grant_stmts(g, on, column);
    if stmts.len() == 1 {
        stmts.remove(0)
    } else {
        do_all(&stmts.join("; "))
    }
}

/// Revokes everything `who` holds on `on` (or its `column`), then grants `want`.
fn set_grant(who: &str, want: Option<&Grant>, on: &str, column: Option<&str>) -> String {
    let revoke = match column {
        Some(c) => format!("REVOKE ALL ({}) ON {on} FROM {}", quote_ident(c), grantee(who)),
        None => format!("REVOKE ALL ON {on} FROM {}", grantee(who)),
    };
    match want {
        Some(g) => {
            let mut stmts = vec![revoke];
            stmts.extend(grant_stmts(g, on, column));
            do_all(&stmts.join("; "))
        }
        None => revoke,
    }
}

/// Schemas and extensions.
pub(crate) fn schema_level(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let s = change.schema.as_str();
    let one = |r: u16, sql: String| Outcome::Steps(vec![step(change, r, sql)], vec![]);
    match change.kind {
        K::SchemaAdded => {
            let Some(schema) = ctx.new_schema(s) else { return missing(change) };
            let mut steps = vec![step(change, rank::SCHEMA, format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(s)))];
            if let Some(c) = &schema.comment {
                steps.push(step(change, rank::COMMENT, schema_comment(s, Some(c))));
            }
            for g in &schema.grants {
                steps.push(step(change, rank::GRANT, grant_sql(g, &format!("SCHEMA {}", quote_ident(s)), None)));
            }
            Outcome::Steps(steps, vec![])
        }
        K::SchemaRemoved => {
            // The diff reports the schema alone; its objects go first, one by one (no CASCADE).
            let Some(old) = ctx.old_schema(s) else { return missing(change) };
            let mut steps = Vec::new();
            for v in &old.views {
                steps.push(step(change, rank::DROP_VIEW, format!("DROP {}VIEW IF EXISTS {}", if v.materialized { "MATERIALIZED " } else { "" }, qualified(s, &v.name))));
            }
            for t in &old.tables {
                steps.push(step(change, rank::DROP_TABLE, format!("DROP TABLE IF EXISTS {}", qualified(s, &t.name))));
            }
            for q in &old.sequences {
                steps.push(step(change, rank::DROP_SEQUENCE, format!("DROP SEQUENCE IF EXISTS {}", qualified(s, &q.name))));
            }
            for f in &old.functions {
                steps.push(step(change, rank::DROP_FUNCTION, format!("DROP {} IF EXISTS {}", routine_noun(f), function_signature(s, f))));
            }
            for d in &old.domains {
                steps.push(step(change, rank::DROP_TYPE, format!("DROP DOMAIN IF EXISTS {}", qualified(s, &d.name))));
            }
            for name in old.enums.iter().map(|e| &e.name).chain(old.composites.iter().map(|c| &c.name)) {
                steps.push(step(change, rank::DROP_TYPE, format!("DROP TYPE IF EXISTS {}", qualified(s, name))));
            }
            steps.push(step(change, rank::DROP_SCHEMA, format!("DROP SCHEMA IF EXISTS {}", quote_ident(s))));
            Outcome::Steps(steps, vec![H::DeletesData])
        }
        K::SchemaCommentChanged => one(rank::COMMENT, schema_comment(s, ctx.new_schema(s).and_then(|x| x.comment.as_deref()))),
        K::ExtensionAdded | K::ExtensionChanged => {
            let Some(e) = ctx.to.extensions.iter().find(|e| e.name == change.object) else { return missing(change) };
            let name = quote_ident(&e.name);
            let mut steps = Vec::new();
            if change.kind == K::ExtensionAdded {
                steps.push(step(change, rank::EXTENSION, format!("CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {} VERSION {}", quote_ident(&e.schema), quote_literal(&e.version))));
            } else {
                let cond = format!(
                    "(SELECT n.nspname FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = {}) <> {}",
                    quote_literal(&e.name),
                    quote_literal(&e.schema)
                );
                steps.push(step(change, rank::EXTENSION, do_if(&cond, &format!("ALTER EXTENSION {name} SET SCHEMA {}", quote_ident(&e.schema)))));
                let cond = format!("(SELECT extversion FROM pg_catalog.pg_extension WHERE extname = {}) <> {}", quote_literal(&e.name), quote_literal(&e.version));
                steps.push(step(change, rank::EXTENSION, do_if(&cond, &format!("ALTER EXTENSION {name} UPDATE TO {}", quote_literal(&e.version)))));
            }
            Outcome::Steps(steps, vec![])
        }
        K::ExtensionRemoved => Outcome::Steps(vec![step(change, rank::DROP_EXTENSION, format!("DROP EXTENSION IF EXISTS {}", quote_ident(&change.object)))], vec![H::DeletesData]),
        _ => Outcome::Refuse(format!("reconcile has no statement for `{}` here", change.kind.code())),
    }
}

fn schema_comment(s: &str, want: Option<&str>) -> String {
    let oid = format!("(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = {})", quote_literal(s));
    do_if(&guards::comment_differs(&oid, "pg_namespace", want), &guards::comment_sql(&format!("SCHEMA {}", quote_ident(s)), want))
}

fn type_comment(s: &str, n: &str, noun: &str, want: Option<&str>) -> String {
    let oid = format!("{}::pg_catalog.regtype", quote_literal(&qualified(s, n)));
    do_if(&guards::comment_differs(&oid, "pg_type", want), &guards::comment_sql(&format!("{noun} {}", qualified(s, n)), want))
}

fn missing(change: &Change) -> Outcome {
    Outcome::Refuse(format!("`{}` is not in the snapshot where the change says it is; the snapshots may be inconsistent", change.path))
}

fn domain_check_exists(s: &str, d: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contypid = {}::pg_catalog.regtype AND conname = {})",
        quote_literal(&qualified(s, d)),
        quote_literal(name)
    )
}

fn create_domain(s: &str, d: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", qualified(s, &d.name), d.sql_type);
    if let Some(c) = &d.collation {
        sql.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(x) = &d.default {
        sql.push_str(&format!(" DEFAULT {x}"));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in d.checks.iter().filter(|c| !c.not_valid) {
        sql.push_str(&format!(" CONSTRAINT {} {}", quote_ident(&c.name), c.definition));
    }
    do_if(&format!("NOT {}", guards::type_exists(s, &d.name)), &sql)
}

fn domain_check_steps(change: &Change, s: &str, d: &str, c: &schema_core::snapshot::CheckConstraint) -> Vec<Step> {
    let q = qualified(s, d);
    let add = format!("ALTER DOMAIN {q} ADD CONSTRAINT {} {} NOT VALID", quote_ident(&c.name), c.definition);
    let mut steps = vec![step(change, rank::TYPE_ALTER, do_if(&format!("NOT {}", domain_check_exists(s, d, &c.name)), &add))];
    if !c.not_valid {
        steps.push(step(change, rank::VALIDATE, format!("ALTER DOMAIN {q} VALIDATE CONSTRAINT {}", quote_ident(&c.name))));
    }
    steps
}

/// Enums, domains and composite types.
pub(crate) fn types(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let (s, n) = (change.schema.as_str(), change.object.as_str());
    let q = qualified(s, n);
    let new_schema = ctx.new_schema(s);
    let old_schema = ctx.old_schema(s);
    let one = |r: u16, sql: String| Outcome::Steps(vec![step(change, r, sql)], vec![]);
    match change.kind {
        K::EnumAdded => {
            let Some(e) = new_schema.and_then(|x| x.enums.iter().find(|e| e.name == n)) else { return missing(change) };
            let labels = e.labels.iter().map(|l| quote_literal(l)).collect::<Vec<_>>().join(", ");
            let mut steps = vec![step(change, rank::TYPE, do_if(&format!("NOT {}", guards::type_exists(s, n)), &format!("CREATE TYPE {q} AS ENUM ({labels})")))];
            if let Some(c) = &e.comment {
                steps.push(step(change, rank::COMMENT, type_comment(s, n, "TYPE", Some(c))));
            }
            Outcome::Steps(steps, vec![])
        }
        K::EnumLabelAdded => {
            let Some(e) = new_schema.and_then(|x| x.enums.iter().find(|e| e.name == n)) else { return missing(change) };
            let Some(label) = change.new.as_deref() else { return missing(change) };
            let Some(i) = e.labels.iter().position(|l| l == label) else { return missing(change) };
            let place = match i {
                0 => e.labels.get(1).map(|l| format!(" BEFORE {}", quote_literal(l))).unwrap_or_default(),
                _ => format!(" AFTER {}", quote_literal(&e.labels[i - 1])),
            };
            one(rank::ENUM_LABEL, format!("ALTER TYPE {q} ADD VALUE IF NOT EXISTS {}{place}", quote_literal(label)))
        }
        K::EnumLabelRemoved => Outcome::Refuse("PostgreSQL cannot remove an enum label: it needs a new type and a rewrite of every column using it (destructive); do it by hand".into()),
        K::EnumLabelsReordered => Outcome::Refuse("PostgreSQL cannot reorder enum labels in place: it needs a new type and a rewrite of every column using it".into()),
        K::EnumCommentChanged | K::CompositeCommentChanged => {
            let want = match change.kind {
                K::EnumCommentChanged => new_schema.and_then(|x| x.enums.iter().find(|e| e.name == n)).and_then(|e| e.comment.as_deref()),
                _ => new_schema.and_then(|x| x.composites.iter().find(|e| e.name == n)).and_then(|e| e.comment.as_deref()),
            };
            one(rank::COMMENT, type_comment(s, n, "TYPE", want))
        }
        K::EnumRemoved | K::CompositeRemoved => one(rank::DROP_TYPE, format!("DROP TYPE IF EXISTS {q}")),
        K::DomainRemoved => one(rank::DROP_TYPE, format!("DROP DOMAIN IF EXISTS {q}")),
        K::DomainAdded => {
            let Some(d) = new_schema.and_then(|x| x.domains.iter().find(|e| e.name == n)) else { return missing(change) };
            let mut steps = vec![step(change, rank::TYPE, create_domain(s, d))];
            for c in d.checks.iter().filter(|c| c.not_valid) {
                steps.extend(domain_check_steps(change, s, n, c));
            }
            if let Some(c) = &d.comment {
                steps.push(step(change, rank::COMMENT, type_comment(s, n, "DOMAIN", Some(c))));
            }
            Outcome::Steps(steps, vec![])
        }
        K::DomainTypeChanged => Outcome::Refuse("a domain's base type cannot be changed in place; create a new domain and move the columns".into()),
        K::DomainCollationChanged => Outcome::Refuse("a domain's collation cannot be changed in place".into()),
        K::DomainNullabilityChanged => {
            let Some(d) = new_schema.and_then(|x| x.domains.iter().find(|e| e.name == n)) else { return missing(change) };
            let hz = if d.not_null { vec![H::TableScan, H::MayFailOnData] } else { vec![] };
            Outcome::Steps(vec![step(change, rank::TYPE_ALTER, format!("ALTER DOMAIN {q} {} NOT NULL", if d.not_null { "SET" } else { "DROP" }))], hz)
        }
        K::DomainDefaultChanged => {
            let Some(d) = new_schema.and_then(|x| x.domains.iter().find(|e| e.name == n)) else { return missing(change) };
            one(rank::TYPE_ALTER, match &d.default {
                Some(x) => format!("ALTER DOMAIN {q} SET DEFAULT {x}"),
                None => format!("ALTER DOMAIN {q} DROP DEFAULT"),
            })
        }
        K::DomainCheckAdded | K::DomainCheckChanged | K::DomainCheckRemoved => {
            let cname = change.path.strip_prefix(&format!("{s}.{n}.")).unwrap_or("");
            let new = new_schema.and_then(|x| x.domains.iter().find(|e| e.name == n)).and_then(|d| d.checks.iter().find(|c| c.name == cname));
            let mut steps = Vec::new();
            if change.kind != K::DomainCheckAdded {
                steps.push(step(change, rank::DROP_CONSTRAINT, format!("ALTER DOMAIN {q} DROP CONSTRAINT IF EXISTS {}", quote_ident(cname))));
            }
            if let Some(c) = new {
                steps.extend(domain_check_steps(change, s, n, c));
            }
            Outcome::Steps(steps, if new.is_some() { vec![H::MayFailOnData] } else { vec![] })
        }
        K::DomainCommentChanged => {
            let want = new_schema.and_then(|x| x.domains.iter().find(|e| e.name == n)).and_then(|e| e.comment.as_deref());
            one(rank::COMMENT, type_comment(s, n, "DOMAIN", want))
        }
        K::CompositeAdded => {
            let Some(c) = new_schema.and_then(|x| x.composites.iter().find(|e| e.name == n)) else { return missing(change) };
            let fields = c
                .fields
                .iter()
                .map(|f| format!("{} {}{}", quote_ident(&f.name), f.sql_type, f.collation.as_ref().map(|x| format!(" COLLATE {x}")).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(", ");
            let mut steps = vec![step(change, rank::TYPE, do_if(&format!("NOT {}", guards::type_exists(s, n)), &format!("CREATE TYPE {q} AS ({fields})")))];
            if let Some(x) = &c.comment {
                steps.push(step(change, rank::COMMENT, type_comment(s, n, "TYPE", Some(x))));
            }
            for f in c.fields.iter().filter(|f| f.comment.is_some()) {
                steps.push(step(change, rank::COMMENT, field_comment(s, n, &f.name, f.comment.as_deref())));
            }
            Outcome::Steps(steps, vec![])
        }
        K::CompositeFieldAdded | K::CompositeFieldTypeChanged => {
            let fname = change.path.strip_prefix(&format!("{s}.{n}.")).unwrap_or("");
            let Some(f) = new_schema.and_then(|x| x.composites.iter().find(|e| e.name == n)).and_then(|c| c.fields.iter().find(|f| f.name == fname)) else {
                return missing(change);
            };
            let ty = format!("{}{}", f.sql_type, f.collation.as_ref().map(|x| format!(" COLLATE {x}")).unwrap_or_default());
            let sql = if change.kind == K::CompositeFieldAdded {
                do_if(&format!("NOT {}", guards::column_exists(s, n, fname)), &format!("ALTER TYPE {q} ADD ATTRIBUTE {} {ty}", quote_ident(fname)))
            } else {
                do_if(&guards::type_differs(s, n, fname, &f.sql_type), &format!("ALTER TYPE {q} ALTER ATTRIBUTE {} TYPE {ty}", quote_ident(fname)))
            };
            one(rank::TYPE_ALTER, sql)
        }
        K::CompositeFieldRemoved => {
            let fname = change.path.strip_prefix(&format!("{s}.{n}.")).unwrap_or("");
            Outcome::Steps(vec![step(change, rank::TYPE_ALTER, format!("ALTER TYPE {q} DROP ATTRIBUTE IF EXISTS {}", quote_ident(fname)))], vec![H::DeletesData])
        }
        K::CompositeFieldCommentChanged => {
            let fname = change.path.strip_prefix(&format!("{s}.{n}.")).unwrap_or("");
            let want = new_schema.and_then(|x| x.composites.iter().find(|e| e.name == n)).and_then(|c| c.fields.iter().find(|f| f.name == fname)).and_then(|f| f.comment.as_deref());
            one(rank::COMMENT, field_comment(s, n, fname, want))
        }
        _ => {
            let _ = old_schema;
            Outcome::Refuse(format!("reconcile has no statement for `{}` here", change.kind.code()))
        }
    }
}

fn field_comment(s: &str, n: &str, f: &str, want: Option<&str>) -> String {
    do_if(&guards::column_comment_differs(s, n, f, want), &guards::comment_sql(&format!("COLUMN {}.{}", qualified(s, n), quote_ident(f)), want))
}

fn sequence_options(q: &Sequence) -> String {
    format!(
        "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        q.data_type,
        q.increment,
        q.min,
        q.max,
        q.start,
        q.cache,
        if q.cycle { "CYCLE" } else { "NO CYCLE" }
    )
}

/// `OWNED BY` target: `table.column` in the sequence's schema, or `schema.table.column`.
fn owned_by_sql(schema: &str, owned: &str) -> String {
    let parts: Vec<&str> = owned.split('.').collect();
    match parts.as_slice() {
        [t, c] => format!("{}.{}", qualified(schema, t), quote_ident(c)),
        [s, t, c] => format!("{}.{}", qualified(s, t), quote_ident(c)),
        _ => "NONE".to_owned(),
    }
}

fn function_signature(s: &str, f: &Function) -> String {
    format!("{}({})", qualified(s, &f.name), f.arguments)
}

fn routine_noun(f: &Function) -> &'static str {
    match f.kind {
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Aggregate => "AGGREGATE",
        _ => "FUNCTION",
    }
}

/// `CREATE OR REPLACE FUNCTION ...`, or why it cannot be written.
fn create_function(s: &str, f: &Function) -> Result<String, String> {
    let sig = function_signature(s, f);
    match f.kind {
        RoutineKind::Window => return Err("window functions are written in C; install them with their extension".into()),
        RoutineKind::Aggregate => {
            let a = f.aggregate.as_ref().ok_or("the aggregate's definition is not in the snapshot")?;
            if a.ordered_set {
                return Err("ordered-set aggregates are not written by reconcile; create it by hand".into());
            }
            let cond = format!("pg_catalog.to_regprocedure({}) IS NULL", quote_literal(&format!("{}({})", qualified(s, &f.name), f.arguments)));
            return Ok(do_if(&cond, &format!("CREATE AGGREGATE {sig} ({})", a.options_sql())));
        }
        _ => {}
    }
    if !matches!(f.language.as_str(), "sql" | "plpgsql") {
        return Err(format!("functions in language `{}` are not written by reconcile; create it by hand", f.language));
    }
    let body = f.body.as_deref().filter(|b| !b.trim().is_empty()).ok_or("its body is not in the target snapshot; take the snapshot with `--function-bodies`")?;
    let tag = guards::tag_for(body, "body");
    let mut sql = format!("CREATE OR REPLACE {} {sig}", routine_noun(f));
    if let Some(r) = &f.result {
        sql.push_str(&format!(" RETURNS {r}"));
    }
    sql.push_str(&format!(" LANGUAGE {}", f.language));
    if f.kind == RoutineKind::Function {
        sql.push_str(&format!(" {}", f.volatility.as_sql()));
        if f.strict {
            sql.push_str(" STRICT");
        }
    }
    if f.security_definer {
        sql.push_str(" SECURITY DEFINER");
    }
    sql.push_str(&format!(" AS ${tag}${body}${tag}$"));
    Ok(sql)
}

/// Sequences and functions.
pub(crate) fn routines(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let (s, n) = (change.schema.as_str(), change.object.as_str());
    let new_schema = ctx.new_schema(s);
    let old_schema = ctx.old_schema(s);
    let key = |f: &Function| format!("{}({})", f.name, f.arguments);
    match change.kind {
        K::SequenceAdded | K::SequenceChanged => {
            let Some(q) = new_schema.and_then(|x| x.sequences.iter().find(|q| q.name == n)) else { return missing(change) };
            let name = qualified(s, n);
            let mut steps = Vec::new();
            if change.kind == K::SequenceAdded {
                steps.push(step(change, rank::SEQUENCE, format!("CREATE SEQUENCE IF NOT EXISTS {name} {}", sequence_options(q))));
                if let Some(c) = &q.comment {
                    steps.push(step(change, rank::COMMENT, guards::comment_sql(&format!("SEQUENCE {name}"), Some(c))));
                }
                for g in &q.grants {
                    steps.push(step(change, rank::GRANT, grant_sql(g, &format!("SEQUENCE {name}"), None)));
                }
            } else {
                steps.push(step(change, rank::SEQUENCE, format!("ALTER SEQUENCE {name} {}", sequence_options(q))));
            }
            let owner = q.owned_by.as_deref().map(|o| owned_by_sql(s, o)).unwrap_or_else(|| "NONE".to_owned());
            if q.owned_by.is_some() || change.kind == K::SequenceChanged {
                steps.push(step(change, rank::SEQUENCE_OWNED, format!("ALTER SEQUENCE {name} OWNED BY {owner}")));
            }
            Outcome::Steps(steps, vec![])
        }
        K::SequenceRemoved => Outcome::Steps(vec![step(change, rank::DROP_SEQUENCE, format!("DROP SEQUENCE IF EXISTS {}", qualified(s, n)))], vec![H::DeletesData]),
        K::FunctionAdded | K::FunctionChanged | K::FunctionBodyChanged => {
            let Some(f) = new_schema.and_then(|x| x.functions.iter().find(|f| key(f) == n)) else { return missing(change) };
            if let Some(old) = old_schema.and_then(|x| x.functions.iter().find(|f| key(f) == n)) {
                if old.result != f.result || old.kind != f.kind {
                    return Outcome::Refuse("the result type or kind changed, which `CREATE OR REPLACE` cannot do; drop and create it by hand".into());
                }
            }
            let sql = match create_function(s, f) {
                Ok(sql) => sql,
                Err(reason) => return Outcome::Refuse(reason),
            };
            let r = if f.language == "sql" { rank::FUNCTION } else { rank::FUNCTION_EARLY };
            let mut steps = vec![step(change, r, sql)];
            if change.kind == K::FunctionAdded {
                let on = format!("{} {}", routine_noun(f).replace("AGGREGATE", "FUNCTION"), function_signature(s, f));
                if let Some(c) = &f.comment {
                    steps.push(step(change, rank::COMMENT, guards::comment_sql(&format!("{} {}", routine_noun(f), function_signature(s, f)), Some(c))));
                }
                if !f.grants.iter().any(|g| g.grantee == "PUBLIC") {
                    steps.push(step(change, rank::GRANT, format!("REVOKE ALL ON {on} FROM PUBLIC")));
                }
                for g in &f.grants {
                    steps.push(step(change, rank::GRANT, grant_sql(g, &on, None)));
                }
            }
            Outcome::Steps(steps, vec![])
        }
        K::FunctionRemoved => {
            let Some(f) = old_schema.and_then(|x| x.functions.iter().find(|f| key(f) == n)) else { return missing(change) };
            if f.arguments.contains(" DEFAULT ") {
                return Outcome::Refuse("its arguments have defaults, which a `DROP` signature cannot name; drop it by hand".into());
            }
            Outcome::Steps(vec![step(change, rank::DROP_FUNCTION, format!("DROP {} IF EXISTS {}", routine_noun(f), function_signature(s, f)))], vec![])
        }
        K::FunctionCommentChanged => {
            let Some(f) = new_schema.and_then(|x| x.functions.iter().find(|f| key(f) == n)) else { return missing(change) };
            Outcome::Steps(vec![step(change, rank::COMMENT, guards::comment_sql(&format!("{} {}", routine_noun(f), function_signature(s, f)), f.comment.as_deref()))], vec![])
        }
        _ => Outcome::Refuse(format!("reconcile has no statement for `{}` here", change.kind.code())),
    }
}

/// Privileges: the grantee's privileges on the object are set to exactly the target's.
pub(crate) fn grant(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    let Some((on, who)) = change.path.rsplit_once(':') else { return missing(change) };
    let (s, obj) = (change.schema.as_str(), change.object.as_str());
    let new_schema = ctx.new_schema(s);
    let find = |list: &[Grant]| list.iter().find(|g| g.grantee == who).cloned();
    let (target, column, want): (String, Option<String>, Option<Grant>) = if obj.is_empty() {
        (format!("SCHEMA {}", quote_ident(s)), None, new_schema.and_then(|x| find(&x.grants)))
    } else if let Some(f) = new_schema.and_then(|x| x.functions.iter().find(|f| format!("{}({})", f.name, f.arguments) == obj)) {
        (format!("FUNCTION {}", function_signature(s, f)), None, find(&f.grants))
    } else if ctx.old_schema(s).is_some_and(|x| x.functions.iter().any(|f| format!("{}({})", f.name, f.arguments) == obj)) {
        return Outcome::Covered;
    } else if let Some(q) = new_schema.and_then(|x| x.sequences.iter().find(|q| q.name == obj)) {
        (format!("SEQUENCE {}", qualified(s, obj)), None, find(&q.grants))
    } else {
        let rel_path = format!("{s}.{obj}");
        let schema = new_schema;
        let table = schema.and_then(|x| x.table(obj));
        let view = schema.and_then(|x| x.view(obj));
        if on == rel_path {
            let grants = table.map(|t| t.grants.as_slice()).or(view.map(|v| v.grants.as_slice())).unwrap_or(&[]);
            (format!("TABLE {}", qualified(s, obj)), None, find(grants))
        } else if let Some(col) = on.strip_prefix(&format!("{rel_path}.")).filter(|c| table.is_some_and(|t| t.columns.iter().any(|x| x.name == *c))) {
            let c = table.and_then(|t| t.columns.iter().find(|x| x.name == col));
            (format!("TABLE {}", qualified(s, obj)), Some(col.to_owned()), c.and_then(|c| find(&c.grants)))
        } else {
            // A partition's own privileges: `on` is its `schema.name`.
            let part = table.and_then(|t| find_part(&t.partitions, on));
            match part {
                Some(p) => (format!("TABLE {}", qualified(&p.schema, &p.name)), None, find(&p.grants)),
                None => return Outcome::Covered,
            }
        }
    };
    if ctx.recreated_views.contains(&(s.to_owned(), obj.to_owned())) {
        return Outcome::Covered;
    }
    Outcome::Steps(vec![step(change, rank::GRANT, set_grant(who, want.as_ref(), &target, column.as_deref()))], vec![])
}

fn find_part<'a>(parts: &'a [schema_core::snapshot::Partition], q: &str) -> Option<&'a schema_core::snapshot::Partition> {
    parts.iter().find_map(|p| if format!("{}.{}", p.schema, p.name) == q { Some(p) } else { find_part(&p.partitions, q) })
}
