//! The generated support module: the raw fallback type for columns without a Rust mapping, and
//! the small types of [`super::support_types`] and [`super::support_generic`].

use proc_macro2::TokenStream;
use quote::quote;
use schema_core::typemap::FALLBACK_TYPE_NAME;

use super::naming::ident;
use super::scope::SUPPORT_MODULE;

/// `pgcanon_support::RawValue`: accepts any PostgreSQL type and keeps its binary wire form,
/// so an unknown type never fails generation or decoding; a warning names the override to add.
/// `generics` names the generic support types (`Range`, `Array`) some field uses; only those
/// are emitted, so models without ranges or multi-dimensional arrays carry none of their code.
pub fn module(generics: &std::collections::BTreeSet<&'static str>) -> TokenStream {
    let module = ident(SUPPORT_MODULE);
    let raw = ident(FALLBACK_TYPE_NAME);
    let support_types = super::support_types::items();
    let generic_types = super::support_generic::items(generics.contains("Range"), generics.contains("Array"));
    quote! {
        /// Support items used by the generated models.
        pub mod #module {
            /// The binary wire value of a column whose type has no Rust mapping (an extension
            /// type, a geometric type, ...). Decoding accepts any type; encoding sends
            /// the bytes back unchanged. Map the column to a real type with a `pg_type` or
            /// `column_type` override.
            #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
            pub struct #raw(pub Vec<u8>);

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

            #support_types

            #generic_types
        }
    }
}
