//! Sequences, functions, extensions, range types and collations.

use schema_core::snapshot::{Collation, Extension, Function, RangeType, Schema, Sequence};

use super::access::diff_grants;
use super::{pair_by, ChangeKind as K, Changes, Pair, Severity as S};

fn sequence_sql(q: &Sequence) -> String {
    let mut s = format!("AS {} START {} INCREMENT {} MINVALUE {} MAXVALUE {} CACHE {}", q.data_type, q.start, q.increment, q.min, q.max, q.cache);
    if q.cycle {
        s.push_str(" CYCLE");
    }
    if let Some(o) = &q.owned_by {
        s.push_str(&format!(" OWNED BY {o}"));
    }
    s
}

fn function_sql(f: &Function) -> String {
    let mut s = format!("{} {}({})", f.kind.noun(), f.name, f.arguments);
    if let Some(r) = &f.result {
        s.push_str(&format!(" RETURNS {r}"));
    }
    s.push_str(&format!(" LANGUAGE {} {}", f.language, f.volatility.as_sql()));
    if f.strict {
        s.push_str(" STRICT");
    }
    if f.security_definer {
        s.push_str(" SECURITY DEFINER");
    }
    if let Some(a) = &f.aggregate {
        s.push_str(&format!(" ({})", a.options_sql()));
    }
    s
}

/// Sequences, functions (matched by name and arguments: an overload is its own function) and
/// the grants on both.
pub fn diff_routines(a: &Schema, b: &Schema, out: &mut Changes) {
    let schema = a.name.as_str();
    for pair in pair_by(&a.sequences, &b.sequences, |q| &q.name) {
        match pair {
            Pair::Added(q) => out.push(K::SequenceAdded, S::Additive, schema, &q.name, format!("{schema}.{}", q.name), None, Some(sequence_sql(q))),
            // Its current value goes with it.
            Pair::Removed(q) => out.push(K::SequenceRemoved, S::Destructive, schema, &q.name, format!("{schema}.{}", q.name), Some(sequence_sql(q)), None),
            Pair::Both(x, y) => {
                let p = format!("{schema}.{}", x.name);
                if sequence_sql(x) != sequence_sql(y) {
                    out.push(K::SequenceChanged, S::Breaking, schema, &x.name, p.clone(), Some(sequence_sql(x)), Some(sequence_sql(y)));
                }
                diff_grants(schema, &x.name, &p, &x.grants, &y.grants, out);
            }
        }
    }
    let range_sql = |r: &RangeType| format!("RANGE (SUBTYPE = {}){}", r.subtype, r.multirange.as_deref().map(|m| format!(" MULTIRANGE {m}")).unwrap_or_default());
    for pair in pair_by(&a.ranges, &b.ranges, |r| &r.name) {
        let p = |r: &RangeType| format!("{schema}.{}", r.name);
        match pair {
            Pair::Added(r) => out.push(K::RangeAdded, S::Additive, schema, &r.name, p(r), None, Some(range_sql(r))),
            Pair::Removed(r) => out.push(K::RangeRemoved, S::Breaking, schema, &r.name, p(r), Some(range_sql(r)), None),
            Pair::Both(x, y) if range_sql(x) != range_sql(y) => out.push(K::RangeChanged, S::Breaking, schema, &x.name, p(x), Some(range_sql(x)), Some(range_sql(y))),
            Pair::Both(..) => {}
        }
    }
    let collation_sql = |c: &Collation| {
        let mut s = format!("provider {}", c.provider);
        if let Some(l) = &c.locale {
            s.push_str(&format!(", locale {l}"));
        }
        if let Some(l) = &c.ctype {
            s.push_str(&format!(", ctype {l}"));
        }
        if c.nondeterministic {
            s.push_str(", nondeterministic");
        }
        s
    };
    for pair in pair_by(&a.collations, &b.collations, |c| &c.name) {
        let p = |c: &Collation| format!("{schema}.{}", c.name);
        match pair {
            Pair::Added(c) => out.push(K::CollationAdded, S::Additive, schema, &c.name, p(c), None, Some(collation_sql(c))),
            Pair::Removed(c) => out.push(K::CollationRemoved, S::Breaking, schema, &c.name, p(c), Some(collation_sql(c)), None),
            // Sort order changes: indexes on columns using it need a rebuild.
            Pair::Both(x, y) if collation_sql(x) != collation_sql(y) => out.push(K::CollationChanged, S::Breaking, schema, &x.name, p(x), Some(collation_sql(x)), Some(collation_sql(y))),
            Pair::Both(..) => {}
        }
    }
    let keyed = |s: &Schema| s.functions.iter().map(|f| (format!("{}({})", f.name, f.arguments), f.clone())).collect::<Vec<_>>();
    let (old, new) = (keyed(a), keyed(b));
    for pair in pair_by(&old, &new, |(k, _)| k) {
        match pair {
            Pair::Added((k, f)) => out.push(K::FunctionAdded, S::Additive, schema, k, format!("{schema}.{k}"), None, Some(function_sql(f))),
            Pair::Removed((k, f)) => out.push(K::FunctionRemoved, S::Breaking, schema, k, format!("{schema}.{k}"), Some(function_sql(f)), None),
            Pair::Both((k, x), (_, y)) => {
                let p = format!("{schema}.{k}");
                if function_sql(x) != function_sql(y) {
                    out.push(K::FunctionChanged, S::Breaking, schema, k, p.clone(), Some(function_sql(x)), Some(function_sql(y)));
                }
                if x.body != y.body {
                    out.push(K::FunctionBodyChanged, S::Breaking, schema, k, p.clone(), x.body.clone(), y.body.clone());
                }
                if x.comment != y.comment {
                    out.push(K::FunctionCommentChanged, S::Cosmetic, schema, k, p.clone(), x.comment.clone(), y.comment.clone());
                }
                diff_grants(schema, k, &p, &x.grants, &y.grants, out);
            }
        }
    }
}

/// Installed extensions (database-wide: reported with an empty schema).
pub fn diff_extensions(old: &[Extension], new: &[Extension], out: &mut Changes) {
    let describe = |e: &Extension| format!("{} {} in {}", e.name, e.version, e.schema);
    for pair in pair_by(old, new, |e| &e.name) {
        match pair {
            Pair::Added(e) => out.push(K::ExtensionAdded, S::Additive, "", &e.name, e.name.clone(), None, Some(describe(e))),
            // DROP EXTENSION takes its types, functions and their uses with it.
            Pair::Removed(e) => out.push(K::ExtensionRemoved, S::Destructive, "", &e.name, e.name.clone(), Some(describe(e)), None),
            Pair::Both(x, y) if x != y => out.push(K::ExtensionChanged, S::Breaking, "", &x.name, x.name.clone(), Some(describe(x)), Some(describe(y))),
            Pair::Both(..) => {}
        }
    }
}
