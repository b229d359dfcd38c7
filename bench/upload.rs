//! Upload to a real base on 127.0.0.1: 100,000 records in batches of 500 beside one
//! record per request (measured on 5,000 records). A plain `main`, no harness.
//!
//! ```text
//! cargo bench --bench upload
//! ```
//!
//! Without `--bench` on the command line (as under `cargo test --benches`) it runs
//! on a few hundred records as a smoke test; those figures mean nothing.

use jobfair_base::{self as base, BaseServer};
use jobfair_kiosk::domain::records::{RecordKind, RegistrationRecord};
use jobfair_kiosk::domain::registration::{Consent, HomePlace};
use jobfair_kiosk::store::{Store, outbox};
use jobfair_kiosk::sync::{HttpTransport, Timeouts, upload_pending};
use std::path::Path;
use std::time::{Duration, Instant};
use uuid::Uuid;

const KIOSK: &str = "kiosk-bench";

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let (batched_n, single_n) = if smoke {
        (1_000, 100)
    } else {
        (100_000, 5_000)
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    let base_dir = tempfile::tempdir_in(&root).unwrap();
    let token = base::add_kiosk(base_dir.path(), KIOSK).unwrap();
    // The base accepts records only for fairs it publishes.
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-fair.json");
    base::publish_fair(base_dir.path(), &std::fs::read_to_string(demo).unwrap()).unwrap();
    let server = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let transport = HttpTransport::new(&server.url(), &token, Timeouts::default()).unwrap();

    let batched = run(&root, &transport, batched_n, 0, 500);
    let single = run(&root, &transport, single_n, batched_n, 1);
    let (b, s) = (rate(batched_n, batched), rate(single_n, single));
    println!("batched (500/request): {batched_n} records in {batched:.2?}: {b:.0} records/s");
    println!("one record per request: {single_n} records in {single:.2?}: {s:.0} records/s");
    println!("batched / one per request: {:.1}x", b / s);
    goal(
        "upload_batched_vs_single",
        &format!("{:.1}×", b / s),
        "≥ 10×",
        b / s >= 10.0,
    );
    goal(
        "upload_batched_rate",
        &format!("{b:.0} records/s"),
        "≥ 20,000 records/s",
        b >= 20_000.0,
    );
    let rows: i64 = base::db::open(base_dir.path())
        .unwrap()
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows as u64,
        batched_n + single_n,
        "every record on the base once"
    );
    server.kill().unwrap();
}

/// One machine-readable line per goal, collected by `bench/run-all` into RESULTS.md.
fn goal(id: &str, measured: &str, target: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("goal: {id} | {measured} | {target} | {verdict}");
}

/// Enqueues `n` synthetic sign-ups in a fresh kiosk store (untimed), then times
/// one upload pass of them, `batch` per request.
fn run(root: &Path, transport: &HttpTransport, n: u64, first: u64, batch: usize) -> Duration {
    let dir = tempfile::tempdir_in(root).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let tx = store.transaction().unwrap();
    let now = chrono::Utc::now();
    for i in first..first + n {
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            RecordKind::Registration,
            &record(i),
            now,
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let started = Instant::now();
    let pass = upload_pending(&mut store, transport, batch, |_| true);
    let took = started.elapsed();
    assert!(pass.failure.is_none(), "{:?}", pass.failure);
    assert_eq!(pass.tally.accepted, n);
    took
}

fn rate(n: u64, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

/// Synthetic sign-up `i` of the demo fair (phone in the 139 range, no resident ID).
fn record(i: u64) -> RegistrationRecord {
    RegistrationRecord {
        registration_id: Uuid::now_v7().to_string(),
        fair_id: "qdn-congjiang-2027-02-15".into(),
        kiosk_id: KIOSK.into(),
        short_code: "K7MX-4QPD".into(),
        at: "2027-02-15T09:30:00.000Z".into(),
        name: "测试村民".into(),
        phone: format!("139{:08}", i),
        resident_id: None,
        birth_date: None,
        sex: None,
        home: HomePlace {
            county: "从江县".into(),
            township: "高增乡".into(),
            village: "小黄村".into(),
        },
        consent: Consent {
            personal_data: true,
            resident_id: false,
            share_phone: true,
        },
        consent_text_version: 1,
        openings: vec![101, 102],
        // The format of kiosks before issue 17: the base takes both.
        sealed: None,
    }
}
