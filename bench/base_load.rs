//! 200 simulated kiosks upload to one base at once: records/s, p50/p99 request latency,
//! and a check that nothing is lost or stored twice. A plain `main`, no harness.
//!
//! cargo bench --bench base_load          # release profile, full size
//! Without `--bench` (as under `cargo test --benches`) it runs tiny, as a smoke test.

use jobfair_base::auth::sha256_hex;
use jobfair_base::{self as base, BaseServer};
use jobfair_domain::records::RegistrationRecord;
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_protocol::{Record as RecordIn, RecordStatus as Status, RecordsAck as UploadAck};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

struct Size {
    kiosks: u32,
    batches: u32,
    batch: u32,
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let size = if smoke {
        println!("smoke run (no --bench): tiny sizes, figures are meaningless\n");
        Size {
            kiosks: 4,
            batches: 2,
            batch: 10,
        }
    } else {
        Size {
            kiosks: 200,
            batches: 5,
            batch: 100,
        }
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    let dir = tempfile::tempdir_in(&root).unwrap();
    let server = BaseServer::spawn_for_tests(dir.path()).unwrap();
    let tokens: Vec<String> = (0..size.kiosks)
        .map(|k| base::add_kiosk(dir.path(), &kiosk(k)).unwrap())
        .collect();
    let url = format!("{}/v1/records", server.url());
    let total = size.kiosks * size.batches * size.batch;
    println!(
        "{} kiosks × {} requests × {} sign-ups = {total} records, all at once",
        size.kiosks, size.batches, size.batch
    );

    let start = Arc::new(Barrier::new(size.kiosks as usize + 1));
    let threads: Vec<_> = (0..size.kiosks)
        .map(|k| {
            let (token, url, start) = (tokens[k as usize].clone(), url.clone(), start.clone());
            let (batches, batch) = (size.batches, size.batch);
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                let work: Vec<Vec<RecordIn>> = (0..batches)
                    .map(|b| (0..batch).map(|i| sign_up(k, b * batch + i)).collect())
                    .collect();
                start.wait();
                let mut latencies = Vec::new();
                for records in &work {
                    let t = Instant::now();
                    let statuses = send(&http, &url, &token, records);
                    latencies.push(t.elapsed());
                    assert!(statuses.iter().all(|s| *s == Status::Accepted));
                }
                // A resend of the first batch must be all duplicates.
                let again = send(&http, &url, &token, &work[0]);
                assert!(again.iter().all(|s| *s == Status::Duplicate));
                latencies
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let wall = t0.elapsed();

    let conn = rusqlite::Connection::open(dir.path().join("base.db")).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    let distinct: i64 = conn
        .query_row("SELECT count(DISTINCT id) FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (stored, distinct),
        (i64::from(total), i64::from(total)),
        "lost or doubled"
    );
    latencies.sort();
    let pick = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "wall time (incl. one resend per kiosk): {:.2} s",
        wall.as_secs_f64()
    );
    println!(
        "throughput: {:.0} records/s",
        f64::from(total) / wall.as_secs_f64()
    );
    println!(
        "request latency ({} requests of {}): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        size.batch,
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!("stored {stored} records, {distinct} distinct ids: nothing lost, nothing twice");
    // The assert above stops the bench when anything was lost or doubled.
    let verdict = "met";
    println!(
        "goal: base_load_200_kiosks | {:.0} records/s, p50 {:.1} ms, p99 {:.1} ms, {stored} stored once | nothing lost, nothing twice | {verdict}",
        f64::from(total) / wall.as_secs_f64(),
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
    );
    server.shutdown().unwrap();
}

fn send(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    records: &[RecordIn],
) -> Vec<Status> {
    let body = serde_json::json!({ "records": records });
    let answer = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    let ack: UploadAck = answer.json().unwrap();
    assert_eq!(ack.results.len(), records.len());
    ack.results.into_iter().map(|r| r.status).collect()
}

fn kiosk(k: u32) -> String {
    format!("kiosk-{k:03}")
}

/// Synthetic sign-up `n` of kiosk `k` (phone and ID made up; the base does not check them).
fn sign_up(k: u32, n: u32) -> RecordIn {
    let r = RegistrationRecord {
        registration_id: format!("0192f3a4-{k:04x}-7000-8000-{n:012}"),
        fair_id: "bench-fair".into(),
        kiosk_id: kiosk(k),
        short_code: "K7MX-4QPD".into(),
        at: "2027-02-15T01:00:00.000Z".into(),
        name: "测试村民".into(),
        phone: format!("139{:08}", k * 100_000 + n),
        resident_id: Some("52000019900301001X".into()),
        birth_date: Some("1990-03-01".into()),
        sex: Some("male".into()),
        home: HomePlace {
            county: "从江县".into(),
            township: "高增乡".into(),
            village: "小黄村".into(),
        },
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        consent_text_version: 1,
        openings: vec![101, 102, 103],
    };
    let payload = serde_json::to_string(&r).unwrap();
    RecordIn {
        id: format!("0193a000-{k:04x}-7000-8000-{n:012}"),
        kind: "registration".into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}
