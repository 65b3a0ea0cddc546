//! Type names of casts, and the names PostgreSQL gives unnamed output columns.

use pg_query::protobuf::{self as pb, node::Node as N};

/// `(format_type name, typname)` of the common builtin types, by typname.
const BUILTIN: &[(&str, &str)] = &[
    ("int2", "smallint"),
    ("int4", "integer"),
    ("int8", "bigint"),
    ("float4", "real"),
    ("float8", "double precision"),
    ("numeric", "numeric"),
    ("bool", "boolean"),
    ("text", "text"),
    ("varchar", "character varying"),
    ("bpchar", "character"),
    ("bytea", "bytea"),
    ("date", "date"),
    ("time", "time without time zone"),
    ("timetz", "time with time zone"),
    ("timestamp", "timestamp without time zone"),
    ("timestamptz", "timestamp with time zone"),
    ("interval", "interval"),
    ("uuid", "uuid"),
    ("json", "json"),
    ("jsonb", "jsonb"),
    ("inet", "inet"),
    ("cidr", "cidr"),
    ("oid", "oid"),
    ("name", "name"),
];

/// The type a cast names: `(sql_type, typname)`, `None`s when it is not a builtin the table
/// knows (user types keep their own name as both).
pub fn cast_type(t: &pb::TypeName) -> (Option<String>, Option<String>) {
    let names: Vec<&str> = t.names.iter().filter_map(|n| match n.node.as_ref() {
        Some(N::String(s)) => Some(s.sval.as_str()),
        _ => None,
    }).collect();
    let Some(&last) = names.last() else { return (None, None) };
    let array = !t.array_bounds.is_empty();
    let (typname, sql) = match BUILTIN.iter().find(|(p, _)| *p == last) {
        Some((p, s)) => ((*p).to_owned(), (*s).to_owned()),
        None if names.first() == Some(&"pg_catalog") => return (None, None),
        None => (last.to_owned(), last.to_owned()),
    };
    if array {
        (Some(format!("{sql}[]")), Some(format!("_{typname}")))
    } else {
        (Some(sql), Some(typname))
    }
}

/// The name PostgreSQL gives an output column without `AS` (its `FigureColname`).
pub fn figure_name(node: &pb::Node) -> String {
    let last_string = |v: &[pb::Node]| {
        v.iter().rev().find_map(|n| match n.node.as_ref() {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
    };
    let name = match node.node.as_ref() {
        Some(N::ColumnRef(c)) => last_string(&c.fields),
        Some(N::FuncCall(f)) => last_string(&f.funcname),
        Some(N::TypeCast(tc)) => {
            let inner = tc.arg.as_deref().map(figure_name).filter(|n| n != "?column?");
            inner.or_else(|| tc.type_name.as_ref().and_then(|t| last_string(&t.names)))
        }
        Some(N::CoalesceExpr(_)) => Some("coalesce".into()),
        Some(N::AExpr(a)) if a.kind == pb::AExprKind::AexprNullif as i32 => Some("nullif".into()),
        Some(N::CaseExpr(_)) => Some("case".into()),
        Some(N::AArrayExpr(_)) => Some("array".into()),
        Some(N::RowExpr(_)) => Some("row".into()),
        Some(N::MinMaxExpr(m)) => Some(if m.op == pb::MinMaxOp::IsGreatest as i32 { "greatest" } else { "least" }.into()),
        Some(N::SubLink(s)) if s.sub_link_type == pb::SubLinkType::ExistsSublink as i32 => Some("exists".into()),
        Some(N::SubLink(s)) if s.sub_link_type == pb::SubLinkType::ArraySublink as i32 => Some("array".into()),
        Some(N::SubLink(s)) if s.sub_link_type == pb::SubLinkType::ExprSublink as i32 => s.subselect.as_deref().and_then(|q| match q.node.as_ref() {
            Some(N::SelectStmt(sel)) => sel.target_list.first().and_then(|t| match t.node.as_ref() {
                Some(N::ResTarget(rt)) if !rt.name.is_empty() => Some(rt.name.clone()),
                Some(N::ResTarget(rt)) => rt.val.as_deref().map(figure_name),
                _ => None,
            }),
            _ => None,
        }),
        _ => None,
    };
    name.unwrap_or_else(|| "?column?".into())
}
