//! Column `registrations.source`: where a sign-up was made (schema version 8).

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Where a sign-up was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Source {
    /// At the kiosk's touch screen.
    #[default]
    Kiosk,
    /// From a township's or employer's list.
    List,
    /// On the villager's own phone, over the kiosk's Wi-Fi (the phone form).
    Phone,
}

impl Source {
    /// The stored (and exported) text.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Kiosk => "kiosk",
            Source::List => "list",
            Source::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "kiosk" => Some(Source::Kiosk),
            "list" => Some(Source::List),
            "phone" => Some(Source::Phone),
            _ => None,
        }
    }
}

/// Sets the source of sign-up `id` (inside the transaction that inserts it).
pub fn set(conn: &Connection, id: Uuid, source: Source) -> Result<()> {
    conn.prepare_cached("UPDATE registrations SET source = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), source.as_str()])?;
    Ok(())
}

/// The source of sign-up `id`, if it exists.
pub fn get(conn: &Connection, id: Uuid) -> Result<Option<Source>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT source FROM registrations WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.as_deref().and_then(Source::parse))
}

/// Sign-ups at `fair_id` made from `source`.
pub fn count(conn: &Connection, fair_id: &str, source: Source) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM registrations WHERE fair_id = ?1 AND source = ?2",
        params![fair_id, source.as_str()],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
