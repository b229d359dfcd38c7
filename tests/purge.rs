//! Retention and purge (issue 17): after a purge nothing of a purged villager's phone and
//! resident ID is anywhere under the data dir — database, WAL, shared memory, sign-up
//! journal, free pages included (every byte of every file, in ASCII/UTF-8, UTF-16LE and
//! UTF-16BE) — while what was not purged is still there and still works. The numbers are
//! never in clear (tests/at_rest.rs); what a sign-up leaves at rest is searched instead:
//! its masks, its blind indexes and its sealed boxes.

mod common;

use chrono::{Days, Utc};
use jobfair_kiosk::app::{Error, Kiosk, PinCheck, set_staff_pin};
use jobfair_kiosk::store::outbox::{self, Outcome};
use jobfair_kiosk::store::{audit, registrations};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn encodings(text: &str) -> [Vec<u8>; 3] {
    let le = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes().to_vec(), le, be]
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The villagers (of `ns`) whose phone or resident ID is found in some file under `dir`,
/// with the file. One pass over every file: each window is looked up among the needles.
fn found(dir: &Path, traces: &Traces, ns: impl IntoIterator<Item = u32>) -> Vec<(u32, PathBuf)> {
    let mut needles: BTreeMap<usize, HashMap<Vec<u8>, u32>> = BTreeMap::new();
    for n in ns {
        for number in &traces[&n] {
            for needle in encodings(number) {
                needles.entry(needle.len()).or_default().insert(needle, n);
            }
        }
    }
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for (len, set) in &needles {
            for window in bytes.windows(*len) {
                if let Some(&n) = set.get(window) {
                    out.insert((n, file.clone()));
                }
            }
        }
    }
    // One entry per villager (the first file).
    let mut seen = BTreeSet::new();
    out.into_iter().filter(|(n, _)| seen.insert(*n)).collect()
}

/// What each villager's sign-up leaves at rest: the numbers (never in clear, but searched
/// all the same), the phone's mask, both blind indexes and the start of each sealed box.
type Traces = HashMap<u32, Vec<String>>;

/// The traces of villagers `ns`, read while their sign-ups exist (the kiosk unlocked).
fn traces(kiosk: &Kiosk, ns: std::ops::RangeInclusive<u32>) -> Traces {
    ns.map(|n| {
        let phone = common::phone(n);
        let id = kiosk
            .lookup_existing(&phone, None)
            .unwrap()
            .expect("registered")
            .registration_id;
        let row = registrations::get(kiosk.store().conn(), id)
            .unwrap()
            .unwrap();
        let sealed = row.numbers.sealed().expect("sealed").clone();
        let mut t = vec![
            phone.as_str().to_string(),
            common::resident_id(n).as_str().to_string(),
            sealed.phone_masked.clone(),
            sealed.phone_blind.clone(),
            sealed.sealed.staff[..64].to_string(),
        ];
        t.extend(sealed.resident_id_blind.clone());
        t.extend(sealed.sealed.base.as_ref().map(|b| b[..64].to_string()));
        (n, t)
    })
    .collect()
}

fn register(kiosk: &mut Kiosk, ns: std::ops::RangeInclusive<u32>) {
    for n in ns {
        let draft = common::draft(kiosk, n);
        kiosk.register(&draft).unwrap();
    }
}

/// Marks every outbox record about villagers `ns` as accepted by the base, as the uploader
/// does with the base's answer.
fn confirm(kiosk: &Kiosk, ns: std::ops::RangeInclusive<u32>) {
    let conn = kiosk.store().conn();
    let ids: Vec<String> = ns
        .map(|n| {
            let existing = kiosk.lookup_existing(&common::phone(n), None).unwrap();
            existing.expect("registered").registration_id.to_string()
        })
        .collect();
    let mut seqs = Vec::new();
    for phone in &ids {
        let mut stmt = conn
            .prepare(
                "SELECT o.seq FROM outbox o
                 WHERE json_extract(o.payload, '$.registration_id') = ?1",
            )
            .unwrap();
        let found: Vec<i64> = stmt
            .query_map([phone], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!found.is_empty(), "villager {phone} has a record");
        seqs.extend(found);
    }
    outbox::record_sent(conn, &seqs, Outcome::Accepted, Utc::now()).unwrap();
}

fn wal_len(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("kiosk.db-wal")).map_or(0, |m| m.len())
}

#[test]
fn retention_purges_only_what_the_base_confirmed_and_leaves_no_trace_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    register(&mut kiosk, 1..=150);
    confirm(&kiosk, 1..=120);
    let fair_date = kiosk.fair().fair.date;
    let t = traces(&kiosk, 1..=150);
    assert_eq!(
        found(dir.path(), &t, 1..=150).len(),
        150,
        "the grep finds them before"
    );

    // 29 days after the fair: nothing is due.
    let early = kiosk
        .purge_expired(fair_date + Days::new(29), "test")
        .unwrap();
    assert!(early.is_empty());
    assert_eq!(kiosk.registration_count().unwrap(), 150);

    // 31 days after: the 120 confirmed go, the 30 not yet uploaded stay.
    let done = kiosk
        .purge_expired(fair_date + Days::new(31), "test")
        .unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].purged.registrations, 120);
    assert_eq!(done[0].purged.unconfirmed, 0);
    assert_eq!(kiosk.registration_count().unwrap(), 30);
    assert_eq!(
        outbox::pending_count(kiosk.store().conn()).unwrap(),
        30,
        "the records the base has not got are all still waiting"
    );
    let rows = audit::all(kiosk.store().conn()).unwrap();
    let purge = rows.iter().find(|r| r.action == "purge").expect("audited");
    assert!(
        purge.detail.contains("\"sign_ups\":120"),
        "{}",
        purge.detail
    );
    assert_eq!(
        wal_len(dir.path()),
        0,
        "the WAL was checkpointed and truncated"
    );

    // Nothing of the purged villagers lingers; the others are untouched.
    let left = found(dir.path(), &t, 1..=120);
    assert!(left.is_empty(), "purged numbers still on disk: {left:?}");
    assert_eq!(found(dir.path(), &t, 121..=150).len(), 30);

    // The kiosk goes on: the same phone registers again (a new fair day), a kept villager
    // is still found as registered.
    register(&mut kiosk, 1..=1);
    let kept = common::draft(&kiosk, 121);
    assert!(
        kiosk.register(&kept).is_err(),
        "a kept villager is still registered"
    );
    drop(kiosk);
    let kiosk = common::open_kiosk(dir.path());
    assert_eq!(kiosk.store().integrity_check().unwrap(), "ok");
    assert_eq!(
        registrations::count(kiosk.store().conn(), &kiosk.fair().fair.id).unwrap(),
        31
    );
}

#[test]
fn staff_purge_the_whole_fair_with_the_pin_and_nothing_lingers() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), "2468").unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    register(&mut kiosk, 1..=60);
    confirm(&kiosk, 1..=40);
    assert_eq!(kiosk.unconfirmed_records().unwrap(), 20);

    // A wrong PIN purges nothing.
    match kiosk.purge_current_fair("1111", "staff", 20) {
        Err(Error::StaffPin(PinCheck::Wrong { .. })) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(kiosk.registration_count().unwrap(), 60);

    // The staff were shown 20 unconfirmed records; one more sign-up came in meanwhile (a
    // phone): nothing is purged, they must look again.
    register(&mut kiosk, 61..=61);
    let t = traces(&kiosk, 1..=61);
    assert_eq!(
        found(dir.path(), &t, 1..=61).len(),
        61,
        "the search finds them before"
    );
    match kiosk.purge_current_fair("2468", "staff", 20) {
        Err(Error::MoreUnconfirmed {
            unconfirmed: 21,
            accepted: 20,
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(kiosk.registration_count().unwrap(), 61);

    let purged = kiosk.purge_current_fair("2468", "staff", 21).unwrap();
    assert_eq!(purged.registrations, 61);
    assert_eq!(purged.unconfirmed, 21, "the loss is counted");
    assert_eq!(kiosk.registration_count().unwrap(), 0);
    assert_eq!(outbox::pending_count(kiosk.store().conn()).unwrap(), 0);
    assert_eq!(wal_len(dir.path()), 0);
    let journal = std::fs::read(dir.path().join("kiosk.db-signups")).unwrap();
    assert!(
        journal[4096..].iter().all(|&b| b == 0),
        "the sign-up journal is overwritten"
    );
    let left = found(dir.path(), &t, 1..=61);
    assert!(left.is_empty(), "purged numbers still on disk: {left:?}");
    let rows = audit::all(kiosk.store().conn()).unwrap();
    assert!(
        rows.iter().any(|r| r.action == "purge"
            && r.actor == "staff"
            && r.detail.contains("\"unconfirmed_records\":21")),
        "{rows:?}"
    );
}

fn kiosk_cli(dir: &Path, args: &[&str], pin: Option<&str>) -> std::process::Output {
    common::ensure_keyring(dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    cmd.env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE);
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("JOBFAIR_STAFF_PIN");
    if let Some(pin) = pin {
        cmd.env("JOBFAIR_STAFF_PIN", pin);
    }
    cmd.output().unwrap()
}

#[test]
fn the_cli_refuses_to_lose_unsent_records_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), "2468").unwrap();
    let t = {
        let mut kiosk = common::open_kiosk(dir.path());
        register(&mut kiosk, 1..=5);
        traces(&kiosk, 1..=5)
    };
    let out = kiosk_cli(dir.path(), &["staff", "purge", "--fair"], Some("2468"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5 条记录未被基地确认"), "{err}");
    assert_eq!(found(dir.path(), &t, 1..=5).len(), 5, "nothing purged");

    let out = kiosk_cli(
        dir.path(),
        &["staff", "purge", "--fair", "--include-unsent"],
        Some("0000"),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("未清除") && err.contains("nothing purged"),
        "{err}"
    );
    assert_eq!(found(dir.path(), &t, 1..=5).len(), 5, "nothing purged");

    let out = kiosk_cli(
        dir.path(),
        &["staff", "purge", "--fair", "--include-unsent"],
        Some("2468"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("purged 5 sign-ups"));
    assert!(found(dir.path(), &t, 1..=5).is_empty());
}
