//! Return-to-work transport at campaign size (issue 16): 22,000 rides asked without a
//! departure, placed over 585 departures (578 buses from the demo fair's 18 townships, half
//! of them point-to-point for one to three employers, and 7 train groups open to every
//! township) by `Kiosk::assign_requested`, in one transaction; then the passenger lists of
//! all 585 departures written as XLSX (one file each, then one file of all), then as one A4
//! PDF of all, each with its time and peak memory. See bench/README.md.
//!
//! ```text
//! cargo bench --bench transport
//! ```
//!
//! Without `--bench` on the command line (as under `cargo test --benches`) it runs once on
//! 2,200 rides over 59 departures as a smoke test; those figures mean nothing.

#[allow(dead_code)]
mod timing;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use jobfair_kiosk::app::transport::{ManifestFormat, ManifestPart, Source, Which};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::domain::fair::{Departure, DepartureKind, FairFile};
use jobfair_kiosk::domain::records::SealedNumbers;
use jobfair_kiosk::domain::registration::{Consent, HomePlace};
use jobfair_kiosk::store::registrations::{self, Numbers, RegistrationRow, SealedRow};
use jobfair_kiosk::store::seats::{self, SeatRow, State};
use jobfair_kiosk::store::{Store, fairs};
use std::path::Path;
use std::time::{Duration, Instant};
use timing::Samples;
use uuid::Uuid;

const TRAINS: usize = 7;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (rides, departures, runs) = if full {
        (22_000, 585, 3)
    } else {
        (2_200, 59, 1)
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let dir = tempfile::tempdir_in(&root).unwrap();
        let data = dir.path().join("data");
        let start = Instant::now();
        let fair = setup(&data, rides, departures);
        println!(
            "set up {rides} sign-ups and ride requests, {departures} departures ({} seats): {:.2} s",
            fair.departures.iter().map(|d| d.seats).sum::<u32>(),
            start.elapsed().as_secs_f64()
        );
        let mut kiosk = Kiosk::open(&KioskOptions {
            data_dir: data.clone(),
            kiosk_id: Some("kiosk-bench0001".into()),
        })
        .unwrap();
        let t = Instant::now();
        let done = std::hint::black_box(kiosk.assign_requested().unwrap());
        times.push(t.elapsed());
        println!(
            "assign_requested: {:.3} s — {} assigned, {} waitlisted, {} unmatched",
            t.elapsed().as_secs_f64(),
            done.assigned,
            done.waitlisted,
            done.unmatched
        );
        assert_eq!(done.assigned + done.waitlisted + done.unmatched, rides);
        last = Some((dir, kiosk));
    }
    let samples = Samples::new(times);
    let median = samples.median().as_secs_f64();
    println!(
        "assign {rides} rides over {departures} departures: min {:.3} s, median {median:.3} s, max {:.3} s ({} runs)",
        samples.min().as_secs_f64(),
        samples.max().as_secs_f64(),
        samples.len()
    );
    timing::goal(
        &format!("transport_assign_{rides}"),
        &format!("{median:.3} s (median)"),
        "≤ 1 s",
        median <= 1.0,
    );

    let (dir, kiosk) = last.unwrap();
    let out = dir.path().join("manifests");
    std::fs::create_dir(&out).unwrap();
    let t = Instant::now();
    let (mut passengers, mut bytes) = (0, 0);
    for d in &kiosk.fair().departures {
        let report = kiosk
            .write_manifest(&d.id, &out.join(format!("{}.xlsx", d.id)))
            .unwrap();
        passengers += report.passengers;
        bytes += report.bytes;
    }
    let took: Duration = t.elapsed();
    println!(
        "manifests: {departures} XLSX files, {passengers} passengers, {:.1} MB, {:.2} s",
        bytes as f64 / 1e6,
        took.as_secs_f64()
    );
    println!("peak memory of this process (VmHWM): {:.1} MB", peak_mb());

    // All departures in one file each way, masked, as `transport manifest --all` writes
    // them; the peak is reset before each (clear_refs 5) so each figure is its own.
    let mut kiosk = kiosk;
    for format in [ManifestFormat::Xlsx, ManifestFormat::Pdf] {
        let before = reset_peak();
        let file = out.join(match format {
            ManifestFormat::Xlsx => "all.xlsx",
            ManifestFormat::Pdf => "all.pdf",
        });
        let mut draw = |parts: &[ManifestPart<'_>], masked: bool, path: &Path| {
            jobfair_kiosk::gui::manifest_sheet::write_pdf(parts, masked, path, &|p, n, d| {
                format!("page {p} of {n} · {d}")
            })
        };
        let t = Instant::now();
        let report = kiosk
            .write_manifest_file(Which::All, format, &file, None, Some(&mut draw))
            .unwrap();
        let took = t.elapsed();
        let pages = match format {
            ManifestFormat::Pdf => {
                let parts = kiosk
                    .manifest_parts(Which::All, &jobfair_kiosk::app::export::Masking::Masked)
                    .unwrap();
                format!(
                    ", {} pages",
                    parts
                        .iter()
                        .map(jobfair_kiosk::gui::manifest_sheet::pages_of)
                        .sum::<usize>()
                )
            }
            ManifestFormat::Xlsx => String::new(),
        };
        println!(
            "one {format:?} of all {departures} manifests: {:.2} s, {} passengers, {:.1} MB{pages}; \
             peak memory during it {:.1} MB (process before: {before:.1} MB)",
            took.as_secs_f64(),
            report.passengers,
            report.bytes as f64 / 1e6,
            peak_mb(),
        );
    }
    let _ = Source::Kiosk;
}

/// Resets the process's peak resident memory to its current size (Linux: clear_refs 5)
/// and returns that size in MB.
fn reset_peak() -> f64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak_mb()
}

/// The process's peak resident memory in MB, from /proc/self/status.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The demo fair with `n` departures, `rides` sign-ups and a ride request of each, all
/// written straight into the store in one transaction.
fn setup(data: &Path, rides: u32, n: usize) -> FairFile {
    let mut fair = Kiosk::open(&KioskOptions::new(data))
        .unwrap()
        .fair()
        .clone();
    let townships: Vec<(String, String, String)> = fair
        .places
        .iter()
        .flat_map(|c| {
            c.townships
                .iter()
                .map(|t| (c.name.clone(), t.name.clone(), t.villages[0].clone()))
        })
        .collect();
    let employers: Vec<String> = fair.employers.iter().map(|e| e.id.clone()).collect();
    let template = fair.departures[0].clone();
    let day = fair.fair.date;
    let at = |d: usize, hour: u32| -> NaiveDateTime {
        (day + chrono::Days::new(1 + (d % 20) as u64))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    };
    fair.departures = (0..n)
        .map(|i| {
            if i < TRAINS.min(n) {
                return Departure {
                    id: format!("train-{i}"),
                    kind: DepartureKind::Train,
                    departs_at: at(i * 3, 9),
                    pickup: "从江站".into(),
                    pickup_township: None,
                    seats: 300,
                    vehicle: Some(format!("D22{i:02}")),
                    employers: Vec::new(),
                    ..template.clone()
                };
            }
            // Townships get buses unevenly (the first ones more), so some fill and wait.
            let t = (i * i) % townships.len();
            let employers = if i % 2 == 0 {
                Vec::new()
            } else {
                (0..1 + i % 3)
                    .map(|j| employers[(i * 7 + j * 11) % employers.len()].clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect()
            };
            Departure {
                id: format!("bus-{i}"),
                kind: DepartureKind::Bus,
                departs_at: at(i, 6 + (i % 4) as u32),
                pickup: format!("{}政府门口", townships[t].1),
                pickup_en: None,
                pickup_township: Some(townships[t].1.clone()),
                seats: 53,
                vehicle: Some(format!("贵H{:05}", i)),
                employers,
                ..template.clone()
            }
        })
        .collect();
    assert!(fair.validate().is_empty(), "{:?}", fair.validate());

    let mut store = Store::open(data).unwrap();
    let tx = store.transaction().unwrap();
    let now = Utc::now();
    fairs::install(&tx, &fair, now).unwrap();
    fairs::set_current(&tx, &fair.fair.id).unwrap();
    let ids: Vec<u16> = fair.openings.iter().map(|o| o.id).collect();
    for i in 0..rides {
        let k = i as usize;
        let (county, township, village) = &townships[(k * k / 7 + k) % townships.len()];
        let row = RegistrationRow {
            id: Uuid::now_v7(),
            fair_id: fair.fair.id.clone(),
            short_code: format!("B{i:07}"),
            kiosk_id: "kiosk-bench0001".into(),
            created_at: now,
            updated_at: now,
            name: "测试村民".into(),
            // Sealed as a kiosk stores them since schema 10 (boxes of a real box's size).
            numbers: Numbers::Sealed(SealedRow {
                phone_masked: format!("139****{:04}", i % 10_000),
                phone_blind: format!("{i:032x}"),
                resident_id_masked: None,
                resident_id_blind: None,
                sealed: SealedNumbers {
                    staff: "5a".repeat(76),
                    base: Some("a5".repeat(76)),
                },
            }),
            birth_date: NaiveDate::from_ymd_opt(1985, 1, 1),
            sex: None,
            home: HomePlace {
                county: county.clone(),
                township: township.clone(),
                village: village.clone(),
            },
            consent: Consent {
                personal_data: true,
                resident_id: false,
                share_phone: true,
            },
            consent_text_version: 1,
            ticket: "JK1SYNTHETICBENCHTICKET".into(),
            openings: (0..1 + k % 3)
                .map(|j| ids[(k * 7 + j * 13) % ids.len()])
                .collect(),
        };
        registrations::insert(&tx, &row).unwrap();
        seats::insert(
            &tx,
            &SeatRow {
                id: Uuid::now_v7(),
                fair_id: fair.fair.id.clone(),
                registration_id: row.id,
                departure_id: None,
                employer: None,
                state: State::Requested,
                seat: None,
                queue: i64::from(i) + 1,
                requested_at: now,
                updated_at: now,
                source: "kiosk".into(),
            },
            "bench",
        )
        .unwrap();
    }
    tx.commit().unwrap();
    fair
}
