//! The base's own SQLite file, `base.db` in its data dir: opening (mode 0600, WAL,
//! `synchronous=FULL`), migrations as data, and the small queries the routes and the
//! CLI share. The version lives in `PRAGMA user_version`, as in the kiosk store.

use super::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};
use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside the base's data dir.
pub const DB_FILE_NAME: &str = "base.db";

/// How long a writer waits for another connection (the CLI while the server runs).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Version 1: kiosks and their token hashes, records, conflicts parked for review,
/// published fairs.
const V1: &str = "
CREATE TABLE kiosks (
    name         TEXT PRIMARY KEY NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the token; the token is never stored
    created_at   TEXT NOT NULL
);
CREATE TABLE records (
    id          TEXT PRIMARY KEY NOT NULL,      -- the kiosk's client UUID
    kind        TEXT NOT NULL CHECK (kind IN ('registration', 'stage', 'check_in')),
    kiosk       TEXT NOT NULL,
    fair_id     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    payload     TEXT NOT NULL,                  -- the frozen JSON exactly as received
    received_at TEXT NOT NULL
);
CREATE INDEX records_by_kind ON records (kind, fair_id);
CREATE TABLE conflicts (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL,                  -- the record id already stored with another hash
    kiosk       TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    payload     TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (id, sha256)
);
CREATE TABLE fairs (
    id       TEXT PRIMARY KEY NOT NULL,
    revision INTEGER NOT NULL,                  -- bumped by every publish
    doc      TEXT NOT NULL                      -- the fair file as JSON
);
";

/// Every migration, oldest first. Append only; never edit a released one.
pub const MIGRATIONS: &[&str] = &[V1];

/// Opens (creating if needed) `<data_dir>/base.db`, migrated to the latest schema.
/// The data dir is made 0700 and the file 0600 before SQLite sees it.
pub fn open(data_dir: &Path) -> Result<Connection> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data_dir)
        .map_err(io(data_dir))?;
    let path = db_path(data_dir);
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(io(&path))?;
    std::fs::set_permissions(&path, Permissions::from_mode(0o600)).map_err(io(&path))?;
    let mut conn = Connection::open(&path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Pragma(mode));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// `<data_dir>/base.db`.
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE_NAME)
}

/// Runs the missing migrations, each in its own transaction with its version bump.
/// A file newer than this build is refused, never touched.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATIONS.len() as u32;
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(Error::NewerSchema { found, known });
    }
    for version in found..known {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Every kiosk with its token hash (few rows: compared in constant time by `auth`).
pub fn kiosk_hashes(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT name, token_sha256 FROM kiosks")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a kiosk with the hash of its token; an existing name is refused.
pub fn insert_kiosk(conn: &Connection, name: &str, token_sha256: &str, now: &str) -> Result<()> {
    let exists: Option<i64> = conn
        .query_row("SELECT 1 FROM kiosks WHERE name = ?1", [name], |r| r.get(0))
        .optional()?;
    if exists.is_some() {
        return Err(Error::KioskExists(name.to_string()));
    }
    conn.execute(
        "INSERT INTO kiosks (name, token_sha256, created_at) VALUES (?1, ?2, ?3)",
        params![name, token_sha256, now],
    )?;
    Ok(())
}

/// Stores a fair file (already validated), bumping its revision. Returns the new revision.
pub fn publish_fair(conn: &mut Connection, fair_id: &str, doc: &str) -> Result<i64> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let revision: i64 = tx.query_row(
        "INSERT INTO fairs (id, revision, doc) VALUES (?1, 1, ?2)
         ON CONFLICT (id) DO UPDATE SET revision = revision + 1, doc = excluded.doc
         RETURNING revision",
        params![fair_id, doc],
        |r| r.get(0),
    )?;
    tx.commit()?;
    Ok(revision)
}

/// The fair's current revision and document, if it was ever published.
pub fn fair(conn: &Connection, fair_id: &str) -> Result<Option<(u64, String)>> {
    Ok(conn
        .prepare_cached("SELECT revision, doc FROM fairs WHERE id = ?1")?
        .query_row([fair_id], |r| {
            // Revisions start at 1 and only grow (publish_fair); never negative.
            let revision: i64 = r.get(0)?;
            Ok((u64::try_from(revision).unwrap_or(0), r.get(1)?))
        })
        .optional()?)
}

/// Every kiosk's name and when it was added, by name.
pub fn kiosks(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT name, created_at FROM kiosks ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
