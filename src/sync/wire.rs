//! The JSON bodies of the kiosk ↔ base API ("jobfair-base/1", README "Upload").

use serde::{Deserialize, Serialize};

/// The `ack` value every answer of this API version carries.
pub const ACK: &str = "jobfair-base/1";

/// Most records the base takes in one request.
pub const MAX_RECORDS_PER_REQUEST: usize = 1000;

/// One record in `POST /v1/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordOut {
    /// The client UUID.
    pub id: String,
    /// `registration`, `stage` or `check_in`.
    pub kind: String,
    /// Hex SHA-256 of `payload`.
    pub sha256: String,
    /// The frozen JSON text, as a string.
    pub payload: String,
}

/// Body of `POST /v1/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsRequest {
    pub records: Vec<RecordOut>,
}

/// The base's answer for one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordResult {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Body of a 200 to `POST /v1/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsAck {
    pub ack: String,
    pub results: Vec<RecordResult>,
}

/// Body of a 200 to `GET /v1/openings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningsAck {
    pub ack: String,
    pub fair_id: String,
    pub revision: u64,
    /// The fair file; `null` when nothing changed since the cursor.
    #[serde(default)]
    pub fair: Option<serde_json::Value>,
}
