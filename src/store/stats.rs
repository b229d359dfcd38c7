//! Counts for the staff panel: read-only queries over sign-ups, booth stages,
//! check-ins and the outbox of one fair.

use super::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// Sign-up times (UTC, RFC 3339) at `fair_id` in `[from, to)`.
pub fn signup_times(
    conn: &Connection,
    fair_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT created_at FROM registrations
         WHERE fair_id = ?1 AND created_at >= ?2 AND created_at < ?3",
    )?;
    let rows = stmt.query_map(params![fair_id, text(from), text(to)], |r| {
        r.get::<_, String>(0)
    })?;
    let mut out = Vec::new();
    for row in rows {
        if let Ok(t) = DateTime::parse_from_rfc3339(&row?) {
            out.push(t.with_timezone(&Utc));
        }
    }
    Ok(out)
}

/// Sign-ups per chosen opening at `fair_id` created in `[from, to)`, most first.
pub fn per_opening(
    conn: &Connection,
    fair_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(u16, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.opening_id, count(*) AS n FROM registration_openings o
         JOIN registrations r ON r.id = o.registration_id
         WHERE r.fair_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3
         GROUP BY o.opening_id ORDER BY n DESC, o.opening_id",
    )?;
    let rows = stmt.query_map(params![fair_id, text(from), text(to)], |r| {
        Ok((r.get::<_, i64>(0)? as u16, r.get::<_, i64>(1)? as u64))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sign-ups per home village ("township village") at `fair_id` in `[from, to)`, most first.
/// A home village with its township (names as stored; the UI puts them in its language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    pub township: String,
    pub village: String,
}

pub fn per_village(
    conn: &Connection,
    fair_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(Village, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT home_township, home_village, count(*) AS n FROM registrations
         WHERE fair_id = ?1 AND created_at >= ?2 AND created_at < ?3
         GROUP BY home_township, home_village ORDER BY n DESC, home_township, home_village",
    )?;
    let rows = stmt.query_map(params![fair_id, text(from), text(to)], |r| {
        Ok((
            Village {
                township: r.get(0)?,
                village: r.get(1)?,
            },
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Candidate-openings that ever reached each stage at this fair's booths.
/// Returned in the order interested, interviewed, offered, hired, declined.
pub fn stage_funnel(conn: &Connection, fair_id: &str) -> Result<[u64; 5]> {
    const STAGES: [&str; 5] = ["interested", "interviewed", "offered", "hired", "declined"];
    let mut stmt = conn.prepare_cached(
        "SELECT e.stage, count(DISTINCT e.registration_id || ':' || e.opening_id)
         FROM stage_events e JOIN booths b ON b.id = e.booth_id
         WHERE b.fair_id = ?1 GROUP BY e.stage",
    )?;
    let mut out = [0u64; 5];
    let rows = stmt.query_map([fair_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (stage, n) = row?;
        if let Some(i) = STAGES.iter().position(|s| *s == stage) {
            out[i] = n as u64;
        }
    }
    Ok(out)
}

/// Villagers checked in at `fair_id`.
pub fn check_ins(conn: &Connection, fair_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM check_ins WHERE fair_id = ?1",
        [fair_id],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
