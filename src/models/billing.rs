//! Models of the `billing` schema.

use chrono::{DateTime, NaiveDate, Utc};
use postgres_types::FromSql;
use schema_derive::Model;

/// `billing.payment_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSql)]
#[postgres(name = "payment_status")]
pub enum PaymentStatus {
    /// Not settled yet.
    #[postgres(name = "pending")]
    Pending,
    /// Settled.
    #[postgres(name = "paid")]
    Paid,
    /// Declined.
    #[postgres(name = "failed")]
    Failed,
    /// Paid back.
    #[postgres(name = "refunded")]
    Refunded,
    /// Contested.
    #[postgres(name = "in dispute")]
    InDispute,
}

/// A payment attempt (`billing.payments`).
#[derive(Debug, Model)]
#[model(table = "billing.payments", primary_key = "id")]
pub struct Payment {
    /// Primary key.
    pub id: uuid::Uuid,
    /// Payer.
    pub user_id: i64,
    /// Amount (domain `billing.positive_amount` over `numeric(12,2)`).
    pub amount: rust_decimal::Decimal,
    /// ISO currency code (`char(3)`).
    pub currency: String,
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// Settlement date.
    pub paid_on: Option<NaiveDate>,
    /// Tries so far.
    pub attempts: i16,
    /// Payer's address.
    pub client_ip: Option<std::net::IpAddr>,
    /// Raw provider response.
    pub raw_response: Option<serde_json::Value>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}
