//! The sign-up journal: a sign-up is acknowledged once its journal entry is synced,
//! and SQLite commits it with `synchronous=NORMAL`. These tests play the power cut
//! that SIGKILL cannot (the kernel keeps a killed process's writes): the WAL loses
//! its last frames, and opening the store must put the lost sign-ups back.

mod common;

use common::{draft, open_kiosk};
use jobfair_kiosk::store::journal::Journal;
use jobfair_kiosk::store::sources::Source;
use jobfair_kiosk::store::{DB_FILE_NAME, Store};
use std::fs;
use std::path::Path;

/// Every row of the tables a sign-up writes, in a stable order.
fn dump(store: &Store) -> Vec<String> {
    let conn = store.conn();
    let mut out = Vec::new();
    for sql in [
        "SELECT id || '|' || short_code || '|' || created_at || '|' || phone_blind || '|' || sealed || '|' || ticket
                || '|' || source
           FROM registrations ORDER BY id",
        "SELECT registration_id || '|' || opening_id || '|' || position
           FROM registration_openings ORDER BY registration_id, position",
        "SELECT id || '|' || payload || '|' || sha256 || '|' || enqueued_at || '|' || state
           FROM outbox ORDER BY seq",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// Copies the data dir as a power cut would leave it: the WAL cut to `wal_len`
/// bytes (its later frames never reached the disk), the journal as it is, and
/// without the shared-memory index (rebuilt from the WAL on open).
fn copy_after_power_cut(from: &Path, to: &Path, wal_len: u64, with_journal: bool) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if !entry.file_type().unwrap().is_file() || name.ends_with("-shm") {
            continue;
        }
        if name.ends_with("-signups") && !with_journal {
            continue;
        }
        let mut bytes = fs::read(entry.path()).unwrap();
        if name.ends_with("-wal") {
            bytes.truncate(wal_len as usize);
        }
        fs::write(to.join(&name), bytes).unwrap();
    }
}

fn wal_len(dir: &Path) -> u64 {
    fs::metadata(dir.join(format!("{DB_FILE_NAME}-wal")))
        .map(|m| m.len())
        .unwrap_or(0)
}

fn journal_records(dir: &Path) -> usize {
    let path = Journal::path_for(&dir.join(DB_FILE_NAME));
    let mut journal = Journal::open(&path).unwrap();
    journal.lock().unwrap().records().unwrap().len()
}

#[test]
fn sign_ups_lost_from_the_wal_come_back_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let mut kiosk = open_kiosk(&live);
    assert!(kiosk.store().has_journal());
    kiosk.register(&draft(&kiosk, 1)).unwrap();
    // A durable point: everything so far is in the database file, the WAL is empty.
    kiosk
        .store()
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let durable_wal = wal_len(&live);
    // Two of them made on villagers' phones and one from a list: they come back as such.
    let issued: Vec<_> = (2..=6)
        .map(|n| {
            let source = match n {
                3 | 5 => Source::Phone,
                4 => Source::List,
                _ => Source::Kiosk,
            };
            kiosk.register_from(&draft(&kiosk, n), source).unwrap()
        })
        .collect();
    assert!(
        wal_len(&live) > durable_wal,
        "the sign-ups are in the WAL only"
    );
    assert_eq!(journal_records(&live), 6, "one journal entry per sign-up");
    let expected = dump(kiosk.store());

    // Without the journal the cut loses the five sign-ups: the simulation is real.
    let lost = tmp.path().join("without-journal");
    copy_after_power_cut(&live, &lost, durable_wal, false);
    let store = Store::open(&lost).unwrap();
    assert_eq!(
        jobfair_kiosk::store::registrations::get(store.conn(), issued[0].registration_id).unwrap(),
        None
    );
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM registrations"), 1);
    assert_eq!(count("SELECT count(*) FROM outbox"), 1);
    drop(store);

    // With it, opening puts them back exactly: same ids, codes, tickets, openings,
    // outbox payloads and hashes, in the same order.
    let cut = tmp.path().join("cut");
    copy_after_power_cut(&live, &cut, durable_wal, true);
    let reopened = open_kiosk(&cut);
    assert_eq!(dump(reopened.store()), expected);
    assert_eq!(reopened.store().integrity_check().unwrap(), "ok");
    assert_eq!(reopened.registration_count().unwrap(), 6);
    let sources: Vec<String> = reopened
        .store()
        .conn()
        .prepare("SELECT source FROM registrations ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        sources,
        ["kiosk", "kiosk", "phone", "list", "phone", "kiosk"]
    );
    assert_eq!(
        journal_records(&cut),
        0,
        "the journal was retired once durable"
    );
    drop(reopened);
    // And nothing twice when opened again.
    let again = open_kiosk(&cut);
    assert_eq!(dump(again.store()), expected);
}

#[test]
fn reopening_after_a_clean_run_changes_nothing_and_retires_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(tmp.path());
    for n in 1..=3 {
        kiosk.register(&draft(&kiosk, n)).unwrap();
    }
    let expected = dump(kiosk.store());
    drop(kiosk);
    let kiosk = open_kiosk(tmp.path());
    assert_eq!(dump(kiosk.store()), expected);
    assert_eq!(journal_records(tmp.path()), 0);
}

#[test]
fn refused_sign_ups_leave_no_journal_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(tmp.path());
    kiosk.register(&draft(&kiosk, 1)).unwrap();
    // The same villager again: refused as a duplicate.
    assert!(kiosk.register(&draft(&kiosk, 1)).is_err());
    assert_eq!(journal_records(tmp.path()), 1);
    // A full disk: the sign-ups that fit are stored and journalled; the one that
    // does not is neither, and is not put back on reopening.
    let pages: u32 = kiosk
        .store()
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    kiosk.store().limit_pages(pages).unwrap();
    let mut stored = 1;
    let err = loop {
        match kiosk.register(&draft(&kiosk, 1 + stored)) {
            Ok(_) => stored += 1,
            Err(e) => break e,
        }
        assert!(stored < 500, "the page cap never filled");
    };
    assert!(
        matches!(err, jobfair_kiosk::app::Error::DiskFull),
        "{err:?}"
    );
    assert_eq!(journal_records(tmp.path()), stored as usize);
    drop(kiosk);
    let kiosk = open_kiosk(tmp.path());
    assert_eq!(kiosk.registration_count().unwrap(), u64::from(stored));
}

#[test]
fn a_full_journal_is_retired_and_the_sign_ups_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(tmp.path());
    // The header's epoch changes when the journal is retired.
    let path = Journal::path_for(&tmp.path().join(DB_FILE_NAME));
    let epoch = || fs::read(&path).unwrap()[8..16].to_vec();
    let first = epoch();
    let mut retired_at = None;
    for n in 1..=3000 {
        kiosk.register(&draft(&kiosk, n)).unwrap();
        if epoch() != first {
            retired_at = Some(n);
            break;
        }
    }
    let n = retired_at.expect("the 1 MiB journal fills within 3,000 sign-ups");
    assert!(n > 300, "retired after {n} sign-ups only");
    assert_eq!(
        journal_records(tmp.path()),
        1,
        "a new epoch with the last one"
    );
    assert_eq!(kiosk.registration_count().unwrap(), u64::from(n));
    assert_eq!(kiosk.store().integrity_check().unwrap(), "ok");
}

/// What a durable sign-up costs is mostly the pages its commit writes to the WAL:
/// the registration row and its four lookups (id, phone, short code, resident ID),
/// its openings, the outbox row and the pending index. Schema 4 took two pages off
/// (the per-opening index, the outbox id index); this keeps them off.
#[test]
fn a_sign_up_commit_writes_eight_pages_to_the_wal() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(tmp.path());
    for n in 1..=30 {
        kiosk.register(&draft(&kiosk, n)).unwrap();
    }
    let mut frames = Vec::new();
    for n in 31..=40 {
        kiosk
            .store()
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        assert_eq!(wal_len(tmp.path()), 0);
        kiosk.register(&draft(&kiosk, n)).unwrap();
        frames.push((wal_len(tmp.path()) - 32) / (4096 + 24));
    }
    frames.sort();
    eprintln!("WAL frames per sign-up: {frames:?}");
    // Most commits write 8 pages; one that splits a page writes a few more.
    assert!(frames[frames.len() / 2] <= 8, "{frames:?}");
    assert!(
        frames[0] >= 6,
        "{frames:?}: fewer pages than rows and indexes?"
    );
}
