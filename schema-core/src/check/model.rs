//! The model description: a plain-data image of a hand-written `#[derive(Model)]` struct.
//!
//! Both front ends build it from Rust source (the derive from its token stream, `schema-gen
//! models` from parsed files, see [`crate::check::syntax`] behind the `syn` feature), and the
//! checker compares it with the snapshot. Keeping it free of `syn` types lets the checker be
//! tested with hand-built values and keeps `schema-core` cheap to compile.

use std::fmt;

/// One `#[derive(Model)]` struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelDef {
    /// The Rust struct name (for messages).
    pub rust_name: String,
    /// The table or view, `schema.name` or a bare `name` (looked up in `public` first).
    pub table: String,
    /// The fields in declaration order; [`Location`](crate::check::Location) indexes into it.
    pub fields: Vec<FieldDef>,
    /// `#[model(deny_missing_columns)]`: every column of the relation must have a field.
    pub deny_missing_columns: bool,
    /// `#[model(primary_key = "a, b")]`: the key the model claims, checked against the table.
    pub primary_key: Option<Vec<String>>,
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// The Rust field name, without any `r#` prefix.
    pub rust_name: String,
    /// The column it maps to, after `column = "..."` or the struct's `rename_all`.
    pub column: String,
    /// The field's Rust type.
    pub ty: RustTypeRepr,
    /// `#[model(skip)]`: not a column; excluded from every check and from row mapping.
    pub skip: bool,
    /// `#[model(custom)]` or `#[model(sql_type = "...")]`: the Rust type is the user's business
    /// (it implements `FromSql` itself); only nullability (and `sql_type`) is checked.
    pub custom_type: bool,
    /// `#[model(sql_type = "...")]`: the SQL type the column must have.
    pub sql_type: Option<String>,
}

/// A Rust type, structured just enough to compare with the type map.
///
/// Paths keep their segments and the generic arguments of the last segment
/// (`chrono::DateTime<chrono::Utc>` is `["chrono", "DateTime"]` with one argument). Anything
/// else (references, tuples, arrays, trait objects) is kept as text and never matches a column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RustTypeRepr {
    /// A path type.
    Path {
        /// Path segments, e.g. `["chrono", "DateTime"]`; a leading `::` is dropped.
        segments: Vec<String>,
        /// Type arguments of the last segment (lifetimes and const arguments are dropped).
        args: Vec<RustTypeRepr>,
    },
    /// Any other type, as written.
    Other(String),
}

impl RustTypeRepr {
    /// A path type from segments and arguments.
    pub fn path(segments: &[&str], args: Vec<RustTypeRepr>) -> Self {
        RustTypeRepr::Path { segments: segments.iter().map(|s| (*s).to_owned()).collect(), args }
    }

    /// Parses the simple type syntax the type map uses (`a::B<C, d::E<F>>`). Returns
    /// [`RustTypeRepr::Other`] for anything it does not understand, so it never fails.
    pub fn parse(text: &str) -> Self {
        let mut p = TypeParser { s: text.as_bytes(), pos: 0 };
        match p.ty() {
            Some(t) if p.at_end() => t,
            _ => RustTypeRepr::Other(text.trim().to_owned()),
        }
    }

    /// The last path segment (`DateTime` for `chrono::DateTime<Utc>`), if a path.
    pub fn last_segment(&self) -> Option<&str> {
        match self {
            RustTypeRepr::Path { segments, .. } => segments.last().map(String::as_str),
            RustTypeRepr::Other(_) => None,
        }
    }

    /// The generic arguments (empty for non-paths).
    pub fn args(&self) -> &[RustTypeRepr] {
        match self {
            RustTypeRepr::Path { args, .. } => args,
            RustTypeRepr::Other(_) => &[],
        }
    }

    /// The inner type when this is `Option<T>` (`std::option::Option` and `core::...` too).
    pub fn option_inner(&self) -> Option<&RustTypeRepr> {
        self.wrapper_inner("Option", &["std", "option"])
    }

    /// The element type when this is `Vec<T>` (`std::vec::Vec` and `alloc::...` too).
    pub fn vec_inner(&self) -> Option<&RustTypeRepr> {
        self.wrapper_inner("Vec", &["std", "vec"])
    }

    fn wrapper_inner(&self, name: &str, module: &[&str]) -> Option<&RustTypeRepr> {
        let RustTypeRepr::Path { segments, args } = self else { return None };
        let ok = match segments.as_slice() {
            [only] => only == name,
            [root, m, last] => {
                last == name && m == module[1] && (root == module[0] || root == "core" || root == "alloc")
            }
            _ => false,
        };
        (ok && args.len() == 1).then(|| &args[0])
    }
}

impl fmt::Display for RustTypeRepr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustTypeRepr::Path { segments, args } => {
                f.write_str(&segments.join("::"))?;
                if !args.is_empty() {
                    f.write_str("<")?;
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{a}")?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
            RustTypeRepr::Other(text) => f.write_str(text),
        }
    }
}

/// A tiny recursive-descent parser for `a::B<C, D>` (all the type map ever produces).
struct TypeParser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl TypeParser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos == self.s.len()
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.s[self.pos..].starts_with(token.as_bytes()) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.pos;
        while self.pos < self.s.len() && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_') {
            self.pos += 1;
        }
        (self.pos > start).then(|| String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn ty(&mut self) -> Option<RustTypeRepr> {
        self.eat("::");
        let mut segments = vec![self.ident()?];
        while self.eat("::") {
            segments.push(self.ident()?);
        }
        let mut args = Vec::new();
        if self.eat("<") {
            loop {
                args.push(self.ty()?);
                if self.eat(">") {
                    break;
                }
                if !self.eat(",") {
                    return None;
                }
            }
        }
        Some(RustTypeRepr::Path { segments, args })
    }
}

/// How `#[model(rename_all = "...")]` turns field names into column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `snake_case` (the field name as is).
    SnakeCase,
    /// `camelCase`.
    CamelCase,
    /// `PascalCase`.
    PascalCase,
    /// `SCREAMING_SNAKE_CASE`.
    ScreamingSnakeCase,
    /// `kebab-case`.
    KebabCase,
    /// `lowercase`.
    LowerCase,
    /// `UPPERCASE`.
    UpperCase,
}

impl RenameRule {
    /// Every accepted spelling, for the error message on an unknown one.
    pub const ALL: &'static [&'static str] =
        &["snake_case", "camelCase", "PascalCase", "SCREAMING_SNAKE_CASE", "kebab-case", "lowercase", "UPPERCASE"];

    /// Parses the attribute value (serde's spellings).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "snake_case" => RenameRule::SnakeCase,
            "camelCase" => RenameRule::CamelCase,
            "PascalCase" => RenameRule::PascalCase,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnakeCase,
            "kebab-case" => RenameRule::KebabCase,
            "lowercase" => RenameRule::LowerCase,
            "UPPERCASE" => RenameRule::UpperCase,
            _ => return None,
        })
    }

    /// Applies the rule to a snake_case field name. Hand-rolled (like serde's) so the core
    /// needs no case-conversion crate; field names are snake_case by Rust convention.
    pub fn apply(&self, field: &str) -> String {
        match self {
            RenameRule::SnakeCase => field.to_owned(),
            RenameRule::LowerCase => field.to_ascii_lowercase(),
            RenameRule::UpperCase | RenameRule::ScreamingSnakeCase => field.to_ascii_uppercase(),
            RenameRule::KebabCase => field.replace('_', "-"),
            RenameRule::CamelCase | RenameRule::PascalCase => {
                let mut out = String::with_capacity(field.len());
                let mut upper = *self == RenameRule::PascalCase;
                for c in field.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_type_map_paths() {
        let t = RustTypeRepr::parse("std::collections::HashMap<String, Option<String>>");
        assert_eq!(t.to_string(), "std::collections::HashMap<String, Option<String>>");
        assert_eq!(t.args()[1].option_inner(), Some(&RustTypeRepr::path(&["String"], vec![])));
        assert!(matches!(RustTypeRepr::parse("&str"), RustTypeRepr::Other(_)));
        assert_eq!(RustTypeRepr::parse("::std::vec::Vec<u8>").vec_inner().unwrap().to_string(), "u8");
    }

    #[test]
    fn renames_like_serde() {
        assert_eq!(RenameRule::CamelCase.apply("created_at_utc"), "createdAtUtc");
        assert_eq!(RenameRule::PascalCase.apply("created_at"), "CreatedAt");
        assert_eq!(RenameRule::ScreamingSnakeCase.apply("id"), "ID");
        assert_eq!(RenameRule::KebabCase.apply("a_b"), "a-b");
        assert_eq!(RenameRule::from_name("camelcase"), None);
    }
}
