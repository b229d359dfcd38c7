//! Table `boardings`: one row per villager who got on a departure, written once.

use super::{Result, outbox};
use crate::domain::records::{BoardingRecord, RecordKind};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// One boarding to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boarding<'a> {
    pub fair_id: &'a str,
    pub departure_id: &'a str,
    pub registration_id: Uuid,
    /// UUID v7: the row's and the outbox record's id.
    pub id: Uuid,
    pub seat: Option<u32>,
    /// The employer the ride is for (from the seat request), for the base's counts.
    pub employer: Option<&'a str>,
    pub at: DateTime<Utc>,
    /// Kiosk id of the scanning device.
    pub device: &'a str,
}

/// Records a boarding and enqueues it for the base; returns false (and changes nothing)
/// when this villager already boarded this departure.
pub fn insert(conn: &Connection, b: &Boarding<'_>) -> Result<bool> {
    let Boarding {
        fair_id,
        departure_id,
        registration_id,
        id,
        seat,
        employer,
        at,
        device,
    } = *b;
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
    if n == 1 {
        let record = BoardingRecord {
            registration_id: registration_id.to_string(),
            fair_id: fair_id.to_string(),
            kiosk_id: device.to_string(),
            departure_id: departure_id.to_string(),
            seat,
            employer: employer.map(str::to_string),
            at: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        outbox::enqueue(conn, id, RecordKind::Boarding, &record, at)?;
    }
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
