//! The contract between a kiosk and the labor-cooperation base, version
//! [`VERSION`] (`jobfair-base/1`): the JSON bodies of `POST /v1/records` and
//! `GET /v1/openings`, the per-record outcomes, the limits both sides enforce and the
//! masking policy of exports. The kiosk (`jobfair-kiosk`) and the base (`jobfair-base`)
//! both compile against these types: a change on one side that the other does not
//! follow is a compile error, not a field silently dropped on the wire.
//!
//! The record payloads themselves (registration, stage, check-in) are domain types
//! ([`records`], re-exported from `jobfair-domain`): a kiosk freezes them as JSON
//! text in its outbox and the base parses the same types.

pub mod masking;
pub mod sealed;
mod wire;

pub use jobfair_domain::records;
pub use masking::Masking;
pub use wire::*;

/// The protocol's name and version; every acknowledgement carries it as `ack`.
pub const VERSION: &str = "jobfair-base/1";

/// Most records in one `POST /v1/records`; more is answered `413`.
pub const MAX_RECORDS_PER_REQUEST: usize = 1000;

/// Largest request body the base reads: 1,000 records of a few KiB each fit with room.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The kiosk's bearer token: 64 lowercase hex digits (32 random bytes).
pub const TOKEN_HEX_LEN: usize = 64;
