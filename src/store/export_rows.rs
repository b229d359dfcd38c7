//! The rows of the day's exports, read straight from `registrations`,
//! `registration_openings`, `stage_events` and `booths`.
//!
//! Each `for_each_*` walks one query row by row and lends the caller borrowed
//! text, so an export of 100,000 sign-ups never holds them all in memory. The
//! caller's error type only has to take a store error, so a writer's own error
//! can stop the walk and come back unchanged.

use super::registrations::{self, Numbers};
use super::{Error, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// One sign-up as exported; text borrowed from the current SQLite row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUp<'a> {
    pub id: &'a str,
    pub short_code: &'a str,
    pub kiosk_id: &'a str,
    /// UTC RFC 3339, as stored.
    pub created_at: &'a str,
    pub name: &'a str,
    /// The phone and resident ID: masked and sealed (issue 17).
    pub numbers: Numbers,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<&'a str>,
    /// `male` or `female`.
    pub sex: Option<&'a str>,
    pub county: &'a str,
    pub township: &'a str,
    pub village: &'a str,
    pub share_phone: bool,
    /// Chosen opening ids in the villager's order, joined with `;` (`"101;102"`).
    pub openings: &'a str,
    /// Where the sign-up was made: `kiosk`, `list` or `phone` (`store::sources`).
    pub source: &'a str,
}

/// One row of `stage_events` with its booth's employer and the sign-up's code and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageEvent<'a> {
    pub id: &'a str,
    /// UTC RFC 3339, as stored.
    pub at: &'a str,
    /// `booths.employer` as the booth was set up.
    pub employer: &'a str,
    pub registration_id: &'a str,
    /// Empty when the sign-up is not on this kiosk (scanned at a standalone booth).
    pub short_code: &'a str,
    pub name: &'a str,
    pub opening_id: i64,
    pub stage: &'a str,
    pub note: &'a str,
}

/// The stages a booth records, in funnel order.
pub const STAGES: [&str; 5] = ["interested", "interviewed", "offered", "hired", "declined"];

/// Sign-ups and candidates per stage for one opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpeningCounts {
    pub sign_ups: u64,
    /// Distinct candidates who reached each of [`STAGES`], in that order.
    pub stages: [u64; 5],
}

const SIGN_UPS: &str = "
SELECT r.id, r.short_code, r.kiosk_id, r.created_at, r.name, r.phone_masked, r.phone_blind,
       r.resident_id_masked, r.resident_id_blind, r.sealed, r.legacy_phone, r.legacy_resident_id,
       r.birth_date, r.sex, r.home_county, r.home_township, r.home_village,
       r.consent_share_phone,
       (SELECT group_concat(o.opening_id, ';' ORDER BY o.position)
          FROM registration_openings o WHERE o.registration_id = r.id),
       r.source
  FROM registrations r
 WHERE r.fair_id = ?1
 ORDER BY r.created_at, r.id";

const STAGE_EVENTS: &str = "
SELECT s.id, s.at, b.employer, s.registration_id, r.short_code, r.name, s.opening_id,
       s.stage, s.note
  FROM stage_events s
  JOIN booths b ON b.id = s.booth_id
  LEFT JOIN registrations r ON r.id = s.registration_id
 WHERE b.fair_id = ?1
 ORDER BY s.at, s.id";

/// Calls `f` with every sign-up at `fair_id`, oldest first.
pub fn for_each_sign_up<E: From<Error>>(
    conn: &Connection,
    fair_id: &str,
    mut f: impl FnMut(&SignUp<'_>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut stmt = conn.prepare_cached(SIGN_UPS).map_err(Error::from)?;
    let mut rows = stmt.query([fair_id]).map_err(Error::from)?;
    while let Some(row) = rows.next().map_err(Error::from)? {
        let sign_up = SignUp {
            id: text(row, 0)?,
            short_code: text(row, 1)?,
            kiosk_id: text(row, 2)?,
            created_at: text(row, 3)?,
            name: text(row, 4)?,
            numbers: registrations::decode_numbers((
                row.get(5).map_err(Error::from)?,
                row.get(6).map_err(Error::from)?,
                row.get(7).map_err(Error::from)?,
                row.get(8).map_err(Error::from)?,
                row.get(9).map_err(Error::from)?,
                row.get(10).map_err(Error::from)?,
                row.get(11).map_err(Error::from)?,
            ))?,
            birth_date: opt_text(row, 12)?,
            sex: opt_text(row, 13)?,
            county: text(row, 14)?,
            township: text(row, 15)?,
            village: text(row, 16)?,
            share_phone: row.get::<_, bool>(17).map_err(Error::from)?,
            openings: opt_text(row, 18)?.unwrap_or(""),
            source: text(row, 19)?,
        };
        f(&sign_up)?;
    }
    Ok(())
}

/// Calls `f` with every stage event at the booths of `fair_id`, oldest first.
pub fn for_each_stage_event<E: From<Error>>(
    conn: &Connection,
    fair_id: &str,
    mut f: impl FnMut(&StageEvent<'_>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut stmt = conn.prepare_cached(STAGE_EVENTS).map_err(Error::from)?;
    let mut rows = stmt.query([fair_id]).map_err(Error::from)?;
    while let Some(row) = rows.next().map_err(Error::from)? {
        let event = StageEvent {
            id: text(row, 0)?,
            at: text(row, 1)?,
            employer: text(row, 2)?,
            registration_id: text(row, 3)?,
            short_code: opt_text(row, 4)?.unwrap_or(""),
            name: opt_text(row, 5)?.unwrap_or(""),
            opening_id: row.get(6).map_err(Error::from)?,
            stage: text(row, 7)?,
            note: text(row, 8)?,
        };
        f(&event)?;
    }
    Ok(())
}

/// Number of stage events at the booths of `fair_id`.
pub fn stage_event_count(conn: &Connection, fair_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM stage_events s JOIN booths b ON b.id = s.booth_id
          WHERE b.fair_id = ?1",
        [fair_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Per opening id: how many sign-ups chose it, and how many distinct candidates
/// reached each stage at the booths of `fair_id`. Openings nobody chose or
/// staged are absent.
pub fn opening_counts(conn: &Connection, fair_id: &str) -> Result<BTreeMap<i64, OpeningCounts>> {
    let mut counts: BTreeMap<i64, OpeningCounts> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT o.opening_id, count(*) FROM registration_openings o
           JOIN registrations r ON r.id = o.registration_id
          WHERE r.fair_id = ?1 GROUP BY o.opening_id",
    )?;
    let mut rows = stmt.query([fair_id])?;
    while let Some(row) = rows.next()? {
        let n: i64 = row.get(1)?;
        counts.entry(row.get(0)?).or_default().sign_ups = n.max(0) as u64;
    }
    let mut stmt = conn.prepare(
        "SELECT s.opening_id, s.stage, count(DISTINCT s.registration_id) FROM stage_events s
           JOIN booths b ON b.id = s.booth_id
          WHERE b.fair_id = ?1 GROUP BY s.opening_id, s.stage",
    )?;
    let mut rows = stmt.query([fair_id])?;
    while let Some(row) = rows.next()? {
        let stage = text(row, 1)?;
        let Some(i) = STAGES.iter().position(|s| *s == stage) else {
            return Err(corrupt("stage_events", "stage", stage));
        };
        let n: i64 = row.get(2)?;
        counts.entry(row.get(0)?).or_default().stages[i] = n.max(0) as u64;
    }
    Ok(counts)
}

fn corrupt(table: &'static str, column: &'static str, value: &str) -> Error {
    Error::Corrupt {
        table,
        column,
        value: value.to_string(),
    }
}

/// Column `i` as UTF-8 text, borrowed from the row.
fn text<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r str> {
    opt_text(row, i)?.ok_or_else(|| corrupt("export", "NULL", &i.to_string()))
}

/// Column `i` as UTF-8 text or NULL, borrowed from the row.
fn opt_text<'r>(row: &'r Row<'_>, i: usize) -> Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| corrupt("export", "text", &i.to_string())),
        other => Err(corrupt("export", "type", &format!("{other:?}"))),
    }
}
