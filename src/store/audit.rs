//! Table `audit`: who did what with personal data, and when. Rows are only added.

use super::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, params};

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    /// UTC RFC 3339.
    pub at: String,
    /// `staff`, `cli`, `booth:<id>`.
    pub actor: String,
    /// `export_unmasked`, ...
    pub action: String,
    pub detail: String,
}

/// Appends a row. Run it inside the transaction of the action it records, if any.
pub fn record(
    conn: &Connection,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
        params![
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
            actor,
            action,
            detail
        ],
    )?;
    Ok(())
}

/// Every row, oldest first.
pub fn all(conn: &Connection) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare("SELECT id, at, actor, action, detail FROM audit ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
