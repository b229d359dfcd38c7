//! Schema migrations as data: `MIGRATIONS[i]` takes the schema from version `i`
//! to `i + 1`. The version lives in `PRAGMA user_version`; each step runs in its
//! own transaction together with the version bump, so a crash leaves the file at
//! a whole version. A file newer than this build is refused, never touched.

use super::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// Version 1: fairs, kiosk state, registrations and their chosen openings.
const V1: &str = "
CREATE TABLE fairs (
    id           TEXT PRIMARY KEY NOT NULL,
    doc          TEXT NOT NULL,            -- the whole fair file as JSON
    installed_at TEXT NOT NULL             -- UTC RFC 3339
);
CREATE TABLE kiosk_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE registrations (
    id                   TEXT PRIMARY KEY NOT NULL,   -- UUID v7
    fair_id              TEXT NOT NULL REFERENCES fairs(id),
    short_code           TEXT NOT NULL,
    kiosk_id             TEXT NOT NULL,
    created_at           TEXT NOT NULL,               -- UTC RFC 3339, device clock
    updated_at           TEXT NOT NULL,
    name                 TEXT NOT NULL,
    phone                TEXT NOT NULL,
    resident_id          TEXT,
    birth_date           TEXT,                        -- YYYY-MM-DD
    sex                  TEXT CHECK (sex IN ('male', 'female')),
    home_county          TEXT NOT NULL,
    home_township        TEXT NOT NULL,
    home_village         TEXT NOT NULL,
    consent_personal     INTEGER NOT NULL CHECK (consent_personal IN (0, 1)),
    consent_resident_id  INTEGER NOT NULL CHECK (consent_resident_id IN (0, 1)),
    consent_share_phone  INTEGER NOT NULL CHECK (consent_share_phone IN (0, 1)),
    consent_text_version INTEGER NOT NULL,
    ticket               TEXT NOT NULL,
    UNIQUE (fair_id, short_code),
    UNIQUE (fair_id, phone),
    CHECK (resident_id IS NULL OR consent_resident_id = 1)
);
CREATE UNIQUE INDEX registrations_fair_resident_id
    ON registrations (fair_id, resident_id) WHERE resident_id IS NOT NULL;
CREATE TABLE registration_openings (
    registration_id TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    opening_id      INTEGER NOT NULL CHECK (opening_id BETWEEN 1 AND 65535),
    position        INTEGER NOT NULL,
    PRIMARY KEY (registration_id, opening_id)
) WITHOUT ROWID;
";

/// Version 2: staff PIN failures survive a restart; openings can be counted fast.
const V2: &str = "
CREATE TABLE pin_failures (
    scope        TEXT PRIMARY KEY NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER                     -- unix seconds, NULL when not locked
);
CREATE INDEX registration_openings_opening ON registration_openings (opening_id);
";

/// Version 3: the upload outbox, booths and their stage history, check-ins, the two
/// lists, and the audit log.
const V3: &str = "
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY,          -- local order of enqueueing
    id            TEXT NOT NULL UNIQUE,         -- client UUID of the record
    kind          TEXT NOT NULL CHECK (kind IN ('registration', 'stage', 'check_in')),
    payload       TEXT NOT NULL,                -- JSON as enqueued; never rewritten
    sha256        TEXT NOT NULL,                -- hex SHA-256 of payload
    enqueued_at   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'parked')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       TEXT,
    outcome       TEXT,                         -- accepted | duplicate | conflict | rejected
    parked_reason TEXT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
CREATE TABLE booths (
    id         INTEGER PRIMARY KEY,
    fair_id    TEXT NOT NULL REFERENCES fairs(id),
    employer   TEXT NOT NULL,
    pin_hash   TEXT NOT NULL,                   -- argon2 PHC string
    created_at TEXT NOT NULL,
    UNIQUE (fair_id, employer)
);
CREATE TABLE booth_candidates (
    booth_id        INTEGER NOT NULL REFERENCES booths(id),
    registration_id TEXT NOT NULL,              -- from the verified ticket
    card            TEXT,                       -- decrypted card JSON; NULL without consent
    first_seen_at   TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    PRIMARY KEY (booth_id, registration_id)
) WITHOUT ROWID;
CREATE TABLE stage_events (
    id              TEXT PRIMARY KEY NOT NULL,  -- UUID v7; also the outbox record id
    booth_id        INTEGER NOT NULL REFERENCES booths(id),
    registration_id TEXT NOT NULL,
    opening_id      INTEGER NOT NULL,
    stage           TEXT NOT NULL
        CHECK (stage IN ('interested', 'interviewed', 'offered', 'hired', 'declined')),
    note            TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL
);
CREATE INDEX stage_events_by_candidate ON stage_events (booth_id, registration_id, opening_id);
CREATE TABLE check_ins (
    fair_id         TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    id              TEXT NOT NULL UNIQUE,       -- UUID v7; also the outbox record id
    at              TEXT NOT NULL,
    kiosk_id        TEXT NOT NULL,
    PRIMARY KEY (fair_id, registration_id)
) WITHOUT ROWID;
CREATE TABLE list_people (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('willing', 'returning')),
    code            TEXT NOT NULL UNIQUE,       -- the pre-printed ticket's code
    employer        TEXT,                       -- returning staff: their employer
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    resident_id     TEXT,
    county          TEXT NOT NULL DEFAULT '',
    township        TEXT NOT NULL DEFAULT '',
    village         TEXT NOT NULL DEFAULT '',
    skills          TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL,              -- file name it came from
    line            INTEGER NOT NULL,           -- line (CSV) or row (XLSX) in that file
    imported_at     TEXT NOT NULL,
    registration_id TEXT,                       -- set once the person signed up at a kiosk
    UNIQUE (kind, phone)
);
CREATE UNIQUE INDEX list_people_resident_id
    ON list_people (kind, resident_id) WHERE resident_id IS NOT NULL;
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,                       -- staff | cli | booth:<id>
    action TEXT NOT NULL,                       -- export_unmasked, ...
    detail TEXT NOT NULL
);
";

/// Version 4: a sign-up writes fewer pages, and inserts no throw-away tables.
///
/// - `registration_openings_opening` goes: every query that counts per opening reads
///   all of a fair's choices anyway, and the index cost a sign-up up to three more
///   4 KiB pages in the WAL (one per chosen opening).
/// - `outbox.id` loses its unique index (one more page per sign-up): the upload
///   finds the rows it sent by `seq`, and every id is a fresh UUID v7 made where the
///   record is enqueued (the base deduplicates by id in any case).
/// - The `x IN ('a', 'b', 'c')` checks of `outbox` and `stage_events` become `OR`s:
///   SQLite builds a temporary b-tree (with its own page cache, allocated and freed
///   each time) for an `IN` list of three or more constants, on every insert.
///   SQLite cannot alter a check, so both tables are copied into new ones; their
///   rows, row numbers (`seq`) and indexes are kept. Nothing refers to either table.
const V4: &str = "
DROP INDEX registration_openings_opening;

CREATE TABLE outbox_v4 (
    seq           INTEGER PRIMARY KEY,          -- local order of enqueueing
    id            TEXT NOT NULL,                -- client UUID of the record (fresh v7)
    kind          TEXT NOT NULL
        CHECK (kind = 'registration' OR kind = 'stage' OR kind = 'check_in'),
    payload       TEXT NOT NULL,                -- JSON as enqueued; never rewritten
    sha256        TEXT NOT NULL,                -- hex SHA-256 of payload
    enqueued_at   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending'
        CHECK (state = 'pending' OR state = 'sent' OR state = 'parked'),
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       TEXT,
    outcome       TEXT,                         -- accepted | duplicate | conflict | rejected
    parked_reason TEXT
);
INSERT INTO outbox_v4 (seq, id, kind, payload, sha256, enqueued_at, state, attempts,
                       sent_at, outcome, parked_reason)
    SELECT seq, id, kind, payload, sha256, enqueued_at, state, attempts,
           sent_at, outcome, parked_reason
      FROM outbox ORDER BY seq;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';

CREATE TABLE stage_events_v4 (
    id              TEXT PRIMARY KEY NOT NULL,  -- UUID v7; also the outbox record id
    booth_id        INTEGER NOT NULL REFERENCES booths(id),
    registration_id TEXT NOT NULL,
    opening_id      INTEGER NOT NULL,
    stage           TEXT NOT NULL
        CHECK (stage = 'interested' OR stage = 'interviewed' OR stage = 'offered'
               OR stage = 'hired' OR stage = 'declined'),
    note            TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL
);
INSERT INTO stage_events_v4 (rowid, id, booth_id, registration_id, opening_id, stage, note, at)
    SELECT rowid, id, booth_id, registration_id, opening_id, stage, note, at
      FROM stage_events ORDER BY rowid;
DROP TABLE stage_events;
ALTER TABLE stage_events_v4 RENAME TO stage_events;
CREATE INDEX stage_events_by_candidate ON stage_events (booth_id, registration_id, opening_id);
";

/// Version 5: the newest ticket version this device has seen of each sign-up, so a
/// booth refuses an older ticket of it (a villager re-issued their ticket with other
/// openings). Format-1 tickets, printed before tickets had versions, count as 0.
const V5: &str = "
CREATE TABLE tickets_seen (
    fair_id         TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version BETWEEN 0 AND 65535),
    seen_at         TEXT NOT NULL,                -- UTC RFC 3339, when it was first seen
    PRIMARY KEY (fair_id, registration_id)
) WITHOUT ROWID;
";

/// Version 6: return-to-work transport (issue 16). One live seat request per sign-up
/// (`requested` with no departure yet, `assigned` a seat, or `waitlisted` in `queue`
/// order); a cancelled request stays as history. A seat number is taken at most once per
/// departure. `boardings` holds one row per villager who got on a departure. The checks
/// are `OR`s, not `IN` lists (see version 4).
const V6: &str = "
CREATE TABLE seat_requests (
    id              TEXT PRIMARY KEY NOT NULL,  -- UUID v7 of the request
    fair_id         TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    departure_id    TEXT,                       -- NULL while requested without a departure
    employer        TEXT,                       -- the employer the ride is for, when known
    state           TEXT NOT NULL
        CHECK (state = 'requested' OR state = 'assigned' OR state = 'waitlisted'
               OR state = 'cancelled'),
    seat            INTEGER CHECK (seat IS NULL OR seat >= 1),
    queue           INTEGER NOT NULL,           -- order of joining a queue, per fair
    requested_at    TEXT NOT NULL,              -- UTC RFC 3339
    updated_at      TEXT NOT NULL,
    source          TEXT NOT NULL,              -- kiosk | booth:<id> | staff | cli
    CHECK ((state = 'assigned') = (seat IS NOT NULL)),
    CHECK (departure_id IS NOT NULL OR state = 'requested' OR state = 'cancelled')
);
CREATE UNIQUE INDEX seat_requests_live
    ON seat_requests (fair_id, registration_id) WHERE state <> 'cancelled';
CREATE UNIQUE INDEX seat_requests_seat
    ON seat_requests (fair_id, departure_id, seat) WHERE seat IS NOT NULL;
CREATE INDEX seat_requests_queue ON seat_requests (fair_id, departure_id, state, queue);
CREATE TABLE boardings (
    fair_id         TEXT NOT NULL,
    departure_id    TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    id              TEXT NOT NULL,              -- UUID v7; the outbox record id
    seat            INTEGER,
    at              TEXT NOT NULL,              -- UTC RFC 3339
    device          TEXT NOT NULL,              -- kiosk id of the scanning device
    PRIMARY KEY (fair_id, departure_id, registration_id)
) WITHOUT ROWID;
";

/// Version 7: seat requests (each state change) and boardings are records for the base,
/// like sign-ups, stages and check-ins (issue 16). SQLite cannot alter a check, so the
/// outbox is copied into a new table as in version 4: rows, `seq` and the index kept.
const V7: &str = "
CREATE TABLE outbox_v7 (
    seq           INTEGER PRIMARY KEY,          -- local order of enqueueing
    id            TEXT NOT NULL,                -- client UUID of the record (fresh v7)
    kind          TEXT NOT NULL
        CHECK (kind = 'registration' OR kind = 'stage' OR kind = 'check_in'
               OR kind = 'seat' OR kind = 'boarding'),
    payload       TEXT NOT NULL,                -- JSON as enqueued; never rewritten
    sha256        TEXT NOT NULL,                -- hex SHA-256 of payload
    enqueued_at   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending'
        CHECK (state = 'pending' OR state = 'sent' OR state = 'parked'),
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       TEXT,
    outcome       TEXT,                         -- accepted | duplicate | conflict | rejected
    parked_reason TEXT
);
INSERT INTO outbox_v7 (seq, id, kind, payload, sha256, enqueued_at, state, attempts,
                       sent_at, outcome, parked_reason)
    SELECT seq, id, kind, payload, sha256, enqueued_at, state, attempts,
           sent_at, outcome, parked_reason
      FROM outbox ORDER BY seq;
DROP TABLE outbox;
ALTER TABLE outbox_v7 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
";

/// Version 8: where a sign-up was made (issue 15): at the kiosk's screen, from a
/// township's or employer's list, or on the villager's own phone over the kiosk's Wi-Fi.
/// Earlier sign-ups were all made at the screen.
const V8: &str = "
ALTER TABLE registrations ADD COLUMN source TEXT NOT NULL DEFAULT 'kiosk'
    CHECK (source = 'kiosk' OR source = 'list' OR source = 'phone');
";

/// Version 9: the ticket a phone was given, by its session cookie (issue 15), so that the
/// phone sees its ticket again after the kiosk restarted. Only the SHA-256 of the cookie is
/// kept; the row goes with the sign-up (a purge, retention).
const V9: &str = "
CREATE TABLE phone_tickets (
    token_sha256    TEXT PRIMARY KEY,           -- hex SHA-256 of the phone's session cookie
    registration_id TEXT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    created         INTEGER NOT NULL,           -- 1: a new sign-up; 0: an updated one
    lang            TEXT NOT NULL,              -- zh | en: the phone's language then
    issued_at       TEXT NOT NULL               -- UTC RFC 3339
) WITHOUT ROWID;
CREATE INDEX phone_tickets_by_registration ON phone_tickets (registration_id);
";

/// Version 10: phones and resident IDs are no longer kept in clear (issue 17). A sign-up
/// keeps masks for the screen (`phone_masked` `138****5678`, `resident_id_masked`), blind
/// indexes for "already registered" (`*_blind`: HMAC under the keyring's key, hex) and the
/// whole numbers sealed to the staff and the base (`sealed`, JSON of `SealedNumbers`).
/// Sign-ups stored before keep their numbers in `legacy_*` until the first unlock seals
/// them (`crate::app::Kiosk::unlock`); the table is rebuilt so that the old columns, their
/// UNIQUE constraint and index go (the freed pages are zeroed: `secure_delete`).
const V10: &str = "
CREATE TABLE registrations_v10 (
    id                   TEXT PRIMARY KEY NOT NULL,
    fair_id              TEXT NOT NULL REFERENCES fairs(id),
    short_code           TEXT NOT NULL,
    kiosk_id             TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    name                 TEXT NOT NULL,
    phone_masked         TEXT,
    phone_blind          TEXT,
    resident_id_masked   TEXT,
    resident_id_blind    TEXT,
    sealed               TEXT,
    legacy_phone         TEXT,
    legacy_resident_id   TEXT,
    birth_date           TEXT,
    sex                  TEXT CHECK (sex IN ('male', 'female')),
    home_county          TEXT NOT NULL,
    home_township        TEXT NOT NULL,
    home_village         TEXT NOT NULL,
    consent_personal     INTEGER NOT NULL CHECK (consent_personal IN (0, 1)),
    consent_resident_id  INTEGER NOT NULL CHECK (consent_resident_id IN (0, 1)),
    consent_share_phone  INTEGER NOT NULL CHECK (consent_share_phone IN (0, 1)),
    consent_text_version INTEGER NOT NULL,
    ticket               TEXT NOT NULL,
    source               TEXT NOT NULL DEFAULT 'kiosk'
        CHECK (source = 'kiosk' OR source = 'list' OR source = 'phone'),
    UNIQUE (fair_id, short_code),
    UNIQUE (fair_id, phone_blind),
    CHECK ((sealed IS NULL) = (phone_blind IS NULL)),
    CHECK ((sealed IS NULL) = (phone_masked IS NULL)),
    CHECK ((sealed IS NULL) <> (legacy_phone IS NULL)),
    CHECK ((resident_id_blind IS NULL) = (resident_id_masked IS NULL)),
    CHECK (resident_id_blind IS NULL OR consent_resident_id = 1),
    CHECK (legacy_resident_id IS NULL OR consent_resident_id = 1)
);
INSERT INTO registrations_v10 (id, fair_id, short_code, kiosk_id, created_at, updated_at,
    name, legacy_phone, legacy_resident_id, birth_date, sex, home_county, home_township,
    home_village, consent_personal, consent_resident_id, consent_share_phone,
    consent_text_version, ticket, source)
SELECT id, fair_id, short_code, kiosk_id, created_at, updated_at, name, phone, resident_id,
    birth_date, sex, home_county, home_township, home_village, consent_personal,
    consent_resident_id, consent_share_phone, consent_text_version, ticket, source
FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_v10 RENAME TO registrations;
CREATE UNIQUE INDEX registrations_fair_resident_id_blind
    ON registrations (fair_id, resident_id_blind) WHERE resident_id_blind IS NOT NULL;
CREATE INDEX registrations_legacy ON registrations (fair_id) WHERE legacy_phone IS NOT NULL;
";

/// Version 11: the lists' phones and resident IDs sealed as the sign-ups' are (version 10):
/// masks, blind indexes (unique per kind) and sealed boxes; rows imported before keep theirs
/// in `legacy_*` until the first unlock seals them.
const V11: &str = "
CREATE TABLE list_people_v11 (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('willing', 'returning')),
    code                TEXT NOT NULL UNIQUE,
    employer            TEXT,
    name                TEXT NOT NULL,
    phone_masked        TEXT,
    phone_blind         TEXT,
    resident_id_masked  TEXT,
    resident_id_blind   TEXT,
    sealed              TEXT,
    legacy_phone        TEXT,
    legacy_resident_id  TEXT,
    county              TEXT NOT NULL DEFAULT '',
    township            TEXT NOT NULL DEFAULT '',
    village             TEXT NOT NULL DEFAULT '',
    skills              TEXT NOT NULL DEFAULT '',
    source              TEXT NOT NULL,
    line                INTEGER NOT NULL,
    imported_at         TEXT NOT NULL,
    registration_id     TEXT,
    UNIQUE (kind, phone_blind),
    CHECK ((sealed IS NULL) = (phone_blind IS NULL)),
    CHECK ((sealed IS NULL) = (phone_masked IS NULL)),
    CHECK ((sealed IS NULL) <> (legacy_phone IS NULL)),
    CHECK ((resident_id_blind IS NULL) = (resident_id_masked IS NULL))
);
INSERT INTO list_people_v11 (id, kind, code, employer, name, legacy_phone, legacy_resident_id,
    county, township, village, skills, source, line, imported_at, registration_id)
SELECT id, kind, code, employer, name, phone, resident_id, county, township, village, skills,
    source, line, imported_at, registration_id
FROM list_people;
DROP TABLE list_people;
ALTER TABLE list_people_v11 RENAME TO list_people;
CREATE UNIQUE INDEX list_people_resident_id_blind
    ON list_people (kind, resident_id_blind) WHERE resident_id_blind IS NOT NULL;
CREATE INDEX list_people_legacy ON list_people (id) WHERE legacy_phone IS NOT NULL;
";

/// Every migration, oldest first. Append only; never edit a released one.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// `PRAGMA user_version` of the open database.
pub fn schema_version(conn: &Connection) -> Result<u32> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

/// Migrates to [`latest_version`], refusing a newer database.
pub fn to_latest(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, latest_version())
}

/// Migrates to `target` (tests build old schemas with it). Refuses a database
/// whose version is newer than this build knows.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let known = latest_version();
    let found = schema_version(conn)?;
    if found > known {
        return Err(Error::NewerSchema { found, known });
    }
    for version in found..target.min(known) {
        // A step may rebuild a table others refer to (version 10): foreign keys are off
        // while it runs (SQLite's way, <https://sqlite.org/lang_altertable.html>), and
        // checked before it commits.
        let step = |conn: &mut Connection| -> rusqlite::Result<()> {
            conn.pragma_update(None, "foreign_keys", "OFF")?;
            let tx = conn.transaction()?;
            tx.execute_batch(MIGRATIONS[version as usize])?;
            let broken: Option<String> = tx
                .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                .optional()?;
            if let Some(table) = broken {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
                    Some(format!("foreign key broken in {table}")),
                ));
            }
            tx.pragma_update(None, "user_version", version + 1)?;
            tx.commit()?;
            conn.pragma_update(None, "foreign_keys", "ON")
        };
        step(conn).map_err(|source| match Error::from(source) {
            Error::Sqlite(source) => Error::Migration {
                version: version + 1,
                source,
            },
            other => other,
        })?;
    }
    Ok(())
}
