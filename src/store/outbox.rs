//! Table `outbox`: every record the base must receive, enqueued in the same
//! transaction that stores it locally. Rows are never deleted; `state` moves from
//! `pending` to `sent` (accepted or duplicate) or `parked` (conflict or rejected).

use super::Result;
use crate::domain::records::RecordKind;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Hex SHA-256 of a frozen payload.
pub fn payload_sha256(payload: &str) -> String {
    // One string of 64 digits, not 32 small ones (this runs for every record).
    jobfair_protocol::sealed::to_hex(&Sha256::digest(payload.as_bytes()))
}

/// Freezes `record` as JSON and enqueues it under the client UUID `id`.
/// Run it inside the transaction that stores the record itself.
pub fn enqueue<T: Serialize>(
    conn: &Connection,
    id: Uuid,
    kind: RecordKind,
    record: &T,
    now: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::to_string(record).expect("records serialize");
    let sha = payload_sha256(&payload);
    conn.prepare_cached(
        "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id.to_string(),
        kind.as_str(),
        payload,
        sha,
        now.to_rfc3339_opts(SecondsFormat::Millis, true)
    ])?;
    Ok(())
}

/// The sign-up records (`seq`, payload) whose numbers are not sealed (enqueued before
/// schema 10), or, when `base_known`, sealed without a box for the base (issue 17).
pub fn registrations_to_seal(conn: &Connection, base_known: bool) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT seq, payload FROM outbox WHERE kind = 'registration'
           AND (json_extract(payload, '$.sealed') IS NULL
                OR (?1 AND json_extract(payload, '$.sealed.base') IS NULL))
         ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([base_known], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Replaces the payload of record `seq` with `record` sealed (the one rewrite a record
/// gets: its numbers in clear, or without the base's box, go). A record the base already
/// confirmed keeps its state; one not sent yet goes out in the new form.
pub fn replace_payload<T: Serialize>(conn: &Connection, seq: i64, record: &T) -> Result<()> {
    let payload = serde_json::to_string(record).expect("records serialize");
    let sha = payload_sha256(&payload);
    conn.prepare_cached("UPDATE outbox SET payload = ?2, sha256 = ?3 WHERE seq = ?1")?
        .execute(params![seq, payload, sha])?;
    Ok(())
}

/// Number of records waiting to be sent.
pub fn pending_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM outbox WHERE state = 'pending'",
        [],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// How the base answered one record. `Accepted` and `Duplicate` count as sent;
/// `Conflict` and `Rejected` park the record for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Accepted,
    Duplicate,
    Conflict,
    Rejected,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Accepted,
        Outcome::Duplicate,
        Outcome::Conflict,
        Outcome::Rejected,
    ];

    /// The `outcome` column and the base's `status` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Duplicate => "duplicate",
            Outcome::Conflict => "conflict",
            Outcome::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the record counts as sent (else it is parked).
    pub fn is_sent(self) -> bool {
        matches!(self, Outcome::Accepted | Outcome::Duplicate)
    }
}

/// A record waiting to be sent, as frozen in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRecord {
    pub seq: i64,
    pub id: String,
    pub kind: RecordKind,
    pub payload: String,
    pub sha256: String,
    pub attempts: u32,
}

/// A parked record, for the staff panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedRecord {
    pub seq: i64,
    pub id: String,
    pub kind: RecordKind,
    pub outcome: Outcome,
    pub reason: String,
    pub enqueued_at: String,
    /// When the base answered (UTC RFC 3339).
    pub answered_at: String,
}

/// `reason` as kept in `parked_reason`: the base's reason code first, in brackets
/// (`[invalid] phone: …`), so the staff panel can show it in the staff's language.
pub fn coded_reason(code: Option<&str>, detail: &str) -> String {
    match code {
        Some(code) => format!("[{code}] {detail}"),
        None => detail.to_string(),
    }
}

/// The reason code at the start of a kept reason (none for reasons kept before codes).
pub fn reason_code(reason: &str) -> Option<&str> {
    let rest = reason.strip_prefix('[')?;
    let (code, _) = rest.split_once(']')?;
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')).then_some(code)
}

/// Keeps pending record `seq` pending, noting why the base did not take it yet (its
/// fair is not published there): staff see it; the next upload sends it again.
pub fn note_waiting(conn: &Connection, seq: i64, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET parked_reason = ?2 WHERE seq = ?1 AND state = 'pending'",
    )?
    .execute(params![seq, reason])?;
    Ok(())
}

/// A pending record the base has not taken yet, with why (see [`note_waiting`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingRecord {
    pub seq: i64,
    pub kind: RecordKind,
    pub reason: String,
    pub enqueued_at: String,
    pub attempts: u32,
}

/// The pending records with a waiting note, oldest first, at most `limit`.
pub fn waiting(conn: &Connection, limit: usize) -> Result<Vec<WaitingRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, parked_reason, enqueued_at, attempts FROM outbox
         WHERE state = 'pending' AND parked_reason IS NOT NULL ORDER BY seq LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, u32)>>>()?;
    rows.into_iter()
        .map(|(seq, kind, reason, enqueued_at, attempts)| {
            Ok(WaitingRecord {
                seq,
                kind: kind_of(kind)?,
                reason,
                enqueued_at,
                attempts,
            })
        })
        .collect()
}

/// Rows per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: u64,
    pub sent: u64,
    pub parked: u64,
}

fn kind_of(s: String) -> Result<RecordKind> {
    RecordKind::parse(&s).ok_or(super::Error::Corrupt {
        table: "outbox",
        column: "kind",
        value: s,
    })
}

/// Up to `limit` pending records after `after_seq`, oldest first.
pub fn next_pending(conn: &Connection, after_seq: i64, limit: usize) -> Result<Vec<PendingRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, kind, payload, sha256, attempts FROM outbox
         WHERE state = 'pending' AND seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after_seq, limit as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, String, u32)>>>()?;
    rows.into_iter()
        .map(|(seq, id, kind, payload, sha256, attempts)| {
            Ok(PendingRecord {
                seq,
                id,
                kind: kind_of(kind)?,
                payload,
                sha256,
                attempts,
            })
        })
        .collect()
}

/// Counts one more sending attempt for each pending record of `seqs`.
pub fn bump_attempts(conn: &Connection, seqs: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?1 AND state = 'pending'",
    )?;
    for seq in seqs {
        stmt.execute([seq])?;
    }
    Ok(())
}

/// Records the base's answer for pending record `seq`: sent (accepted, duplicate)
/// or parked (conflict, rejected) with `reason`. A record no longer pending is
/// left as it is. Returns whether the row changed. (Records are found by `seq`:
/// the `id` column has no index, which would cost every sign-up one more page.)
pub fn record_outcome(
    conn: &Connection,
    seq: i64,
    outcome: Outcome,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let state = if outcome.is_sent() { "sent" } else { "parked" };
    let reason = (!outcome.is_sent()).then(|| reason.unwrap_or("").to_string());
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = ?2, outcome = ?3, parked_reason = ?4, sent_at = ?5
             WHERE seq = ?1 AND state = 'pending'",
        )?
        .execute(params![
            seq,
            state,
            outcome.as_str(),
            reason,
            now.to_rfc3339_opts(SecondsFormat::Millis, true)
        ])?;
    Ok(n == 1)
}

/// Marks the pending records `seqs` sent with `outcome` (accepted or duplicate) and
/// counts the attempt, in one statement: the seqs travel as one JSON array, so a batch
/// of 500 is one b-tree walk per record instead of two statements per record. Returns
/// how many rows changed (records no longer pending are left alone).
pub fn record_sent(
    conn: &Connection,
    seqs: &[i64],
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<usize> {
    debug_assert!(outcome.is_sent());
    if seqs.is_empty() {
        return Ok(0);
    }
    let seqs = serde_json::to_string(seqs).expect("a list of numbers serializes");
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'sent', outcome = ?1, parked_reason = NULL, sent_at = ?2,
                    attempts = attempts + 1
             WHERE state = 'pending' AND seq IN (SELECT value FROM json_each(?3))",
        )?
        .execute(params![
            outcome.as_str(),
            now.to_rfc3339_opts(SecondsFormat::Millis, true),
            seqs
        ])?;
    Ok(n)
}

/// Rows per state.
pub fn counts(conn: &Connection) -> Result<Counts> {
    let mut counts = Counts::default();
    let mut stmt = conn.prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        match state.as_str() {
            "pending" => counts.pending = n as u64,
            "sent" => counts.sent = n as u64,
            _ => counts.parked += n as u64,
        }
    }
    Ok(counts)
}

/// The parked records, newest answer first, at most `limit`.
pub fn parked(conn: &Connection, limit: usize) -> Result<Vec<ParkedRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, kind, outcome, coalesce(parked_reason, ''), enqueued_at,
                coalesce(sent_at, '')
         FROM outbox WHERE state = 'parked' ORDER BY sent_at DESC, seq DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, Option<String>, String, String, String)>>>()?;
    rows.into_iter()
        .map(
            |(seq, id, kind, outcome, reason, enqueued_at, answered_at)| {
                let outcome_text = outcome.unwrap_or_default();
                let outcome = Outcome::parse(&outcome_text).ok_or(super::Error::Corrupt {
                    table: "outbox",
                    column: "outcome",
                    value: outcome_text,
                })?;
                Ok(ParkedRecord {
                    seq,
                    id,
                    kind: kind_of(kind)?,
                    outcome,
                    reason,
                    enqueued_at,
                    answered_at,
                })
            },
        )
        .collect()
}
