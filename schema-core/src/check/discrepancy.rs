//! What the checker reports: a stable code, a message and where in the model it applies.

use std::fmt;

/// The kind of a discrepancy. The kebab-case [`Code::as_str`] spelling is stable: CI scripts and
/// the JSON report key on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The table or view is not in the snapshot.
    UnknownTable,
    /// A field maps to a column the relation does not have.
    UnknownColumn,
    /// Two fields map to the same column.
    DuplicateColumn,
    /// The field's Rust type cannot hold the column's SQL type.
    TypeMismatch,
    /// The column's SQL type has no Rust mapping: the field must be marked custom.
    UnsupportedType,
    /// `Option` on a NOT NULL column, or a nullable column without `Option`.
    NullabilityMismatch,
    /// `deny_missing_columns` and a column has no field.
    MissingColumn,
    /// `primary_key = "..."` differs from the table's primary key.
    PrimaryKeyMismatch,
}

impl Code {
    /// The stable kebab-case name, e.g. `unknown-column`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Code::UnknownTable => "unknown-table",
            Code::UnknownColumn => "unknown-column",
            Code::DuplicateColumn => "duplicate-column",
            Code::TypeMismatch => "type-mismatch",
            Code::UnsupportedType => "unsupported-type",
            Code::NullabilityMismatch => "nullability-mismatch",
            Code::MissingColumn => "missing-column",
            Code::PrimaryKeyMismatch => "primary-key-mismatch",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a discrepancy applies, as indexes into the [`ModelDef`](crate::check::ModelDef), so the
/// derive can attach a span and the CLI a file position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// The struct as a whole (its name), e.g. a missing column.
    Struct,
    /// The `table = "..."` value.
    Table,
    /// The `primary_key = "..."` value.
    PrimaryKey,
    /// The column a field names: its `column = "..."` value when present, else the field name.
    FieldColumn(usize),
    /// The type of a field.
    FieldType(usize),
}

/// One difference between a model and the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    /// What kind of difference.
    pub code: Code,
    /// Lower-case, names in backticks, with a hint at the fix.
    pub message: String,
    /// Where it applies.
    pub location: Location,
}

impl Discrepancy {
    pub(crate) fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Discrepancy { code, message: message.into(), location }
    }
}

impl fmt::Display for Discrepancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}
