//! Table `boardings`: one row per villager who got on a departure, written once.

use super::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Records a boarding; returns false (and changes nothing) when this villager already
/// boarded this departure.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    fair_id: &str,
    departure_id: &str,
    registration_id: Uuid,
    id: Uuid,
    seat: Option<u32>,
    at: DateTime<Utc>,
    device: &str,
) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO boardings (fair_id, departure_id, registration_id, id, seat, at, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (fair_id, departure_id, registration_id) DO NOTHING",
        )?
        .execute(params![
            fair_id,
            departure_id,
            registration_id.to_string(),
            id.to_string(),
            seat,
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
            device,
        ])?;
    Ok(n == 1)
}

/// When this villager boarded this departure, if they did.
pub fn boarded_at(
    conn: &Connection,
    fair_id: &str,
    departure_id: &str,
    registration_id: Uuid,
) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .prepare_cached(
            "SELECT at FROM boardings
              WHERE fair_id = ?1 AND departure_id = ?2 AND registration_id = ?3",
        )?
        .query_row(
            params![fair_id, departure_id, registration_id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(at
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc)))
}

/// Registration ids boarded on a departure.
pub fn boarded(conn: &Connection, fair_id: &str, departure_id: &str) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT registration_id FROM boardings WHERE fair_id = ?1 AND departure_id = ?2",
    )?;
    let rows = stmt.query_map([fair_id, departure_id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for s in rows {
        if let Ok(id) = Uuid::parse_str(&s?) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Per departure of the fair: (departure id, boarded).
pub fn counts(conn: &Connection, fair_id: &str) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT departure_id, count(*) FROM boardings WHERE fair_id = ?1 GROUP BY departure_id",
    )?;
    let rows = stmt.query_map([fair_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
