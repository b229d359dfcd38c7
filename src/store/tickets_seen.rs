//! Table `tickets_seen`: the newest ticket version this device has seen (scanned at a
//! booth, or issued here) of each sign-up of a fair. Versions only go up.

use super::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// The newest version of `registration_id`'s ticket seen at `fair_id`, if any.
pub fn newest(conn: &Connection, fair_id: &str, registration_id: &str) -> Result<Option<u16>> {
    let version: Option<i64> = conn
        .prepare_cached(
            "SELECT version FROM tickets_seen WHERE fair_id = ?1 AND registration_id = ?2",
        )?
        .query_row([fair_id, registration_id], |r| r.get(0))
        .optional()?;
    Ok(version.and_then(|v| u16::try_from(v).ok()))
}

/// Records that version `version` of `registration_id`'s ticket was seen at `at`; an
/// older or equal version changes nothing.
pub fn record(
    conn: &Connection,
    fair_id: &str,
    registration_id: &str,
    version: u16,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO tickets_seen (fair_id, registration_id, version, seen_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (fair_id, registration_id) DO UPDATE
         SET version = excluded.version, seen_at = excluded.seen_at
         WHERE excluded.version > tickets_seen.version",
    )?
    .execute(params![
        fair_id,
        registration_id,
        version,
        at.to_rfc3339_opts(SecondsFormat::Millis, true)
    ])?;
    Ok(())
}

/// What [`see`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The newest version seen so far (now recorded).
    Newest,
    /// An older version than one seen before: `newest`.
    Superseded { newest: u16 },
}

/// Records a scanned version unless a newer one was seen before, and says which.
pub fn see(
    conn: &Connection,
    fair_id: &str,
    registration_id: &str,
    version: u16,
    at: DateTime<Utc>,
) -> Result<Seen> {
    match newest(conn, fair_id, registration_id)? {
        Some(newest) if newest > version => Ok(Seen::Superseded { newest }),
        _ => {
            record(conn, fair_id, registration_id, version, at)?;
            Ok(Seen::Newest)
        }
    }
}
