//! Models of `public` tables and views.

use chrono::{DateTime, NaiveDateTime, Utc};
use postgres_types::FromSql;
use schema_derive::Model;

/// `public.user_role`, hand-written (enum columns accept any type implementing `FromSql`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSql)]
#[postgres(name = "user_role")]
pub enum UserRole {
    /// May do anything.
    #[postgres(name = "admin")]
    Admin,
    /// A regular account.
    #[postgres(name = "member")]
    Member,
    /// A visitor.
    #[postgres(name = "guest")]
    Guest,
    /// May look, not touch.
    #[postgres(name = "read-only")]
    ReadOnly,
}

/// `public.postal_address`, a composite type.
#[derive(Debug, Clone, PartialEq, Eq, FromSql)]
#[postgres(name = "postal_address")]
pub struct PostalAddress {
    /// Street and number.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
}

/// A user account: a subset of `public.users`, with a renamed field and a cached value.
#[derive(Debug, Model)]
#[model(table = "public.users", primary_key = "id")]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// Stable public identifier.
    pub public_id: uuid::Uuid,
    /// Sign-in address (the `email` domain resolves to `text`).
    #[model(column = "email")]
    pub email_address: String,
    /// Shown name.
    pub display_name: Option<String>,
    /// Permissions.
    pub role: UserRole,
    /// Free-form labels.
    pub tags: Vec<String>,
    /// Preferences.
    pub settings: serde_json::Value,
    /// Postal address.
    pub address: Option<PostalAddress>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Soft-deletion time.
    pub deleted_at: Option<DateTime<Utc>>,
    /// A column named like a Rust keyword.
    pub r#type: Option<String>,
    /// Not a column: filled in by the application.
    #[model(skip)]
    pub unread_notifications: Option<u32>,
}

/// `public.active_users`, a view. The snapshot marks `id`, `email` and `role` NOT NULL (the
/// view's definition proves it), so they take no `Option`; `display_name` may be NULL.
#[derive(Debug, Model)]
#[model(table = "active_users")]
pub struct ActiveUser {
    /// The user's id.
    pub id: i64,
    /// Sign-in address.
    pub email: String,
    /// Shown name.
    pub display_name: Option<String>,
    /// Permissions.
    pub role: UserRole,
}

/// An uploaded file: every column of `public.media`, enforced by `deny_missing_columns`.
#[derive(Debug, Model)]
#[model(table = "media", primary_key = "id", deny_missing_columns)]
pub struct Media {
    /// Primary key.
    pub id: i64,
    /// Uploader.
    pub owner_id: i64,
    /// Where it is stored.
    pub url: String,
    /// MIME type.
    pub mime_type: String,
    /// Size in bytes.
    pub size_bytes: Option<i64>,
    /// Pixel width.
    pub width: Option<i32>,
    /// Pixel height.
    pub height: Option<i32>,
    /// Duration of videos, in seconds.
    pub duration_s: Option<f64>,
    /// Content hash.
    pub checksum: Option<Vec<u8>>,
    /// Upload time (a `timestamp` without time zone).
    pub uploaded_at: NaiveDateTime,
    /// Extracted metadata.
    pub metadata: Option<serde_json::Value>,
}

/// A comment, with columns that are not Rust identifiers mapped by name.
#[derive(Debug, Model)]
#[model(table = "public.comments", primary_key = "id")]
pub struct Comment {
    /// Primary key.
    pub id: i64,
    /// Author.
    pub user_id: i64,
    /// Commented media.
    pub media_id: Option<i64>,
    /// Parent comment in a thread.
    pub parent_id: Option<i64>,
    /// Text.
    pub body: String,
    /// Votes.
    pub score: f32,
    /// Moderation flag.
    pub flagged: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last edit.
    pub edited_at: Option<DateTime<Utc>>,
    /// The column `Ünïcödé note`.
    #[model(column = "Ünïcödé note")]
    pub note: Option<String>,
    /// The column `1st reply`.
    #[model(column = "1st reply")]
    pub first_reply: Option<bool>,
}

/// One row of a query rather than a relation: `#[model(query = "...")]`. The derive generates the
/// row mapping and the `QUERY` constant; `schema-gen queries` (and `check --queries`) checks the
/// fields against the query's inferred result columns, offline.
#[derive(Debug, Model)]
#[model(query = "SELECT u.id, u.email AS address, count(m.id) AS media FROM users u LEFT JOIN media m ON m.owner_id = u.id GROUP BY u.id, u.email")]
pub struct UserMediaCount {
    /// The user's id.
    pub id: i64,
    /// Sign-in address.
    #[model(column = "address")]
    pub email: String,
    /// Media items they own (`count` is never NULL).
    pub media: i64,
}
