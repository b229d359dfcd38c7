//! Table `phone_tickets`: which sign-up's ticket a phone was given, keyed by the SHA-256 of
//! the phone's session cookie (the cookie itself is never stored), so that the phone form
//! shows the ticket again after the kiosk restarted. Rows go with their sign-up
//! (`ON DELETE CASCADE`: a purge, retention).

use super::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A phone's ticket as remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneTicket {
    pub registration_id: Uuid,
    /// A new sign-up (else an earlier one updated on the duplicate path).
    pub created: bool,
    /// "zh" or "en".
    pub lang: String,
    pub issued_at: DateTime<Utc>,
}

/// Hex SHA-256 of a session cookie.
pub fn token_hash(token: &str) -> String {
    jobfair_protocol::sealed::to_hex(&Sha256::digest(token.as_bytes()))
}

/// Remembers (or replaces) the ticket of the phone holding `token`.
pub fn put(conn: &Connection, token: &str, t: &PhoneTicket) -> Result<()> {
    conn.execute(
        "INSERT INTO phone_tickets (token_sha256, registration_id, created, lang, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (token_sha256) DO UPDATE SET registration_id = excluded.registration_id,
             created = excluded.created, lang = excluded.lang, issued_at = excluded.issued_at",
        params![
            token_hash(token),
            t.registration_id.to_string(),
            t.created,
            t.lang,
            t.issued_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        ],
    )?;
    Ok(())
}

/// The ticket remembered for `token`, if any.
pub fn get(conn: &Connection, token: &str) -> Result<Option<PhoneTicket>> {
    let row = conn
        .query_row(
            "SELECT registration_id, created, lang, issued_at FROM phone_tickets
             WHERE token_sha256 = ?1",
            [token_hash(token)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((id, created, lang, at)) = row else {
        return Ok(None);
    };
    // A row this program did not write is as good as none.
    let (Ok(registration_id), Ok(issued_at)) =
        (Uuid::parse_str(&id), DateTime::parse_from_rfc3339(&at))
    else {
        return Ok(None);
    };
    Ok(Some(PhoneTicket {
        registration_id,
        created,
        lang,
        issued_at: issued_at.with_timezone(&Utc),
    }))
}

/// Forgets tickets issued before `before` (their cookies have expired); returns how many.
pub fn forget_before(conn: &Connection, before: DateTime<Utc>) -> Result<u64> {
    Ok(conn.execute(
        "DELETE FROM phone_tickets WHERE issued_at < ?1",
        [before.to_rfc3339_opts(SecondsFormat::Millis, true)],
    )? as u64)
}
