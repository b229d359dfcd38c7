//! Pure planning: what to send next and what an answer means. No network, no SQL.

use crate::protocol::{OpeningsAck, Record, RecordStatus, RecordsAck, RejectCode, VERSION as ACK};
use crate::store::outbox::{Outcome, PendingRecord};

/// What the base said about one record we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub id: String,
    pub outcome: Outcome,
    /// Why it was parked (conflict, rejected); empty otherwise.
    pub reason: String,
    /// The base's reason code (conflict, rejected), shown to staff in their language.
    pub code: Option<RejectCode>,
}

impl Verdict {
    /// Refused only because the base has not published the record's fair (yet), or cannot
    /// open its sealed numbers (no sealing key, or the kiosk knew none): the record stays
    /// pending and is sent again later, never parked — an operator's slip must not cost
    /// the kiosk its records.
    pub fn held(&self) -> bool {
        self.outcome == Outcome::Rejected
            && matches!(
                self.code,
                Some(RejectCode::UnknownFair | RejectCode::CannotUnseal)
            )
    }
}

/// Why an answer does not count as an acknowledgement (the batch is retried).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAck {
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("the body is not the base's JSON acknowledgement")]
    NotJson,
    #[error("the acknowledgement is for API {0:?}, not {ACK}")]
    WrongVersion(String),
    #[error("{got} results for {sent} records")]
    Count { sent: usize, got: usize },
    #[error("result {index} is for {got}, not {sent}")]
    IdMismatch {
        index: usize,
        sent: String,
        got: String,
    },
    /// The base answered a status this version does not know for the record with this id.
    #[error("unknown status for record {0}")]
    UnknownStatus(String),
}

/// The next batch to send: the first `max` of `pending` (already in seq order),
/// as the base wants them.
pub fn next_batch(pending: &[PendingRecord], max: usize) -> Vec<Record> {
    pending
        .iter()
        .take(max)
        .map(|r| Record::new(r.id.clone(), r.kind, r.sha256.clone(), r.payload.clone()))
        .collect()
}

/// Reads the answer to a batch whose record ids were `sent`, in order. Only a 2xx
/// whose body is the acknowledgement of this API version, with one known status per
/// record and the ids in the same order, counts; anything else is retried.
pub fn read_records_answer(status: u16, body: &str, sent: &[&str]) -> Result<Vec<Verdict>, NotAck> {
    if !(200..300).contains(&status) {
        return Err(NotAck::Status(status));
    }
    let ack: RecordsAck = serde_json::from_str(body).map_err(|_| NotAck::NotJson)?;
    if ack.ack != ACK {
        return Err(NotAck::WrongVersion(ack.ack));
    }
    if ack.results.len() != sent.len() {
        return Err(NotAck::Count {
            sent: sent.len(),
            got: ack.results.len(),
        });
    }
    ack.results
        .into_iter()
        .zip(sent)
        .enumerate()
        .map(|(index, (result, &sent_id))| {
            if result.id != sent_id {
                return Err(NotAck::IdMismatch {
                    index,
                    sent: sent_id.to_string(),
                    got: result.id,
                });
            }
            let outcome = match result.status {
                RecordStatus::Accepted => Outcome::Accepted,
                RecordStatus::Duplicate => Outcome::Duplicate,
                RecordStatus::Conflict => Outcome::Conflict,
                RecordStatus::Rejected => Outcome::Rejected,
                RecordStatus::Unknown => return Err(NotAck::UnknownStatus(result.id)),
            };
            let (reason, code) = if outcome.is_sent() {
                (String::new(), None)
            } else {
                (result.reason.unwrap_or_default(), result.code)
            };
            Ok(Verdict {
                id: result.id,
                outcome,
                reason,
                code,
            })
        })
        .collect()
}

/// Reads the answer to `GET /v1/openings` for `fair_id`.
pub fn read_openings_answer(status: u16, body: &str, fair_id: &str) -> Result<OpeningsAck, NotAck> {
    if !(200..300).contains(&status) {
        return Err(NotAck::Status(status));
    }
    let ack: OpeningsAck = serde_json::from_str(body).map_err(|_| NotAck::NotJson)?;
    if ack.ack != ACK {
        return Err(NotAck::WrongVersion(ack.ack));
    }
    if ack.fair_id != fair_id {
        return Err(NotAck::IdMismatch {
            index: 0,
            sent: fair_id.to_string(),
            got: ack.fair_id,
        });
    }
    Ok(ack)
}

/// How many records got each answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub accepted: u64,
    pub duplicate: u64,
    pub conflict: u64,
    pub rejected: u64,
    /// Kept pending: the base does not know their fair yet ([`Verdict::held`]).
    pub held: u64,
}

impl Tally {
    /// The tally of `verdicts`.
    pub fn of(verdicts: &[Verdict]) -> Tally {
        let mut t = Tally::default();
        for v in verdicts {
            if v.held() {
                t.held += 1;
            } else {
                t.add(v.outcome, 1);
            }
        }
        t
    }

    pub fn add(&mut self, outcome: Outcome, n: u64) {
        match outcome {
            Outcome::Accepted => self.accepted += n,
            Outcome::Duplicate => self.duplicate += n,
            Outcome::Conflict => self.conflict += n,
            Outcome::Rejected => self.rejected += n,
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.accepted += other.accepted;
        self.duplicate += other.duplicate;
        self.conflict += other.conflict;
        self.rejected += other.rejected;
        self.held += other.held;
    }

    /// Records that left the pending state (held ones did not).
    pub fn total(&self) -> u64 {
        self.accepted + self.duplicate + self.conflict + self.rejected
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
