//! The resolver: walks one parsed statement with PostgreSQL's scoping ([`crate::scope`]),
//! reports names the snapshot does not have, and infers the result's columns.

use pg_query::protobuf::{self as pb, node::Node as N};

use crate::catalog::{Catalog, RelKind};
use crate::diag::{self, Diagnostic};
use crate::scope::{Cte, OutCol, Scope, Source};
use crate::types::figure_name;
use schema_core::check::closest;

/// What the checker needs besides the catalog.
#[derive(Debug, Clone)]
pub struct Options {
    /// Schemas unqualified names resolve in, in order (default `["public"]`).
    pub search_path: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options { search_path: vec!["public".into()] }
    }
}

/// Walks statements, collecting diagnostics.
pub(crate) struct Analyzer<'c> {
    pub(crate) cat: &'c Catalog,
    pub(crate) opts: &'c Options,
    pub(crate) diags: Vec<Diagnostic>,
    next_id: usize,
    /// Set when a statement reads a function's result columns or a relation outside the
    /// snapshot: its names could not all be checked.
    pub(crate) unverifiable: Option<(usize, String)>,
    /// The SQL text, for the few nodes without a location of their own.
    pub(crate) text: &'c str,
}

fn loc(l: i32) -> usize {
    usize::try_from(l).unwrap_or(0)
}

pub(crate) fn sval(n: &pb::Node) -> Option<&str> {
    match n.node.as_ref()? {
        N::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// The column names of an alias (`AS t(a, b)`).
fn alias_cols(alias: Option<&pb::Alias>) -> Vec<String> {
    alias.map(|a| a.colnames.iter().filter_map(sval).map(str::to_owned).collect()).unwrap_or_default()
}

fn rename(cols: Option<Vec<OutCol>>, names: &[String]) -> Option<Vec<OutCol>> {
    let mut cols = cols?;
    for (c, n) in cols.iter_mut().zip(names) {
        c.name.clone_from(n);
    }
    Some(cols)
}

/// Comparison and arithmetic operators: strict, and never NULL on non-NULL input.
pub(crate) const SAFE_OPS: &[&str] = &["=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||"];
pub(crate) const COMPARISONS: &[&str] = &["=", "<>", "!=", "<", ">", "<=", ">="];

impl<'c> Analyzer<'c> {
    pub(crate) fn new(cat: &'c Catalog, opts: &'c Options, text: &'c str) -> Analyzer<'c> {
        Analyzer { cat, opts, diags: Vec::new(), next_id: 0, unverifiable: None, text }
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn report(&mut self, rule: &'static str, at: i32, message: String, suggestion: Option<String>) {
        self.diags.push(Diagnostic::new(rule, loc(at), message).suggest(suggestion));
    }

    fn unverifiable(&mut self, at: i32, why: String) {
        if self.unverifiable.is_none() {
            self.unverifiable = Some((loc(at), why));
        }
    }

    /// A top-level statement: its result columns (SELECT, or a write with RETURNING), `None`
    /// when it returns no rows or they cannot be inferred.
    pub(crate) fn statement(&mut self, node: &pb::Node) -> Option<Vec<OutCol>> {
        match node.node.as_ref()? {
            N::SelectStmt(s) => self.select(None, false, s),
            N::InsertStmt(s) => self.insert(None, s),
            N::UpdateStmt(s) => self.update(None, s),
            N::DeleteStmt(s) => self.delete(None, s),
            N::ExplainStmt(e) => {
                if let Some(q) = &e.query {
                    self.statement(q);
                }
                None
            }
            _ => None,
        }
    }

    /// A statement nested in a CTE or subquery.
    pub(crate) fn nested(&mut self, parent: &Scope<'_>, skip: bool, node: &pb::Node) -> Option<Vec<OutCol>> {
        match node.node.as_ref()? {
            N::SelectStmt(s) => self.select(Some(parent), skip, s),
            N::InsertStmt(s) => self.insert(Some(parent), s),
            N::UpdateStmt(s) => self.update(Some(parent), s),
            N::DeleteStmt(s) => self.delete(Some(parent), s),
            _ => None,
        }
    }

    pub(crate) fn with(&mut self, scope: &mut Scope<'_>, with: Option<&pb::WithClause>) {
        let Some(with) = with else { return };
        for cte in &with.ctes {
            let Some(N::CommonTableExpr(cte)) = cte.node.as_ref() else { continue };
            let names: Vec<String> = cte.aliascolnames.iter().filter_map(sval).map(str::to_owned).collect();
            let Some(query) = cte.ctequery.as_deref() else { continue };
            let cols = match query.node.as_ref() {
                // A recursive CTE: its columns come from the non-recursive term, which is
                // resolved first; the recursive term then sees the CTE itself.
                Some(N::SelectStmt(s)) if with.recursive && s.op != pb::SetOperation::SetopNone as i32 => {
                    let left = s.larg.as_deref().and_then(|l| self.select_in(scope, l));
                    let mut cols = if names.is_empty() { left } else { rename(left, &names) };
                    // The recursive term sees the CTE as the non-recursive term shapes it, with
                    // nullability unknown: a NULL it produces feeds back into the next round.
                    let seen = cols.clone().map(|c| c.into_iter().map(|c| OutCol { nullable: true, id: None, ..c }).collect());
                    scope.ctes.push(Cte { name: cte.ctename.clone(), cols: seen });
                    let right = s.rarg.as_deref().and_then(|r| self.select_in(scope, r));
                    match (&mut cols, right) {
                        (Some(l), Some(r)) => {
                            for (a, b) in l.iter_mut().zip(r) {
                                a.nullable |= b.nullable;
                                a.id = None;
                            }
                        }
                        (Some(l), None) => l.iter_mut().for_each(|a| a.nullable = true),
                        _ => {}
                    }
                    self.order_and_limit(scope, s, cols.as_deref());
                    scope.ctes.pop();
                    cols
                }
                _ => {
                    let cols = self.nested(scope, true, query);
                    if names.is_empty() { cols } else { rename(cols, &names) }
                }
            };
            scope.ctes.push(Cte { name: cte.ctename.clone(), cols });
        }
    }

    fn select_in(&mut self, scope: &Scope<'_>, s: &pb::SelectStmt) -> Option<Vec<OutCol>> {
        self.select(Some(scope), true, s)
    }

    pub(crate) fn select(&mut self, parent: Option<&Scope<'_>>, skip: bool, s: &pb::SelectStmt) -> Option<Vec<OutCol>> {
        let mut scope = Scope::child(parent, skip);
        self.with(&mut scope, s.with_clause.as_ref());
        if s.op != pb::SetOperation::SetopNone as i32 {
            let l = s.larg.as_deref().and_then(|l| self.select(Some(&scope), true, l));
            let r = s.rarg.as_deref().and_then(|r| self.select(Some(&scope), true, r));
            let out = match (l, r) {
                (Some(l), Some(r)) => Some(
                    l.into_iter()
                        .zip(r)
                        .map(|(a, b)| {
                            let same = a.typname == b.typname;
                            OutCol {
                                nullable: a.nullable || b.nullable,
                                sql_type: a.sql_type.filter(|_| same),
                                typname: a.typname.filter(|_| same),
                                id: None,
                                name: a.name,
                            }
                        })
                        .collect(),
                ),
                _ => None,
            };
            self.order_and_limit(&scope, s, out.as_deref());
            return out;
        }
        if !s.values_lists.is_empty() {
            let mut out: Option<Vec<OutCol>> = None;
            for row in &s.values_lists {
                let Some(N::List(l)) = row.node.as_ref() else { continue };
                let vals: Vec<OutCol> = l.items.iter().map(|e| self.expr(&scope, e)).collect();
                out = Some(match out {
                    None => vals.into_iter().enumerate().map(|(i, v)| OutCol { name: format!("column{}", i + 1), id: None, ..v }).collect(),
                    Some(prev) => prev.into_iter().zip(vals).map(|(p, v)| OutCol { nullable: p.nullable || v.nullable, ..p }).collect(),
                });
            }
            self.order_and_limit(&scope, s, out.as_deref());
            return out;
        }
        self.scan_from_list(&mut scope, &s.from_clause);
        if let Some(w) = s.where_clause.as_deref() {
            self.expr(&scope, w);
            let mut proven = std::mem::take(&mut scope.proven);
            self.prove_not_null(&scope, w, &mut proven);
            scope.proven = proven;
        }
        let mut out = self.targets(&scope, &s.target_list);
        // ROLLUP, CUBE and GROUPING SETS emit rows where grouped columns are NULL.
        if s.group_clause.iter().any(|g| matches!(g.node, Some(N::GroupingSet(_)))) {
            for c in out.iter_mut().flatten() {
                c.nullable = true;
            }
        }
        for g in &s.group_clause {
            self.output_or_expr(&scope, g, out.as_deref());
        }
        if let Some(h) = s.having_clause.as_deref() {
            self.expr(&scope, h);
        }
        for w in &s.window_clause {
            self.expr(&scope, w);
        }
        for d in &s.distinct_clause {
            self.output_or_expr(&scope, d, out.as_deref());
        }
        for sort in &s.sort_clause {
            self.output_or_expr(&scope, sort, out.as_deref());
        }
        for e in [&s.limit_count, &s.limit_offset].into_iter().flatten() {
            self.expr(&scope, e);
        }
        out
    }

    /// ORDER BY and LIMIT of a set operation or VALUES: output names and ordinals only.
    fn order_and_limit(&mut self, scope: &Scope<'_>, s: &pb::SelectStmt, out: Option<&[OutCol]>) {
        for sort in &s.sort_clause {
            let Some(N::SortBy(sb)) = sort.node.as_ref() else { continue };
            let Some(node) = sb.node.as_deref() else { continue };
            if let (Some(N::ColumnRef(c)), Some(out)) = (node.node.as_ref(), out) {
                if let [f] = c.fields.as_slice() {
                    if let Some(name) = sval(f) {
                        if !out.iter().any(|o| o.name == name) {
                            let hint = closest(name, out.iter().map(|o| o.name.as_str())).map(|c| format!("did you mean `{c}`?"));
                            self.report(diag::UNKNOWN_COLUMN, c.location, format!("column `{name}` is not an output column of the set operation"), hint);
                        }
                        continue;
                    }
                }
            }
            self.expr(&Scope::child(Some(scope), true), node);
        }
        for e in [&s.limit_count, &s.limit_offset].into_iter().flatten() {
            self.expr(scope, e);
        }
    }

    /// GROUP BY / ORDER BY / DISTINCT ON items: a bare name may be an output column.
    fn output_or_expr(&mut self, scope: &Scope<'_>, node: &pb::Node, out: Option<&[OutCol]>) {
        let inner = match node.node.as_ref() {
            Some(N::SortBy(sb)) => match sb.node.as_deref() {
                Some(n) => n,
                None => return,
            },
            _ => node,
        };
        if let Some(N::ColumnRef(c)) = inner.node.as_ref() {
            if let ([f], Some(out)) = (c.fields.as_slice(), out) {
                if sval(f).is_some_and(|n| out.iter().any(|o| o.name == n)) {
                    return;
                }
            }
        }
        self.expr(scope, inner);
    }

    pub(crate) fn targets(&mut self, scope: &Scope<'_>, list: &[pb::Node]) -> Option<Vec<OutCol>> {
        let mut out = Some(Vec::new());
        for t in list {
            let Some(N::ResTarget(rt)) = t.node.as_ref() else { continue };
            let Some(val) = rt.val.as_deref() else { continue };
            if let Some(N::ColumnRef(c)) = val.node.as_ref() {
                if let Some(cols) = self.star_ref(scope, c) {
                    match (&mut out, cols) {
                        (Some(o), Some(cols)) => o.extend(cols),
                        _ => out = None,
                    }
                    continue;
                }
            }
            let mut v = self.expr(scope, val);
            v.name = if rt.name.is_empty() { figure_name(val) } else { rt.name.clone() };
            if let Some(o) = &mut out {
                o.push(v);
            }
        }
        out
    }

    /// `*` or `t.*`: reports it and returns its columns (`Some(None)`: unknown); `None` when
    /// the reference is not a star.
    fn star_ref(&mut self, scope: &Scope<'_>, c: &pb::ColumnRef) -> Option<Option<Vec<OutCol>>> {
        let last = c.fields.last()?;
        if !matches!(last.node, Some(N::AStar(_))) {
            return None;
        }
        let names: Vec<&str> = c.fields.iter().filter_map(sval).collect();
        let text = if names.is_empty() { "*".to_owned() } else { format!("{}.*", names.join(".")) };
        self.report(diag::SELECT_STAR, c.location, format!("`{text}` selects every column, so the result changes shape when a column is added"), Some("list the columns".into()));
        Some(match names.as_slice() {
            [] => scope.star(),
            [t] => match scope.source(None, t) {
                Some(src) => scope.star_of(src),
                None => {
                    self.missing_source(scope, c.location, t);
                    None
                }
            },
            [sc, t] => match scope.source(Some(sc), t) {
                Some(src) => scope.star_of(src),
                None => {
                    self.missing_source(scope, c.location, t);
                    None
                }
            },
            _ => None,
        })
    }

    pub(crate) fn missing_source(&mut self, scope: &Scope<'_>, at: i32, name: &str) {
        let mut aliases: Vec<String> = Vec::new();
        let mut s = Some(scope);
        while let Some(level) = s {
            aliases.extend(level.sources.iter().filter_map(|x| x.alias.clone()));
            s = level.parent;
        }
        let hint = closest(name, aliases.iter().map(String::as_str)).map(|c| format!("did you mean `{c}`?"));
        self.report(diag::UNKNOWN_ALIAS, at, format!("missing FROM-clause entry for `{name}`"), hint.or_else(|| Some(format!("add `{name}` to FROM, or qualify with a name the query defines"))));
    }

    // ---- FROM ----

    pub(crate) fn scan_from_list(&mut self, scope: &mut Scope<'_>, items: &[pb::Node]) {
        for item in items {
            let sources = self.scan_from_item(scope, item);
            scope.sources.extend(sources);
        }
    }

    /// One FROM item: the sources it adds (leaves, then the join source for a join).
    fn scan_from_item(&mut self, scope: &Scope<'_>, item: &pb::Node) -> Vec<Source> {
        let Some(node) = item.node.as_ref() else { return Vec::new() };
        match node {
            N::RangeVar(rv) => vec![self.range_var(scope, rv)],
            N::RangeSubselect(sub) => {
                let lateral = sub.lateral;
                let cols = sub.subquery.as_deref().and_then(|q| self.nested(scope, !lateral, q));
                let id = self.id();
                let alias = sub.alias.as_ref().map(|a| a.aliasname.clone());
                vec![Source { id, alias, relation: None, cols: rename(cols, &alias_cols(sub.alias.as_ref())), cols_visible: true, system: false }]
            }
            N::RangeFunction(rf) => {
                // Functions in FROM may always reference earlier items (implicitly LATERAL).
                for f in &rf.functions {
                    if let Some(N::List(l)) = f.node.as_ref() {
                        if let Some(call) = l.items.first() {
                            self.expr(scope, call);
                        }
                    }
                }
                let names = alias_cols(rf.alias.as_ref());
                let coldefs: Vec<String> = rf
                    .coldeflist
                    .iter()
                    .filter_map(|c| match c.node.as_ref() {
                        Some(N::ColumnDef(d)) => Some(d.colname.clone()),
                        _ => None,
                    })
                    .collect();
                let mut known: Vec<String> = if !coldefs.is_empty() { coldefs } else { names };
                if rf.ordinality && !known.is_empty() {
                    known.push("ordinality".into());
                }
                let cols = (!known.is_empty()).then(|| known.iter().map(|n| OutCol::unknown(n)).collect());
                if cols.is_none() {
                    self.unverifiable(0, "a function in FROM: its result columns are not in the snapshot".into());
                }
                let id = self.id();
                vec![Source { id, alias: rf.alias.as_ref().map(|a| a.aliasname.clone()), relation: None, cols, cols_visible: true, system: false }]
            }
            N::JoinExpr(j) => self.join(scope, j),
            _ => Vec::new(),
        }
    }

    pub(crate) fn range_var(&mut self, scope: &Scope<'_>, rv: &pb::RangeVar) -> Source {
        let id = self.id();
        let alias = rv.alias.as_ref().map(|a| a.aliasname.clone()).unwrap_or_else(|| rv.relname.clone());
        let names = alias_cols(rv.alias.as_ref());
        let unaliased = rv.alias.is_none();
        let mut src = Source { id, alias: Some(alias), relation: None, cols: None, cols_visible: true, system: false };
        if rv.schemaname.is_empty() {
            if let Some(cte) = scope.cte(&rv.relname) {
                src.cols = rename(cte.cols.clone(), &names);
                return src;
            }
        }
        match self.lookup_relation(rv) {
            Some((schema, cols, kind)) => {
                if unaliased {
                    src.relation = Some((schema, rv.relname.clone()));
                }
                src.cols = rename(Some(cols), &names);
                src.system = kind == RelKind::Table;
            }
            None => src.cols = None,
        }
        src
    }

    /// A relation by its (possibly qualified) name; reports it when the snapshot should have
    /// it and does not.
    fn lookup_relation(&mut self, rv: &pb::RangeVar) -> Option<(String, Vec<OutCol>, RelKind)> {
        let schemas: Vec<String> = if rv.schemaname.is_empty() { self.opts.search_path.clone() } else { vec![rv.schemaname.clone()] };
        for schema in &schemas {
            if let Some(rel) = self.cat.relation(schema, &rv.relname) {
                let cols = rel
                    .columns
                    .iter()
                    .map(|c| OutCol { name: c.name.clone(), sql_type: Some(c.sql_type.clone()), typname: Some(c.typname.clone()), nullable: c.nullable, id: None })
                    .collect();
                return Some((schema.clone(), cols, rel.kind));
            }
        }
        let outside = if rv.schemaname.is_empty() { rv.relname.starts_with("pg_") } else { !self.cat.has_schema(&rv.schemaname) };
        if outside {
            self.unverifiable(rv.location, format!("`{}` is outside the snapshot", rv.relname));
            return None;
        }
        let hint = closest(&rv.relname, self.cat.relation_names(&schemas)).map(|c| format!("did you mean `{c}`?"));
        let shown = if rv.schemaname.is_empty() { rv.relname.clone() } else { format!("{}.{}", rv.schemaname, rv.relname) };
        let where_ = if rv.schemaname.is_empty() { format!(" (search_path: {})", self.opts.search_path.join(", ")) } else { String::new() };
        self.report(diag::UNKNOWN_TABLE, rv.location, format!("relation `{shown}` does not exist in the snapshot{where_}"), hint);
        None
    }

    fn join(&mut self, scope: &Scope<'_>, j: &pb::JoinExpr) -> Vec<Source> {
        let left = j.larg.as_deref().map(|l| self.scan_from_item(scope, l)).unwrap_or_default();
        let right_lateral = matches!(j.rarg.as_deref().and_then(|r| r.node.as_ref()), Some(N::RangeFunction(_)))
            || matches!(j.rarg.as_deref().and_then(|r| r.node.as_ref()), Some(N::RangeSubselect(s)) if s.lateral);
        let right = match j.rarg.as_deref() {
            Some(r) if right_lateral => {
                let tmp = Scope { sources: left.clone(), ..Scope::child(Some(scope), false) };
                self.scan_from_item(&tmp, r)
            }
            Some(r) => self.scan_from_item(scope, r),
            None => Vec::new(),
        };
        let visible = |v: &[Source]| -> Option<Vec<OutCol>> {
            let mut out = Vec::new();
            for s in v.iter().filter(|s| s.cols_visible) {
                for (i, c) in s.cols.as_ref()?.iter().enumerate() {
                    let mut c = c.clone();
                    c.id = c.id.or(Some((s.id, i)));
                    out.push(c);
                }
            }
            Some(out)
        };
        let (lcols, rcols) = (visible(&left), visible(&right));
        let jt = j.jointype;
        let (null_left, null_right) = (jt == pb::JoinType::JoinRight as i32 || jt == pb::JoinType::JoinFull as i32, jt == pb::JoinType::JoinLeft as i32 || jt == pb::JoinType::JoinFull as i32);
        let mut using: Vec<(String, i32)> = j.using_clause.iter().filter_map(sval).map(|s| (s.to_owned(), 0)).collect();
        if j.is_natural {
            if let (Some(l), Some(r)) = (&lcols, &rcols) {
                using = l.iter().filter(|c| r.iter().any(|d| d.name == c.name)).map(|c| (c.name.clone(), 0)).collect();
            }
        }
        let mut out: Vec<Source> = left.into_iter().chain(right).collect();
        if let Some(q) = j.quals.as_deref() {
            let on = Scope { sources: out.clone(), ..Scope::child(Some(scope), true) };
            self.expr(&on, q);
        }
        let cols = match (lcols, rcols) {
            (Some(l), Some(r)) => {
                let mut merged = Vec::new();
                for (name, _) in &using {
                    let (a, b) = (l.iter().find(|c| &c.name == name), r.iter().find(|c| &c.name == name));
                    match (a, b) {
                        (Some(a), Some(b)) => {
                            let nullable = if jt == pb::JoinType::JoinFull as i32 { a.nullable && b.nullable } else if null_left { b.nullable } else if null_right { a.nullable } else { a.nullable && b.nullable };
                            let pick = if null_left { b } else { a };
                            let id = if jt == pb::JoinType::JoinFull as i32 { None } else { pick.id };
                            merged.push(OutCol { nullable, id, ..pick.clone() });
                        }
                        (a, _) => {
                            let side = if a.is_none() { "left" } else { "right" };
                            self.report(diag::UNKNOWN_COLUMN, using_location(j), format!("column `{name}` named in USING does not exist in the {side} side of the join"), None);
                        }
                    }
                }
                let keep = |cols: Vec<OutCol>, nullable: bool| -> Vec<OutCol> {
                    cols.into_iter().filter(|c| !using.iter().any(|(u, _)| *u == c.name)).map(|c| OutCol { nullable: c.nullable || nullable, ..c }).collect()
                };
                merged.extend(keep(l, null_left));
                merged.extend(keep(r, null_right));
                Some(merged)
            }
            _ => None,
        };
        for s in &mut out {
            s.cols_visible = false;
            if j.alias.is_some() {
                s.alias = None;
                s.relation = None;
            }
        }
        // Outer joins make the other side's columns nullable, through qualified names too.
        mark_outer(&mut out, j, null_left, null_right);
        let id = self.id();
        let names = alias_cols(j.alias.as_ref());
        let alias = j.alias.as_ref().map(|a| a.aliasname.clone());
        out.push(Source { id, alias, relation: None, cols: rename(cols.clone(), &names), cols_visible: true, system: false });
        if let Some(ua) = &j.join_using_alias {
            let merged = cols.as_ref().map(|c| c.iter().take(using.len()).cloned().collect());
            let id = self.id();
            out.push(Source { id, alias: Some(ua.aliasname.clone()), relation: None, cols: merged, cols_visible: false, system: false });
        }
        out
    }
}

fn using_location(j: &pb::JoinExpr) -> i32 {
    match j.rarg.as_deref().and_then(|r| r.node.as_ref()) {
        Some(N::RangeVar(rv)) => rv.location,
        _ => 0,
    }
}

/// Outer joins: the leaves of the nullable side(s) get nullable columns.
fn mark_outer(out: &mut [Source], j: &pb::JoinExpr, null_left: bool, null_right: bool) {
    if !(null_left || null_right) {
        return;
    }
    let n_left = count_leaves(j.larg.as_deref());
    for (i, s) in out.iter_mut().enumerate() {
        let on_left = i < n_left;
        if (on_left && null_left) || (!on_left && null_right) {
            if let Some(cols) = &mut s.cols {
                for c in cols {
                    c.nullable = true;
                }
            }
        }
    }
}

/// How many sources a FROM item adds (as [`Analyzer::scan_from_item`] does).
fn count_leaves(n: Option<&pb::Node>) -> usize {
    match n.and_then(|n| n.node.as_ref()) {
        Some(N::JoinExpr(j)) => count_leaves(j.larg.as_deref()) + count_leaves(j.rarg.as_deref()) + 1 + usize::from(j.join_using_alias.is_some()),
        Some(_) => 1,
        None => 0,
    }
}
