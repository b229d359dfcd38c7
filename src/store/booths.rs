//! Tables `booths` and `booth_candidates`: the recruiters' booths of a fair, and who
//! came to each booth (the decrypted card, kept only with consent).

use super::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A booth: one employer of one fair, opened with its own PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoothRow {
    pub id: i64,
    pub fair_id: String,
    /// The employer's id in the fair file.
    pub employer: String,
    /// argon2 PHC string of the booth PIN.
    pub pin_hash: String,
}

/// A candidate seen at a booth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateRow {
    pub registration_id: String,
    /// The card as JSON (see `app::booth`).
    pub card: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn parse_time(
    table: &'static str,
    column: &'static str,
    s: &str,
) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt {
            table,
            column,
            value: s.to_string(),
        })
}

/// Adds a booth; returns its id.
pub fn insert(
    conn: &Connection,
    fair_id: &str,
    employer: &str,
    pin_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO booths (fair_id, employer, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![fair_id, employer, pin_hash, time_text(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Replaces the PIN hash of booth `id`.
pub fn set_pin_hash(conn: &Connection, id: i64, pin_hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE booths SET pin_hash = ?2 WHERE id = ?1",
        params![id, pin_hash],
    )?;
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BoothRow> {
    Ok(BoothRow {
        id: r.get(0)?,
        fair_id: r.get(1)?,
        employer: r.get(2)?,
        pin_hash: r.get(3)?,
    })
}

/// The booths of `fair_id`, in the order they were added.
pub fn list(conn: &Connection, fair_id: &str) -> Result<Vec<BoothRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, fair_id, employer, pin_hash FROM booths WHERE fair_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([fair_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Booth `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Option<BoothRow>> {
    Ok(conn
        .query_row(
            "SELECT id, fair_id, employer, pin_hash FROM booths WHERE id = ?1",
            [id],
            row,
        )
        .optional()?)
}

/// The booth of `employer` at `fair_id`.
pub fn find(conn: &Connection, fair_id: &str, employer: &str) -> Result<Option<BoothRow>> {
    Ok(conn
        .query_row(
            "SELECT id, fair_id, employer, pin_hash FROM booths WHERE fair_id = ?1 AND employer = ?2",
            [fair_id, employer],
            row,
        )
        .optional()?)
}

/// Records that `registration_id` was seen at booth `booth_id` now, with its card.
pub fn touch_candidate(
    conn: &Connection,
    booth_id: i64,
    registration_id: &str,
    card: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO booth_candidates (booth_id, registration_id, card, first_seen_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (booth_id, registration_id) DO UPDATE
         SET card = excluded.card, last_seen_at = excluded.last_seen_at",
        params![booth_id, registration_id, card, time_text(now)],
    )?;
    Ok(())
}

/// The cards of `fair_id`'s booths still stored as plain JSON (written before cards were
/// sealed, issue 17): booth id, registration id, card.
pub fn plain_cards(conn: &Connection, fair_id: &str) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT c.booth_id, c.registration_id, c.card FROM booth_candidates c
         JOIN booths b ON b.id = c.booth_id
         WHERE b.fair_id = ?1 AND c.card IS NOT NULL AND substr(c.card, 1, 3) <> 's1:'
         ORDER BY c.booth_id, c.registration_id",
    )?;
    let rows = stmt.query_map([fair_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the stored card of `registration_id` at booth `booth_id` (its times stay).
pub fn replace_card(
    conn: &Connection,
    booth_id: i64,
    registration_id: &str,
    card: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE booth_candidates SET card = ?3 WHERE booth_id = ?1 AND registration_id = ?2",
        params![booth_id, registration_id, card],
    )?;
    Ok(())
}

/// Forgets the card booth `booth_id` keeps of `registration_id` (a newer ticket no
/// longer shares it with this booth); its stage history stays.
pub fn forget_card(conn: &Connection, booth_id: i64, registration_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE booth_candidates SET card = NULL WHERE booth_id = ?1 AND registration_id = ?2",
        params![booth_id, registration_id],
    )?;
    Ok(())
}

/// Candidates of booth `booth_id` last seen at or after `since`, the latest first.
pub fn candidates_since(
    conn: &Connection,
    booth_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<CandidateRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT registration_id, card, first_seen_at, last_seen_at FROM booth_candidates
         WHERE booth_id = ?1 AND last_seen_at >= ?2
         ORDER BY last_seen_at DESC, registration_id",
    )?;
    let rows = stmt.query_map(params![booth_id, time_text(since)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|r| {
        let (registration_id, card, first, last) = r?;
        Ok(CandidateRow {
            registration_id,
            card,
            first_seen_at: parse_time("booth_candidates", "first_seen_at", &first)?,
            last_seen_at: parse_time("booth_candidates", "last_seen_at", &last)?,
        })
    })
    .collect()
}

/// The stored ticket text of the sign-up with this short code at `fair_id` (the booth's
/// keypad path on a registration kiosk).
pub fn ticket_by_short_code(
    conn: &Connection,
    fair_id: &str,
    code: &str,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT ticket FROM registrations WHERE fair_id = ?1 AND short_code = ?2",
            [fair_id, code],
            |r| r.get(0),
        )
        .optional()?)
}

/// The candidate `registration_id` of booth `booth_id`, if seen there.
pub fn candidate(
    conn: &Connection,
    booth_id: i64,
    registration_id: &str,
) -> Result<Option<CandidateRow>> {
    let row = conn
        .query_row(
            "SELECT card, first_seen_at, last_seen_at FROM booth_candidates
             WHERE booth_id = ?1 AND registration_id = ?2",
            params![booth_id, registration_id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    row.map(|(card, first, last)| {
        Ok(CandidateRow {
            registration_id: registration_id.to_string(),
            card,
            first_seen_at: parse_time("booth_candidates", "first_seen_at", &first)?,
            last_seen_at: parse_time("booth_candidates", "last_seen_at", &last)?,
        })
    })
    .transpose()
}
