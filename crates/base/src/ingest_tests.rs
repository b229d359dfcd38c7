//! The ingest rules, without HTTP or SQL.

use super::*;
use crate::auth::sha256_hex;
use crate::validate::FairRules;
use chrono::NaiveDate;

const ID: &str = "0192f3a4-5b6c-7d8e-9f00-112233445566";

fn fair() -> FairRules {
    FairRules {
        id: "fair-one".into(),
        revision: 1,
        date: NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(),
        openings: [(101, "e01".to_string())].into(),
        employers: ["e01".to_string()].into(),
        departures: [("bus-1".to_string(), 45)].into(),
    }
}

fn check_in(kiosk: &str, at: &str) -> Record {
    let payload = serde_json::to_string(&CheckInRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "fair-one".into(),
        kiosk_id: kiosk.into(),
        at: at.into(),
    })
    .unwrap();
    Record {
        id: ID.into(),
        kind: "check_in".into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}

fn check(r: Record, kiosk: &str) -> Checked {
    match read(r, kiosk) {
        Ok(read) => judge(read, Some(&fair())),
        Err(answer) => Checked::Refused(answer),
    }
}

fn refusal(c: Checked) -> (RejectCode, String) {
    match c {
        Checked::Refused(r) => {
            assert_eq!(r.status, RecordStatus::Rejected);
            (r.code.unwrap(), r.reason.unwrap())
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn new(c: Checked) -> NewRecord {
    match c {
        Checked::New(n) => n,
        other => panic!("expected a new record, got {other:?}"),
    }
}

#[test]
fn a_new_valid_record_is_new_under_its_fair_with_its_keys() {
    let n = new(check(check_in("k1", "2027-02-15T09:00:00Z"), "k1"));
    assert_eq!(
        (n.kind, n.fair_id.as_str(), n.at.as_str()),
        (RecordKind::CheckIn, "fair-one", "2027-02-15T09:00:00Z")
    );
    assert!(n.registration_id.ends_with("000000000001"));
}

#[test]
fn the_same_record_again_is_a_duplicate_and_another_payload_a_conflict() {
    let first = new(check(check_in("k1", "2027-02-15T09:00:00Z"), "k1"));
    let stored = Stored {
        kind: "check_in".into(),
        sha256: first.sha256.to_ascii_uppercase(),
    };
    assert_eq!(settle(&first, &stored).status, RecordStatus::Duplicate);
    let second = new(check(check_in("k1", "2027-02-15T10:00:00Z"), "k1"));
    let answer = settle(&second, &stored);
    assert_eq!(
        (answer.status, answer.code),
        (RecordStatus::Conflict, Some(RejectCode::Conflict))
    );
}

#[test]
fn a_payload_that_does_not_match_its_hash_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.payload = r.payload.replace("09:00", "09:01");
    assert_eq!(
        refusal(check(r, "k1")),
        (RejectCode::HashMismatch, "hash mismatch".into())
    );
}

#[test]
fn a_kiosk_cannot_write_as_another() {
    let r = check_in("k2", "2027-02-15T09:00:00Z");
    assert_eq!(refusal(check(r, "k1")).0, RejectCode::KioskMismatch);
}

#[test]
fn a_payload_of_the_wrong_shape_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.kind = "registration".into();
    let (code, why) = refusal(check(r, "k1"));
    assert_eq!(code, RejectCode::BadPayload);
    assert!(why.starts_with("payload is not a registration record"));
}

#[test]
fn an_unknown_kind_or_a_non_uuid_id_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.kind = "ticket".into();
    assert_eq!(refusal(check(r, "k1")).0, RejectCode::UnknownKind);
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.id = "seven".into();
    assert_eq!(
        refusal(check(r, "k1")),
        (RejectCode::BadId, "id is not a UUID".into())
    );
}

#[test]
fn a_record_for_a_fair_not_published_here_is_refused_as_unknown_fair() {
    let r = read(check_in("k1", "2027-02-15T09:00:00Z"), "k1").unwrap();
    let (code, why) = refusal(judge(r, None));
    assert_eq!(code, RejectCode::UnknownFair);
    assert!(why.contains("fair-one"), "{why}");
}

#[test]
fn a_check_in_with_a_time_that_is_not_a_time_is_invalid() {
    let r = check_in("k1", "yesterday");
    assert_eq!(
        refusal(check(r, "k1")),
        (RejectCode::Invalid, "at: not an RFC 3339 time".into())
    );
}
