//! Table `fairs`: each installed fair file, stored whole as JSON.

use super::{Error, Result, kiosk_state};
use crate::domain::fair::FairFile;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Installs `fair` (or replaces the stored document of the same id). Does not
/// change which fair is current.
pub fn install(conn: &Connection, fair: &FairFile, now: DateTime<Utc>) -> Result<()> {
    let doc = serde_json::to_string(fair).map_err(|source| Error::FairDoc {
        fair_id: fair.fair.id.clone(),
        source,
    })?;
    conn.execute(
        "INSERT INTO fairs (id, doc, installed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, installed_at = excluded.installed_at",
        params![
            fair.fair.id,
            doc,
            now.to_rfc3339_opts(SecondsFormat::Millis, true)
        ],
    )?;
    Ok(())
}

/// The stored fair `id`, if installed.
pub fn get(conn: &Connection, id: &str) -> Result<Option<FairFile>> {
    let doc: Option<String> = conn
        .query_row("SELECT doc FROM fairs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    doc.map(|doc| {
        serde_json::from_str(&doc).map_err(|source| Error::FairDoc {
            fair_id: id.to_string(),
            source,
        })
    })
    .transpose()
}

/// Makes the installed fair `id` the current one.
pub fn set_current(conn: &Connection, id: &str) -> Result<()> {
    kiosk_state::set(conn, kiosk_state::CURRENT_FAIR, id)
}

/// The id of the current fair, if one was chosen.
pub fn current_id(conn: &Connection) -> Result<Option<String>> {
    kiosk_state::get(conn, kiosk_state::CURRENT_FAIR)
}

/// The current fair, if one is installed and chosen.
pub fn current(conn: &Connection) -> Result<Option<FairFile>> {
    match current_id(conn)? {
        Some(id) => get(conn, &id),
        None => Ok(None),
    }
}
