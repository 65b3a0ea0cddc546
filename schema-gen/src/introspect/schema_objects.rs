//! Catalog rows → sequences, functions, extensions and row-level security policies.

use postgres::Row;
use schema_core::snapshot::{Aggregate, Extension, Function, Policy, RoutineKind, Sequence, Volatility};

use super::assemble::{get, Builder};
use super::queries;
use crate::{Error, Result};

/// One row of `sequences.sql`.
pub(super) fn sequence(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::SEQUENCES;
    let schema: String = get(row, "schema", q)?;
    let name: String = get(row, "name", q)?;
    let owner: Option<String> = get(row, "owner", q)?;
    let grants = b.grants(row, q, owner.as_deref(), &|| format!("{schema}.{name}"))?;
    let owned_schema: Option<String> = get(row, "owned_schema", q)?;
    let owned_table: Option<String> = get(row, "owned_table", q)?;
    let owned_column: Option<String> = get(row, "owned_column", q)?;
    let owned_by = match (owned_schema, owned_table, owned_column) {
        (Some(s), Some(t), Some(c)) if s == schema => Some(format!("{t}.{c}")),
        (Some(s), Some(t), Some(c)) => Some(format!("{s}.{t}.{c}")),
        _ => None,
    };
    let sequence = Sequence {
        comment: get(row, "comment", q)?,
        data_type: get(row, "data_type", q)?,
        start: get(row, "start", q)?,
        increment: get(row, "increment", q)?,
        min: get(row, "min", q)?,
        max: get(row, "max", q)?,
        cache: get(row, "cache", q)?,
        cycle: get(row, "cycle", q)?,
        owned_by,
        grants,
        name,
    };
    let s = b.schema_index(&schema, &sequence.name)?;
    b.schemas[s].sequences.push(sequence);
    Ok(())
}

/// One row of `functions.sql`.
pub(super) fn function(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::FUNCTIONS;
    let schema: String = get(row, "schema", q)?;
    let name: String = get(row, "name", q)?;
    // From 14 on procedures may have OUT arguments, so their IN arguments are printed with the
    // mode (`IN n integer`); 13 prints `n integer`. IN is the default: drop it everywhere.
    let arguments: String = get::<String>(row, "arguments", q)?.split(", ").map(|a| a.strip_prefix("IN ").unwrap_or(a)).collect::<Vec<_>>().join(", ");
    let object = || format!("{schema}.{name}({arguments})");
    let kind = match get::<&str>(row, "kind", q)? {
        "f" => RoutineKind::Function,
        "p" => RoutineKind::Procedure,
        "a" => RoutineKind::Aggregate,
        "w" => RoutineKind::Window,
        other => return Err(Error::Catalog { object: object(), detail: format!("unknown prokind `{other}`") }),
    };
    let volatility = match get::<&str>(row, "volatility", q)? {
        "i" => Volatility::Immutable,
        "s" => Volatility::Stable,
        "v" => Volatility::Volatile,
        other => return Err(Error::Catalog { object: object(), detail: format!("unknown provolatile `{other}`") }),
    };
    let owner: Option<String> = get(row, "owner", q)?;
    let grants = b.grants(row, q, owner.as_deref(), &object)?;
    let body: Option<String> = if b.function_bodies { get(row, "body", q)? } else { None };
    let aggregate = match get::<Option<&str>>(row, "agg_kind", q)? {
        None => None,
        Some(agg_kind) => Some(Aggregate {
            transition: get(row, "agg_transition", q)?,
            state_type: get(row, "agg_state_type", q)?,
            final_function: get(row, "agg_final", q)?,
            combine_function: get(row, "agg_combine", q)?,
            initial_value: get(row, "agg_initial", q)?,
            ordered_set: agg_kind != "n",
            hypothetical: agg_kind == "h",
        }),
    };
    let function = Function {
        result: get(row, "result", q)?,
        kind,
        language: get(row, "language", q)?,
        volatility,
        strict: get(row, "strict", q)?,
        security_definer: get(row, "security_definer", q)?,
        comment: get(row, "comment", q)?,
        body,
        grants,
        aggregate,
        name,
        arguments,
    };
    let s = b.schema_index(&schema, &function.name)?;
    b.schemas[s].functions.push(function);
    Ok(())
}

/// One row of `extensions.sql`.
pub(super) fn extension(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::EXTENSIONS;
    b.extensions.push(Extension { name: get(row, "name", q)?, version: get(row, "version", q)?, schema: get(row, "schema", q)? });
    Ok(())
}

/// One row of `policies.sql`.
pub(super) fn policy(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::POLICIES;
    let relid: u32 = get(row, "relid", q)?;
    let name: String = get(row, "name", q)?;
    let command = match get::<&str>(row, "command", q)? {
        "*" => "ALL",
        "r" => "SELECT",
        "a" => "INSERT",
        "w" => "UPDATE",
        "d" => "DELETE",
        other => return Err(Error::Catalog { object: format!("{}.{name}", b.describe(relid)), detail: format!("unknown policy command `{other}`") }),
    };
    let policy = Policy {
        command: command.to_owned(),
        restrictive: get(row, "restrictive", q)?,
        roles: get(row, "roles", q)?,
        using: get(row, "using_expr", q)?,
        with_check: get(row, "check_expr", q)?,
        name,
    };
    let what = policy.name.clone();
    b.table_mut(relid, &what)?.policies.push(policy);
    Ok(())
}

/// One row of `collations.sql`.
pub(super) fn collation(b: &mut Builder, row: &Row) -> Result<()> {
    let q = &queries::COLLATIONS;
    let schema: String = get(row, "schema", q)?;
    let name: String = get(row, "name", q)?;
    let provider = match get::<&str>(row, "provider", q)? {
        "c" => "libc",
        "i" => "icu",
        "b" => "builtin",
        "d" => "default",
        other => return Err(Error::Catalog { object: format!("{schema}.{name}"), detail: format!("unknown collation provider `{other}`") }),
    };
    let lc_collate: Option<String> = get(row, "lc_collate", q)?;
    let lc_ctype: Option<String> = get(row, "lc_ctype", q)?;
    let icu: Option<String> = get(row, "icu_locale", q)?;
    let (locale, ctype) = if provider == "libc" {
        let ctype = lc_ctype.filter(|c| Some(c) != lc_collate.as_ref());
        (lc_collate, ctype)
    } else {
        (icu.or(lc_collate), None)
    };
    let deterministic: bool = get(row, "deterministic", q)?;
    let collation = schema_core::snapshot::Collation { name, provider: provider.to_owned(), locale, ctype, nondeterministic: !deterministic };
    let s = b.schema_index(&schema, &collation.name)?;
    b.schemas[s].collations.push(collation);
    Ok(())
}
