//! 200 simulated kiosks upload to one base at once, on each engine in the same run
//! (SQLite, then PostgreSQL on a throwaway cluster with PostgreSQL's durable defaults):
//! records/s, p50/p99 request latency, and a check that nothing is lost or stored twice.
//! A plain `main`, no harness.
//!
//! cargo bench -p jobfair-base --bench base_load      # release profile, full size
//! Without `--bench` (as under `cargo test --benches`) it runs tiny, as a smoke test.
//! `JOBFAIR_BENCH_ENGINES=sqlite` (or `postgres`) runs one engine only.

#[path = "../crates/base/tests/support/pg_cluster.rs"]
mod pg_cluster;

use chrono::NaiveDate;
use jobfair_base::auth::sha256_hex;
use jobfair_base::{BaseConfig, BaseServer, Database, Engine};
use jobfair_domain::records::RegistrationRecord;
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_domain::resident_id::synthesize;
use jobfair_protocol::{Record as RecordIn, RecordStatus as Status, RecordsAck as UploadAck};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const FAIR: &str = "qdn-congjiang-2027-02-15";
const DEMO_FAIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo-fair.json");

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
    let engines = std::env::var("JOBFAIR_BENCH_ENGINES").unwrap_or("sqlite,postgres".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    println!("load before: {}", load());
    for engine in [Engine::Sqlite, Engine::Postgres] {
        if !engines.contains(engine.as_str()) {
            continue;
        }
        let dir = tempfile::tempdir_in(&root).unwrap();
        // Kept alive for the run; stopped (and removed) when dropped.
        let mut _cluster = None;
        let database = match engine {
            Engine::Sqlite => Database::Sqlite {
                data_dir: dir.path().to_path_buf(),
            },
            Engine::Postgres => {
                let c = pg_cluster::start(pg_cluster::Durability::Durable)
                    .expect("PostgreSQL for the bench (apt-get install -y postgresql)");
                let url = c.create_database();
                _cluster = Some(c);
                Database::Postgres { url }
            }
        };
        run(engine, database, &size);
    }
    println!("load after: {}", load());
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn run(engine: Engine, database: Database, size: &Size) {
    let store = jobfair_base::block_on(database.open()).unwrap();
    let fair = std::fs::read_to_string(DEMO_FAIR).unwrap();
    let tokens: Vec<String> = jobfair_base::block_on(async {
        jobfair_base::publish_fair_to(store.as_ref(), &fair)
            .await
            .unwrap();
        let mut tokens = Vec::new();
        for k in 0..size.kiosks {
            tokens.push(
                jobfair_base::add_kiosk_to(store.as_ref(), &kiosk(k))
                    .await
                    .unwrap(),
            );
        }
        tokens
    });
    let server = BaseServer::spawn_with(BaseConfig::for_tests(database)).unwrap();
    let url = format!("{}/v1/records", server.url());
    let total = size.kiosks * size.batches * size.batch;
    println!(
        "\n== {}: {} kiosks × {} requests × {} sign-ups = {total} records, all at once, plus one resend each",
        engine.as_str(),
        size.kiosks,
        size.batches,
        size.batch
    );

    let start = Arc::new(Barrier::new(size.kiosks as usize + 1));
    let threads: Vec<_> = (0..size.kiosks)
        .map(|k| {
            let (token, url, start) = (tokens[k as usize].clone(), url.clone(), start.clone());
            let (batches, batch) = (size.batches, size.batch);
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                // Bodies made before the start: the bench measures the base, not serde.
                let work: Vec<Vec<u8>> = (0..batches)
                    .map(|b| {
                        let records: Vec<RecordIn> =
                            (0..batch).map(|i| sign_up(k, b * batch + i)).collect();
                        serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap()
                    })
                    .collect();
                start.wait();
                let mut latencies = Vec::new();
                for body in &work {
                    let t = Instant::now();
                    let statuses = send(&http, &url, &token, body, batch);
                    latencies.push(t.elapsed());
                    assert!(
                        statuses.iter().all(|s| *s == Status::Accepted),
                        "{statuses:?}"
                    );
                }
                // A resend of the first batch must be all duplicates.
                let again = send(&http, &url, &token, &work[0], batch);
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

    let counts = jobfair_base::block_on(store.counts()).unwrap();
    assert_eq!(counts.sign_ups, u64::from(total), "lost or doubled");
    latencies.sort();
    let pick = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    let rate = f64::from(total) / wall.as_secs_f64();
    println!(
        "wall time (incl. one resend per kiosk): {:.2} s",
        wall.as_secs_f64()
    );
    println!("throughput: {rate:.0} records/s");
    println!(
        "request latency ({} requests of {}): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        size.batch,
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "stored {} records (the id is the primary key): nothing lost, nothing twice",
        counts.sign_ups
    );
    let verdict = if rate >= 30_000.0 { "met" } else { "MISSED" };
    println!(
        "goal: base_load_200_kiosks_{} | {rate:.0} records/s, p50 {:.1} ms, p99 {:.1} ms, {} stored once | ≥ 30000 records/s, nothing lost, nothing twice | {verdict}",
        engine.as_str(),
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        counts.sign_ups,
    );
    server.shutdown().unwrap();
}

fn send(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    body: &[u8],
    n: u32,
) -> Vec<Status> {
    let answer = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    let ack: UploadAck = answer.json().unwrap();
    assert_eq!(ack.results.len(), n as usize);
    ack.results.into_iter().map(|r| r.status).collect()
}

fn kiosk(k: u32) -> String {
    format!("kiosk-{k:03}")
}

/// Synthetic, valid sign-up `n` of kiosk `k` (the base checks every field).
fn sign_up(k: u32, n: u32) -> RecordIn {
    let birth =
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(u64::from(n % 9000));
    let seq = (k * 2 + 1) as u16 % 1000;
    let r = RegistrationRecord {
        registration_id: format!("0192f3a4-{k:04x}-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk(k),
        short_code: "K7MX-4QPD".into(),
        at: "2027-02-15T01:00:00.000Z".into(),
        name: "测试村民".into(),
        phone: format!("139{:08}", k * 100_000 + n),
        resident_id: Some(synthesize("520000", birth, seq).as_str().to_string()),
        birth_date: Some(birth.to_string()),
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
        // The format of kiosks before issue 17 (the base takes both).
        sealed: None,
    };
    let payload = serde_json::to_string(&r).unwrap();
    RecordIn {
        id: format!("0193a000-{k:04x}-7000-8000-{n:012}"),
        kind: "registration".into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}
