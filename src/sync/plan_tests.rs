use super::*;
use crate::domain::records::RecordKind;

fn pending(n: usize) -> Vec<PendingRecord> {
    (0..n)
        .map(|i| PendingRecord {
            seq: i as i64 + 1,
            id: format!("id-{i}"),
            kind: RecordKind::Registration,
            payload: format!("{{\"n\":{i}}}"),
            sha256: format!("sha-{i}"),
            attempts: 0,
        })
        .collect()
}

fn ack(results: &[(&str, &str, Option<&str>)]) -> String {
    let results: Vec<serde_json::Value> = results
        .iter()
        .map(|(id, status, reason)| serde_json::json!({"id": id, "status": status, "reason": reason}))
        .collect();
    serde_json::json!({"ack": ACK, "results": results}).to_string()
}

#[test]
fn next_batch_takes_the_oldest_records_up_to_the_limit_in_order() {
    let batch = next_batch(&pending(7), 5);
    let ids: Vec<&str> = batch.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["id-0", "id-1", "id-2", "id-3", "id-4"]);
    assert_eq!(batch[2].kind, "registration");
    assert_eq!(batch[2].payload, "{\"n\":2}");
    assert_eq!(batch[2].sha256, "sha-2");
}

#[test]
fn every_status_is_classified_and_only_parked_ones_keep_a_reason() {
    let body = ack(&[
        ("a", "accepted", None),
        ("b", "duplicate", Some("ignored")),
        ("c", "conflict", Some("different payload")),
        ("d", "rejected", Some("hash mismatch")),
    ]);
    let verdicts = read_records_answer(200, &body, &["a", "b", "c", "d"]).unwrap();
    let got: Vec<(Outcome, &str)> = verdicts
        .iter()
        .map(|v| (v.outcome, v.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Outcome::Accepted, ""),
            (Outcome::Duplicate, ""),
            (Outcome::Conflict, "different payload"),
            (Outcome::Rejected, "hash mismatch"),
        ]
    );
    let t = Tally::of(&verdicts);
    assert_eq!(
        (t.accepted, t.duplicate, t.conflict, t.rejected),
        (1, 1, 1, 1)
    );
}

#[test]
fn a_captive_portal_login_page_with_status_200_is_not_an_acknowledgement() {
    let html = "<html><body><form action=/login>Wi-Fi login</form></body></html>";
    assert_eq!(read_records_answer(200, html, &["a"]), Err(NotAck::NotJson));
}

#[test]
fn server_errors_and_redirects_are_not_acknowledgements() {
    let body = ack(&[("a", "accepted", None)]);
    for status in [500, 502, 401, 302, 413] {
        assert_eq!(
            read_records_answer(status, &body, &["a"]),
            Err(NotAck::Status(status))
        );
    }
    assert!(read_records_answer(201, &body, &["a"]).is_ok());
}

#[test]
fn an_answer_of_another_api_version_or_shape_is_not_an_acknowledgement() {
    let other = serde_json::json!({"ack": "jobfair-base/2", "results": []}).to_string();
    assert!(matches!(
        read_records_answer(200, &other, &[]),
        Err(NotAck::WrongVersion(_))
    ));
    let json_but_not_ack = r#"{"status":"ok"}"#;
    assert_eq!(
        read_records_answer(200, json_but_not_ack, &["a"]),
        Err(NotAck::NotJson)
    );
}

#[test]
fn missing_reordered_or_unknown_results_are_not_an_acknowledgement() {
    let one = ack(&[("a", "accepted", None)]);
    assert_eq!(
        read_records_answer(200, &one, &["a", "b"]),
        Err(NotAck::Count { sent: 2, got: 1 })
    );
    let swapped = ack(&[("b", "accepted", None), ("a", "accepted", None)]);
    assert!(matches!(
        read_records_answer(200, &swapped, &["a", "b"]),
        Err(NotAck::IdMismatch { index: 0, .. })
    ));
    let odd = ack(&[("a", "maybe", None)]);
    assert_eq!(
        read_records_answer(200, &odd, &["a"]),
        Err(NotAck::UnknownStatus("a".into()))
    );
}

#[test]
fn an_openings_answer_must_be_for_the_fair_asked_about() {
    let body = |fair: &str| {
        serde_json::json!({"ack": ACK, "fair_id": fair, "revision": 3, "fair": null}).to_string()
    };
    let ok = read_openings_answer(200, &body("f-1"), "f-1").unwrap();
    assert_eq!((ok.revision, ok.fair), (3, None));
    assert!(read_openings_answer(200, &body("f-2"), "f-1").is_err());
    assert_eq!(
        read_openings_answer(200, "<html>login</html>", "f-1"),
        Err(NotAck::NotJson)
    );
}

#[test]
fn the_reason_code_is_kept_and_an_unknown_fair_is_held_not_parked() {
    let body = serde_json::json!({"ack": ACK, "results": [
        {"id": "a", "status": "rejected", "code": "invalid", "reason": "phone: too short"},
        {"id": "b", "status": "rejected", "code": "unknown_fair", "reason": "fair \"x\" is not published"},
        {"id": "c", "status": "conflict", "code": "conflict", "reason": "kept aside"},
        {"id": "d", "status": "rejected", "code": "cannot_unseal", "reason": "no base-seal.key"},
    ]})
    .to_string();
    let verdicts = read_records_answer(200, &body, &["a", "b", "c", "d"]).unwrap();
    let codes: Vec<_> = verdicts.iter().map(|v| (v.code, v.held())).collect();
    assert_eq!(
        codes,
        [
            (Some(RejectCode::Invalid), false),
            (Some(RejectCode::UnknownFair), true),
            (Some(RejectCode::Conflict), false),
            (Some(RejectCode::CannotUnseal), true)
        ]
    );
    let tally = Tally::of(&verdicts);
    assert_eq!(
        (tally.rejected, tally.held, tally.conflict, tally.total()),
        (1, 2, 1, 2)
    );
}
