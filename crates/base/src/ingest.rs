//! Ingest of uploaded records: the wire types of `POST /v1/records`, the pure rule
//! that classifies one record ([`classify`], tested without HTTP or SQL), and the
//! batch ingest that applies those rules in one SQLite transaction.

use super::Result;
use jobfair_protocol::records::{CheckInRecord, RecordKind, RegistrationRecord, StageRecord};
use jobfair_protocol::{Record, RecordResult, RecordStatus, RejectCode};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

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
    Reject(RejectCode, String),
}

/// Classifies `record` sent by the kiosk named `kiosk`, given what is stored under its id.
pub fn classify(record: &Record, kiosk: &str, stored: Option<&Stored>) -> Decision {
    if uuid::Uuid::parse_str(&record.id).is_err() {
        return Decision::Reject(RejectCode::BadId, "id is not a UUID".into());
    }
    let Some(kind) = record.kind() else {
        return Decision::Reject(
            RejectCode::UnknownKind,
            format!("unknown kind {:?}", record.kind),
        );
    };
    if !super::auth::sha256_hex(record.payload.as_bytes()).eq_ignore_ascii_case(&record.sha256) {
        return Decision::Reject(RejectCode::HashMismatch, "hash mismatch".into());
    }
    let (payload_kiosk, fair_id) = match owner(kind, &record.payload) {
        Ok(pair) => pair,
        Err(e) => {
            return Decision::Reject(
                RejectCode::BadPayload,
                format!("payload is not a {} record: {e}", kind.as_str()),
            );
        }
    };
    if payload_kiosk != kiosk {
        return Decision::Reject(RejectCode::KioskMismatch, "kiosk mismatch".into());
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
    records: &[Record],
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
            let id = record.id.clone();
            results.push(match decision {
                Decision::Store { .. } => RecordResult::ok(id, RecordStatus::Accepted),
                Decision::Duplicate => RecordResult::ok(id, RecordStatus::Duplicate),
                Decision::Conflict => {
                    park.execute(params![record.id, kiosk, sha, record.payload, now])?;
                    let why = "id already stored with another payload; kept aside for review";
                    RecordResult::refused(
                        id,
                        RecordStatus::Conflict,
                        RejectCode::Conflict,
                        why.into(),
                    )
                }
                Decision::Reject(code, why) => {
                    RecordResult::refused(id, RecordStatus::Rejected, code, why)
                }
            });
        }
    }
    tx.commit()?;
    Ok(results)
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
