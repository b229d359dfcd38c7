//! `jobfair-base export` of 1,000,000 sign-ups on each engine: the real binary's peak
//! memory (ru_maxrss from wait4) and time. Rows stream from the database into
//! constant-memory worksheets, so the peak must not grow with the row count.
//!
//! cargo bench -p jobfair-base --bench base_export
//! Without `--bench` it runs tiny (2,000 rows), as a smoke test.

#[path = "../crates/base/tests/support/pg_cluster.rs"]
mod pg_cluster;

use chrono::NaiveDate;
use jobfair_base::auth::sha256_hex;
use jobfair_base::store::{Checked, NewRecord};
use jobfair_base::{Database, Engine};
use jobfair_domain::records::{RecordKind, RegistrationRecord};
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_domain::resident_id::synthesize;
use std::process::Command;
use std::time::Instant;

const GOAL_MB: f64 = 100.0;
const FAIR: &str = "qdn-congjiang-2027-02-15";

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let rows: u32 = if smoke { 2_000 } else { 1_000_000 };
    let engines = std::env::var("JOBFAIR_BENCH_ENGINES").unwrap_or("sqlite,postgres".into());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    println!("load before: {}", load());
    for engine in [Engine::Sqlite, Engine::Postgres] {
        if !engines.contains(engine.as_str()) {
            continue;
        }
        let dir = tempfile::tempdir_in(&root).unwrap();
        let mut _cluster = None;
        let (database, args) = match engine {
            Engine::Sqlite => {
                let d = dir.path().join("data");
                let args = vec!["--data-dir".to_string(), d.display().to_string()];
                (Database::Sqlite { data_dir: d }, args)
            }
            Engine::Postgres => {
                let c = pg_cluster::start(pg_cluster::Durability::Durable)
                    .expect("PostgreSQL for the bench (apt-get install -y postgresql)");
                let url = c.create_database();
                _cluster = Some(c);
                let args = vec!["--database".to_string(), url.clone()];
                (Database::Postgres { url }, args)
            }
        };
        let t = Instant::now();
        fill(&database, rows);
        println!(
            "\n== {}: {rows} sign-ups stored in {:.1} s",
            engine.as_str(),
            t.elapsed().as_secs_f64()
        );
        let out = dir.path().join("export.xlsx");
        let t = Instant::now();
        // Waited for by wait4 below, which also gives its peak memory.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
            .args(&args)
            .args(["export", "--out", out.to_str().unwrap()])
            .spawn()
            .unwrap();
        let (ok, max_rss_kb) = wait4(child.id());
        assert!(ok, "the export failed");
        let secs = t.elapsed().as_secs_f64();
        let mb = max_rss_kb as f64 * 1024.0 / 1e6;
        let size = std::fs::metadata(&out).unwrap().len() as f64 / 1e6;
        println!("export: {secs:.1} s, {size:.0} MB file, peak RSS {mb:.1} MB");
        let verdict = if mb <= GOAL_MB { "met" } else { "MISSED" };
        println!(
            "goal: base_export_1m_{} | peak RSS {mb:.1} MB, {secs:.1} s for {rows} rows | ≤ {GOAL_MB} MB | {verdict}",
            engine.as_str()
        );
    }
    println!("load after: {}", load());
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Waits for `pid`; whether it exited 0, and its peak resident memory in KiB.
fn wait4(pid: u32) -> (bool, i64) {
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    assert_eq!(got, pid as i32);
    (
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        usage.ru_maxrss,
    )
}

/// Stores `rows` valid sign-ups straight through the store, 1,000 per transaction.
fn fill(database: &Database, rows: u32) {
    jobfair_base::block_on(async {
        let store = database.open().await.unwrap();
        let fair = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/demo-fair.json"
        ))
        .unwrap();
        jobfair_base::publish_fair_to(store.as_ref(), &fair)
            .await
            .unwrap();
        for start in (0..rows).step_by(1000) {
            let batch: Vec<Checked> = (start..(start + 1000).min(rows)).map(sign_up).collect();
            store
                .ingest("kiosk-000", batch, "2027-02-15T02:00:00.000Z")
                .await
                .unwrap();
        }
    });
}

fn sign_up(n: u32) -> Checked {
    let birth =
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(u64::from(n % 9000));
    let r = RegistrationRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: "kiosk-000".into(),
        short_code: "K7MX-4QPD".into(),
        at: format!("2027-02-15T01:{:02}:{:02}.000Z", n / 60 % 60, n % 60),
        name: "测试村民".into(),
        phone: format!("139{n:08}"),
        resident_id: Some(
            synthesize("520000", birth, (n % 500 * 2 + 1) as u16)
                .as_str()
                .to_string(),
        ),
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
    Checked::New(NewRecord {
        id: format!("0193a000-0000-7000-8000-{n:012}"),
        kind: RecordKind::Registration,
        fair_id: FAIR.into(),
        registration_id: r.registration_id,
        at: r.at,
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    })
}
