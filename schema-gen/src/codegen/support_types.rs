//! The support module's types for PostgreSQL types the `postgres` crate has no mapping for
//! without extra crates: `interval`, `money`, `bit`/`varbit`, `xml` and `tsvector` (see
//! `schema_core::typemap::SUPPORT_TYPES`). Each is a few lines over the binary wire format, so
//! users get a real type without a new dependency or feature flag. One codec per type serves
//! every target: `postgres-types`' `FromSql`/`ToSql` and sqlx's `Decode`/`Encode`.

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::target::Target;

use super::options::GenerateOptions;

/// One support type's wire codec, and the PostgreSQL types it accepts (`typname`s with the
/// `postgres_types::Type` constant of each).
struct Codec {
    name: TokenStream,
    types: &'static [(&'static str, &'static str)],
    decode: TokenStream,
    encode: TokenStream,
}

/// The trait impls of `codec` for every selected target. The decode body reads `raw: &'a [u8]`
/// (the binary wire value) and the encode body appends to `out`, a `BytesMut` for
/// `postgres-types` and a `PgArgumentBuffer` (a `Vec<u8>`) for sqlx: one codec, every client.
fn impls(options: &GenerateOptions, codec: Codec) -> TokenStream {
    let mut out = TokenStream::new();
    if options.targets().iter().any(|t| t.uses_postgres_types()) {
        out.extend(postgres_types_impls(&codec));
    }
    if options.has_target(Target::Sqlx) {
        out.extend(sqlx_impls(&codec));
    }
    out
}

fn postgres_types_impls(codec: &Codec) -> TokenStream {
    let Codec { name, decode, encode, .. } = codec;
    let types = codec.types.iter().map(|(_, constant)| {
        let constant = proc_macro2::Ident::new(constant, proc_macro2::Span::call_site());
        quote!(postgres_types::Type::#constant)
    });
    let types = quote!(#(#types),*);
    quote! {
        impl<'a> postgres_types::FromSql<'a> for #name {
            fn from_sql(
                _ty: &postgres_types::Type,
                raw: &'a [u8],
            ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                #decode
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                [#types].contains(ty)
            }
        }

        impl postgres_types::ToSql for #name {
            fn to_sql(
                &self,
                _ty: &postgres_types::Type,
                out: &mut postgres_types::private::BytesMut,
            ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
                #encode
                Ok(postgres_types::IsNull::No)
            }

            fn accepts(ty: &postgres_types::Type) -> bool {
                [#types].contains(ty)
            }

            postgres_types::to_sql_checked!();
        }
    }
}

/// `sqlx::Type`, `Decode`, `Encode` and `PgHasArrayType`. Types are named, not numbered: sqlx
/// resolves and compares `PgTypeInfo::with_name` by name. Only the binary format decodes, as
/// with sqlx's own `PgInterval`: sqlx uses it for every prepared query (`query`, `query_as`).
fn sqlx_impls(codec: &Codec) -> TokenStream {
    let Codec { name, decode, encode, .. } = codec;
    let first = codec.types[0].0;
    let names = codec.types.iter().map(|(typname, _)| quote!(sqlx::postgres::PgTypeInfo::with_name(#typname)));
    let arrays = codec.types.iter().map(|(typname, _)| quote!(sqlx::postgres::PgTypeInfo::array_of(#typname)));
    let message = format!("a `{first}` value decodes from the binary format only; use a prepared query (`sqlx::query`, `query_as`)");
    quote! {
        impl sqlx::Type<sqlx::Postgres> for #name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                sqlx::postgres::PgTypeInfo::with_name(#first)
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                [#(#names),*].contains(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for #name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                sqlx::postgres::PgTypeInfo::array_of(#first)
            }

            fn array_compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                [#(#arrays),*].contains(ty)
            }
        }

        impl<'a> sqlx::Decode<'a, sqlx::Postgres> for #name {
            fn decode(value: sqlx::postgres::PgValueRef<'a>) -> Result<Self, sqlx::error::BoxDynError> {
                if value.format() != sqlx::postgres::PgValueFormat::Binary {
                    return Err(#message.into());
                }
                let raw: &'a [u8] = value.as_bytes()?;
                #decode
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for #name {
            fn encode_by_ref(
                &self,
                out: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                #encode
                Ok(sqlx::encode::IsNull::No)
            }
        }
    }
}

/// `#[derive(serde::Serialize, serde::Deserialize)]` when the serde option is on.
pub fn serde_derive(options: &GenerateOptions) -> TokenStream {
    if options.serde {
        quote!(#[derive(serde::Serialize, serde::Deserialize)])
    } else {
        TokenStream::new()
    }
}

/// The support types, as items of the support module.
pub fn items(options: &GenerateOptions) -> TokenStream {
    let interval = impls(options, Codec {
        name: quote!(Interval),
        types: &[("interval", "INTERVAL")],
        decode: quote! {
            let field = |range: std::ops::Range<usize>| raw.get(range).ok_or("an `interval` value has 16 bytes");
            if raw.len() != 16 {
                return Err("an `interval` value has 16 bytes".into());
            }
            Ok(Self {
                microseconds: i64::from_be_bytes(field(0..8)?.try_into()?),
                days: i32::from_be_bytes(field(8..12)?.try_into()?),
                months: i32::from_be_bytes(field(12..16)?.try_into()?),
            })
        },
        encode: quote! {
            out.extend_from_slice(&self.microseconds.to_be_bytes());
            out.extend_from_slice(&self.days.to_be_bytes());
            out.extend_from_slice(&self.months.to_be_bytes());
        },
    });
    let money = impls(options, Codec {
        name: quote!(Money),
        types: &[("money", "MONEY")],
        decode: quote! { Ok(Self(i64::from_be_bytes(raw.try_into().map_err(|_| "a `money` value has 8 bytes")?))) },
        encode: quote! { out.extend_from_slice(&self.0.to_be_bytes()); },
    });
    let bits = impls(options, Codec {
        name: quote!(BitString),
        types: &[("bit", "BIT"), ("varbit", "VARBIT")],
        decode: quote! {
            let (len, bytes) = raw.split_first_chunk::<4>().ok_or("a bit string starts with its length")?;
            let len = usize::try_from(i32::from_be_bytes(*len))?;
            if bytes.len() != len.div_ceil(8) {
                return Err("a bit string has one byte per 8 bits".into());
            }
            Ok(Self { len, bytes: bytes.to_vec() })
        },
        encode: quote! {
            out.extend_from_slice(&i32::try_from(self.len)?.to_be_bytes());
            out.extend_from_slice(&self.bytes);
        },
    });
    let xml = impls(options, Codec {
        name: quote!(Xml),
        types: &[("xml", "XML")],
        // Both clients set `client_encoding` to UTF8, and `xml_send` sends the text.
        decode: quote! { Ok(Self(String::from_utf8(raw.to_vec())?)) },
        encode: quote! { out.extend_from_slice(self.0.as_bytes()); },
    });
    let tsvector = impls(options, Codec {
        name: quote!(TsVector),
        types: &[("tsvector", "TS_VECTOR")],
        // `tsvectorsend`: a count, then per lexeme its NUL-terminated text, a position count and
        // the positions (u16 each, weight in the top two bits).
        decode: quote! {
            let take = |raw: &mut &'a [u8], n: usize| -> Result<&'a [u8], Box<dyn std::error::Error + Sync + Send>> {
                if raw.len() < n {
                    return Err("a `tsvector` value is truncated".into());
                }
                let (head, tail) = raw.split_at(n);
                *raw = tail;
                Ok(head)
            };
            let mut rest = raw;
            let count = u32::from_be_bytes(take(&mut rest, 4)?.try_into()?);
            let mut lexemes = Vec::new();
            for _ in 0..count {
                let end = rest.iter().position(|b| *b == 0).ok_or("a `tsvector` lexeme is not terminated")?;
                let word = String::from_utf8(take(&mut rest, end)?.to_vec())?;
                take(&mut rest, 1)?;
                let n = u16::from_be_bytes(take(&mut rest, 2)?.try_into()?);
                let positions = (0..n)
                    .map(|_| Ok(u16::from_be_bytes(take(&mut rest, 2)?.try_into()?)))
                    .collect::<Result<Vec<u16>, Box<dyn std::error::Error + Sync + Send>>>()?;
                lexemes.push(Lexeme { word, positions });
            }
            Ok(Self { lexemes })
        },
        encode: quote! {
            out.extend_from_slice(&u32::try_from(self.lexemes.len())?.to_be_bytes());
            for lexeme in &self.lexemes {
                out.extend_from_slice(lexeme.word.as_bytes());
                out.extend_from_slice(&[0]);
                out.extend_from_slice(&u16::try_from(lexeme.positions.len())?.to_be_bytes());
                for position in &lexeme.positions {
                    out.extend_from_slice(&position.to_be_bytes());
                }
            }
        },
    });
    let serde = serde_derive(options);
    quote! {
        /// A PostgreSQL `tsvector`: its lexemes, sorted and distinct as PostgreSQL keeps them.
        /// `Display` prints the text form PostgreSQL prints (`'a':1A 'fat':2,4`).
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #serde
        pub struct TsVector {
            /// The lexemes.
            pub lexemes: Vec<Lexeme>,
        }

        /// One lexeme of a [`TsVector`].
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #serde
        pub struct Lexeme {
            /// The normalized word.
            pub word: String,
            /// Positions, ascending, as PostgreSQL stores them: the position (1 to 16383) in the
            /// low 14 bits, the weight in the top two (3 = `A`, 2 = `B`, 1 = `C`, 0 = `D`).
            pub positions: Vec<u16>,
        }

        impl std::fmt::Display for TsVector {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                for (i, lexeme) in self.lexemes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "'{}'", lexeme.word.replace('\\', "\\\\").replace('\'', "''"))?;
                    for (j, position) in lexeme.positions.iter().enumerate() {
                        f.write_str(if j == 0 { ":" } else { "," })?;
                        write!(f, "{}", position & 0x3fff)?;
                        match position >> 14 {
                            3 => f.write_str("A")?,
                            2 => f.write_str("B")?,
                            1 => f.write_str("C")?,
                            _ => {}
                        }
                    }
                }
                Ok(())
            }
        }

        #tsvector

        /// A PostgreSQL `interval`. Months, days and microseconds are kept apart, as PostgreSQL
        /// stores them: a month has no fixed number of days, nor a day of seconds (DST). So
        /// equality is field by field (`1 mon` differs from `30 days` here, unlike in SQL).
        /// `Display` prints ISO 8601 as PostgreSQL's `intervalstyle = iso_8601` does
        /// (`P1Y2M3DT4H5M6.5S`, `PT0S` for zero).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #serde
        pub struct Interval {
            /// Months (a year is 12).
            pub months: i32,
            /// Days.
            pub days: i32,
            /// Microseconds (hours, minutes, seconds and fractions).
            pub microseconds: i64,
        }

        impl std::fmt::Display for Interval {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                if *self == Self::default() {
                    return f.write_str("PT0S");
                }
                f.write_str("P")?;
                let (years, months) = (self.months / 12, self.months % 12);
                for (value, unit) in [(years, "Y"), (months, "M"), (self.days, "D")] {
                    if value != 0 {
                        write!(f, "{value}{unit}")?;
                    }
                }
                if self.microseconds == 0 {
                    return Ok(());
                }
                f.write_str("T")?;
                let hours = self.microseconds / 3_600_000_000;
                let minutes = self.microseconds / 60_000_000 % 60;
                let seconds = self.microseconds % 60_000_000;
                for (value, unit) in [(hours, "H"), (minutes, "M")] {
                    if value != 0 {
                        write!(f, "{value}{unit}")?;
                    }
                }
                if seconds != 0 {
                    let (whole, fraction) = (seconds / 1_000_000, (seconds % 1_000_000).unsigned_abs());
                    if seconds < 0 && whole == 0 {
                        f.write_str("-")?;
                    }
                    write!(f, "{whole}")?;
                    if fraction != 0 {
                        write!(f, ".{}", format!("{fraction:06}").trim_end_matches('0'))?;
                    }
                    f.write_str("S")?;
                }
                Ok(())
            }
        }

        #interval

        /// A PostgreSQL `money` value: the amount in the currency's smallest unit as the server
        /// stores it (cents for a two-digit `lc_monetary` such as `en_US`).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #serde
        pub struct Money(pub i64);

        #money

        /// A PostgreSQL `bit(n)` or `bit varying(n)` value: `len` bits, most significant first.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #serde
        pub struct BitString {
            len: usize,
            bytes: Vec<u8>,
        }

        impl BitString {
            /// The bits, first to last.
            pub fn from_bits(bits: impl IntoIterator<Item = bool>) -> Self {
                let mut out = Self::default();
                for bit in bits {
                    if out.len % 8 == 0 {
                        out.bytes.push(0);
                    }
                    if bit {
                        if let Some(last) = out.bytes.last_mut() {
                            *last |= 0x80 >> (out.len % 8);
                        }
                    }
                    out.len += 1;
                }
                out
            }

            /// The number of bits.
            pub fn len(&self) -> usize {
                self.len
            }

            /// True when there are no bits.
            pub fn is_empty(&self) -> bool {
                self.len == 0
            }

            /// Bit `i` (0 is the leftmost), if there is one.
            pub fn get(&self, i: usize) -> Option<bool> {
                (i < self.len).then(|| self.bytes[i / 8] & (0x80 >> (i % 8)) != 0)
            }

            /// The bits, first to last.
            pub fn iter(&self) -> impl Iterator<Item = bool> + '_ {
                (0..self.len).map(|i| self.bytes[i / 8] & (0x80 >> (i % 8)) != 0)
            }
        }

        impl std::fmt::Display for BitString {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.iter().try_for_each(|bit| f.write_str(if bit { "1" } else { "0" }))
            }
        }

        #bits

        /// A PostgreSQL `xml` value, as its text.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #serde
        pub struct Xml(pub String);

        impl std::fmt::Display for Xml {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        #xml
    }
}
