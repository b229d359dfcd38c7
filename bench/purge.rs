//! `purge` (issue 17): purging 10,000 sign-ups (goal ≤ 2 s), both ways:
//!
//! - retention (`Kiosk::purge_expired`): every record confirmed by the base, the fair 31
//!   days past;
//! - staff purge of the whole fair (`Kiosk::purge_current_fair`, records unsent), which
//!   includes checking the staff PIN (argon2).
//!
//! Each includes the scrub (journal retired and overwritten, WAL checkpointed and
//! truncated) with `secure_delete=ON`. The sign-ups and their outbox records are inserted
//! in one transaction first (not timed).
//!
//! `cargo bench --bench purge` (release) or `cargo bench --profile dev --bench purge`.

use chrono::{Days, NaiveDate, Utc};
use jobfair_kiosk::app::{Kiosk, KioskOptions, set_staff_pin};
use jobfair_kiosk::domain::records::{RecordKind, SealedNumbers};
use jobfair_kiosk::domain::registration::{Consent, HomePlace};
use jobfair_kiosk::domain::resident_id::synthesize;
use jobfair_kiosk::store::registrations::{self, Numbers, RegistrationRow, SealedRow};
use jobfair_kiosk::store::{Store, outbox};
use std::path::Path;
use std::time::Instant;
use uuid::Uuid;

const SIGN_UPS: u32 = 10_000;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).unwrap();
    for confirmed in [true, false] {
        let dir = tempfile::tempdir_in(&root).unwrap();
        let data = dir.path().join("data");
        let opts = KioskOptions {
            data_dir: data.clone(),
            kiosk_id: Some("kiosk-bench0001".into()),
        };
        let fair = Kiosk::open(&opts).unwrap().fair().clone();
        set_staff_pin(&data, "2468").unwrap();
        insert(&data, &fair, SIGN_UPS, confirmed);
        let db_bytes = std::fs::metadata(data.join("kiosk.db")).unwrap().len();
        let mut kiosk = Kiosk::open(&opts).unwrap();
        let start = Instant::now();
        let purged = if confirmed {
            let today = fair.fair.date + Days::new(31);
            let done = kiosk.purge_expired(today, "bench").unwrap();
            done[0].purged
        } else {
            kiosk.purge_current_fair("2468", "bench", u64::MAX).unwrap()
        };
        let took = start.elapsed();
        assert_eq!(purged.registrations, u64::from(SIGN_UPS));
        println!(
            "{}: purged {} sign-ups and {} records ({} unconfirmed) of a {:.1} MB database in {:.3} s (goal ≤ 2 s)",
            if confirmed {
                "retention, all confirmed"
            } else {
                "staff purge of the fair, PIN included"
            },
            purged.registrations,
            purged.records,
            purged.unconfirmed,
            db_bytes as f64 / 1e6,
            took.as_secs_f64()
        );
    }
}

/// `n` sign-ups with a registration record each in the outbox (sent and accepted when
/// `confirmed`), in one transaction.
fn insert(data: &Path, fair: &jobfair_kiosk::domain::fair::FairFile, n: u32, confirmed: bool) {
    let mut store = Store::open(data).unwrap();
    let tx = store.transaction().unwrap();
    let now = Utc::now();
    let born = NaiveDate::from_ymd_opt(1975, 1, 1).unwrap();
    let ids: Vec<u16> = fair.openings.iter().map(|o| o.id).collect();
    for i in 0..n {
        let resident_id = synthesize(
            "520000",
            born + Days::new(u64::from(i / 1000)),
            (i % 1000) as u16,
        );
        let k = i as usize;
        let row = RegistrationRow {
            id: Uuid::now_v7(),
            fair_id: fair.fair.id.clone(),
            short_code: format!("B{i:07}"),
            kiosk_id: "kiosk-bench0001".into(),
            created_at: now,
            updated_at: now,
            name: "测试村民".into(),
            // Sealed as a kiosk stores them since schema 10: masks, blind indexes and two
            // boxes of a real box's size (48 bytes + the JSON of both numbers, hex).
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
                share_phone: true,
            },
            consent_text_version: 1,
            ticket: "JK1SYNTHETICBENCHTICKET".into(),
            openings: vec![ids[k % ids.len()]],
        };
        registrations::insert(&tx, &row).unwrap();
        let record = serde_json::json!({
            "registration_id": row.id.to_string(),
            "phone": row.numbers.phone_masked(),
            "resident_id": row.numbers.resident_id_masked(),
            "name": row.name,
        });
        outbox::enqueue(&tx, Uuid::now_v7(), RecordKind::Registration, &record, now).unwrap();
    }
    if confirmed {
        tx.execute(
            "UPDATE outbox SET state = 'sent', outcome = 'accepted', sent_at = ?1",
            [now.to_rfc3339()],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}
