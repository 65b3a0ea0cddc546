//! SQL text shared by every front end: identifier quoting and the `SELECT` a model reads with.
//!
//! The generator, the derive and the docs all print queries over the same columns; building
//! them here keeps a generated model, a checked hand-written model and the documented example
//! query byte-for-byte consistent.

/// Quotes a SQL identifier: always quoted, embedded quotes doubled, so any name is safe
/// (reserved words, mixed case, spaces, unicode).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a SQL string literal: `'...'` with embedded quotes doubled (the server's
/// `standard_conforming_strings`, on by default since 9.1, keeps backslashes literal).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `"schema"."name"`, or just `"name"` when `schema` is empty.
pub fn qualified(schema: &str, name: &str) -> String {
    if schema.is_empty() {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

/// The quoted, comma-separated column list of a `SELECT`.
pub fn select_list<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    columns.into_iter().map(quote_ident).collect::<Vec<_>>().join(", ")
}

/// `SELECT <list> FROM "schema"."table"`; `SELECT FROM ...` (valid SQL) for no columns, where
/// a naive join would print the invalid `SELECT  FROM`.
pub fn select<'a>(schema: &str, table: &str, columns: impl IntoIterator<Item = &'a str>) -> String {
    let list = select_list(columns);
    let from = qualified(schema, table);
    if list.is_empty() {
        format!("SELECT FROM {from}")
    } else {
        format!("SELECT {list} FROM {from}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(qualified("", "t"), "\"t\"");
        assert_eq!(qualified("s p", "T"), "\"s p\".\"T\"");
    }

    #[test]
    fn selects_quote_every_name() {
        assert_eq!(select("public", "user", ["id", "1st reply"]), "SELECT \"id\", \"1st reply\" FROM \"public\".\"user\"");
        assert_eq!(select("public", "empty", []), "SELECT FROM \"public\".\"empty\"");
    }
}
