//! Ingest of uploaded records: the wire types of `POST /v1/records`, the pure rule
//! that classifies one record ([`classify`], tested without HTTP or SQL), and the
//! batch ingest that applies those rules in one SQLite transaction.

use super::Result;
use crate::domain::records::{CheckInRecord, RecordKind, RegistrationRecord, StageRecord};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

/// The protocol name every acknowledgement carries.
pub const ACK: &str = "jobfair-base/1";
/// Most records in one request; more is answered 413.
pub const MAX_RECORDS: usize = 1000;

/// Body of `POST /v1/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRequest {
    pub records: Vec<RecordIn>,
}

/// One uploaded record: its client UUID, kind, the hex SHA-256 of `payload`, and the
/// payload itself as the exact JSON text the kiosk froze.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordIn {
    pub id: String,
    pub kind: String,
    pub sha256: String,
    pub payload: String,
}

/// The 200 answer of `POST /v1/records`: one result per record, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAck {
    pub ack: String,
    pub results: Vec<RecordResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordResult {
    pub id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Accepted,
    Duplicate,
    Conflict,
    Rejected,
}

/// What the base already holds under a record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub kind: String,
    pub sha256: String,
}

/// What to do with one uploaded record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// New and valid: store it (answered `accepted`).
    Store { kind: RecordKind, fair_id: String },
    /// Same id, same kind and hash as stored: counts as sent, nothing written.
    Duplicate,
    /// Same id, another payload: kept aside for review, the stored one stays.
    Conflict,
    /// Refused with a reason; nothing written.
    Reject(String),
}

/// Classifies `record` sent by the kiosk named `kiosk`, given what is stored under its id.
pub fn classify(record: &RecordIn, kiosk: &str, stored: Option<&Stored>) -> Decision {
    if uuid::Uuid::parse_str(&record.id).is_err() {
        return Decision::Reject("id is not a UUID".into());
    }
    let Some(kind) = RecordKind::parse(&record.kind) else {
        return Decision::Reject(format!("unknown kind {:?}", record.kind));
    };
    if !super::auth::sha256_hex(record.payload.as_bytes()).eq_ignore_ascii_case(&record.sha256) {
        return Decision::Reject("hash mismatch".into());
    }
    let (payload_kiosk, fair_id) = match owner(kind, &record.payload) {
        Ok(pair) => pair,
        Err(e) => {
            return Decision::Reject(format!("payload is not a {} record: {e}", kind.as_str()));
        }
    };
    if payload_kiosk != kiosk {
        return Decision::Reject("kiosk mismatch".into());
    }
    match stored {
        None => Decision::Store { kind, fair_id },
        Some(s) if s.kind == kind.as_str() && s.sha256.eq_ignore_ascii_case(&record.sha256) => {
            Decision::Duplicate
        }
        Some(_) => Decision::Conflict,
    }
}

/// The `kiosk_id` and `fair_id` of a payload parsed as a record of `kind`.
fn owner(kind: RecordKind, payload: &str) -> serde_json::Result<(String, String)> {
    Ok(match kind {
        RecordKind::Registration => {
            let r: RegistrationRecord = serde_json::from_str(payload)?;
            (r.kiosk_id, r.fair_id)
        }
        RecordKind::Stage => {
            let r: StageRecord = serde_json::from_str(payload)?;
            (r.kiosk_id, r.fair_id)
        }
        RecordKind::CheckIn => {
            let r: CheckInRecord = serde_json::from_str(payload)?;
            (r.kiosk_id, r.fair_id)
        }
    })
}

/// Ingests a batch from `kiosk` in one transaction, committed before it returns.
/// Records are taken in order, so an id repeated in the batch is a duplicate (or a
/// conflict) of its first occurrence.
pub fn ingest(
    conn: &mut Connection,
    kiosk: &str,
    records: &[RecordIn],
    now: &str,
) -> Result<Vec<RecordResult>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(records.len());
    {
        let mut lookup = tx.prepare_cached("SELECT kind, sha256 FROM records WHERE id = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO records (id, kind, kiosk, fair_id, sha256, payload, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
        )?;
        let mut park = tx.prepare_cached(
            "INSERT OR IGNORE INTO conflicts (id, kiosk, sha256, payload, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for record in records {
            let sha = record.sha256.to_ascii_lowercase();
            // Most records are new: try the insert first and look up what is stored
            // only when the id is taken (a retried batch), instead of a lookup for all.
            let mut decision = classify(record, kiosk, None);
            if let Decision::Store { kind, fair_id } = &decision {
                let row = params![
                    record.id,
                    kind.as_str(),
                    kiosk,
                    fair_id,
                    sha,
                    record.payload,
                    now
                ];
                if insert.execute(row)? == 0 {
                    let stored = lookup
                        .query_row([&record.id], |r| {
                            Ok(Stored {
                                kind: r.get(0)?,
                                sha256: r.get(1)?,
                            })
                        })
                        .optional()?;
                    decision = classify(record, kiosk, stored.as_ref());
                }
            }
            let (status, reason) = match decision {
                Decision::Store { .. } => (Status::Accepted, None),
                Decision::Duplicate => (Status::Duplicate, None),
                Decision::Conflict => {
                    park.execute(params![record.id, kiosk, sha, record.payload, now])?;
                    let why = "id already stored with another payload; kept aside for review";
                    (Status::Conflict, Some(why.to_string()))
                }
                Decision::Reject(why) => (Status::Rejected, Some(why)),
            };
            results.push(RecordResult {
                id: record.id.clone(),
                status,
                reason,
            });
        }
    }
    tx.commit()?;
    Ok(results)
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
