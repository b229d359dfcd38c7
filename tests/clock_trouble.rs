//! Clock trouble: the kiosk's clock set back by a day or forward by a year.
//!
//! The real binary registers and uploads under Debian's `faketime` (libfaketime,
//! LD_PRELOAD) against a real base on 127.0.0.1: the outbox keeps the order of the
//! acknowledgements (by sequence, not by time), every record lands on the base once,
//! nothing is rejected or parked for its time, and the day statistics count each
//! sign-up under the day its device clock said. The PIN and last-4 locks, which
//! store an end time, are checked with the injectable clock of the app layer.

mod common;

use chrono::{DateTime, Duration, Local, Utc};
use jobfair_base::{self as base, BaseServer};
use jobfair_kiosk::app::{Error, Kiosk, KioskOptions, PinCheck};
use jobfair_kiosk::store::Store;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const KIOSK: &str = "kiosk-clock";

/// `jobfair-kiosk` with these args, under `faketime -f OFFSET` when given.
fn bin(data_dir: &Path, offset: Option<&str>, args: &[&str]) -> Output {
    let exe = env!("CARGO_BIN_EXE_jobfair-kiosk");
    let mut cmd = match offset {
        Some(off) => {
            let mut c = Command::new("faketime");
            c.args(["-f", off, exe]);
            c
        }
        None => Command::new(exe),
    };
    common::ensure_keyring(data_dir);
    let out = cmd
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .env("JOBFAIR_KIOSK_ID", KIOSK)
        .env_remove("JOBFAIR_BASE_URL")
        .env_remove("JOBFAIR_BASE_TOKEN")
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{args:?} at {offset:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether `faketime` runs here; CI installs it (`.ci/run`), so there it must.
fn faketime_available() -> bool {
    let ok = Command::new("faketime")
        .args(["-f", "-1d", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "faketime is missing in CI (.ci/run installs it)"
        );
        println!("SKIP: faketime is not installed (apt-get install faketime)");
        eprintln!("SKIP: faketime is not installed (apt-get install faketime)");
    }
    ok
}

fn column(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn sign_ups_a_day_back_and_a_year_ahead_keep_their_order_and_reach_the_base_once() {
    if !faketime_available() {
        return;
    }
    let base_dir = tempfile::tempdir().unwrap();
    let token = base::add_kiosk(base_dir.path(), KIOSK).unwrap();
    common::publish_demo_fair(base_dir.path());
    let seal_key = common::base_seal_key(base_dir.path());
    let server = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let url = server.url();
    let kiosk_dir = tempfile::tempdir().unwrap();
    let dir = kiosk_dir.path();
    common::seal_to_base(dir, &seal_key);

    // Phases of the device clock, in the order they happen.
    let phases: [Option<&str>; 5] = [None, Some("-1d"), Some("+1y"), None, Some("-1d")];
    let mut acked = Vec::new(); // (phase, registration id) in acknowledgement order
    for (p, offset) in phases.iter().enumerate() {
        let start = (p * 100).to_string();
        let out = bin(
            dir,
            *offset,
            &["dev", "register-loop", "--start", &start, "--count", "4"],
        );
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            acked.push((p, line.trim().to_string()));
        }
        if p == 2 {
            // Upload what is there with the clock a year ahead.
            bin(
                dir,
                Some("+1y"),
                &["upload", "--base", &url, "--token", &token],
            );
        }
    }
    assert_eq!(acked.len(), 20);
    // The rest with the clock a day back, then once more on time: nothing left.
    bin(
        dir,
        Some("-1d"),
        &["upload", "--base", &url, "--token", &token],
    );
    let last = bin(dir, None, &["upload", "--base", &url, "--token", &token]);
    let last = String::from_utf8_lossy(&last.stdout).to_string();

    let store = Store::open(dir).unwrap();
    // The outbox order is the acknowledgement order, whatever the clock said.
    let by_seq = column(
        store.conn(),
        "SELECT json_extract(payload, '$.registration_id') FROM outbox ORDER BY seq",
    );
    let ack_order: Vec<String> = acked.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(by_seq, ack_order, "outbox order = acknowledgement order");

    // The clock really moved: each phase's sign-ups carry their device time.
    let created: BTreeMap<String, DateTime<Utc>> = column(
        store.conn(),
        "SELECT id || ' ' || created_at FROM registrations",
    )
    .into_iter()
    .map(|s| {
        let (id, at) = s.split_once(' ').unwrap();
        (id.to_string(), at.parse().unwrap())
    })
    .collect();
    let at = |phase: usize| created[&acked.iter().find(|(p, _)| *p == phase).unwrap().1];
    assert!(at(1) < at(0) - Duration::hours(20), "a day back");
    assert!(at(2) > at(0) + Duration::days(360), "a year ahead");
    assert!(at(3) < at(2) && at(4) < at(3), "and back again");

    // Every record on the base exactly once, all accepted, nothing parked.
    let states = column(
        store.conn(),
        "SELECT state || '/' || coalesce(outcome, '') FROM outbox",
    );
    assert!(
        states.iter().all(|s| s == "sent/accepted"),
        "outbox states: {states:?}"
    );
    let base_conn = base::db::open(base_dir.path()).unwrap();
    let mut on_base = column(&base_conn, "SELECT id FROM records");
    let mut local = column(store.conn(), "SELECT id FROM outbox");
    on_base.sort();
    local.sort();
    assert_eq!(on_base, local, "every record on the base, once");
    let conflicts: i64 = base_conn
        .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(conflicts, 0);
    assert!(!last.is_empty(), "the last upload reports its counts");
    server.shutdown().unwrap();

    // Day statistics: each sign-up counted under its device day, none lost.
    let mut per_day: BTreeMap<chrono::NaiveDate, u64> = BTreeMap::new();
    for t in created.values() {
        *per_day
            .entry(t.with_timezone(&Local).date_naive())
            .or_default() += 1;
    }
    assert!(per_day.len() >= 3, "three different days: {per_day:?}");
    drop(store);
    let kiosk = Kiosk::open(&KioskOptions::new(dir)).unwrap();
    for (day, n) in &per_day {
        let stats = kiosk.day_stats(*day).unwrap();
        assert_eq!(stats.signups_today, *n, "{day}");
        assert_eq!(stats.signups_total, 20);
        assert_eq!(stats.per_hour.iter().sum::<u64>(), *n, "{day}");
    }
    // The CLI under each odd clock still shows the fair and exports every row.
    for off in ["-1d", "+1y"] {
        let shown = bin(dir, Some(off), &["fair", "show"]);
        assert!(String::from_utf8_lossy(&shown.stdout).contains("sign-ups:  20"));
        let out = dir.join(format!("export{off}.csv"));
        bin(
            dir,
            Some(off),
            &["export", "--format", "csv", "--out", out.to_str().unwrap()],
        );
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.lines().count(), 21, "header + 20 rows at {off}");
    }
}

fn t0() -> DateTime<Utc> {
    "2027-02-15T09:00:00Z".parse().unwrap()
}

#[test]
fn a_pin_lock_taken_a_year_ahead_ends_five_minutes_after_the_clock_is_put_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    kiosk.set_staff_pin("2468").unwrap();
    let ahead = t0() + Duration::days(365);
    for _ in 0..5 {
        let _ = kiosk.verify_staff_pin_at("1111", ahead).unwrap();
    }
    assert!(matches!(
        kiosk.verify_staff_pin_at("2468", ahead).unwrap(),
        PinCheck::Locked { .. }
    ));
    // The clock is put right (a year back): still locked, but for 5 minutes, not a year.
    match kiosk.verify_staff_pin_at("2468", t0()).unwrap() {
        PinCheck::Locked { seconds_left } => assert!(seconds_left <= 300, "{seconds_left} s"),
        other => panic!("{other:?}"),
    }
    let later = t0() + Duration::seconds(301);
    assert_eq!(
        kiosk.verify_staff_pin_at("2468", later).unwrap(),
        PinCheck::Ok
    );
}

#[test]
fn a_last4_lock_then_the_clock_a_day_back_locks_for_thirty_minutes_not_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    let issued = kiosk.register(&common::draft(&kiosk, 7)).unwrap();
    let id = issued.registration_id;
    for _ in 0..5 {
        let _ = kiosk.check_last4_at(id, "0000", t0());
    }
    assert!(matches!(
        kiosk.check_last4_at(id, "0007", t0()),
        Err(Error::TooManyTries)
    ));
    let back = t0() - Duration::days(1);
    assert!(matches!(
        kiosk.check_last4_at(id, "0007", back),
        Err(Error::TooManyTries)
    ));
    let fixed = back + Duration::minutes(31);
    kiosk.check_last4_at(id, "0007", fixed).unwrap();
}
