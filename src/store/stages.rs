//! Table `stage_events`: every stage a booth recorded, never changed afterwards. The
//! current stage of a candidate for an opening is the latest row.

use super::Result;
use super::booths::parse_time;
use crate::domain::stage::Stage;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// One recorded stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageEvent {
    /// UUID v7, also the id of its outbox record.
    pub id: Uuid,
    pub booth_id: i64,
    pub registration_id: String,
    pub opening_id: u16,
    pub stage: Stage,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// Stores `event`. Run it in the transaction that enqueues its record.
pub fn insert(conn: &Connection, event: &StageEvent) -> Result<()> {
    conn.execute(
        "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, note, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            event.id.to_string(),
            event.booth_id,
            event.registration_id,
            event.opening_id,
            event.stage.as_str(),
            event.note,
            event.at.to_rfc3339_opts(SecondsFormat::Millis, true)
        ],
    )?;
    Ok(())
}

fn corrupt(column: &'static str, value: String) -> super::Error {
    super::Error::Corrupt {
        table: "stage_events",
        column,
        value,
    }
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 4]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
}

fn event(
    booth_id: i64,
    registration_id: &str,
    opening_id: u16,
    cols: [String; 4],
) -> Result<StageEvent> {
    let [id, stage, note, at] = cols;
    Ok(StageEvent {
        id: Uuid::parse_str(&id).map_err(|_| corrupt("id", id.clone()))?,
        booth_id,
        registration_id: registration_id.to_string(),
        opening_id,
        stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage", stage.clone()))?,
        note,
        at: parse_time("stage_events", "at", &at)?,
    })
}

/// The latest stage of `registration_id` for `opening_id` at booth `booth_id`.
pub fn current(
    conn: &Connection,
    booth_id: i64,
    registration_id: &str,
    opening_id: u16,
) -> Result<Option<StageEvent>> {
    let cols = conn
        .query_row(
            "SELECT id, stage, note, at FROM stage_events
             WHERE booth_id = ?1 AND registration_id = ?2 AND opening_id = ?3
             ORDER BY at DESC, id DESC LIMIT 1",
            params![booth_id, registration_id, opening_id],
            read,
        )
        .optional()?;
    cols.map(|c| event(booth_id, registration_id, opening_id, c))
        .transpose()
}

/// Every stage recorded for `registration_id` at booth `booth_id`, oldest first.
pub fn history(conn: &Connection, booth_id: i64, registration_id: &str) -> Result<Vec<StageEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, stage, note, at, opening_id FROM stage_events
         WHERE booth_id = ?1 AND registration_id = ?2 ORDER BY at, id",
    )?;
    let rows = stmt.query_map(params![booth_id, registration_id], |r| {
        Ok((read(r)?, r.get::<_, u16>(4)?))
    })?;
    rows.map(|r| {
        let (cols, opening) = r?;
        event(booth_id, registration_id, opening, cols)
    })
    .collect()
}
