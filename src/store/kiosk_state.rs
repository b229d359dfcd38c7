//! Table `kiosk_state`: small key/value facts about this kiosk (the current fair).

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Key of the id of the fair the kiosk shows.
pub const CURRENT_FAIR: &str = "current_fair";

/// The value under `key`, if any.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM kiosk_state WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Sets `key` to `value`.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO kiosk_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
