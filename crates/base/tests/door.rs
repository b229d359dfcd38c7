//! The base's door (issue 13, point 6): the token is checked on the headers, before a
//! byte of the body is read, and the bodies in flight share one byte budget. Raw TCP
//! here, so a test can read the answer before it has sent the body.

mod support;

use jobfair_base::Engine;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;
use support::*;

on_both_engines!(
    an_upload_without_a_good_token_is_refused_before_its_body_is_sent,
    a_body_over_the_limit_is_refused_from_its_declared_length,
    a_body_that_cannot_get_its_share_of_the_budget_is_told_to_retry_later,
    concurrent_large_bodies_never_hold_more_than_the_budget,
);

const HUGE: usize = 31 * 1024 * 1024;

/// Sends the headers of a POST to /v1/records declaring `length` bytes, and no body.
fn headers_only(base: &Base, token: Option<&str>, length: usize) -> TcpStream {
    let mut s = TcpStream::connect(base.server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        s,
        "POST /v1/records HTTP/1.1\r\nHost: base\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    )
    .unwrap();
    s
}

/// The status line and headers of the answer, read up to the blank line.
fn answer_head(s: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            other => panic!(
                "no answer (read {other:?}) after {:?}",
                String::from_utf8_lossy(&head)
            ),
        }
    }
    String::from_utf8(head).unwrap()
}

fn an_upload_without_a_good_token_is_refused_before_its_body_is_sent(engine: Engine) {
    let base = Base::start(engine);
    for token in [None, Some(wrong(&base.token))] {
        let mut s = headers_only(&base, token.as_deref(), HUGE);
        let head = answer_head(&mut s);
        assert!(head.starts_with("HTTP/1.1 401"), "{head}");
        assert!(!head.contains("100 Continue"), "{head}");
    }
    let (peak, _) = base.server.body_budget_peak();
    assert_eq!(peak, 0, "no byte of budget was taken for a stranger");
}

fn a_body_over_the_limit_is_refused_from_its_declared_length(engine: Engine) {
    let base = Base::start(engine);
    let mut s = headers_only(&base, Some(&base.token), 33 * 1024 * 1024);
    let head = answer_head(&mut s);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert_eq!(base.server.body_budget_peak().0, 0);
}

fn a_body_that_cannot_get_its_share_of_the_budget_is_told_to_retry_later(engine: Engine) {
    let base = Base::start_with(engine, |c| {
        c.body_budget = jobfair_protocol::MAX_BODY_BYTES;
        c.body_wait = Duration::from_millis(300);
    });
    // A slow kiosk holds most of the budget: it declared 31 MiB and sends a little.
    let mut slow = headers_only(&base, Some(&base.token), HUGE);
    slow.write_all(b"{\"records\": [").unwrap();
    let held = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        base.server.body_budget_peak().0 >= HUGE
    });
    assert!(held, "the slow upload reserved its declared length");
    let mut second = headers_only(&base, Some(&base.token), 2 * 1024 * 1024);
    let head = answer_head(&mut second);
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 2"),
        "{head}"
    );
    drop(slow);
    // Once the slow one is gone, its bytes are back.
    let back = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        base.statuses(&base.token, &[check_in(1, "k1", 1)]).len() == 1
    });
    assert!(back);
}

/// 6 authenticated bodies of 12 MiB at once against a budget of 32 MiB: at most two
/// are held at a time, and every upload is answered (the others waited their turn).
fn concurrent_large_bodies_never_hold_more_than_the_budget(engine: Engine) {
    let base = Base::start_with(engine, |c| {
        c.body_budget = jobfair_protocol::MAX_BODY_BYTES;
        c.body_wait = Duration::from_secs(30);
    });
    let filler = "x".repeat(128 * 1024);
    let records: Vec<_> = (0..100)
        .map(|i| {
            let mut r = check_in(i, "k1", i);
            r.payload = format!("{{\"pad\":\"{filler}\"}}");
            r
        })
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
    assert!(body.len() > 12 * 1024 * 1024);
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                let answer = base
                    .http
                    .post(base.url("/v1/records"))
                    .bearer_auth(&base.token)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .unwrap();
                assert_eq!(answer.status(), 200);
            });
        }
    });
    let (peak, budget) = base.server.body_budget_peak();
    assert!(peak <= budget, "peak {peak} > budget {budget}");
    assert!(peak >= body.len(), "the bodies were read within the budget");
}
