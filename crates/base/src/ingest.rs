//! The rules of `POST /v1/records`, pure (no HTTP, no SQL), in two steps:
//! [`read`] checks what a record says about itself (id, kind, hash, shape, kiosk) and
//! [`judge`] checks it against the fair it names ([`crate::validate`]): the answer is a
//! [`Checked`] record, new or refused. The store then finds which new ones it already
//! holds and [`settle`]s those: duplicate, or conflict.

use crate::store::{Checked, NewRecord, Stored};
use crate::validate::{self, FairRules};
use jobfair_protocol::records::{
    BoardingRecord, CheckInRecord, RecordKind, RegistrationRecord, SeatRecord, StageRecord,
};
use jobfair_protocol::{Record, RecordResult, RecordStatus, RejectCode};

/// A record's payload, parsed as its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Registration(RegistrationRecord),
    Stage(StageRecord),
    CheckIn(CheckInRecord),
    Seat(SeatRecord),
    Boarding(BoardingRecord),
}

impl Payload {
    fn parse(kind: RecordKind, text: &str) -> serde_json::Result<Payload> {
        Ok(match kind {
            RecordKind::Registration => Payload::Registration(serde_json::from_str(text)?),
            RecordKind::Stage => Payload::Stage(serde_json::from_str(text)?),
            RecordKind::CheckIn => Payload::CheckIn(serde_json::from_str(text)?),
            RecordKind::Seat => Payload::Seat(serde_json::from_str(text)?),
            RecordKind::Boarding => Payload::Boarding(serde_json::from_str(text)?),
        })
    }

    /// `(kiosk_id, fair_id, registration_id, at)`.
    fn keys(&self) -> (&str, &str, &str, &str) {
        match self {
            Payload::Registration(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Stage(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::CheckIn(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Seat(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Boarding(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
        }
    }

    pub fn fair_id(&self) -> &str {
        self.keys().1
    }
}

/// A record that reads well: ready to be judged against its fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub record: Record,
    pub kind: RecordKind,
    pub payload: Payload,
}

fn refused(id: &str, code: RejectCode, why: impl Into<String>) -> RecordResult {
    RecordResult::refused(id.to_string(), RecordStatus::Rejected, code, why.into())
}

/// Checks what `record`, sent with the token of `kiosk`, says about itself.
pub fn read(record: Record, kiosk: &str) -> Result<Read, RecordResult> {
    if uuid::Uuid::parse_str(&record.id).is_err() {
        return Err(refused(&record.id, RejectCode::BadId, "id is not a UUID"));
    }
    let Some(kind) = record.kind() else {
        let why = format!("unknown kind {:?}", record.kind);
        return Err(refused(&record.id, RejectCode::UnknownKind, why));
    };
    if !crate::auth::sha256_hex(record.payload.as_bytes()).eq_ignore_ascii_case(&record.sha256) {
        return Err(refused(
            &record.id,
            RejectCode::HashMismatch,
            "hash mismatch",
        ));
    }
    let payload = match Payload::parse(kind, &record.payload) {
        Ok(p) => p,
        Err(e) => {
            let why = format!("payload is not a {} record: {e}", kind.as_str());
            return Err(refused(&record.id, RejectCode::BadPayload, why));
        }
    };
    if payload.keys().0 != kiosk {
        return Err(refused(
            &record.id,
            RejectCode::KioskMismatch,
            "kiosk mismatch",
        ));
    }
    Ok(Read {
        record,
        kind,
        payload,
    })
}

/// Judges a record that reads well against its fair (`None`: not published here).
pub fn judge(read: Read, fair: Option<&FairRules>) -> Checked {
    let id = read.record.id.as_str();
    let Some(fair) = fair else {
        let why = format!(
            "fair {:?} is not published on this base",
            validate::printable(read.payload.fair_id())
        );
        return Checked::Refused(refused(id, RejectCode::UnknownFair, why));
    };
    if let Err(why) = validate::record(&read.payload, fair) {
        return Checked::Refused(refused(id, RejectCode::Invalid, why));
    }
    let (_, fair_id, registration_id, at) = read.payload.keys();
    let (fair_id, registration_id, at) = (
        fair_id.to_string(),
        registration_id.to_string(),
        at.to_string(),
    );
    let Record {
        id,
        sha256,
        payload,
        ..
    } = read.record;
    Checked::New(NewRecord {
        id,
        kind: read.kind,
        fair_id,
        registration_id,
        at,
        sha256: sha256.to_ascii_lowercase(),
        payload,
    })
}

/// The answer for a new record whose id the store already holds (stored earlier, or
/// earlier in the same request): the same kind and hash is a duplicate (counts as
/// sent, nothing written); anything else is a conflict, kept aside for review while the
/// stored record stays.
pub fn settle(new: &NewRecord, stored: &Stored) -> RecordResult {
    if stored.kind == new.kind.as_str() && crate::store::same(&stored.sha256, &new.sha256) {
        RecordResult::ok(new.id.clone(), RecordStatus::Duplicate)
    } else {
        let why = "id already stored with another payload; kept aside for review";
        RecordResult::refused(
            new.id.clone(),
            RecordStatus::Conflict,
            RejectCode::Conflict,
            why.into(),
        )
    }
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
