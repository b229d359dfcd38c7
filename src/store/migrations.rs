//! Schema migrations as data: `MIGRATIONS[i]` takes the schema from version `i`
//! to `i + 1`. The version lives in `PRAGMA user_version`; each step runs in its
//! own transaction together with the version bump, so a crash leaves the file at
//! a whole version. A file newer than this build is refused, never touched.

use super::{Error, Result};
use rusqlite::Connection;

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

/// Every migration, oldest first. Append only; never edit a released one.
pub const MIGRATIONS: &[&str] = &[V1, V2];

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
        let step = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            tx.execute_batch(MIGRATIONS[version as usize])?;
            tx.pragma_update(None, "user_version", version + 1)?;
            tx.commit()
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
