//! INSERT, UPDATE and DELETE (targets, required and generated columns, ON CONFLICT,
//! RETURNING), and function calls.

use std::sync::OnceLock;
use std::collections::HashSet;

use pg_query::protobuf::{self as pb, node::Node as N};

use crate::analyze::Analyzer;
use crate::catalog::{CatColumn, RelKind};
use crate::diag;
use crate::scope::{OutCol, Scope, Source};
use schema_core::check::closest;

/// The function names of `pg_catalog` (PostgreSQL 13 to 18).
fn builtins() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| include_str!("builtin_functions.txt").lines().collect())
}

fn sval(n: &pb::Node) -> Option<&str> {
    match n.node.as_ref()? {
        N::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// A write's target: its source and its catalog columns (`None` when outside the snapshot).
struct Target {
    source: Source,
    columns: Option<Vec<CatColumn>>,
    name: String,
}

impl Analyzer<'_> {
    fn target(&mut self, rv: Option<&pb::RangeVar>) -> Option<Target> {
        let rv = rv?;
        let src = self.range_var_source(rv);
        let schemas: Vec<String> = if rv.schemaname.is_empty() { self.opts.search_path.clone() } else { vec![rv.schemaname.clone()] };
        let columns = schemas.iter().find_map(|s| self.cat.relation(s, &rv.relname)).filter(|r| r.kind == RelKind::Table || r.kind == RelKind::View).map(|r| r.columns.clone());
        Some(Target { source: src, columns, name: rv.relname.clone() })
    }

    fn range_var_source(&mut self, rv: &pb::RangeVar) -> Source {
        // A write target is never a CTE: look it up in the catalog only.
        let empty = Scope::default();
        let mut src = self.range_var(&empty, rv);
        src.cols_visible = true;
        src
    }

    fn returning(&mut self, scope: &Scope<'_>, r: Option<&pb::ReturningClause>) -> Option<Vec<OutCol>> {
        let r = r?;
        self.targets(scope, &r.exprs)
    }

    fn check_target_column(&mut self, t: &Target, name: &str, at: i32) -> Option<CatColumn> {
        let cols = t.columns.as_ref()?;
        match cols.iter().find(|c| c.name == name) {
            Some(c) => Some(c.clone()),
            None => {
                let hint = closest(name, cols.iter().map(|c| c.name.as_str())).map(|c| format!("did you mean `{c}`?"));
                self.report(diag::UNKNOWN_COLUMN, at, format!("column `{name}` of relation `{}` does not exist", t.name), hint);
                None
            }
        }
    }

    fn generated_write(&mut self, c: &CatColumn, table: &str, at: i32, overriding_system: bool, update: bool) {
        if c.generated {
            self.report(diag::WRITE_GENERATED, at, format!("column `{}` of `{table}` is a generated column and cannot be written", c.name), Some("leave it out, or write DEFAULT".into()));
        } else if c.identity_always && (update || !overriding_system) {
            let how = if update { "can only be updated to DEFAULT" } else { "is GENERATED ALWAYS AS IDENTITY" };
            let fix = if update { "leave it out of SET" } else { "leave it out, or add OVERRIDING SYSTEM VALUE" };
            self.report(diag::WRITE_GENERATED, at, format!("column `{}` of `{table}` {how}", c.name), Some(fix.into()));
        }
    }

    pub(crate) fn insert(&mut self, parent: Option<&Scope<'_>>, s: &pb::InsertStmt) -> Option<Vec<OutCol>> {
        let mut scope = Scope::child(parent, false);
        self.with(&mut scope, s.with_clause.as_ref());
        let target = self.target(s.relation.as_ref())?;
        // The values see the CTEs, not the target.
        let mut rows: Vec<Vec<bool>> = Vec::new();
        let mut width = None;
        if let Some(sel) = s.select_stmt.as_deref() {
            if let Some(N::SelectStmt(ss)) = sel.node.as_ref() {
                if ss.op == pb::SetOperation::SetopNone as i32 && !ss.values_lists.is_empty() && ss.with_clause.is_none() {
                    for row in &ss.values_lists {
                        if let Some(N::List(l)) = row.node.as_ref() {
                            rows.push(l.items.iter().map(|e| matches!(e.node, Some(N::SetToDefault(_)))).collect());
                        }
                    }
                }
                let out = self.select(Some(&scope), true, ss);
                width = out.map(|o| o.len()).or_else(|| rows.first().map(Vec::len));
            }
        }
        let mut given: Vec<(String, i32)> = Vec::new();
        for c in &s.cols {
            if let Some(N::ResTarget(rt)) = c.node.as_ref() {
                given.push((rt.name.clone(), rt.location));
            }
        }
        let overriding_system = s.r#override == pb::OverridingKind::OverridingSystemValue as i32;
        if let Some(cols) = target.columns.clone() {
            let listed: Vec<(CatColumn, i32)> = if given.is_empty() {
                let n = if s.select_stmt.is_none() { 0 } else { width.unwrap_or(cols.len()) };
                cols.iter().take(n).map(|c| (c.clone(), loc_of(s))).collect()
            } else {
                given.iter().filter_map(|(n, at)| self.check_target_column(&target, n, *at).map(|c| (c, *at))).collect()
            };
            for (i, (c, at)) in listed.iter().enumerate() {
                let all_default = !rows.is_empty() && rows.iter().all(|r| r.get(i).copied().unwrap_or(false));
                if !all_default {
                    self.generated_write(c, &target.name, *at, overriding_system, false);
                }
            }
            let unknown_given = !given.is_empty() && listed.len() != given.len();
            if !unknown_given && (width.is_some() || s.select_stmt.is_none()) {
                for c in cols.iter().filter(|c| !c.nullable && !c.has_default) {
                    if !listed.iter().any(|(l, _)| l.name == c.name) {
                        self.report(
                            diag::INSERT_MISSING_REQUIRED,
                            loc_of(s),
                            format!("INSERT into `{}` leaves out `{}`, which is NOT NULL and has no default", target.name, c.name),
                            Some(format!("add `{}` to the column list", c.name)),
                        );
                    }
                }
            }
        }
        scope.sources.push(target.source.clone());
        if let Some(oc) = s.on_conflict_clause.as_deref() {
            if let Some(infer) = oc.infer.as_deref() {
                for e in &infer.index_elems {
                    if let Some(N::IndexElem(ie)) = e.node.as_ref() {
                        if !ie.name.is_empty() {
                            // Index elements carry no location: the name's first spelling after `(`.
                            let from = usize::try_from(infer.location).unwrap_or(0);
                            let at = self.text.get(from..).and_then(|t| t.find(ie.name.as_str())).map_or(infer.location, |p| i32::try_from(from + p).unwrap_or(infer.location));
                            self.check_target_column(&target, &ie.name, at);
                        }
                        if let Some(x) = ie.expr.as_deref() {
                            self.expr(&scope, x);
                        }
                    }
                }
                if let Some(w) = infer.where_clause.as_deref() {
                    self.expr(&scope, w);
                }
            }
            let mut excluded = target.source.clone();
            excluded.alias = Some("excluded".into());
            excluded.relation = None;
            excluded.id = usize::MAX;
            let conflict = Scope { sources: vec![target.source.clone(), excluded], ..Scope::child(Some(&scope), true) };
            self.set_list(&conflict, &target, &oc.target_list);
            if let Some(w) = oc.where_clause.as_deref() {
                self.expr(&conflict, w);
            }
        }
        self.returning(&scope, s.returning_clause.as_ref())
    }

    fn set_list(&mut self, scope: &Scope<'_>, target: &Target, list: &[pb::Node]) {
        for t in list {
            let Some(N::ResTarget(rt)) = t.node.as_ref() else { continue };
            let is_default = matches!(rt.val.as_deref().and_then(|v| v.node.as_ref()), Some(N::SetToDefault(_)));
            if let Some(c) = self.check_target_column(target, &rt.name, rt.location) {
                if !is_default {
                    self.generated_write(&c, &target.name, rt.location, false, true);
                }
            }
            if let Some(v) = rt.val.as_deref() {
                self.expr(scope, v);
            }
        }
    }

    pub(crate) fn update(&mut self, parent: Option<&Scope<'_>>, s: &pb::UpdateStmt) -> Option<Vec<OutCol>> {
        let mut scope = Scope::child(parent, false);
        self.with(&mut scope, s.with_clause.as_ref());
        let target = self.target(s.relation.as_ref())?;
        scope.sources.push(target.source.clone());
        self.scan_from_list(&mut scope, &s.from_clause);
        self.set_list(&scope, &target, &s.target_list);
        if let Some(w) = s.where_clause.as_deref() {
            self.expr(&scope, w);
        }
        self.returning(&scope, s.returning_clause.as_ref())
    }

    pub(crate) fn delete(&mut self, parent: Option<&Scope<'_>>, s: &pb::DeleteStmt) -> Option<Vec<OutCol>> {
        let mut scope = Scope::child(parent, false);
        self.with(&mut scope, s.with_clause.as_ref());
        let target = self.target(s.relation.as_ref())?;
        scope.sources.push(target.source.clone());
        self.scan_from_list(&mut scope, &s.using_clause);
        if let Some(w) = s.where_clause.as_deref() {
            self.expr(&scope, w);
        }
        self.returning(&scope, s.returning_clause.as_ref())
    }

    /// A function call: checked against the snapshot's functions and the builtins; its value.
    pub(crate) fn func_call(&mut self, scope: &Scope<'_>, f: &pb::FuncCall) -> OutCol {
        for a in &f.args {
            self.expr(scope, a);
        }
        for o in &f.agg_order {
            self.expr(scope, o);
        }
        if let Some(filter) = f.agg_filter.as_deref() {
            self.expr(scope, filter);
        }
        if let Some(w) = f.over.as_deref() {
            for e in w.partition_clause.iter().chain(&w.order_clause) {
                self.expr(scope, e);
            }
        }
        let names: Vec<&str> = f.funcname.iter().filter_map(sval).collect();
        let (schema, name) = match names.as_slice() {
            [n] => (None, *n),
            [s, n] => (Some(*s), *n),
            _ => return OutCol::unknown("?column?"),
        };
        let nargs = f.args.len();
        let found = match schema {
            Some("pg_catalog") => return self.func_value(name, f),
            // Another schema outside the snapshot: whatever its `count` is, it is not the
            // built-in one, so nothing is known of its value.
            Some(s) if !self.cat.has_schema(s) => return OutCol::unknown(name),
            Some(s) => self.cat.function(s, name),
            None => self.opts.search_path.iter().find_map(|s| self.cat.function(s, name)),
        };
        match found {
            Some(arity) => {
                if arity.max.is_some_and(|m| nargs > m) {
                    let max = arity.max.unwrap_or(0);
                    self.report(diag::UNKNOWN_FUNCTION, f.location, format!("function `{name}` takes at most {max} argument{}, not {nargs}", if max == 1 { "" } else { "s" }), None);
                }
            }
            None if schema.is_none() && (builtins().contains(name) || self.cat.has_extensions) => {}
            None => {
                let hint = closest(name, builtins().iter().copied()).map(|c| format!("did you mean `{c}`?"));
                let shown = names.join(".");
                self.report(diag::UNKNOWN_FUNCTION, f.location, format!("function `{shown}` is neither in the snapshot nor built in"), hint);
            }
        }
        if schema.is_some() {
            // A user function that happens to be named like a built-in (`app.count`).
            return OutCol::unknown(name);
        }
        self.func_value(name, f)
    }

    fn func_value(&self, name: &str, f: &pb::FuncCall) -> OutCol {
        let typed = |t: &str, p: &str| OutCol { sql_type: Some(t.into()), typname: Some(p.into()), nullable: false, ..OutCol::unknown(name) };
        match name {
            "count" => typed("bigint", "int8"),
            "row_number" | "rank" | "dense_rank" if f.over.is_some() => typed("bigint", "int8"),
            "ntile" if f.over.is_some() => OutCol { nullable: true, ..typed("integer", "int4") },
            "percent_rank" | "cume_dist" if f.over.is_some() => typed("double precision", "float8"),
            "now" | "statement_timestamp" | "transaction_timestamp" | "clock_timestamp" => typed("timestamp with time zone", "timestamptz"),
            _ => OutCol::unknown(name),
        }
    }
}

fn loc_of(s: &pb::InsertStmt) -> i32 {
    s.relation.as_ref().map_or(0, |r| r.location)
}
