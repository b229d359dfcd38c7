//! Tables `registrations` and `registration_openings`: the sign-ups.

use super::{Error, Result};
use crate::domain::registration::{Consent, HomePlace};
use crate::domain::sex::Sex;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::BTreeSet;
use uuid::Uuid;

/// One stored sign-up with its chosen openings in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    pub id: Uuid,
    pub fair_id: String,
    pub short_code: String,
    pub kiosk_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub name: String,
    pub phone: String,
    pub resident_id: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub home: HomePlace,
    pub consent: Consent,
    pub consent_text_version: u32,
    /// The QR content of the latest ticket.
    pub ticket: String,
    pub openings: Vec<u16>,
}

const COLUMNS: &str = "id, fair_id, short_code, kiosk_id, created_at, updated_at, name, phone,
    resident_id, birth_date, sex, home_county, home_township, home_village, consent_personal,
    consent_resident_id, consent_share_phone, consent_text_version, ticket";

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn sex_text(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

fn corrupt(column: &'static str, value: impl Into<String>) -> Error {
    Error::Corrupt {
        table: "registrations",
        column,
        value: value.into(),
    }
}

/// Inserts the sign-up and its openings. Run it inside a transaction.
pub fn insert(conn: &Connection, row: &RegistrationRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO registrations ({COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
    ))?
    .execute(params![
            row.id.to_string(),
            row.fair_id,
            row.short_code,
            row.kiosk_id,
            time_text(row.created_at),
            time_text(row.updated_at),
            row.name,
            row.phone,
            row.resident_id,
            row.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            row.sex.map(sex_text),
            row.home.county,
            row.home.township,
            row.home.village,
            row.consent.personal_data,
            row.consent.resident_id,
            row.consent.share_phone,
            row.consent_text_version,
            row.ticket,
    ])?;
    // A new id has no openings yet: nothing to delete first.
    insert_openings(conn, &row.id.to_string(), &row.openings)
}

/// Replaces the chosen openings of `id` with `openings`, in order.
pub fn replace_openings(conn: &Connection, id: Uuid, openings: &[u16]) -> Result<()> {
    let id = id.to_string();
    conn.prepare_cached("DELETE FROM registration_openings WHERE registration_id = ?1")?
        .execute([&id])?;
    insert_openings(conn, &id, openings)
}

fn insert_openings(conn: &Connection, id: &str, openings: &[u16]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO registration_openings (registration_id, opening_id, position)
         VALUES (?1, ?2, ?3)",
    )?;
    for (position, opening) in openings.iter().enumerate() {
        stmt.execute(params![id, opening, position as i64])?;
    }
    Ok(())
}

/// Stores a fresh ticket for `id` and sets `updated_at`.
pub fn update_ticket(conn: &Connection, id: Uuid, ticket: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE registrations SET ticket = ?2, updated_at = ?3 WHERE id = ?1",
        params![id.to_string(), ticket, time_text(now)],
    )?;
    Ok(())
}

/// The sign-up `id`, at any fair.
pub fn get(conn: &Connection, id: Uuid) -> Result<Option<RegistrationRow>> {
    find(conn, "id = ?1", &[&id.to_string()])
}

/// The sign-up with this phone at `fair_id`.
pub fn find_by_phone(
    conn: &Connection,
    fair_id: &str,
    phone: &str,
) -> Result<Option<RegistrationRow>> {
    find(conn, "fair_id = ?1 AND phone = ?2", &[&fair_id, &phone])
}

/// The sign-up with this resident ID at `fair_id`.
pub fn find_by_resident_id(
    conn: &Connection,
    fair_id: &str,
    resident_id: &str,
) -> Result<Option<RegistrationRow>> {
    find(
        conn,
        "fair_id = ?1 AND resident_id = ?2",
        &[&fair_id, &resident_id],
    )
}

/// The sign-up with this short code (`ABCDEFGH`, no dash) at `fair_id`.
pub fn find_by_short_code(
    conn: &Connection,
    fair_id: &str,
    short_code: &str,
) -> Result<Option<RegistrationRow>> {
    find(
        conn,
        "fair_id = ?1 AND short_code = ?2",
        &[&fair_id, &short_code],
    )
}

/// Whether `short_code` is already used at `fair_id`.
pub fn short_code_taken(conn: &Connection, fair_id: &str, short_code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM registrations WHERE fair_id = ?1 AND short_code = ?2")?
        .query_row([fair_id, short_code], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The ids of every sign-up at `fair_id`, oldest first.
pub fn ids(conn: &Connection, fair_id: &str) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM registrations WHERE fair_id = ?1 ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([fair_id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in rows {
        let id = id?;
        out.push(Uuid::parse_str(&id).map_err(|_| super::Error::Corrupt {
            table: "registrations",
            column: "id",
            value: id,
        })?);
    }
    Ok(out)
}

/// Number of sign-ups at `fair_id`.
pub fn count(conn: &Connection, fair_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM registrations WHERE fair_id = ?1",
        [fair_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Every opening id chosen by some sign-up at `fair_id`.
pub fn chosen_openings(conn: &Connection, fair_id: &str) -> Result<BTreeSet<u16>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT o.opening_id FROM registration_openings o
         JOIN registrations r ON r.id = o.registration_id WHERE r.fair_id = ?1",
    )?;
    let ids = stmt
        .query_map([fair_id], |r| r.get::<_, u16>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn find(
    conn: &Connection,
    condition: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Option<RegistrationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE {condition}");
    let Some(raw) = conn
        .prepare_cached(&sql)?
        .query_row(args, RawRow::read)
        .optional()?
    else {
        return Ok(None);
    };
    let mut row = raw.decode()?;
    let mut stmt = conn.prepare_cached(
        "SELECT opening_id FROM registration_openings WHERE registration_id = ?1 ORDER BY position",
    )?;
    row.openings = stmt
        .query_map([row.id.to_string()], |r| r.get::<_, u16>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(row))
}

/// The columns as SQLite gives them, before parsing ids, times and enums.
struct RawRow {
    id: String,
    created_at: String,
    updated_at: String,
    birth_date: Option<String>,
    sex: Option<String>,
    row: RegistrationRow,
}

impl RawRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow {
            id: r.get(0)?,
            created_at: r.get(4)?,
            updated_at: r.get(5)?,
            birth_date: r.get(9)?,
            sex: r.get(10)?,
            row: RegistrationRow {
                id: Uuid::nil(),
                fair_id: r.get(1)?,
                short_code: r.get(2)?,
                kiosk_id: r.get(3)?,
                created_at: DateTime::UNIX_EPOCH,
                updated_at: DateTime::UNIX_EPOCH,
                name: r.get(6)?,
                phone: r.get(7)?,
                resident_id: r.get(8)?,
                birth_date: None,
                sex: None,
                home: HomePlace {
                    county: r.get(11)?,
                    township: r.get(12)?,
                    village: r.get(13)?,
                },
                consent: Consent {
                    personal_data: r.get(14)?,
                    resident_id: r.get(15)?,
                    share_phone: r.get(16)?,
                },
                consent_text_version: r.get(17)?,
                ticket: r.get(18)?,
                openings: Vec::new(),
            },
        })
    }

    fn decode(self) -> Result<RegistrationRow> {
        let mut row = self.row;
        row.id = Uuid::parse_str(&self.id).map_err(|_| corrupt("id", self.id.clone()))?;
        let time = |column, s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| corrupt(column, s))
        };
        row.created_at = time("created_at", &self.created_at)?;
        row.updated_at = time("updated_at", &self.updated_at)?;
        row.birth_date = self
            .birth_date
            .map(|s| {
                NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| corrupt("birth_date", s))
            })
            .transpose()?;
        row.sex = self
            .sex
            .map(|s| match s.as_str() {
                "male" => Ok(Sex::Male),
                "female" => Ok(Sex::Female),
                _ => Err(corrupt("sex", s)),
            })
            .transpose()?;
        Ok(row)
    }
}
