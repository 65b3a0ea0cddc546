//! Warnings about the generated code: columns that fell back to the raw type, aggregated per
//! type, and overrides that match nothing.
//!
//! A 10,000-table schema with an unmapped type in every table would otherwise print thousands
//! of identical lines; one line per type, with the single override that fixes all of them, is
//! what a user can act on. An override whose key matches nothing is silently useless (a
//! `.pg_type("bit(3)", ...)` instead of `bit`), so it is reported with the key that would work.

use std::collections::BTreeSet;

use schema_core::snapshot::{Snapshot, TypeRef};
use schema_core::typemap::{fallback_hint, override_key, sql_type_display, typname_for, TypeOptions, FALLBACK_TYPE_NAME};

/// One field generated as the raw fallback type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// `schema.table.column` (or `schema.type.attribute`).
    pub path: String,
    /// The SQL type as PostgreSQL formats it.
    pub sql_type: String,
    /// Its structured type.
    pub type_ref: TypeRef,
    /// Why a mapped type was not used (a domain array, ...): then only a column override helps.
    pub why: Option<&'static str>,
    /// The client(s) that cannot decode it, for the message (`the \`postgres\` crate`).
    pub client: String,
}

/// How many column paths a grouped warning lists before "and N more".
const LISTED: usize = 3;

/// One warning per group of fallbacks that the same override fixes, in order of first
/// occurrence: per type override key, or per reason and type when only column overrides help.
pub fn summarize(fallbacks: &[Fallback]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<&Fallback>)> = Vec::new();
    for f in fallbacks {
        let key = match (f.why, override_key(&f.type_ref)) {
            (None, Some(key)) => format!("type:{key}"),
            (why, _) => format!("column:{}:{}:{}", why.unwrap_or_default(), f.client, sql_type_display(&f.sql_type, &f.type_ref)),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    groups.into_iter().map(|(_, members)| group_warning(&members)).collect()
}

fn group_warning(members: &[&Fallback]) -> String {
    let first = members[0];
    let [schema, object, column] = split_path(&first.path);
    if members.len() == 1 {
        return match first.why {
            None => fallback_hint(schema, object, column, &first.sql_type, &first.type_ref),
            Some(why) => format!(
                "column `{}` has type `{}`, {why}, which {} cannot decode; it is generated as \
                 `{FALLBACK_TYPE_NAME}` (raw bytes). Add an override, e.g. `.column_type(\"{}\", \"my_crate::MyType\")`",
                first.path, first.sql_type, first.client, first.path
            ),
        };
    }
    let mut listed: Vec<String> = members.iter().take(LISTED).map(|f| format!("`{}`", f.path)).collect();
    if members.len() > LISTED {
        listed.push(format!("{} more", members.len() - LISTED));
    }
    let listed = listed.join(", ");
    let shown = sql_type_display(&first.sql_type, &first.type_ref);
    match (first.why, override_key(&first.type_ref)) {
        (None, Some(key)) => format!(
            "{} columns of type `{key}` have no built-in Rust mapping and are generated as `{FALLBACK_TYPE_NAME}` (raw bytes): \
             {listed}; map them all with `.pg_type(\"{key}\", \"my_crate::MyType\")` (config file: `type_overrides`), \
             or one with `.column_type(\"{}\", \"my_crate::MyType\")`",
            members.len(),
            first.path
        ),
        (why, _) => {
            let what = why.unwrap_or("a type no override can map");
            format!(
                "{} columns of type `{shown}` ({what}) cannot be decoded by {} and are generated as \
                 `{FALLBACK_TYPE_NAME}` (raw bytes): {listed}; no type override can fix them: map each with \
                 `.column_type(\"<schema.table.column>\", \"my_crate::MyType\")`, e.g. `.column_type(\"{}\", \"my_crate::MyType\")`",
                members.len(),
                first.client,
                first.path
            )
        }
    }
}

fn split_path(path: &str) -> [&str; 3] {
    let mut parts = path.splitn(3, '.');
    [parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default()]
}

/// Warnings for overrides that match no type or column of the included schemas: such an
/// override has no effect, which is easy to miss in a large build log.
pub fn unmatched_overrides<'a>(snapshot: &Snapshot, schemas: impl IntoIterator<Item = &'a str>, options: &TypeOptions) -> Vec<String> {
    let schemas: BTreeSet<&str> = schemas.into_iter().collect();
    let mut type_keys = BTreeSet::new();
    let mut column_keys = BTreeSet::new();
    let mut add_type = |t: &TypeRef| {
        // Both spellings an override may use, for the type and every domain under it.
        let mut current = Some(t.clone());
        for _ in 0..32 {
            let Some(t) = current.take() else { break };
            type_keys.insert(t.name.clone());
            type_keys.insert(format!("{}.{}", t.schema, t.name));
            current = snapshot.domain(&t).map(|d| d.type_ref.clone());
        }
    };
    for schema in snapshot.schemas.iter().filter(|s| schemas.contains(s.name.as_str())) {
        for relation in schema.relations() {
            for c in relation.columns() {
                add_type(&c.type_ref);
                column_keys.insert(format!("{}.{}.{}", schema.name, relation.name(), c.name));
            }
        }
        for composite in &schema.composites {
            for f in &composite.fields {
                add_type(&f.type_ref);
                column_keys.insert(format!("{}.{}.{}", schema.name, composite.name, f.name));
            }
        }
    }
    let mut out = Vec::new();
    for key in options.type_overrides.keys().filter(|k| !type_keys.contains(*k)) {
        let typname = typname_for(key);
        let hint = if typname != *key && type_keys.contains(&typname) {
            format!("; keys are the catalog's `typname` (or `schema.typname`): did you mean `{typname}`?")
        } else {
            "; keys are the catalog's `typname` (`int4`, `varbit`, `interval`) or `schema.typname`, and no included column has this type".to_owned()
        };
        out.push(format!("type override `{key}` matches no column type, so it has no effect{hint}"));
    }
    for key in options.column_overrides.keys().filter(|k| !column_keys.contains(*k)) {
        let hint = schema_core::check::closest(key, column_keys.iter().map(String::as_str))
            .map_or_else(|| "; keys are `schema.table.column` of an included table, view or composite type".to_owned(), |c| format!("; did you mean `{c}`?"));
        out.push(format!("column override `{key}` matches no column, so it has no effect{hint}"));
    }
    out
}
