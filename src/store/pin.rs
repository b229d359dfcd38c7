//! Table `pin_failures`: wrong PIN counts and lockouts, kept across restarts.

use super::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Scope of the staff PIN pad.
pub const STAFF: &str = "staff";

/// Wrong tries in a row, and the end of the lockout if one is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinFailures {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// The failures recorded for `scope` (none when never failed).
pub fn get(conn: &Connection, scope: &str) -> Result<PinFailures> {
    let row: Option<(i64, Option<i64>)> = conn
        .query_row(
            "SELECT failures, locked_until FROM pin_failures WHERE scope = ?1",
            [scope],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((failures, locked_until)) = row else {
        return Ok(PinFailures::default());
    };
    let locked_until = locked_until
        .map(|s| {
            DateTime::from_timestamp(s, 0).ok_or_else(|| Error::Corrupt {
                table: "pin_failures",
                column: "locked_until",
                value: s.to_string(),
            })
        })
        .transpose()?;
    Ok(PinFailures {
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
        locked_until,
    })
}

/// Records `state` for `scope`.
pub fn set(conn: &Connection, scope: &str, state: &PinFailures) -> Result<()> {
    conn.execute(
        "INSERT INTO pin_failures (scope, failures, locked_until) VALUES (?1, ?2, ?3)
         ON CONFLICT (scope) DO UPDATE
         SET failures = excluded.failures, locked_until = excluded.locked_until",
        params![
            scope,
            i64::from(state.failures),
            state.locked_until.map(|t| t.timestamp())
        ],
    )?;
    Ok(())
}

/// Forgets the failures of `scope` (after a right PIN, or a new PIN).
pub fn reset(conn: &Connection, scope: &str) -> Result<()> {
    conn.execute("DELETE FROM pin_failures WHERE scope = ?1", [scope])?;
    Ok(())
}
