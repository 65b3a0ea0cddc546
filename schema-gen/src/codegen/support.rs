//! The generated support module: the raw fallback type for columns without a Rust mapping, and
//! the small types of [`super::support_types`] and [`super::support_generic`].

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::target::Target;
use schema_core::typemap::FALLBACK_TYPE_NAME;

use super::naming::ident;
use super::options::GenerateOptions;
use super::scope::SUPPORT_MODULE;

/// `pgcanon_support::RawValue`: accepts any PostgreSQL type and keeps its binary wire form,
/// so an unknown type never fails generation or decoding; a warning names the override to add.
/// `generics` names the generic support types (`Range`, `Array`) some field uses; only those
/// are emitted, so models without ranges or multi-dimensional arrays carry none of their code.
pub fn module(options: &GenerateOptions, generics: &std::collections::BTreeSet<&'static str>) -> TokenStream {
    let module = ident(SUPPORT_MODULE);
    let raw = ident(FALLBACK_TYPE_NAME);
    let support_types = super::support_types::items(options);
    let generic_types = super::support_generic::items(generics.contains("Range"), generics.contains("Array"));
    let serde = super::support_types::serde_derive(options);
    let postgres_types = options.targets().iter().any(|t| t.uses_postgres_types()).then(|| raw_postgres_types(&raw));
    let sqlx = options.has_target(Target::Sqlx).then(|| raw_sqlx(&raw));
    quote! {
        /// Support items used by the generated models.
        pub mod #module {
            /// The binary wire value of a column whose type has no Rust mapping (an extension
            /// type, a geometric type, ...). Decoding accepts any type; encoding sends
            /// the bytes back unchanged. Map the column to a real type with a `pg_type` or
            /// `column_type` override.
            #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
            #serde
            pub struct #raw(pub Vec<u8>);

            #postgres_types
            #sqlx

            #support_types

            #generic_types
        }
    }
}

/// `FromSql`/`ToSql` of the raw value: any type, the bytes as they are.
fn raw_postgres_types(raw: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl<'a> postgres_types::FromSql<'a> for #raw {
            fn from_sql(
                _ty: &postgres_types::Type,
                raw: &'a [u8],
            ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                Ok(Self(raw.to_vec()))
            }

            fn accepts(_ty: &postgres_types::Type) -> bool {
                true
            }
    }

    impl postgres_types::ToSql for #raw {
        fn to_sql(
            &self,
            _ty: &postgres_types::Type,
            out: &mut postgres_types::private::BytesMut,
        ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
            // `private::BytesMut` is the same re-export the `postgres-types` derives
            // use; it spares users a direct dependency on `bytes`.
            out.extend_from_slice(&self.0);
            Ok(postgres_types::IsNull::No)
        }

        fn accepts(_ty: &postgres_types::Type) -> bool {
            true
        }

        postgres_types::to_sql_checked!();
    }
    }
}

/// sqlx's traits of the raw value: compatible with every type; encoded with OID 0
/// ("unspecified"), so the server reads the bytes as the parameter's declared type.
fn raw_sqlx(raw: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl sqlx::Type<sqlx::Postgres> for #raw {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                sqlx::postgres::PgTypeInfo::with_oid(sqlx::postgres::types::Oid(0))
            }

            fn compatible(_ty: &sqlx::postgres::PgTypeInfo) -> bool {
                true
            }
        }

        impl<'a> sqlx::Decode<'a, sqlx::Postgres> for #raw {
            fn decode(value: sqlx::postgres::PgValueRef<'a>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self(value.as_bytes()?.to_vec()))
            }
        }

        /// A composite attribute's value tagged with the attribute's declared SQL type, so
        /// sqlx encodes it in a record as that type (see the generated composites' `Encode`).
        pub struct SqlxTyped<'v, T: ?Sized>(pub &'v T, pub &'static str);

        impl<T: sqlx::Type<sqlx::Postgres> + ?Sized> sqlx::Type<sqlx::Postgres> for SqlxTyped<'_, T> {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                T::type_info()
            }
        }

        impl<'q, T: sqlx::Encode<'q, sqlx::Postgres> + ?Sized> sqlx::Encode<'q, sqlx::Postgres> for SqlxTyped<'_, T> {
            fn encode_by_ref(
                &self,
                out: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                self.0.encode_by_ref(out)
            }

            fn produces(&self) -> Option<sqlx::postgres::PgTypeInfo> {
                Some(sqlx::postgres::PgTypeInfo::with_name(self.1))
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for #raw {
            fn encode_by_ref(
                &self,
                out: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                out.extend_from_slice(&self.0);
                Ok(sqlx::encode::IsNull::No)
            }
        }
    }
}
