//! Expressions: every name they reference resolved in scope, and what they evaluate to (type,
//! nullability); WHERE clauses' proofs of NOT NULL.

use pg_query::protobuf::{self as pb, node::Node as N};

use crate::analyze::{sval, Analyzer, COMPARISONS, SAFE_OPS};
use crate::diag;
use crate::scope::{Lookup, OutCol, Scope, Source};
use crate::types::cast_type;
use schema_core::check::closest;

impl Analyzer<'_> {

    /// Resolves every name in `node`; returns what it evaluates to (type, nullability).
    pub(crate) fn expr(&mut self, scope: &Scope<'_>, node: &pb::Node) -> OutCol {
        let unknown = || OutCol::unknown("?column?");
        let typed = |t: &str, p: &str, nullable: bool| OutCol { sql_type: Some(t.into()), typname: Some(p.into()), nullable, ..OutCol::unknown("?column?") };
        let Some(n) = node.node.as_ref() else { return unknown() };
        match n {
            N::ColumnRef(c) => self.column_ref(scope, c),
            N::ParamRef(_) => unknown(),
            N::AConst(a) => match &a.val {
                _ if a.isnull => unknown(),
                Some(pb::a_const::Val::Ival(_)) => typed("integer", "int4", false),
                Some(pb::a_const::Val::Fval(_)) => typed("numeric", "numeric", false),
                Some(pb::a_const::Val::Boolval(_)) => typed("boolean", "bool", false),
                Some(pb::a_const::Val::Sval(_)) => typed("text", "text", false),
                _ => OutCol { nullable: false, ..unknown() },
            },
            N::TypeCast(tc) => {
                let inner = tc.arg.as_deref().map(|a| self.expr(scope, a)).unwrap_or_else(unknown);
                let (sql_type, typname) = tc.type_name.as_ref().map(cast_type).unwrap_or((None, None));
                OutCol { sql_type, typname, nullable: inner.nullable, id: None, name: inner.name }
            }
            N::AExpr(a) => {
                let l = a.lexpr.as_deref().map(|e| self.expr(scope, e));
                let r = a.rexpr.as_deref().map(|e| self.expr(scope, e));
                let op = a.name.iter().filter_map(sval).next_back().unwrap_or("");
                let kind = a.kind;
                let operands_nullable = l.as_ref().is_none_or(|x| x.nullable) || r.as_ref().is_none_or(|x| x.nullable);
                if kind == pb::AExprKind::AexprOp as i32 && SAFE_OPS.contains(&op) {
                    if COMPARISONS.contains(&op) {
                        return typed("boolean", "bool", operands_nullable);
                    }
                    return OutCol { nullable: operands_nullable, ..unknown() };
                }
                if kind == pb::AExprKind::AexprDistinct as i32 || kind == pb::AExprKind::AexprNotDistinct as i32 {
                    return typed("boolean", "bool", false);
                }
                unknown()
            }
            N::BoolExpr(b) => {
                let vals: Vec<OutCol> = b.args.iter().map(|a| self.expr(scope, a)).collect();
                typed("boolean", "bool", vals.iter().any(|v| v.nullable))
            }
            N::NullTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.expr(scope, a);
                }
                typed("boolean", "bool", false)
            }
            N::BooleanTest(t) => {
                if let Some(a) = t.arg.as_deref() {
                    self.expr(scope, a);
                }
                typed("boolean", "bool", false)
            }
            N::FuncCall(f) => self.func_call(scope, f),
            N::SubLink(sl) => {
                if let Some(t) = sl.testexpr.as_deref() {
                    self.expr(scope, t);
                }
                let cols = sl.subselect.as_deref().and_then(|q| self.nested(scope, false, q));
                let ty = sl.sub_link_type;
                if ty == pb::SubLinkType::ExistsSublink as i32 {
                    return typed("boolean", "bool", false);
                }
                if ty == pb::SubLinkType::ExprSublink as i32 {
                    let first = cols.and_then(|c| c.into_iter().next());
                    return OutCol { nullable: true, id: None, ..first.unwrap_or_else(unknown) };
                }
                unknown()
            }
            N::CoalesceExpr(c) => {
                let vals: Vec<OutCol> = c.args.iter().map(|a| self.expr(scope, a)).collect();
                let typed_arg = vals.iter().find(|v| v.typname.is_some()).cloned();
                OutCol { nullable: vals.iter().all(|v| v.nullable), id: None, name: "coalesce".into(), ..typed_arg.unwrap_or_else(unknown) }
            }
            N::MinMaxExpr(m) => {
                let vals: Vec<OutCol> = m.args.iter().map(|a| self.expr(scope, a)).collect();
                OutCol { nullable: vals.iter().all(|v| v.nullable), ..unknown() }
            }
            N::CaseExpr(c) => {
                if let Some(a) = c.arg.as_deref() {
                    self.expr(scope, a);
                }
                let mut nullable = c.defresult.is_none();
                for w in &c.args {
                    if let Some(N::CaseWhen(w)) = w.node.as_ref() {
                        if let Some(e) = w.expr.as_deref() {
                            self.expr(scope, e);
                        }
                        if let Some(r) = w.result.as_deref() {
                            nullable |= self.expr(scope, r).nullable;
                        }
                    }
                }
                if let Some(d) = c.defresult.as_deref() {
                    nullable |= self.expr(scope, d).nullable;
                }
                OutCol { nullable, ..unknown() }
            }
            N::RowExpr(r) => {
                for a in &r.args {
                    self.expr(scope, a);
                }
                OutCol { nullable: false, ..unknown() }
            }
            N::AArrayExpr(a) => {
                for e in &a.elements {
                    self.expr(scope, e);
                }
                OutCol { nullable: false, ..unknown() }
            }
            N::AIndirection(i) => {
                if let Some(a) = i.arg.as_deref() {
                    self.expr(scope, a);
                }
                for x in &i.indirection {
                    if let Some(N::AIndices(ix)) = x.node.as_ref() {
                        for e in [&ix.lidx, &ix.uidx].into_iter().flatten() {
                            self.expr(scope, e);
                        }
                    }
                }
                unknown()
            }
            N::NamedArgExpr(a) => a.arg.as_deref().map(|e| self.expr(scope, e)).unwrap_or_else(unknown),
            N::CollateClause(c) => c.arg.as_deref().map(|e| self.expr(scope, e)).unwrap_or_else(unknown),
            N::SqlvalueFunction(_) => OutCol { nullable: false, ..unknown() },
            N::List(l) => {
                for e in &l.items {
                    self.expr(scope, e);
                }
                unknown()
            }
            N::SortBy(s) => s.node.as_deref().map(|e| self.expr(scope, e)).unwrap_or_else(unknown),
            N::WindowDef(w) => {
                for e in w.partition_clause.iter().chain(&w.order_clause) {
                    self.expr(scope, e);
                }
                unknown()
            }
            N::GroupingSet(g) => {
                for e in &g.content {
                    self.expr(scope, e);
                }
                unknown()
            }
            N::MultiAssignRef(m) => m.source.as_deref().map(|e| self.expr(scope, e)).unwrap_or_else(unknown),
            // Anything else (XML, JSON constructors...) is not walked: no finding, no proof.
            _ => unknown(),
        }
    }

    pub(crate) fn column_ref(&mut self, scope: &Scope<'_>, c: &pb::ColumnRef) -> OutCol {
        let names: Vec<&str> = c.fields.iter().filter_map(sval).collect();
        if names.len() != c.fields.len() {
            // `t.*` inside an expression (`count(t.*)`, `row(t.*)`, a view's `t.*::t`).
            if let Some(t) = names.last() {
                let schema = (names.len() == 2).then(|| names[0]);
                match scope.source(schema, t) {
                    Some(src) => return OutCol { nullable: !whole_row_present(src), ..OutCol::unknown(t) },
                    None => self.missing_source(scope, c.location, t),
                }
            }
            return OutCol::unknown("?column?");
        }
        let lookup = match names.as_slice() {
            [col] => scope.unqualified(col),
            [t, col] => scope.qualified(None, t, col),
            [sc, t, col] => scope.qualified(Some(sc), t, col),
            _ => Lookup::Unknown,
        };
        match lookup {
            Lookup::Found(col) => col,
            Lookup::Unknown => OutCol::unknown(names.last().copied().unwrap_or("?column?")),
            Lookup::Ambiguous => {
                self.report(diag::AMBIGUOUS_COLUMN, c.location, format!("column reference `{}` is ambiguous", names.join(".")), Some("qualify it with the table name or alias".into()));
                OutCol::unknown(names[names.len() - 1])
            }
            Lookup::Missing(candidates) => {
                let name = names[names.len() - 1];
                // A bare name may be a whole-row reference to a source (`SELECT u FROM users u`).
                if names.len() == 1 {
                    if let Some(src) = scope.source(None, name) {
                        return OutCol { nullable: !whole_row_present(src), ..OutCol::unknown(name) };
                    }
                }
                let hint = closest(name, candidates.iter().map(String::as_str)).map(|c| format!("did you mean `{c}`?"));
                let shown = names.join(".");
                self.report(diag::UNKNOWN_COLUMN, c.location, format!("column `{shown}` does not exist"), hint);
                OutCol::unknown(name)
            }
            Lookup::NoSource => {
                let t = names[names.len() - 2];
                // `composite_col.field` on an unqualified column of a visible source.
                if names.len() == 2 && matches!(scope.unqualified(t), Lookup::Found(_) | Lookup::Unknown) {
                    return OutCol::unknown(names[1]);
                }
                self.missing_source(scope, c.location, t);
                OutCol::unknown(names[names.len() - 1])
            }
        }
    }

    /// Proofs of non-NULL from a WHERE clause: its AND-ed `x IS NOT NULL` and comparisons.
    pub(crate) fn prove_not_null(&mut self, scope: &Scope<'_>, w: &pb::Node, proven: &mut std::collections::HashSet<(usize, usize)>) {
        let col = |n: &pb::Node, proven: &mut std::collections::HashSet<(usize, usize)>| {
            if let Some(N::ColumnRef(c)) = n.node.as_ref() {
                let names: Vec<&str> = c.fields.iter().filter_map(sval).collect();
                let found = match names.as_slice() {
                    [col] => scope.unqualified(col),
                    [t, col] => scope.qualified(None, t, col),
                    _ => Lookup::Unknown,
                };
                if let Lookup::Found(OutCol { id: Some(id), .. }) = found {
                    proven.insert(id);
                }
            }
        };
        match w.node.as_ref() {
            Some(N::BoolExpr(b)) if b.boolop == pb::BoolExprType::AndExpr as i32 => {
                for a in &b.args {
                    self.prove_not_null(scope, a, proven);
                }
            }
            Some(N::NullTest(t)) if t.nulltesttype == pb::NullTestType::IsNotNull as i32 => {
                if let Some(a) = t.arg.as_deref() {
                    col(a, proven);
                }
            }
            Some(N::AExpr(a)) if a.kind == pb::AExprKind::AexprOp as i32 && a.name.iter().filter_map(sval).any(|o| COMPARISONS.contains(&o)) => {
                for e in [&a.lexpr, &a.rexpr].into_iter().flatten() {
                    col(e, proven);
                }
            }
            _ => {}
        }
    }
}

/// True when a whole-row reference to `src` is never NULL: the source has a NOT NULL column.
/// A source on the nullable side of an outer join has every column nullable (the join marks
/// them), and its whole row is NULL where the join found no match.
fn whole_row_present(src: &Source) -> bool {
    src.cols.as_ref().is_some_and(|cols| cols.iter().any(|c| !c.nullable))
}
