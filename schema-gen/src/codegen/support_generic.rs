//! The support module's generic types: `Range<T>` for range columns (built-in and user-defined
//! ranges) and `Array<T>` for arrays of two or more dimensions, which the `postgres` crate
//! cannot decode into a `Vec`. Each delegates its elements to `T`'s own `FromSql`/`ToSql`, so
//! `Range<chrono::NaiveDate>` or `Array<rust_decimal::Decimal>` work with whatever the rest of
//! the models use; the wire formats (`range_send`, `array_send`) are a few lines each, so no
//! extra crate or `postgres` feature is needed.

use proc_macro2::TokenStream;
use quote::quote;

/// The generic support types asked for, as items of the support module, with the helpers they
/// share; nothing when neither is used.
pub fn items(range: bool, array: bool) -> TokenStream {
    if !range && !array {
        return TokenStream::new();
    }
    let mut out = if range { range_items() } else { TokenStream::new() };
    if array {
        out.extend(array_items());
    }
    out.extend(quote! {
        /// Reads a big-endian `i32` off the front of `rest`.
        fn take_i32(rest: &mut &[u8]) -> Result<i32, Box<dyn std::error::Error + Sync + Send>> {
            let (head, tail) = rest.split_first_chunk::<4>().ok_or("a value is truncated")?;
            *rest = tail;
            Ok(i32::from_be_bytes(*head))
        }

        /// Takes `len` bytes off the front of `rest`.
        fn take<'a>(rest: &mut &'a [u8], len: usize) -> Result<&'a [u8], Box<dyn std::error::Error + Sync + Send>> {
            if rest.len() < len {
                return Err("a value is truncated".into());
            }
            let (head, tail) = rest.split_at(len);
            *rest = tail;
            Ok(head)
        }

        /// Appends a length-prefixed element encoded by `T::to_sql`; `false` when it was NULL
        /// (then its length is -1 and no bytes follow).
        fn put_element<T: postgres_types::ToSql>(
            value: &T,
            ty: &postgres_types::Type,
            out: &mut postgres_types::private::BytesMut,
        ) -> Result<bool, Box<dyn std::error::Error + Sync + Send>> {
            let at = out.len();
            out.extend_from_slice(&[0; 4]);
            if let postgres_types::IsNull::Yes = value.to_sql(ty, out)? {
                out.truncate(at);
                out.extend_from_slice(&(-1i32).to_be_bytes());
                return Ok(false);
            }
            let len = i32::try_from(out.len() - at - 4)?;
            out[at..at + 4].copy_from_slice(&len.to_be_bytes());
            Ok(true)
        }

        /// Writes `text` as PostgreSQL writes an element of a range or array literal: in double
        /// quotes (with `"` and `\` escaped) when it is empty, contains whitespace or one of
        /// `special`, or when `quote_null` and it reads `NULL`.
        fn write_quoted(
            f: &mut std::fmt::Formatter<'_>,
            text: &str,
            special: &[char],
            quote_null: bool,
        ) -> std::fmt::Result {
            let needs = text.is_empty()
                || text.chars().any(|c| c.is_whitespace() || c == '"' || c == '\\' || special.contains(&c))
                || (quote_null && text.eq_ignore_ascii_case("null"));
            if !needs {
                return f.write_str(text);
            }
            f.write_str("\"")?;
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str("\"")
        }
    });
    out
}

fn range_items() -> TokenStream {
    quote! {
        /// A PostgreSQL range value (`int4range`, `tstzrange`, a user-defined range, ...) over
        /// elements of type `T`: empty, or two bounds, each inclusive, exclusive or unbounded.
        /// Decoded as the server sends it, so discrete ranges come canonical (`[1,5)` for
        /// `'[1,4]'::int4range`). `Display` prints PostgreSQL's literal syntax around `T`'s own
        /// `Display` (`[1,5)`, `(,10]`, `empty`).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Range<T> {
            /// The empty range.
            Empty,
            /// A non-empty range.
            Bounds {
                /// The lower bound.
                lower: std::ops::Bound<T>,
                /// The upper bound.
                upper: std::ops::Bound<T>,
            },
        }

        // Not derived: `derive(Default)` would demand `T: Default`.
        #[allow(clippy::derivable_impls)]
        impl<T> Default for Range<T> {
            fn default() -> Self {
                Range::Empty
            }
        }

        impl<T> Range<T> {
            /// A range with these bounds (the server normalizes it when it is stored).
            pub fn new(lower: std::ops::Bound<T>, upper: std::ops::Bound<T>) -> Self {
                Range::Bounds { lower, upper }
            }

            /// True for the empty range.
            pub fn is_empty(&self) -> bool {
                matches!(self, Range::Empty)
            }

            /// The lower bound; `None` for the empty range.
            pub fn lower(&self) -> Option<&std::ops::Bound<T>> {
                match self {
                    Range::Empty => None,
                    Range::Bounds { lower, .. } => Some(lower),
                }
            }

            /// The upper bound; `None` for the empty range.
            pub fn upper(&self) -> Option<&std::ops::Bound<T>> {
                match self {
                    Range::Empty => None,
                    Range::Bounds { upper, .. } => Some(upper),
                }
            }

            /// True when `value` lies within the range.
            pub fn contains(&self, value: &T) -> bool
            where
                T: PartialOrd,
            {
                match self {
                    Range::Empty => false,
                    Range::Bounds { lower, upper } => {
                        std::ops::RangeBounds::contains(&(lower.as_ref(), upper.as_ref()), &value)
                    }
                }
            }
        }

        impl<T: std::fmt::Display> std::fmt::Display for Range<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let Range::Bounds { lower, upper } = self else {
                    return f.write_str("empty");
                };
                const SPECIAL: &[char] = &['(', ')', '[', ']', ','];
                let bound = |f: &mut std::fmt::Formatter<'_>, b: &std::ops::Bound<T>| match b {
                    std::ops::Bound::Included(v) | std::ops::Bound::Excluded(v) => {
                        write_quoted(f, &v.to_string(), SPECIAL, false)
                    }
                    std::ops::Bound::Unbounded => Ok(()),
                };
                f.write_str(if matches!(lower, std::ops::Bound::Included(_)) { "[" } else { "(" })?;
                bound(f, lower)?;
                f.write_str(",")?;
                bound(f, upper)?;
                f.write_str(if matches!(upper, std::ops::Bound::Included(_)) { "]" } else { ")" })
            }
        }

        impl<'a, T: postgres_types::FromSql<'a>> postgres_types::FromSql<'a> for Range<T> {
            fn from_sql(
                ty: &postgres_types::Type,
                raw: &'a [u8],
            ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                let postgres_types::Kind::Range(subtype) = ty.kind() else {
                    return Err(format!("`{ty}` is not a range type").into());
                };
                // `range_send`: a flag byte, then each finite bound as a length and its bytes.
                let (&flags, mut rest) = raw.split_first().ok_or("a range value starts with its flags")?;
                if flags & 0x01 != 0 {
                    return Ok(Range::Empty);
                }
                let mut bound = |infinite: u8, inclusive: u8| -> Result<std::ops::Bound<T>, Box<dyn std::error::Error + Sync + Send>> {
                    if flags & infinite != 0 {
                        return Ok(std::ops::Bound::Unbounded);
                    }
                    let len = usize::try_from(take_i32(&mut rest)?)?;
                    let value = T::from_sql(subtype, take(&mut rest, len)?)?;
                    Ok(if flags & inclusive != 0 { std::ops::Bound::Included(value) } else { std::ops::Bound::Excluded(value) })
                };
                let lower = bound(0x08, 0x02)?;
                let upper = bound(0x10, 0x04)?;
                if !rest.is_empty() {
                    return Err("a range value has trailing bytes".into());
                }
                Ok(Range::Bounds { lower, upper })
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                matches!(ty.kind(), postgres_types::Kind::Range(subtype) if T::accepts(subtype))
            }
        }

        impl<T: postgres_types::ToSql> postgres_types::ToSql for Range<T> {
            fn to_sql(
                &self,
                ty: &postgres_types::Type,
                out: &mut postgres_types::private::BytesMut,
            ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
                let postgres_types::Kind::Range(subtype) = ty.kind() else {
                    return Err(format!("`{ty}` is not a range type").into());
                };
                let Range::Bounds { lower, upper } = self else {
                    out.extend_from_slice(&[0x01]);
                    return Ok(postgres_types::IsNull::No);
                };
                let flag = |b: &std::ops::Bound<T>, inclusive: u8, infinite: u8| match b {
                    std::ops::Bound::Included(_) => inclusive,
                    std::ops::Bound::Excluded(_) => 0,
                    std::ops::Bound::Unbounded => infinite,
                };
                out.extend_from_slice(&[flag(lower, 0x02, 0x08) | flag(upper, 0x04, 0x10)]);
                for b in [lower, upper] {
                    if let std::ops::Bound::Included(v) | std::ops::Bound::Excluded(v) = b {
                        if !put_element(v, subtype, out)? {
                            return Err("a range bound cannot be NULL; use `Bound::Unbounded`".into());
                        }
                    }
                }
                Ok(postgres_types::IsNull::No)
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                matches!(ty.kind(), postgres_types::Kind::Range(subtype) if T::accepts(subtype))
            }

            postgres_types::to_sql_checked!();
        }
    }
}

fn array_items() -> TokenStream {
    quote! {
        /// A PostgreSQL array of any number of dimensions (the models use it for columns
        /// declared with two or more, e.g. `integer[][]`): its dimensions and its elements in
        /// row-major order, each `None` for NULL. `Display` prints PostgreSQL's literal
        /// (`{{1,2},{3,NULL}}`, with `[0:1]=` style bounds when a lower bound is not 1).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct Array<T> {
            dimensions: Vec<Dimension>,
            elements: Vec<Option<T>>,
        }

        /// One dimension of an [`Array`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct Dimension {
            /// The number of elements along it.
            pub len: usize,
            /// The index of its first element (1 unless set otherwise).
            pub lower_bound: i32,
        }

        // Not derived: `derive(Default)` would demand `T: Default`.
        #[allow(clippy::derivable_impls)]
        impl<T> Default for Array<T> {
            fn default() -> Self {
                Array { dimensions: Vec::new(), elements: Vec::new() }
            }
        }

        impl<T> Array<T> {
            /// An array of these dimensions (all lower bounds 1) and elements, row-major; an error
            /// when the element count is not the product of the lengths.
            pub fn new(lengths: &[usize], elements: Vec<Option<T>>) -> Result<Self, String> {
                let dimensions = lengths.iter().map(|&len| Dimension { len, lower_bound: 1 }).collect();
                Self::from_parts(dimensions, elements)
            }

            /// An array of these dimensions and elements, row-major; an error when the element
            /// count is not the product of the lengths.
            pub fn from_parts(dimensions: Vec<Dimension>, elements: Vec<Option<T>>) -> Result<Self, String> {
                let expected = if dimensions.is_empty() {
                    0
                } else {
                    dimensions.iter().try_fold(1usize, |n, d| n.checked_mul(d.len)).ok_or("the array is too large")?
                };
                if expected != elements.len() {
                    return Err(format!("dimensions of {expected} elements, but {} elements", elements.len()));
                }
                Ok(Array { dimensions, elements })
            }

            /// The dimensions, outermost first (none for an empty array).
            pub fn dimensions(&self) -> &[Dimension] {
                &self.dimensions
            }

            /// The elements, row-major.
            pub fn elements(&self) -> &[Option<T>] {
                &self.elements
            }

            /// The elements, row-major, by value.
            pub fn into_elements(self) -> Vec<Option<T>> {
                self.elements
            }

            /// The element at PostgreSQL indices (one per dimension, counted from each lower
            /// bound): `None` out of range, `Some(None)` for NULL.
            pub fn get(&self, index: &[i32]) -> Option<Option<&T>> {
                if index.len() != self.dimensions.len() || index.is_empty() {
                    return None;
                }
                let mut at = 0usize;
                for (i, d) in index.iter().zip(&self.dimensions) {
                    let offset = usize::try_from(i64::from(*i) - i64::from(d.lower_bound)).ok().filter(|o| *o < d.len)?;
                    at = at * d.len + offset;
                }
                self.elements.get(at).map(Option::as_ref)
            }
        }

        impl<T: std::fmt::Display> std::fmt::Display for Array<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                if self.dimensions.is_empty() {
                    return f.write_str("{}");
                }
                if self.dimensions.iter().any(|d| d.lower_bound != 1) {
                    for d in &self.dimensions {
                        let upper = i64::from(d.lower_bound) + d.len as i64 - 1;
                        write!(f, "[{}:{upper}]", d.lower_bound)?;
                    }
                    f.write_str("=")?;
                }
                fn level<T: std::fmt::Display>(
                    f: &mut std::fmt::Formatter<'_>,
                    dimensions: &[Dimension],
                    elements: &[Option<T>],
                ) -> std::fmt::Result {
                    const SPECIAL: &[char] = &['{', '}', ','];
                    let Some((outer, inner)) = dimensions.split_first() else { return Ok(()) };
                    let step = inner.iter().map(|d| d.len).product::<usize>().max(1);
                    f.write_str("{")?;
                    for i in 0..outer.len {
                        if i > 0 {
                            f.write_str(",")?;
                        }
                        let part = elements.get(i * step..(i + 1) * step).unwrap_or_default();
                        if inner.is_empty() {
                            match part.first() {
                                Some(Some(v)) => write_quoted(f, &v.to_string(), SPECIAL, true)?,
                                _ => f.write_str("NULL")?,
                            }
                        } else {
                            level(f, inner, part)?;
                        }
                    }
                    f.write_str("}")
                }
                level(f, &self.dimensions, &self.elements)
            }
        }

        impl<'a, T: postgres_types::FromSql<'a>> postgres_types::FromSql<'a> for Array<T> {
            fn from_sql(
                ty: &postgres_types::Type,
                raw: &'a [u8],
            ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                let postgres_types::Kind::Array(member) = ty.kind() else {
                    return Err(format!("`{ty}` is not an array type").into());
                };
                // `array_send`: dimension count, has-nulls flag, element type OID, per dimension
                // its length and lower bound, then each element as a length (-1: NULL) and bytes.
                let mut rest = raw;
                let ndim = usize::try_from(take_i32(&mut rest)?)?;
                take_i32(&mut rest)?;
                take_i32(&mut rest)?;
                let mut dimensions = Vec::with_capacity(ndim.min(6));
                for _ in 0..ndim {
                    let len = usize::try_from(take_i32(&mut rest)?)?;
                    dimensions.push(Dimension { len, lower_bound: take_i32(&mut rest)? });
                }
                let count = if ndim == 0 {
                    0
                } else {
                    dimensions.iter().try_fold(1usize, |n, d| n.checked_mul(d.len)).ok_or("an array value is too large")?
                };
                let mut elements = Vec::with_capacity(count.min(rest.len() / 4));
                for _ in 0..count {
                    let len = take_i32(&mut rest)?;
                    elements.push(match usize::try_from(len) {
                        Ok(len) => Some(T::from_sql(member, take(&mut rest, len)?)?),
                        Err(_) => None,
                    });
                }
                if !rest.is_empty() {
                    return Err("an array value has trailing bytes".into());
                }
                Ok(Array { dimensions, elements })
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                matches!(ty.kind(), postgres_types::Kind::Array(member) if T::accepts(member))
            }
        }

        impl<T: postgres_types::ToSql> postgres_types::ToSql for Array<T> {
            fn to_sql(
                &self,
                ty: &postgres_types::Type,
                out: &mut postgres_types::private::BytesMut,
            ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
                let postgres_types::Kind::Array(member) = ty.kind() else {
                    return Err(format!("`{ty}` is not an array type").into());
                };
                out.extend_from_slice(&i32::try_from(self.dimensions.len())?.to_be_bytes());
                let flag_at = out.len();
                out.extend_from_slice(&0i32.to_be_bytes());
                out.extend_from_slice(&member.oid().to_be_bytes());
                for d in &self.dimensions {
                    out.extend_from_slice(&i32::try_from(d.len)?.to_be_bytes());
                    out.extend_from_slice(&d.lower_bound.to_be_bytes());
                }
                let mut has_nulls = false;
                for element in &self.elements {
                    let present = match element {
                        Some(v) => put_element(v, member, out)?,
                        None => {
                            out.extend_from_slice(&(-1i32).to_be_bytes());
                            false
                        }
                    };
                    has_nulls |= !present;
                }
                out[flag_at..flag_at + 4].copy_from_slice(&i32::from(has_nulls).to_be_bytes());
                Ok(postgres_types::IsNull::No)
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                matches!(ty.kind(), postgres_types::Kind::Array(member) if T::accepts(member))
            }

            postgres_types::to_sql_checked!();
        }
    }
}
