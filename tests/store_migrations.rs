//! Schema migrations: a fresh file gets every table, an old file is upgraded with
//! its rows kept, a newer file is refused untouched.

mod common;

use chrono::Utc;
use jobfair_kiosk::app::kiosk::demo_fair;
use jobfair_kiosk::domain::registration::{Consent, HomePlace};
use jobfair_kiosk::store::migrations::{self, MIGRATIONS, latest_version};
use jobfair_kiosk::store::registrations::{self, Numbers, RegistrationRow};
use jobfair_kiosk::store::{Error, Store, fairs, pin};
use std::path::Path;
use uuid::Uuid;

fn names(store: &Store, kind: &str) -> Vec<String> {
    store
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([kind], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn sample_row(fair_id: &str, n: u32) -> RegistrationRow {
    let now = Utc::now();
    RegistrationRow {
        id: Uuid::now_v7(),
        fair_id: fair_id.into(),
        short_code: format!("ABCDEF{n:02}"),
        kiosk_id: "kiosk-test0001".into(),
        created_at: now,
        updated_at: now,
        name: "测试村民".into(),
        numbers: Numbers::Legacy {
            phone: common::phone(n).as_str().into(),
            resident_id: None,
        },
        birth_date: None,
        sex: None,
        home: HomePlace::default(),
        consent: Consent {
            personal_data: true,
            ..Consent::default()
        },
        consent_text_version: 1,
        ticket: "JK1TEST".into(),
        openings: vec![3, 1],
    }
}

fn open_v1_with_rows(path: &Path) -> Vec<RegistrationRow> {
    let mut conn = Store::open_unmigrated(path).unwrap();
    migrations::migrate_to(&mut conn, 1).unwrap();
    assert_eq!(migrations::schema_version(&conn).unwrap(), 1);
    let fair = demo_fair().unwrap();
    fairs::install(&conn, &fair, Utc::now()).unwrap();
    fairs::set_current(&conn, &fair.fair.id).unwrap();
    let rows: Vec<_> = (0..3).map(|n| sample_row(&fair.fair.id, n)).collect();
    for row in &rows {
        insert_before_v10(&conn, row);
    }
    rows
}

/// Inserts `row` (legacy numbers) as schemas 1 to 9 stored it: the numbers in clear.
pub fn insert_before_v10(conn: &rusqlite::Connection, row: &RegistrationRow) {
    let Numbers::Legacy { phone, resident_id } = &row.numbers else {
        panic!("a legacy row");
    };
    let t = row
        .created_at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    conn.execute(
        "INSERT INTO registrations (id, fair_id, short_code, kiosk_id, created_at, updated_at,
             name, phone, resident_id, birth_date, sex, home_county, home_township, home_village,
             consent_personal, consent_resident_id, consent_share_phone, consent_text_version,
             ticket)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, NULL, NULL, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             ?16)",
        rusqlite::params![
            row.id.to_string(),
            row.fair_id,
            row.short_code,
            row.kiosk_id,
            t,
            row.name,
            phone,
            resident_id,
            row.home.county,
            row.home.township,
            row.home.village,
            row.consent.personal_data,
            row.consent.resident_id,
            row.consent.share_phone,
            row.consent_text_version,
            row.ticket,
        ],
    )
    .unwrap();
    for (position, opening) in row.openings.iter().enumerate() {
        conn.execute(
            "INSERT INTO registration_openings (registration_id, opening_id, position)
             VALUES (?1, ?2, ?3)",
            rusqlite::params![row.id.to_string(), opening, position as i64],
        )
        .unwrap();
    }
}

#[test]
fn there_is_more_than_one_migration_so_upgrades_are_exercised() {
    assert!(MIGRATIONS.len() >= 2);
    assert_eq!(latest_version() as usize, MIGRATIONS.len());
}

#[test]
fn all_migrations_apply_to_a_fresh_database_and_make_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    assert_eq!(
        names(&store, "table"),
        [
            "audit",
            "boardings",
            "booth_candidates",
            "booths",
            "check_ins",
            "fairs",
            "kiosk_state",
            "list_people",
            "outbox",
            "phone_tickets",
            "pin_failures",
            "registration_openings",
            "registrations",
            "seat_requests",
            "stage_events",
            "tickets_seen"
        ]
    );
    assert_eq!(
        names(&store, "index"),
        [
            "list_people_legacy",
            "list_people_resident_id_blind",
            "outbox_pending",
            "phone_tickets_by_registration",
            "registrations_fair_resident_id_blind",
            "registrations_legacy",
            "seat_requests_live",
            "seat_requests_queue",
            "seat_requests_seat",
            "stage_events_by_candidate"
        ]
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let fk: i64 = store
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = store
        .conn()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (fk, mode.as_str(), sync),
        (1, "wal", 2),
        "foreign keys, WAL, synchronous=FULL"
    );
}

#[test]
fn reopening_a_current_database_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
}

#[test]
fn a_schema_1_database_with_rows_is_upgraded_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let rows = open_v1_with_rows(&path);

    let store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    for row in &rows {
        let stored = registrations::get(store.conn(), row.id).unwrap().unwrap();
        assert_eq!(
            stored.numbers, row.numbers,
            "in clear until the first unlock"
        );
        assert_eq!(stored.openings, [3, 1]);
    }
    let fair_id = demo_fair().unwrap().fair.id;
    assert_eq!(registrations::count(store.conn(), &fair_id).unwrap(), 3);
    // The table of schema 2 works.
    let state = pin::PinFailures {
        failures: 2,
        locked_until: None,
    };
    pin::set(store.conn(), pin::STAFF, &state).unwrap();
    assert_eq!(pin::get(store.conn(), pin::STAFF).unwrap(), state);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_database_from_a_newer_program_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let newer = latest_version() + 1;
    {
        let conn = Store::open_unmigrated(&path).unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    let err = Store::open_file(&path).unwrap_err();
    assert!(
        matches!(err, Error::NewerSchema { found, known } if found == newer && known == latest_version()),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("newer jobfair-kiosk") && message.contains("upgrade the program"),
        "{message}"
    );
    let conn = Store::open_unmigrated(&path).unwrap();
    assert_eq!(migrations::schema_version(&conn).unwrap(), newer);
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 0, "nothing was created in the newer file");
}

#[test]
fn a_registration_for_an_unknown_fair_is_refused_by_the_foreign_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let err = registrations::insert(store.conn(), &sample_row("no-such-fair", 1)).unwrap_err();
    assert!(matches!(err, Error::Sqlite(_)), "{err:?}");
}

/// Schema 4 copied `outbox` and `stage_events` into tables with new checks: every
/// row, its `seq` or row number, and the indexes come through (but the one on
/// `outbox.id`); the checks still refuse what they refused.
#[test]
fn a_schema_3_outbox_and_stage_history_survive_the_copy_into_schema_4() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let fair = demo_fair().unwrap();
    {
        let mut conn = Store::open_unmigrated(&path).unwrap();
        migrations::migrate_to(&mut conn, 3).unwrap();
        fairs::install(&conn, &fair, Utc::now()).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO booths (id, fair_id, employer, pin_hash, created_at)
                 VALUES (7, '{fair}', '测试电子厂', 'x', '2026-11-27T08:00:00Z');
             INSERT INTO outbox (seq, id, kind, payload, sha256, enqueued_at, state, attempts,
                                 sent_at, outcome, parked_reason) VALUES
                 (5, 'a', 'registration', '{{}}', 'h1', '2026-11-27T08:00:00Z', 'sent', 1,
                  '2026-11-27T08:01:00Z', 'accepted', NULL),
                 (9, 'b', 'stage', '{{}}', 'h2', '2026-11-27T08:02:00Z', 'pending', 0,
                  NULL, NULL, NULL),
                 (12, 'c', 'check_in', '{{}}', 'h3', '2026-11-27T08:03:00Z', 'parked', 2,
                  '2026-11-27T08:04:00Z', 'conflict', '别处已登记 other kiosk');
             INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, note, at)
                 VALUES ('s2', 7, 'r1', 101, 'offered', '', '2026-11-27T09:00:00Z'),
                        ('s1', 7, 'r1', 101, 'interested', '面试 ok', '2026-11-27T08:30:00Z');",
            fair = fair.fair.id
        ))
        .unwrap();
    }
    let store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let outbox: Vec<(i64, String, String, String, i64, Option<String>)> = store
        .conn()
        .prepare("SELECT seq, id, kind, state, attempts, parked_reason FROM outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        outbox,
        [
            (5, "a".into(), "registration".into(), "sent".into(), 1, None),
            (9, "b".into(), "stage".into(), "pending".into(), 0, None),
            (
                12,
                "c".into(),
                "check_in".into(),
                "parked".into(),
                2,
                Some("别处已登记 other kiosk".into())
            ),
        ]
    );
    let stages: Vec<(i64, String, String, String)> = store
        .conn()
        .prepare("SELECT rowid, id, stage, note FROM stage_events ORDER BY rowid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stages,
        [
            (1, "s2".into(), "offered".into(), "".into()),
            (2, "s1".into(), "interested".into(), "面试 ok".into()),
        ]
    );
    // The partial index still serves the pending query; a new row continues `seq`.
    let plan: String = store
        .conn()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT seq FROM outbox WHERE state = 'pending' AND seq > 0 ORDER BY seq",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("outbox_pending"), "{plan}");
    store
        .conn()
        .execute_batch(
            "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at)
                 VALUES ('d', 'registration', '{}', 'h4', '2026-11-27T10:00:00Z')",
        )
        .unwrap();
    let seq: i64 = store
        .conn()
        .query_row("SELECT seq FROM outbox WHERE id = 'd'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seq, 13);
    // The rewritten checks refuse what the old ones refused.
    for bad in [
        "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES ('e', 'other', '', '', '')",
        "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at, state) VALUES ('e', 'stage', '', '', '', 'lost')",
        "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, at) VALUES ('s3', 7, 'r1', 101, 'fired', '')",
        "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, at) VALUES ('s3', 8, 'r1', 101, 'hired', '')",
    ] {
        let err = store.conn().execute_batch(bad).unwrap_err();
        assert!(
            err.to_string().contains("constraint failed"),
            "{bad}: {err}"
        );
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let fk: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
}

/// Inserting an outbox row or a stage builds no temporary b-tree any more (an `IN`
/// list of three constants in a check did, on every insert).
#[test]
fn inserts_on_the_sign_up_and_booth_paths_open_no_temporary_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for sql in [
        "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES ('a', 'stage', '', '', '')",
        "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, at) VALUES ('s', 1, 'r', 1, 'hired', '')",
        "INSERT INTO registration_openings (registration_id, opening_id, position) VALUES ('r', 1, 0)",
        "INSERT INTO seat_requests (id, fair_id, registration_id, departure_id, state, seat, queue, requested_at, updated_at, source) VALUES ('q', 'f', 'r', 'd', 'assigned', 1, 1, '', '', 'kiosk')",
        "INSERT INTO boardings (fair_id, departure_id, registration_id, id, seat, at, device) VALUES ('f', 'd', 'r', 'b', 1, '', 'k')",
    ] {
        let ops: Vec<String> = store
            .conn()
            .prepare(&format!("EXPLAIN {sql}"))
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            ops.iter().any(|op| op == "Insert" || op == "IdxInsert"),
            "{sql}: {ops:?}"
        );
        assert!(
            !ops.iter().any(|op| op == "OpenEphemeral"),
            "{sql}: {ops:?}"
        );
    }
}

/// Schema 6: a seat number is given once per departure, a sign-up has one live seat
/// request (cancelled ones stay as history), and an assigned request has a seat.
#[test]
fn the_seat_tables_refuse_a_seat_given_twice_and_a_second_live_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let insert = |id: &str, reg: &str, state: &str, seat: Option<u32>| {
        store.conn().execute(
            "INSERT INTO seat_requests (id, fair_id, registration_id, departure_id, state, seat,
                                        queue, requested_at, updated_at, source)
             VALUES (?1, 'f', ?2, 'bus-1', ?3, ?4, 1, '', '', 'kiosk')",
            rusqlite::params![id, reg, state, seat],
        )
    };
    insert("a", "r1", "assigned", Some(1)).unwrap();
    assert!(
        insert("b", "r2", "assigned", Some(1)).is_err(),
        "seat 1 twice"
    );
    assert!(
        insert("c", "r1", "waitlisted", None).is_err(),
        "second live request"
    );
    insert("d", "r1", "cancelled", None).unwrap();
    assert!(
        insert("e", "r3", "assigned", None).is_err(),
        "assigned without a seat"
    );
    assert!(
        insert("f", "r4", "waitlisted", Some(2)).is_err(),
        "a seat while waiting"
    );
    assert!(insert("g", "r5", "boarded", None).is_err(), "unknown state");
}

/// Schema 7 copied `outbox` into a table whose check also takes seat and boarding
/// records (issue 16): every row and its `seq` come through, the pending index serves,
/// the new kinds go in and an unknown kind is still refused.
#[test]
fn a_schema_6_outbox_survives_the_copy_into_schema_7_which_takes_seats_and_boardings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    {
        let mut conn = Store::open_unmigrated(&path).unwrap();
        migrations::migrate_to(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (seq, id, kind, payload, sha256, enqueued_at, state, attempts,
                                 sent_at, outcome, parked_reason) VALUES
                 (3, 'a', 'registration', '{}', 'h1', '2027-02-15T08:00:00Z', 'sent', 1,
                  '2027-02-15T08:01:00Z', 'accepted', NULL),
                 (4, 'b', 'check_in', '{}', 'h2', '2027-02-15T08:02:00Z', 'pending', 3,
                  NULL, NULL, '[unknown_fair] fair x'),
                 (8, 'c', 'stage', '{}', 'h3', '2027-02-15T08:03:00Z', 'parked', 2,
                  '2027-02-15T08:04:00Z', 'rejected', '[invalid] note');",
        )
        .unwrap();
        let refused = conn.execute_batch(
            "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES ('s', 'seat', '{}', 'h', '')",
        );
        assert!(refused.is_err(), "schema 6 refuses a seat record");
    }
    let store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let rows: Vec<(i64, String, String, String, i64, Option<String>)> = store
        .conn()
        .prepare("SELECT seq, id, kind, state, attempts, parked_reason FROM outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (3, "a".into(), "registration".into(), "sent".into(), 1, None),
            (
                4,
                "b".into(),
                "check_in".into(),
                "pending".into(),
                3,
                Some("[unknown_fair] fair x".into())
            ),
            (
                8,
                "c".into(),
                "stage".into(),
                "parked".into(),
                2,
                Some("[invalid] note".into())
            ),
        ]
    );
    for kind in ["seat", "boarding"] {
        store
            .conn()
            .execute(
                "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES (?1, ?1, '{}', 'h', '')",
                [kind],
            )
            .unwrap();
    }
    let seqs: Vec<i64> = store
        .conn()
        .prepare("SELECT seq FROM outbox WHERE kind IN ('seat', 'boarding') ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(seqs, [9, 10], "seq continues after the copy");
    let plan: String = store
        .conn()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT seq FROM outbox WHERE state = 'pending' AND seq > 0 ORDER BY seq",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("outbox_pending"), "{plan}");
    let err = store
        .conn()
        .execute_batch(
            "INSERT INTO outbox (id, kind, payload, sha256, enqueued_at) VALUES ('x', 'ride', '', '', '')",
        )
        .unwrap_err();
    assert!(err.to_string().contains("constraint failed"), "{err}");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
