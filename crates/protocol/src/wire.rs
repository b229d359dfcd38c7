//! The JSON bodies of the API (README, "Base server").

use crate::records::RecordKind;
use serde::{Deserialize, Serialize};

/// One record in `POST /v1/records`: its client UUID, kind, the hex SHA-256 of
/// `payload`, and the payload as the exact JSON text the kiosk froze in its outbox.
///
/// `kind` stays a string on the wire so that one record of a kind the base does not
/// know is refused on its own (`rejected`, [`RejectCode::UnknownKind`]) instead of
/// failing the whole request; [`Record::kind`] reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub kind: String,
    pub sha256: String,
    pub payload: String,
}

impl Record {
    pub fn new(id: String, kind: RecordKind, sha256: String, payload: String) -> Record {
        Record {
            id,
            kind: kind.as_str().to_string(),
            sha256,
            payload,
        }
    }

    /// The record's kind, if it is one this version knows.
    pub fn kind(&self) -> Option<RecordKind> {
        RecordKind::parse(&self.kind)
    }
}

/// Body of `POST /v1/records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsRequest {
    pub records: Vec<Record>,
}

/// What the base did with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// New and valid: stored.
    Accepted,
    /// Same id, kind and hash as already stored: counts as sent, nothing written.
    Duplicate,
    /// Same id, another payload: kept aside for review; the stored one stays.
    Conflict,
    /// Refused with a reason; nothing stored.
    Rejected,
    /// A status a newer base sent that this version does not know. A kiosk treats the
    /// whole answer as not acknowledged and retries later.
    #[serde(other)]
    Unknown,
}

/// Why a record was refused: a stable code the kiosk shows to staff in their language,
/// with an English detail for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// `id` is not a UUID.
    BadId,
    /// `kind` is not one this base knows.
    UnknownKind,
    /// `sha256` is not the hash of `payload`.
    HashMismatch,
    /// The payload does not parse as a record of its kind.
    BadPayload,
    /// The payload names another kiosk than the token's.
    KioskMismatch,
    /// The payload names a fair this base does not hold.
    UnknownFair,
    /// A field breaks a rule of the domain (phone, resident ID, name, dates, openings…).
    Invalid,
    /// Same id, another payload (with [`RecordStatus::Conflict`]).
    Conflict,
    /// The base cannot open the sealed numbers of a sign-up (issue 17): it has no sealing
    /// key, or not the one the kiosk sealed to, or the kiosk knew no base key. The kiosk
    /// keeps the record and sends it again once the key is set (an operator's fix).
    CannotUnseal,
    /// A code a newer base sent that this version does not know.
    #[serde(other)]
    Other,
}

impl RejectCode {
    /// Every code this version sends, in wire order.
    pub const ALL: [RejectCode; 9] = [
        RejectCode::BadId,
        RejectCode::UnknownKind,
        RejectCode::HashMismatch,
        RejectCode::BadPayload,
        RejectCode::KioskMismatch,
        RejectCode::UnknownFair,
        RejectCode::Invalid,
        RejectCode::Conflict,
        RejectCode::CannotUnseal,
    ];

    /// The wire spelling (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::BadId => "bad_id",
            RejectCode::UnknownKind => "unknown_kind",
            RejectCode::HashMismatch => "hash_mismatch",
            RejectCode::BadPayload => "bad_payload",
            RejectCode::KioskMismatch => "kiosk_mismatch",
            RejectCode::UnknownFair => "unknown_fair",
            RejectCode::Invalid => "invalid",
            RejectCode::Conflict => "conflict",
            RejectCode::CannotUnseal => "cannot_unseal",
            RejectCode::Other => "other",
        }
    }

    /// The code of a wire spelling; [`RejectCode::Other`] for one this version does not know.
    pub fn parse(s: &str) -> RejectCode {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .unwrap_or(RejectCode::Other)
    }
}

/// The base's answer for one record, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordResult {
    pub id: String,
    pub status: RecordStatus,
    /// Set for `conflict` and `rejected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<RejectCode>,
    /// Human-readable detail (English), for logs and staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl RecordResult {
    pub fn ok(id: String, status: RecordStatus) -> RecordResult {
        RecordResult {
            id,
            status,
            code: None,
            reason: None,
        }
    }

    pub fn refused(
        id: String,
        status: RecordStatus,
        code: RejectCode,
        reason: String,
    ) -> RecordResult {
        RecordResult {
            id,
            status,
            code: Some(code),
            reason: Some(reason),
        }
    }
}

/// Body of a `200` to `POST /v1/records`: one result per record, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsAck {
    /// Always [`crate::VERSION`].
    pub ack: String,
    pub results: Vec<RecordResult>,
}

/// Query of `GET /v1/openings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningsQuery {
    pub fair_id: String,
    /// The revision the kiosk already has (0: none).
    #[serde(default)]
    pub since: u64,
}

/// Body of a `200` to `GET /v1/openings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningsAck {
    /// Always [`crate::VERSION`].
    pub ack: String,
    pub fair_id: String,
    /// Bumped by every publish of this fair on the base (1, 2, …).
    pub revision: u64,
    /// The fair file; `null` when `revision <= since`.
    #[serde(default)]
    pub fair: Option<serde_json::Value>,
}

/// Body of every error answer (`4xx`, `5xx`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(value: &T) -> T
    where
        T: Serialize + for<'de> Deserialize<'de>,
    {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }

    #[test]
    fn every_body_survives_a_round_trip() {
        let request = RecordsRequest {
            records: vec![Record::new(
                "0190a0b0-0000-7000-8000-000000000001".into(),
                RecordKind::CheckIn,
                "ab".repeat(32),
                r#"{"a":1}"#.into(),
            )],
        };
        assert_eq!(round_trip(&request), request);
        let ack = RecordsAck {
            ack: crate::VERSION.into(),
            results: vec![
                RecordResult::ok("a".into(), RecordStatus::Accepted),
                RecordResult::refused(
                    "b".into(),
                    RecordStatus::Rejected,
                    RejectCode::UnknownFair,
                    "no fair x".into(),
                ),
            ],
        };
        assert_eq!(round_trip(&ack), ack);
        let openings = OpeningsAck {
            ack: crate::VERSION.into(),
            fair_id: "f".into(),
            revision: 7,
            fair: Some(serde_json::json!({"format": 1})),
        };
        assert_eq!(round_trip(&openings), openings);
        let query = OpeningsQuery {
            fair_id: "f".into(),
            since: 3,
        };
        assert_eq!(round_trip(&query), query);
    }

    #[test]
    fn the_wire_spelling_is_fixed() {
        let json = serde_json::to_value(RecordResult::refused(
            "x".into(),
            RecordStatus::Rejected,
            RejectCode::KioskMismatch,
            "kiosk mismatch".into(),
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "x", "status": "rejected", "code": "kiosk_mismatch",
                               "reason": "kiosk mismatch"})
        );
        let ok = serde_json::to_value(RecordResult::ok("y".into(), RecordStatus::Duplicate));
        assert_eq!(
            ok.unwrap(),
            serde_json::json!({"id": "y", "status": "duplicate"})
        );
        assert_eq!(
            serde_json::to_value(Record::new(
                "i".into(),
                RecordKind::CheckIn,
                "h".into(),
                "p".into()
            ))
            .unwrap()["kind"],
            "check_in"
        );
    }

    #[test]
    fn every_reject_code_keeps_its_wire_spelling() {
        let spelled: Vec<String> = RejectCode::ALL
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            spelled,
            [
                "bad_id",
                "unknown_kind",
                "hash_mismatch",
                "bad_payload",
                "kiosk_mismatch",
                "unknown_fair",
                "invalid",
                "conflict",
                "cannot_unseal"
            ]
        );
        for c in RejectCode::ALL {
            assert_eq!(
                c.as_str(),
                spelled[RejectCode::ALL.iter().position(|x| *x == c).unwrap()]
            );
            assert_eq!(RejectCode::parse(c.as_str()), c);
        }
        assert_eq!(RejectCode::parse("too_late"), RejectCode::Other);
    }

    #[test]
    fn a_status_or_code_from_a_newer_base_is_read_as_unknown() {
        let r: RecordResult =
            serde_json::from_str(r#"{"id":"x","status":"quarantined","code":"too_late"}"#).unwrap();
        assert_eq!(r.status, RecordStatus::Unknown);
        assert_eq!(r.code, Some(RejectCode::Other));
    }

    #[test]
    fn an_old_answer_without_code_still_reads() {
        let r: RecordResult =
            serde_json::from_str(r#"{"id":"x","status":"rejected","reason":"hash mismatch"}"#)
                .unwrap();
        assert_eq!(r.status, RecordStatus::Rejected);
        assert_eq!(r.code, None);
        assert_eq!(r.reason.as_deref(), Some("hash mismatch"));
    }

    #[test]
    fn a_record_of_an_unknown_kind_still_parses() {
        let r: Record =
            serde_json::from_str(r#"{"id":"x","kind":"parcel","sha256":"h","payload":"{}"}"#)
                .unwrap();
        assert_eq!(r.kind(), None);
    }

    #[test]
    fn transport_records_survive_a_round_trip_and_keep_their_spelling() {
        use crate::records::{BoardingRecord, SEAT_STATES, SeatRecord};
        let seat = SeatRecord {
            request_id: "0190a0b0-0000-7000-8000-00000000000a".into(),
            registration_id: "0190a0b0-0000-7000-8000-000000000001".into(),
            fair_id: "fair-one".into(),
            kiosk_id: "kiosk-1".into(),
            departure_id: Some("yk-0216-1".into()),
            employer: Some("yongkang-tools".into()),
            state: "assigned".into(),
            seat: Some(12),
            source: "booth:3".into(),
            at: "2027-02-15T09:00:00.000Z".into(),
        };
        assert_eq!(round_trip(&seat), seat);
        let json = serde_json::to_value(&seat).unwrap();
        assert_eq!(json["state"], "assigned");
        assert_eq!(json["seat"], 12);
        let asked = SeatRecord {
            departure_id: None,
            employer: None,
            state: "requested".into(),
            seat: None,
            ..seat.clone()
        };
        assert_eq!(round_trip(&asked), asked);
        let json = serde_json::to_value(&asked).unwrap();
        assert!(json["departure_id"].is_null() && json["seat"].is_null());
        assert!(SEAT_STATES.contains(&asked.state.as_str()));
        let boarding = BoardingRecord {
            registration_id: seat.registration_id.clone(),
            fair_id: "fair-one".into(),
            kiosk_id: "door-1".into(),
            departure_id: "yk-0216-1".into(),
            seat: Some(12),
            employer: Some("yongkang-tools".into()),
            at: "2027-02-16T07:20:00.000Z".into(),
        };
        assert_eq!(round_trip(&boarding), boarding);
        for (kind, text) in [
            (RecordKind::Seat, "seat"),
            (RecordKind::Boarding, "boarding"),
        ] {
            let r = Record::new("i".into(), kind, "h".into(), "p".into());
            assert_eq!(serde_json::to_value(&r).unwrap()["kind"], text);
            assert_eq!(round_trip(&r).kind(), Some(kind));
        }
    }
}
