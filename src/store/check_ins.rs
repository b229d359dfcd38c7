//! Table `check_ins`: villagers marked present at a fair, once each.

use super::Result;
use super::booths::parse_time;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Marks `registration_id` present at `fair_id`. Returns false (and changes nothing) when
/// it already was. Run it in the transaction that enqueues the check-in record.
pub fn insert(
    conn: &Connection,
    fair_id: &str,
    registration_id: &str,
    id: Uuid,
    at: DateTime<Utc>,
    kiosk_id: &str,
) -> Result<bool> {
    let n = conn.execute(
        "INSERT INTO check_ins (fair_id, registration_id, id, at, kiosk_id)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![
            fair_id,
            registration_id,
            id.to_string(),
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
            kiosk_id
        ],
    )?;
    Ok(n == 1)
}

/// When `registration_id` was checked in at `fair_id`, if it was.
pub fn get(
    conn: &Connection,
    fair_id: &str,
    registration_id: &str,
) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .query_row(
            "SELECT at FROM check_ins WHERE fair_id = ?1 AND registration_id = ?2",
            [fair_id, registration_id],
            |r| r.get(0),
        )
        .optional()?;
    at.map(|s| parse_time("check_ins", "at", &s)).transpose()
}

/// Number of villagers checked in at `fair_id`.
pub fn count(conn: &Connection, fair_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM check_ins WHERE fair_id = ?1",
        [fair_id],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}
