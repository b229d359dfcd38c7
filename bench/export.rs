//! Export of 100,000 sign-ups: our CSV beside `sqlite3 -csv` on the same rows,
//! and the three-sheet XLSX (and JSON lines, for information). See bench/README.md.
//!
//! ```text
//! cargo bench --bench export
//! ```
//!
//! Without `--bench` on the command line (as under `cargo test --benches`) it runs
//! once on 1,000 sign-ups as a smoke test; those figures mean nothing.

#[allow(dead_code)]
mod timing;

use chrono::{NaiveDate, Utc};
use jobfair_kiosk::app::export::Masking;
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::domain::records::SealedNumbers;
use jobfair_kiosk::domain::registration::{Consent, HomePlace};
use jobfair_kiosk::domain::resident_id::synthesize;
use jobfair_kiosk::export::Format;
use jobfair_kiosk::store::Store;
use jobfair_kiosk::store::registrations::{self, Numbers, RegistrationRow, SealedRow};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use timing::Samples;
use uuid::Uuid;

/// The same rows as `store::export_rows::for_each_sign_up`, in SQL the system's
/// `sqlite3` (3.40, before `group_concat(... ORDER BY ...)`) understands.
const SQLITE3_QUERY: &str = "
SELECT r.id, r.short_code, r.kiosk_id, r.created_at, r.name, r.phone, r.resident_id,
       r.birth_date, r.sex, r.home_county, r.home_township, r.home_village,
       r.consent_share_phone,
       (SELECT group_concat(opening_id, ';') FROM (SELECT opening_id
          FROM registration_openings o WHERE o.registration_id = r.id ORDER BY o.position))
  FROM registrations r
 WHERE r.fair_id = '{fair}'
 ORDER BY r.created_at, r.id;";

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: [&str; 10] = [
    "小明", "丽", "建国", "秀英", "志强", "桂英", "海燕", "伟", "阿妹", "金花",
];

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (sign_ups, runs) = if full { (100_000, 5) } else { (1_000, 1) };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    let dir = tempfile::tempdir_in(&root).unwrap();
    let data = dir.path().join("data");
    let opts = KioskOptions {
        data_dir: data.clone(),
        kiosk_id: Some("kiosk-bench0001".into()),
    };
    let fair = Kiosk::open(&opts).unwrap().fair().clone();

    let start = Instant::now();
    insert_sign_ups(&data, &fair, sign_ups);
    println!(
        "inserted {sign_ups} synthetic sign-ups in one transaction: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let kiosk = Kiosk::open(&opts).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let mut ours = Vec::new();
    let mut sqlite3 = Vec::new();
    let (mut our_bytes, mut sqlite3_bytes) = (0, 0);
    for _ in 0..runs {
        let (t, report) = time(|| export(&kiosk, Format::Csv, &out.join("ours.csv")));
        assert_eq!(report.sign_ups, sign_ups as u64);
        ours.push(t);
        our_bytes = report.bytes;
        let (t, bytes) = time(|| sqlite3_csv(&data, &fair.fair.id, &out.join("sqlite3.csv")));
        sqlite3.push(t);
        sqlite3_bytes = bytes;
    }
    let (ours, sqlite3) = (Samples::new(ours), Samples::new(sqlite3));
    report_line("export CSV (masked, BOM, guarded)", &ours, our_bytes);
    report_line("sqlite3 -csv -header, same rows", &sqlite3, sqlite3_bytes);
    let csv_ratio = ratio(ours.median(), sqlite3.median());
    println!(
        "ratio ours / sqlite3: median {csv_ratio:.2}x, min {:.2}x (goal <= 1.5x)",
        ratio(ours.min(), sqlite3.min())
    );
    goal(
        "export_csv_vs_sqlite3",
        &format!("{csv_ratio:.2}× (medians)"),
        "≤ 1.5×",
        csv_ratio <= 1.5,
    );

    for (format, name) in [
        (Format::Xlsx, "export.xlsx"),
        (Format::Json, "export.jsonl"),
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..runs.min(3) {
            let (t, report) = time(|| export(&kiosk, format, &out.join(name)));
            times.push(t);
            bytes = report.bytes;
        }
        let label = format!(
            "export {} (3 sheets, masked)",
            format.as_str().to_uppercase()
        );
        let samples = Samples::new(times);
        report_line(&label, &samples, bytes);
        if format == Format::Xlsx {
            let median = samples.median().as_secs_f64();
            goal(
                "export_xlsx_100k",
                &format!("{median:.2} s (median)"),
                "≤ 4 s",
                median <= 4.0,
            );
        }
    }
}

/// One machine-readable line per goal, collected by `bench/run-all` into RESULTS.md.
fn goal(id: &str, measured: &str, target: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("goal: {id} | {measured} | {target} | {verdict}");
}

fn export(kiosk: &Kiosk, format: Format, path: &Path) -> jobfair_kiosk::app::export::ExportReport {
    kiosk
        .export(format, path, Masking::Masked, &mut |_, _| {})
        .unwrap()
}

fn sqlite3_csv(data: &Path, fair_id: &str, out: &Path) -> u64 {
    let file = std::fs::File::create(out).unwrap();
    let status = Command::new("sqlite3")
        .args(["-csv", "-header"])
        .arg(data.join("kiosk.db"))
        .arg(SQLITE3_QUERY.replace("{fair}", fair_id))
        .stdout(Stdio::from(file))
        .status()
        .expect("sqlite3 runs (apt-get install sqlite3)");
    assert!(status.success());
    std::fs::metadata(out).unwrap().len()
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn report_line(label: &str, s: &Samples, bytes: u64) {
    println!(
        "{label:<40} runs {} min {:>8.1} ms  median {:>8.1} ms  max {:>8.1} ms  {:.1} MB",
        s.len(),
        s.min().as_secs_f64() * 1e3,
        s.median().as_secs_f64() * 1e3,
        s.max().as_secs_f64() * 1e3,
        bytes as f64 / 1e6
    );
}

/// `n` synthetic sign-ups with one to three openings each, in one transaction.
fn insert_sign_ups(data: &Path, fair: &jobfair_kiosk::domain::fair::FairFile, n: u32) {
    let mut store = Store::open(data).unwrap();
    let tx = store.transaction().unwrap();
    let now = Utc::now();
    let born = NaiveDate::from_ymd_opt(1975, 1, 1).unwrap();
    let ids: Vec<u16> = fair.openings.iter().map(|o| o.id).collect();
    for i in 0..n {
        let day = chrono::Days::new(u64::from(i / 1000));
        let resident_id = synthesize("520000", born + day, (i % 1000) as u16);
        let k = i as usize;
        let row = RegistrationRow {
            id: Uuid::now_v7(),
            fair_id: fair.fair.id.clone(),
            short_code: format!("B{i:07}"),
            kiosk_id: "kiosk-bench0001".into(),
            created_at: now,
            updated_at: now,
            name: format!("{}{}", SURNAMES[k % 10], GIVEN[(k / 10) % 10]),
            // Sealed as a kiosk stores them since schema 10 (boxes of a real box's size;
            // the masked export reads only the masks).
            numbers: Numbers::Sealed(SealedRow {
                phone_masked: format!("139****{:04}", i % 10_000),
                phone_blind: format!("{i:032x}"),
                resident_id_masked: Some(resident_id.masked()),
                resident_id_blind: Some(format!("{:032x}", u64::from(i) << 32)),
                sealed: SealedNumbers {
                    staff: "5a".repeat(108),
                    base: Some("a5".repeat(108)),
                },
            }),
            birth_date: Some(resident_id.birth_date()),
            sex: Some(resident_id.sex()),
            home: HomePlace {
                county: fair.fair.county.clone(),
                township: fair.fair.township.clone(),
                village: fair.fair.village.clone(),
            },
            consent: Consent {
                personal_data: true,
                resident_id: true,
                share_phone: i.is_multiple_of(2),
            },
            consent_text_version: 1,
            ticket: "JK1SYNTHETICBENCHTICKET".into(),
            openings: (0..1 + k % 3)
                .map(|j| ids[(k * 7 + j * 13) % ids.len()])
                .collect(),
        };
        registrations::insert(&tx, &row).unwrap();
    }
    tx.commit().unwrap();
}
