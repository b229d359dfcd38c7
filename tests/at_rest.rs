//! Issue 17's acceptance test: after a day of sign-ups, no phone number and no resident ID
//! number is anywhere under the data dir in plaintext — the database, its WAL and shared
//! memory, the sign-up journal, the config, the keys, free pages included (every byte of
//! every file is searched), in ASCII/UTF-8 and in UTF-16LE and UTF-16BE (the encodings
//! SQLite can store text in).
//!
//! A child process registers synthetic villagers (`dev register-loop`) and is killed
//! (SIGKILL) at random moments, seeded like `tests/power_cut.rs`
//! (`AT_REST_SEED=<n> cargo test --test at_rest -- --ignored` replays a run), until
//! hundreds are acknowledged; then every number a child could have written is searched.
//!
//! A second test builds a schema 9 data dir as the kiosk wrote it before sealing (numbers
//! in clear in the sign-ups, the outbox and the journal), finds them with the same search,
//! then opens and unlocks it as the new program does and searches again: nothing is left.

mod common;
#[path = "common/rng.rs"]
mod rng;

use jobfair_kiosk::app::{Error, Kiosk, KioskOptions, LockState};
use jobfair_kiosk::domain::phone::Phone;
use jobfair_kiosk::domain::resident_id::{ResidentId, synthesize};
use jobfair_kiosk::seal::Kdf;
use rng::Rng;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Acknowledged sign-ups to reach ("hundreds of villagers").
const TARGET: usize = 300;
/// Most acknowledgements read before a kill.
const MAX_ACKS: u64 = 40;
const MAX_DELAY_MS: u64 = 20;
/// Villager numbers per round (the child numbers phones and IDs from `--start`).
const NUMBERS_PER_ROUND: u32 = 10_000;

/// The phone and the resident ID of synthetic villager `n`, as `dev register-loop` makes
/// them (src/cli/dev.rs, `synthetic_draft`).
fn numbers_of(n: u32) -> [String; 2] {
    let phone = format!("139{:08}", n % 100_000_000);
    let base = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let birth = base + chrono::Days::new(u64::from(n / 1000) % 10_000);
    let id = synthesize("520000", birth, (n % 1000) as u16);
    [phone, id.as_str().to_string()]
}

/// `text` as ASCII, UTF-16LE and UTF-16BE bytes.
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

/// Every (file, number, encoding) where a number of `villagers` is found in clear.
fn plaintext_found(dir: &Path, villagers: &[u32]) -> Vec<String> {
    let numbers: Vec<String> = villagers.iter().flat_map(|&n| numbers_of(n)).collect();
    numbers_found(dir, &numbers)
}

/// Every (file, number, encoding) where one of `numbers` is found in clear under `dir`.
/// Each file is read once: every window of each needle length is looked up in a set.
fn numbers_found(dir: &Path, numbers: &[String]) -> Vec<String> {
    let mut needles: BTreeMap<usize, HashMap<Vec<u8>, String>> = BTreeMap::new();
    for number in numbers {
        for (encoding, needle) in ["ASCII", "UTF-16LE", "UTF-16BE"]
            .iter()
            .zip(encodings(number))
        {
            needles
                .entry(needle.len())
                .or_default()
                .insert(needle, format!("{number} in {encoding}"));
        }
    }
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    let mut found = BTreeSet::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (len, set) in &needles {
            for window in bytes.windows(*len) {
                if let Some(what) = set.get(window) {
                    found.insert(format!("{name} holds {what}"));
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_phone_or_resident_id_is_left_in_plaintext_after_sign_ups_cut_by_kills() {
    let seed = Rng::seed_from_env("AT_REST_SEED");
    println!("at_rest: seed {seed} (AT_REST_SEED={seed} replays this run)");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = 0usize;
    // Every villager number a child may have started writing: those acknowledged and the
    // one in flight at the kill.
    let mut villagers = Vec::new();
    let mut round = 0u32;
    common::ensure_keyring(dir.path());
    while acknowledged < TARGET {
        let acks = rng.range(1, MAX_ACKS);
        let delay = Duration::from_millis(rng.range(0, MAX_DELAY_MS));
        let start = round * NUMBERS_PER_ROUND;
        let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
            .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["dev", "register-loop", "--start"])
            .arg(start.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut this_round = 0u32;
        for _ in 0..acks {
            match lines.next() {
                Some(Ok(_)) => this_round += 1,
                _ => panic!("seed {seed}, round {round}: the child stopped acknowledging"),
            }
        }
        std::thread::sleep(delay);
        child.kill().unwrap();
        this_round += lines.map_while(Result::ok).count() as u32;
        child.wait().unwrap();
        acknowledged += this_round as usize;
        villagers.extend(start..=start + this_round);
        round += 1;
    }
    let found = plaintext_found(dir.path(), &villagers);
    assert!(
        found.is_empty(),
        "seed {seed}: {} plaintext finds for {} villagers ({acknowledged} acknowledged), e.g.:\n{}",
        found.len(),
        villagers.len(),
        found[..found.len().min(12)].join("\n")
    );
    // Nothing else got worse: unlocked, the kiosk finds every acknowledged villager by phone
    // and by resident ID, and opens their whole numbers with the staff key.
    let mut kiosk = common::open_kiosk(dir.path());
    let mut found_again = 0;
    for &n in &villagers {
        let [phone, id] = numbers_of(n);
        let phone = Phone::parse(&phone).unwrap();
        let id = ResidentId::parse(&id).unwrap();
        let Some(by_phone) = kiosk.lookup_existing(&phone, None).unwrap() else {
            continue; // the one in flight at a kill may never have been stored
        };
        let by_id = kiosk
            .lookup_by_resident_id(&id)
            .unwrap()
            .expect("found by ID");
        assert_eq!(by_id.registration_id, by_phone.registration_id);
        let whole = kiosk.numbers_of(by_phone.registration_id).unwrap();
        assert_eq!(
            (whole.phone.as_str(), whole.resident_id.as_deref()),
            (phone.as_str(), Some(id.as_str()))
        );
        found_again += 1;
    }
    assert!(
        found_again >= acknowledged,
        "{found_again} found of {acknowledged} acknowledged"
    );
    kiosk.lock();
    drop(kiosk);
    assert!(
        plaintext_found(dir.path(), &villagers).is_empty(),
        "after the lookups too"
    );
}

/// A schema 9 data dir as the kiosk left it before sealing: `n` sign-ups (villagers 0 to
/// n - 1) with their numbers in clear in `registrations`, in the outbox (half of it
/// confirmed by the base) and in the sign-up journal.
fn plaintext_data_dir(dir: &Path, n: u32) {
    use jobfair_kiosk::domain::records::{RecordKind, RegistrationRecord};
    use jobfair_kiosk::store::{Store, fairs, migrations, outbox};
    let path = dir.join("kiosk.db");
    let mut conn = Store::open_unmigrated(&path).unwrap();
    migrations::migrate_to(&mut conn, 9).unwrap();
    let fair = jobfair_kiosk::app::kiosk::demo_fair().unwrap();
    let now = chrono::Utc::now();
    fairs::install(&conn, &fair, now).unwrap();
    fairs::set_current(&conn, &fair.fair.id).unwrap();
    let opening = fair.openings[0].id;
    let tx = conn.transaction().unwrap();
    for v in 0..n {
        let [phone, id] = numbers_of(v);
        let rid = uuid::Uuid::now_v7();
        tx.execute(
            "INSERT INTO registrations (id, fair_id, short_code, kiosk_id, created_at,
                 updated_at, name, phone, resident_id, birth_date, sex, home_county,
                 home_township, home_village, consent_personal, consent_resident_id,
                 consent_share_phone, consent_text_version, ticket)
             VALUES (?1, ?2, ?3, 'kiosk-old', ?4, ?4, '测试村民', ?5, ?6, NULL, NULL, ?7, ?8,
                 ?9, 1, 1, 0, 1, 'JK1OLDTICKET')",
            rusqlite::params![
                rid.to_string(),
                fair.fair.id,
                format!("OLD{v:05}"),
                now.to_rfc3339(),
                phone,
                id,
                fair.fair.county,
                fair.fair.township,
                fair.fair.village,
            ],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO registration_openings (registration_id, opening_id, position)
             VALUES (?1, ?2, 0)",
            rusqlite::params![rid.to_string(), opening],
        )
        .unwrap();
        let record = RegistrationRecord {
            registration_id: rid.to_string(),
            fair_id: fair.fair.id.clone(),
            kiosk_id: "kiosk-old".into(),
            short_code: format!("OLD{v:05}"),
            at: now.to_rfc3339(),
            name: "测试村民".into(),
            phone: phone.clone(),
            resident_id: Some(id.clone()),
            birth_date: None,
            sex: None,
            home: Default::default(),
            consent: Default::default(),
            consent_text_version: 1,
            openings: vec![opening],
            sealed: None,
        };
        outbox::enqueue(
            &tx,
            uuid::Uuid::now_v7(),
            RecordKind::Registration,
            &record,
            now,
        )
        .unwrap();
    }
    // Ten people on a township's list (villagers n to n + 9), imported by the old program.
    for v in n..n + 10 {
        let [phone, id] = numbers_of(v);
        tx.execute(
            "INSERT INTO list_people (kind, code, name, phone, resident_id, source, line,
                 imported_at)
             VALUES ('willing', ?1, '名单村民', ?2, ?3, 'old.csv', ?4, ?5)",
            rusqlite::params![format!("LST{v:05}"), phone, id, v, now.to_rfc3339()],
        )
        .unwrap();
    }
    tx.execute(
        "UPDATE outbox SET state = 'sent', outcome = 'accepted', sent_at = ?1 WHERE seq % 2 = 0",
        [now.to_rfc3339()],
    )
    .unwrap();
    tx.commit().unwrap();
    drop(conn);
    // A journal entry as the old program wrote it: the record with the numbers in clear
    // (its sign-up is in the database, so replay keeps it; only its bytes linger).
    let [phone, id] = numbers_of(0);
    let mut journal =
        jobfair_kiosk::store::journal::Journal::open(&dir.join("kiosk.db-signups")).unwrap();
    let mut locked = journal.lock().unwrap();
    locked
        .write(
            format!("{{\"record\":{{\"phone\":\"{phone}\",\"resident_id\":\"{id}\"}}}}").as_bytes(),
        )
        .unwrap();
    locked.sync().unwrap();
}

#[test]
fn a_plaintext_data_dir_is_sealed_in_place_at_the_first_unlock_and_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let villagers: Vec<u32> = (0..210).collect();
    plaintext_data_dir(dir.path(), 200);
    // The search sees the old plaintext: the test can fail.
    let before = plaintext_found(dir.path(), &villagers);
    assert!(before.len() >= 420, "{} finds before", before.len());

    // The new program migrates the schema at open; the numbers stay until the unlock.
    let mut kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    assert_eq!(kiosk.lock_state(), LockState::NoPassphrase);
    assert!(matches!(
        kiosk.lookup_existing(&Phone::parse(&numbers_of(1)[0]).unwrap(), None),
        Err(Error::Locked)
    ));
    let done = kiosk
        .create_passphrase_with(common::PASSPHRASE, Kdf::with_costs(8, 1).unwrap())
        .unwrap();
    assert_eq!(
        (
            done.sealed_signups,
            done.sealed_records,
            done.sealed_list_people
        ),
        (200, 200, 10)
    );
    let after = plaintext_found(dir.path(), &villagers);
    assert!(
        after.is_empty(),
        "{} plaintext finds after the unlock, e.g.:\n{}",
        after.len(),
        after[..after.len().min(12)].join("\n")
    );
    // Every sign-up is still found, by phone and by ID, and opens whole.
    for v in [0, 1, 99, 199] {
        let [phone, id] = numbers_of(v);
        let existing = kiosk
            .lookup_existing(&Phone::parse(&phone).unwrap(), None)
            .unwrap()
            .expect("found by phone");
        let by_id = kiosk
            .lookup_by_resident_id(&ResidentId::parse(&id).unwrap())
            .unwrap()
            .expect("found by ID");
        assert_eq!(existing.registration_id, by_id.registration_id);
        assert_eq!(
            existing.phone_masked,
            jobfair_kiosk::protocol::masking::phone(&phone)
        );
        let whole = kiosk.numbers_of(existing.registration_id).unwrap();
        assert_eq!(whole.phone, phone);
        assert_eq!(whole.resident_id.as_deref(), Some(id.as_str()));
    }
    // The list's people too, by phone and by ID, whole once opened.
    for v in [200, 209] {
        let [phone, id] = numbers_of(v);
        let person = kiosk
            .find_on_list(&phone)
            .unwrap()
            .expect("on the list by phone");
        let by_id = kiosk.find_on_list(&id).unwrap().expect("on the list by ID");
        assert_eq!(person.id, by_id.id);
        let whole = kiosk.list_numbers(&person).unwrap();
        assert_eq!(
            (whole.phone.as_str(), whole.resident_id.as_deref()),
            (phone.as_str(), Some(id.as_str()))
        );
    }
    // A second unlock has nothing left to seal.
    kiosk.lock();
    assert_eq!(
        kiosk.unlock(common::PASSPHRASE).unwrap(),
        Default::default()
    );
    drop(kiosk);
    assert!(plaintext_found(dir.path(), &villagers).is_empty());
}

#[test]
fn the_search_finds_a_number_in_each_encoding_sqlite_may_use() {
    // The search itself must not be blind: a number planted in each encoding is found.
    let dir = tempfile::tempdir().unwrap();
    let [phone, id] = numbers_of(12_345);
    let [ascii, _, be] = encodings(&phone);
    let [_, le, _] = encodings(&id);
    std::fs::write(dir.path().join("a"), [b"xx".as_slice(), &ascii].concat()).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/b"), [le, be].concat()).unwrap();
    let found = plaintext_found(dir.path(), &[12_345, 12_346]);
    assert_eq!(
        found,
        [
            format!("a holds {phone} in ASCII"),
            format!("b holds {phone} in UTF-16BE"),
            format!("b holds {id} in UTF-16LE"),
        ]
    );
}

/// A list imported today (a township's CSV, kept outside the data dir) leaves no number in
/// clear under the data dir, and its people are still found by phone and by ID.
#[test]
fn a_list_imported_at_the_kiosk_leaves_no_number_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let people: Vec<u32> = (500..540).collect();
    let mut csv = String::from("姓名,手机,身份证号\n");
    for &v in &people {
        let [phone, id] = numbers_of(v);
        csv.push_str(&format!("名单村民,{phone},{id}\n"));
    }
    let list = outside.path().join("willing.csv");
    std::fs::write(&list, csv).unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    let report = kiosk
        .import_list(&list, jobfair_kiosk::domain::lists::ListKind::Willing, None)
        .unwrap();
    assert_eq!(report.added, 40);
    let [phone, id] = numbers_of(517);
    let person = kiosk.find_on_list(&phone).unwrap().expect("found by phone");
    assert_eq!(
        kiosk.find_on_list(&id).unwrap().map(|p| p.id),
        Some(person.id)
    );
    assert_eq!(
        person.numbers.phone_masked(),
        jobfair_kiosk::protocol::masking::phone(&phone)
    );
    // Importing the same list again adds nobody (the blind indexes are unique per list).
    let again = kiosk
        .import_list(&list, jobfair_kiosk::domain::lists::ListKind::Willing, None)
        .unwrap();
    assert_eq!((again.added, again.already_present), (0, 40));
    drop(kiosk);
    let found = plaintext_found(dir.path(), &people);
    assert!(found.is_empty(), "{found:?}");
    assert!(
        !plaintext_found(outside.path(), &people).is_empty(),
        "the search sees the CSV"
    );
}

/// The booths' cards: a booth keeps each candidate's card (name, home, the phone the villager
/// agreed to show employers) to list the day's candidates. On a registration kiosk used as a
/// booth and on a booth-only device set up from a booth kit, no shared phone is in clear under
/// the data dir, and the booth still lists every candidate with the phone after a restart.
#[test]
fn booth_cards_keep_no_shared_phone_in_clear_on_a_kiosk_or_a_booth_device() {
    use jobfair_kiosk::app::booth::ScanOutcome;
    use jobfair_kiosk::app::kit::{KitRole, install_kit};
    let dir = tempfile::tempdir().unwrap();
    let device = tempfile::tempdir().unwrap();
    let kits = tempfile::tempdir().unwrap();
    let villagers: Vec<u32> = (700..730).collect();
    let phones: Vec<String> = villagers
        .iter()
        .map(|&n| common::phone(n).as_str().to_string())
        .collect();
    let mut kiosk = common::open_kiosk(dir.path());
    let tickets: Vec<String> = villagers
        .iter()
        .map(|&n| {
            let draft = common::draft(&kiosk, n);
            assert!(draft.consent.share_phone);
            kiosk.register(&draft).unwrap().ticket
        })
        .collect();
    let employer = kiosk.fair().openings[0].employer.clone();
    let booth = kiosk.add_booth(&employer).unwrap().booth.id;
    let kit = kits.path().join("booth.json");
    kiosk.write_kit(KitRole::Booth, &kit).unwrap();
    install_kit(device.path(), &kit).unwrap();
    let mut booth_dev = Kiosk::open(&KioskOptions::new(device.path())).unwrap();
    assert!(booth_dev.is_booth_only());
    let dev_booth = booth_dev.add_booth(&employer).unwrap().booth.id;
    for (ticket, phone) in tickets.iter().zip(&phones) {
        for (k, b) in [(&mut kiosk, booth), (&mut booth_dev, dev_booth)] {
            let ScanOutcome::Candidate(c) = k.booth_scan(b, ticket).unwrap() else {
                panic!("the booth reads the ticket");
            };
            assert_eq!(c.card.phone.as_deref(), Some(phone.as_str()));
        }
    }
    drop(kiosk);
    drop(booth_dev);
    for (d, b) in [(dir.path(), booth), (device.path(), dev_booth)] {
        let found = numbers_found(d, &phones);
        assert!(found.is_empty(), "{}: {found:?}", d.display());
        let reopened = Kiosk::open(&KioskOptions::new(d)).unwrap();
        let listed = reopened.booth_candidates_today(b).unwrap();
        let mut shown: Vec<String> = listed.iter().filter_map(|c| c.card.phone.clone()).collect();
        shown.sort();
        assert_eq!(
            shown, phones,
            "every candidate with the phone, after a restart"
        );
        assert_eq!(listed[0].card.name, "测试村民");
    }
}

/// Cards a booth stored in clear before they were sealed are sealed when the device opens
/// (no unlock needed: the card key is the fair's), and the clear copies leave the files.
#[test]
fn booth_cards_stored_in_clear_by_an_older_version_are_sealed_at_open() {
    use jobfair_kiosk::app::booth::ScanOutcome;
    let dir = tempfile::tempdir().unwrap();
    let villagers: Vec<u32> = (800..810).collect();
    let phones: Vec<String> = villagers
        .iter()
        .map(|&n| common::phone(n).as_str().to_string())
        .collect();
    let mut kiosk = common::open_kiosk(dir.path());
    let employer = kiosk.fair().openings[0].employer.clone();
    let opening = kiosk.fair().openings[0].id;
    let booth = kiosk.add_booth(&employer).unwrap().booth.id;
    for &n in &villagers {
        let ticket = kiosk.register(&common::draft(&kiosk, n)).unwrap().ticket;
        assert!(matches!(
            kiosk.booth_scan(booth, &ticket).unwrap(),
            ScanOutcome::Candidate(_)
        ));
    }
    drop(kiosk);
    // What the version before wrote: the card as plain JSON.
    {
        let conn = rusqlite::Connection::open(dir.path().join("kiosk.db")).unwrap();
        let ids: Vec<String> = conn
            .prepare("SELECT registration_id FROM booth_candidates ORDER BY registration_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ids.len(), villagers.len());
        for (id, phone) in ids.iter().zip(&phones) {
            let card = format!(
                r#"{{"name":"测试村民","birth_year":1990,"sex":"male","township":"t","openings":[{opening}],"phone":"{phone}"}}"#
            );
            conn.execute(
                "UPDATE booth_candidates SET card = ?1 WHERE registration_id = ?2",
                rusqlite::params![card, id],
            )
            .unwrap();
        }
    }
    assert_eq!(
        numbers_found(dir.path(), &phones).len(),
        phones.len(),
        "the search finds each plain card's phone"
    );
    let reopened = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    assert_eq!(
        reopened.lock_state(),
        LockState::Locked,
        "no unlock was needed"
    );
    let mut shown: Vec<String> = reopened
        .booth_candidates_today(booth)
        .unwrap()
        .into_iter()
        .filter_map(|c| c.card.phone)
        .collect();
    shown.sort();
    let mut expected = phones.clone();
    expected.sort();
    assert_eq!(shown, expected);
    drop(reopened);
    let found = numbers_found(dir.path(), &phones);
    assert!(found.is_empty(), "{found:?}");
}
