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

mod sealed {
    use super::*;
    use crate::seal_key::{BaseSealKeys, SEAL_KEY_FILE};
    use jobfair_protocol::sealed::{OpenKey, SealedBoxes};

    const PHONE: &str = "13912345678";
    const RESIDENT_ID: &str = "11010519491231002X";

    /// A valid sign-up with the numbers masked and `sealed` to `base` (`None`: unsealed,
    /// whole numbers, as before issue 17).
    fn sign_up(base: Option<&BaseSealKeys>) -> (RegistrationRecord, Record) {
        let whole: RegistrationRecord = serde_json::from_value(serde_json::json!({
            "registration_id": "0192f3a4-0000-7000-8000-000000000001",
            "fair_id": "fair-one", "kiosk_id": "k1", "short_code": "K7MX-4QPD",
            "at": "2027-02-15T01:00:00Z", "name": "测试村民",
            "phone": PHONE, "resident_id": RESIDENT_ID,
            "birth_date": null, "sex": null,
            "home": {"county": "从江县", "township": "高增乡", "village": "小黄村"},
            "consent": {"personal_data": true, "resident_id": true, "share_phone": true},
            "consent_text_version": 1, "openings": [101]
        }))
        .unwrap();
        let mut sent = whole.clone();
        if let Some(keys) = base {
            let json = format!(r#"{{"phone":"{PHONE}","resident_id":"{RESIDENT_ID}"}}"#);
            let staff = OpenKey::generate().seal_key();
            let boxes = SealedBoxes::seal(json.as_bytes(), &staff, Some(&keys.public())).unwrap();
            sent.phone = masking::phone(PHONE);
            sent.resident_id = Some(masking::resident_id(RESIDENT_ID));
            sent.sealed = Some(boxes.into());
        }
        let payload = serde_json::to_string(&sent).unwrap();
        let record = Record {
            id: ID.into(),
            kind: "registration".into(),
            sha256: sha256_hex(payload.as_bytes()),
            payload,
        };
        (whole, record)
    }

    fn keys() -> (tempfile::TempDir, BaseSealKeys) {
        let dir = tempfile::tempdir().unwrap();
        let keys = BaseSealKeys::init(&dir.path().join(SEAL_KEY_FILE)).unwrap();
        (dir, keys)
    }

    #[test]
    fn a_sealed_sign_up_is_stored_whole_under_the_hash_it_was_sent_with() {
        let (_dir, keys) = keys();
        let (whole, record) = sign_up(Some(&keys));
        let sent_hash = record.sha256.clone();
        let read = unseal(read(record, "k1").unwrap(), Some(&keys)).unwrap();
        assert_eq!(read.payload, Payload::Registration(whole.clone()));
        let n = new(judge(read, Some(&fair())));
        assert_eq!(n.sha256, sent_hash);
        assert_eq!(n.payload, serde_json::to_string(&whole).unwrap());
        assert!(n.payload.contains(PHONE) && !n.payload.contains("sealed"));
    }

    #[test]
    fn an_unsealed_sign_up_or_another_kind_goes_through_unchanged_even_without_keys() {
        for record in [sign_up(None).1, check_in("k1", "2027-02-15T09:00:00Z")] {
            let before = read(record, "k1").unwrap();
            assert_eq!(unseal(before.clone(), None).unwrap(), before);
        }
    }

    #[test]
    fn a_sealed_sign_up_without_keys_or_with_other_keys_is_refused_without_a_number() {
        let (_dir, keys) = keys();
        let (_other_dir, other) = self::keys();
        for with in [None, Some(&other)] {
            let answer = unseal(read(sign_up(Some(&keys)).1, "k1").unwrap(), with).unwrap_err();
            assert_eq!(answer.code, Some(CANNOT_UNSEAL));
            let why = answer.reason.unwrap();
            assert!(why.starts_with("基地无法打开密封的号码"), "{why}");
            assert!(!why.contains(PHONE) && !why.contains(RESIDENT_ID), "{why}");
        }
    }
}
