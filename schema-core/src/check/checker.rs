//! The checks themselves, in the order a reader fixes them: duplicates, the table, each field,
//! then whole-struct properties (missing columns, primary key).

use std::collections::{BTreeSet, HashMap};

use crate::snapshot::{Column, Partition, Relation, Schema, Snapshot};
use crate::typemap::TypeMap;

use super::discrepancy::{Code, Discrepancy, Location};
use super::model::{FieldDef, ModelDef};
use super::suggest::did_you_mean;
use super::types::{self, Mismatch};

/// Compares one model with the snapshot, using `types` (the generator's type map) for type
/// compatibility. Returns every discrepancy, in field order; empty means the model fits.
pub fn check_model(model: &ModelDef, snapshot: &Snapshot, types: &TypeMap) -> Vec<Discrepancy> {
    let mut out = duplicates(model);
    let Some((schema, relation)) = snapshot.relation(&model.table) else {
        out.insert(0, unknown_table(model, snapshot));
        return out;
    };
    let mut covered = BTreeSet::new();
    for (i, field) in model.fields.iter().enumerate().filter(|(_, f)| !f.skip) {
        let Some(column) = relation.column(&field.column) else {
            out.push(unknown_column(model, i, field, &relation));
            continue;
        };
        covered.insert(column.name.as_str());
        out.extend(check_field(snapshot, types, schema, &relation, i, field, column));
    }
    if model.deny_missing_columns {
        out.extend(missing_columns(model, schema, &relation, &covered));
    }
    if let Some(claimed) = &model.primary_key {
        out.extend(primary_key(claimed, schema, &relation));
    }
    out
}

fn duplicates(model: &ModelDef) -> Vec<Discrepancy> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::new();
    for (i, field) in model.fields.iter().enumerate().filter(|(_, f)| !f.skip) {
        if let Some(first) = seen.insert(field.column.as_str(), field.rust_name.as_str()) {
            seen.insert(field.column.as_str(), first);
            out.push(Discrepancy::new(
                Code::DuplicateColumn,
                Location::FieldColumn(i),
                format!(
                    "fields `{first}` and `{}` both map to column `{}`; rename one with `#[model(column = \"...\")]` or mark it `#[model(skip)]`",
                    field.rust_name, field.column
                ),
            ));
        }
    }
    out
}

/// One error for all missing columns: a wide table missing ten columns should read as one list
/// (with the SQL types, to write the fields from), not ten errors at the same struct name.
fn missing_columns(model: &ModelDef, schema: &Schema, relation: &Relation<'_>, covered: &BTreeSet<&str>) -> Option<Discrepancy> {
    let missing: Vec<&Column> = relation.columns().iter().filter(|c| !covered.contains(c.name.as_str())).collect();
    let list = missing.iter().map(|c| format!("`{}` ({})", c.name, crate::typemap::sql_type_display(&c.sql_type, &c.type_ref))).collect::<Vec<_>>().join(", ");
    let (noun, fix) = match missing.len() {
        0 => return None,
        1 => ("column", "a field for it"),
        _ => ("columns", "fields for them"),
    };
    Some(Discrepancy::new(
        Code::MissingColumn,
        Location::Struct,
        format!(
            "`{}` has no field for {} {noun} of `{}.{}`: {list}; add {fix} or remove `deny_missing_columns`",
            model.rust_name,
            missing.len(),
            schema.name,
            relation.name()
        ),
    ))
}

fn unknown_table(model: &ModelDef, snapshot: &Snapshot) -> Discrepancy {
    let (wanted_schema, wanted_name) = match model.table.split_once('.') {
        Some((s, n)) => (Some(s), n),
        None => (None, model.table.as_str()),
    };
    // A bare name found in several schemas (none of them `public`): the lookup refuses to guess,
    // and "did you mean `audit_log`?" would repeat the name back. List the candidates instead.
    if wanted_schema.is_none() {
        let homes: Vec<String> =
            snapshot.schemas.iter().filter(|s| s.relation(wanted_name).is_some()).map(|s| format!("`{}.{wanted_name}`", s.name)).collect();
        if homes.len() > 1 {
            return Discrepancy::new(
                Code::UnknownTable,
                Location::Table,
                format!(
                    "table `{wanted_name}` is ambiguous: it exists as {}; write the qualified name, e.g. `table = \"{}\"`",
                    homes.join(" and "),
                    homes[0].trim_matches('`')
                ),
            );
        }
    }
    // Partitions are listed under their parent, not as tables: say so rather than suggest the
    // parent as a typo fix. The parent's rows are the partitions' rows.
    if let Some((parent_schema, parent, part_schema)) = partition_parent(snapshot, wanted_schema, wanted_name) {
        return Discrepancy::new(
            Code::UnknownTable,
            Location::Table,
            format!(
                "`{part_schema}.{wanted_name}` is a partition of `{parent_schema}.{parent}`, and models map whole tables; \
                 write `table = \"{parent_schema}.{parent}\"` (it has the same columns, and reads the rows of every partition)"
            ),
        );
    }
    // Suggest in the same spelling the user chose: qualified names when they wrote a schema.
    let qualified = wanted_schema.is_some();
    let names: Vec<String> = snapshot
        .schemas
        .iter()
        .flat_map(|s| s.relations().map(move |r| if qualified { format!("{}.{}", s.name, r.name()) } else { r.name().to_owned() }))
        .collect();
    let hint = match super::suggest::closest(&model.table, names.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "check the name, or refresh the snapshot with `schema-gen snapshot` if the table is new".to_owned(),
    };
    Discrepancy::new(Code::UnknownTable, Location::Table, format!("table `{}` is not in the snapshot; {hint}", model.table))
}

/// The partitioned table (schema, name) that has a partition `name` (in `schema`, when given),
/// at any depth, and the partition's own schema.
fn partition_parent<'a>(snapshot: &'a Snapshot, schema: Option<&str>, name: &str) -> Option<(&'a str, &'a str, &'a str)> {
    fn find<'a>(parts: &'a [Partition], schema: Option<&str>, name: &str) -> Option<&'a Partition> {
        parts.iter().find_map(|p| {
            if p.name == name && schema.is_none_or(|s| s == p.schema) {
                Some(p)
            } else {
                find(&p.partitions, schema, name)
            }
        })
    }
    snapshot.schemas.iter().find_map(|s| {
        s.tables.iter().find_map(|t| find(&t.partitions, schema, name).map(|p| (s.name.as_str(), t.name.as_str(), p.schema.as_str())))
    })
}

fn unknown_column(model: &ModelDef, i: usize, field: &FieldDef, relation: &Relation<'_>) -> Discrepancy {
    // Only suggest columns no other field already claims: those are the plausible typos.
    let taken: BTreeSet<&str> = model.fields.iter().filter(|f| !f.skip).map(|f| f.column.as_str()).collect();
    let hint = did_you_mean(
        &field.column,
        relation.columns().iter().map(|c| c.name.as_str()).filter(|c| !taken.contains(c)),
    );
    let fix = if hint.is_empty() {
        "; map the field with `#[model(column = \"...\")]` or mark it `#[model(skip)]`".to_owned()
    } else {
        hint
    };
    Discrepancy::new(
        Code::UnknownColumn,
        Location::FieldColumn(i),
        format!("`{}` has no column `{}` (field `{}`){fix}", relation.name(), field.column, field.rust_name),
    )
}

fn check_field(
    snapshot: &Snapshot,
    types: &TypeMap,
    schema: &Schema,
    relation: &Relation<'_>,
    i: usize,
    field: &FieldDef,
    column: &Column,
) -> Option<Discrepancy> {
    let at = Location::FieldType(i);
    let col = format!("`{}.{}`", relation.name(), column.name);
    let inner = field.ty.option_inner();
    // PostgreSQL does not track nullability of view columns: a nullable view column only means
    // that its definition does not prove it NOT NULL, so both spellings are accepted there. A
    // view column the snapshot marks NOT NULL is proven never NULL (see schema-gen's
    // introspection), and `Option` on it is as wrong as on a table's.
    let view = relation.is_view();
    if !view || !column.nullable {
        if column.nullable && inner.is_none() {
            return Some(Discrepancy::new(
                Code::NullabilityMismatch,
                at,
                format!("column {col} is nullable but field `{}` is `{}`; use `Option<{}>`", field.rust_name, field.ty, field.ty),
            ));
        }
        if let (false, Some(inner)) = (column.nullable, inner) {
            return Some(Discrepancy::new(
                Code::NullabilityMismatch,
                at,
                format!(
                    "column {col} is NOT NULL{} but field `{}` is `{}`; use `{inner}`",
                    if view { " (the view's definition proves it never NULL)" } else { "" },
                    field.rust_name,
                    field.ty
                ),
            ));
        }
    }
    if let Some(sql) = &field.sql_type {
        let matches = sql.eq_ignore_ascii_case(&column.sql_type)
            || sql.eq_ignore_ascii_case(&column.type_ref.name)
            || sql.eq_ignore_ascii_case(&format!("{}.{}", column.type_ref.schema, column.type_ref.name));
        if !matches {
            return Some(Discrepancy::new(
                Code::TypeMismatch,
                at,
                format!(
                    "column {col} has SQL type `{}`, not `{sql}`; fix `sql_type = \"...\"` on field `{}`",
                    crate::typemap::sql_type_display(&column.sql_type, &column.type_ref),
                    field.rust_name
                ),
            ));
        }
    }
    if field.custom_type {
        return None;
    }
    let ty = inner.unwrap_or(&field.ty);
    let mapping = types.map_column(snapshot, &schema.name, relation.name(), column);
    match types::check(ty, &mapping) {
        Ok(()) => None,
        Err(Mismatch::Expected(expected)) => {
            let also = if mapping.also_accepted.is_empty() {
                String::new()
            } else {
                format!(" (or `{}`)", mapping.also_accepted.join("`, `"))
            };
            Some(Discrepancy::new(
                Code::TypeMismatch,
                at,
                format!(
                    "column {col} is `{}`, which maps to {expected}{also}, but field `{}` is `{ty}`; change the field type, or mark it `#[model(custom)]` if `{ty}` implements `FromSql` for it",
                    column.sql_type, field.rust_name
                ),
            ))
        }
        Err(Mismatch::Unsupported) => {
            let shown = crate::typemap::sql_type_display(&column.sql_type, &column.type_ref);
            // Only suggest what works: the key is the catalog's `typname` (`bit`), not `bit(3)`;
            // for an array it is the element's, which maps arrays of it too.
            let by_type = match crate::typemap::override_key(&column.type_ref) {
                Some(key) => format!(", or map every `{shown}` column with the type override `\"{key}\": \"my_crate::MyType\"` (`types.type_overrides`)"),
                None => String::new(),
            };
            Some(Discrepancy::new(
                Code::UnsupportedType,
                at,
                format!(
                    "column {col} has type `{shown}`, which has no built-in Rust mapping; mark field `{}` `#[model(custom)]` (its type must implement `FromSql`){by_type}",
                    field.rust_name
                ),
            ))
        }
    }
}

fn primary_key(claimed: &[String], schema: &Schema, relation: &Relation<'_>) -> Option<Discrepancy> {
    let actual: Vec<&str> = relation.primary_key().map(|pk| pk.columns.iter().map(String::as_str).collect()).unwrap_or_default();
    if actual.iter().copied().eq(claimed.iter().map(String::as_str)) {
        return None;
    }
    let name = format!("`{}.{}`", schema.name, relation.name());
    let message = if actual.is_empty() {
        format!("{name} has no primary key; remove `primary_key = \"{}\"`", claimed.join(", "))
    } else {
        format!(
            "the primary key of {name} is `({})`, not `({})`; write `primary_key = \"{}\"`",
            actual.join(", "),
            claimed.join(", "),
            actual.join(", ")
        )
    };
    Some(Discrepancy::new(Code::PrimaryKeyMismatch, Location::PrimaryKey, message))
}
