//! Guards: the catalog checks that make every phase-1 statement safe to run twice where
//! PostgreSQL has no `IF [NOT] EXISTS` for it (constraints, types, triggers, policies), and the
//! value checks that keep an unchanged default, nullability or comment from taking a lock.

use schema_core::sql::{qualified, quote_ident, quote_literal};

/// `DO $pgcanon$ BEGIN IF <cond> THEN <body>; END IF; END $pgcanon$`, with a dollar-quote tag
/// that does not occur in the text.
pub fn do_if(cond: &str, body: &str) -> String {
    let tag = tag_for(&format!("{cond}{body}"), "pgcanon");
    format!("DO ${tag}$ BEGIN IF {cond} THEN {body}; END IF; END ${tag}$")
}

/// A dollar-quote tag starting with `base` that does not occur in `text`.
pub fn tag_for(text: &str, base: &str) -> String {
    let mut tag = base.to_owned();
    let mut n = 0;
    while text.contains(&format!("${tag}$")) {
        n += 1;
        tag = format!("{base}{n}");
    }
    tag
}

/// `'"s"."t"'::pg_catalog.regclass`.
pub fn regclass(schema: &str, name: &str) -> String {
    format!("{}::pg_catalog.regclass", quote_literal(&qualified(schema, name)))
}

/// True when relation `s.t` has a constraint named `name`.
pub fn constraint_exists(schema: &str, table: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {} AND conname = {})",
        regclass(schema, table),
        quote_literal(name)
    )
}

/// True when type `s.name` exists.
pub fn type_exists(schema: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = {} AND t.typname = {})",
        quote_literal(schema),
        quote_literal(name)
    )
}

/// True when relation `s.name` exists.
pub fn relation_exists(schema: &str, name: &str) -> String {
    format!("pg_catalog.to_regclass({}) IS NOT NULL", quote_literal(&qualified(schema, name)))
}

/// True when relation `s.t` has a non-internal trigger `name`.
pub fn trigger_exists(schema: &str, table: &str, name: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = {} AND tgname = {} AND NOT tgisinternal)",
        regclass(schema, table),
        quote_literal(name)
    )
}

/// True when relation `s.t` has a policy `name`.
pub fn policy_exists(schema: &str, table: &str, name: &str) -> String {
    format!("EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = {} AND polname = {})", regclass(schema, table), quote_literal(name))
}

/// The `pg_attribute` row of column `col` of `s.t`, for value guards.
fn attribute(schema: &str, table: &str, col: &str) -> String {
    format!("pg_catalog.pg_attribute a WHERE a.attrelid = {} AND a.attname = {} AND NOT a.attisdropped", regclass(schema, table), quote_literal(col))
}

/// True when column `col` of `s.t` exists.
pub fn column_exists(schema: &str, table: &str, col: &str) -> String {
    format!("EXISTS (SELECT 1 FROM {})", attribute(schema, table, col))
}

/// True when the column's default, as `pg_get_expr` prints it, differs from `want`.
pub fn default_differs(schema: &str, table: &str, col: &str, want: Option<&str>) -> String {
    format!(
        "(SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d JOIN {} AND d.adnum = a.attnum) IS DISTINCT FROM {}",
        attribute(schema, table, col).replacen(" WHERE ", " ON d.adrelid = a.attrelid WHERE ", 1),
        want.map(quote_literal).unwrap_or_else(|| "NULL".to_owned())
    )
}

/// True when the column's `NOT NULL` differs from `not_null`.
pub fn not_null_differs(schema: &str, table: &str, col: &str, not_null: bool) -> String {
    format!("EXISTS (SELECT 1 FROM {} AND a.attnotnull <> {not_null})", attribute(schema, table, col))
}

/// True when the column's type, as `format_type` prints it, differs from `sql_type`.
pub fn type_differs(schema: &str, table: &str, col: &str, sql_type: &str) -> String {
    format!("EXISTS (SELECT 1 FROM {} AND pg_catalog.format_type(a.atttypid, a.atttypmod) <> {})", attribute(schema, table, col), quote_literal(sql_type))
}

/// True when the column's identity (`a` always, `d` by default, empty) differs from `want`.
pub fn identity_differs(schema: &str, table: &str, col: &str, want: &str) -> String {
    format!("EXISTS (SELECT 1 FROM {} AND a.attidentity <> {})", attribute(schema, table, col), quote_literal(want))
}

/// True when the description (comment) of an object differs from `want`. `object` is an
/// expression of the object's OID and `catalog` its catalog, e.g. `'pg_class'`.
pub fn comment_differs(object: &str, catalog: &str, want: Option<&str>) -> String {
    format!(
        "pg_catalog.obj_description({object}, {}) IS DISTINCT FROM {}",
        quote_literal(catalog),
        want.map(quote_literal).unwrap_or_else(|| "NULL".to_owned())
    )
}

/// True when the comment of column `col` of `s.t` differs from `want`.
pub fn column_comment_differs(schema: &str, table: &str, col: &str, want: Option<&str>) -> String {
    format!(
        "pg_catalog.col_description({}, (SELECT a.attnum FROM {})) IS DISTINCT FROM {}",
        regclass(schema, table),
        attribute(schema, table, col),
        want.map(quote_literal).unwrap_or_else(|| "NULL".to_owned())
    )
}

/// `COMMENT ON <what> IS '...'` (or `IS NULL`).
pub fn comment_sql(what: &str, comment: Option<&str>) -> String {
    format!("COMMENT ON {what} IS {}", comment.map(quote_literal).unwrap_or_else(|| "NULL".to_owned()))
}

/// The statements that precede a concurrent index build: an invalid index of that name (left
/// by a failed build) is reported and dropped, so the build below runs again instead of
/// `IF NOT EXISTS` silently keeping a useless index.
pub fn invalid_index_guard(schema: &str, name: &str) -> String {
    let q = qualified(schema, name);
    let cond = format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass({}) AND NOT i.indisvalid)",
        quote_literal(&q)
    );
    let body = format!(
        "RAISE WARNING 'index % is invalid (a failed concurrent build): dropping it to build it again', {}; DROP INDEX {q}",
        quote_literal(&q)
    );
    do_if(&cond, &body)
}

/// For an `ALTER TYPE … ADD VALUE IF NOT EXISTS '…'` step: the text by which later statements
/// use the label, as the catalog deparses it (`'label'::schema.type`).
pub fn label_use(sql: &str) -> Option<String> {
    let rest = sql.strip_prefix("ALTER TYPE ")?;
    let (ty, rest) = rest.split_once(" ADD VALUE IF NOT EXISTS ")?;
    let lit_end = literal_end(rest)?;
    let lit = &rest[..lit_end];
    Some(format!("{lit}::{}", deparsed_name(ty)))
}

/// The end of the SQL string literal at the start of `s`.
fn literal_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// `"s"."t"` as `format_type` prints it: quotes only where needed.
fn deparsed_name(quoted: &str) -> String {
    quoted
        .split("\".\"")
        .map(|p| p.trim_matches('"').replace("\"\"", "\""))
        .map(|p| {
            let simple = p.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if simple {
                p
            } else {
                quote_ident(&p)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_quote_names_and_pick_a_free_tag() {
        assert_eq!(do_if("true", "SELECT 1"), "DO $pgcanon$ BEGIN IF true THEN SELECT 1; END IF; END $pgcanon$");
        assert!(do_if("true", "SELECT '$pgcanon$'").starts_with("DO $pgcanon1$"));
        assert_eq!(regclass("a b", "T"), "'\"a b\".\"T\"'::pg_catalog.regclass");
        assert_eq!(label_use("ALTER TYPE \"public\".\"mood\" ADD VALUE IF NOT EXISTS 'it''s' AFTER 'x'").as_deref(), Some("'it''s'::public.mood"));
        assert_eq!(label_use("ALTER TYPE \"public\".\"Mood\" ADD VALUE IF NOT EXISTS 'a'").as_deref(), Some("'a'::public.\"Mood\""));
    }
}
