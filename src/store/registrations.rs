//! Tables `registrations` and `registration_openings`: the sign-ups.

use super::{Error, Result};
use crate::domain::records::SealedNumbers;
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
    /// The phone and resident ID: sealed, with masks and blind indexes (issue 17).
    pub numbers: Numbers,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub home: HomePlace,
    pub consent: Consent,
    pub consent_text_version: u32,
    /// The QR content of the latest ticket.
    pub ticket: String,
    pub openings: Vec<u16>,
}

/// A sign-up's phone and resident ID as the store keeps them (schema 10, issue 17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Numbers {
    Sealed(SealedRow),
    /// Stored before schema 10 and not sealed yet: the first unlock seals them
    /// (`crate::app::Kiosk::unlock`), and nothing else is written meanwhile.
    Legacy {
        phone: String,
        resident_id: Option<String>,
    },
}

/// The sealed form: what the screen shows, what lookups compare, and the sealed boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRow {
    /// `138****5678`.
    pub phone_masked: String,
    /// Blind index of the phone (32 hex digits, `crate::seal::BlindIndex`).
    pub phone_blind: String,
    /// `520000********001X`.
    pub resident_id_masked: Option<String>,
    pub resident_id_blind: Option<String>,
    /// The whole numbers, sealed to the staff and the base.
    pub sealed: SealedNumbers,
}

impl Numbers {
    /// The phone as a screen or a masked export shows it.
    pub fn phone_masked(&self) -> String {
        match self {
            Numbers::Sealed(s) => s.phone_masked.clone(),
            Numbers::Legacy { phone, .. } => crate::domain::phone::Phone::parse(phone)
                .map_or_else(|_| "*".repeat(phone.chars().count()), |p| p.masked()),
        }
    }

    /// The resident ID as a screen or a masked export shows it.
    pub fn resident_id_masked(&self) -> Option<String> {
        match self {
            Numbers::Sealed(s) => s.resident_id_masked.clone(),
            Numbers::Legacy { resident_id, .. } => resident_id.as_deref().map(|r| {
                crate::domain::resident_id::ResidentId::parse(r)
                    .map_or_else(|_| "*".repeat(r.chars().count()), |r| r.masked())
            }),
        }
    }

    /// The last 4 digits of the phone (the duplicate path's proof).
    pub fn phone_last4(&self) -> String {
        let masked = self.phone_masked();
        masked[masked.len().saturating_sub(4)..].to_string()
    }

    /// Whether a resident ID is on file.
    pub fn has_resident_id(&self) -> bool {
        match self {
            Numbers::Sealed(s) => s.resident_id_blind.is_some(),
            Numbers::Legacy { resident_id, .. } => resident_id.is_some(),
        }
    }

    /// The sealed form, if sealed.
    pub fn sealed(&self) -> Option<&SealedRow> {
        match self {
            Numbers::Sealed(s) => Some(s),
            Numbers::Legacy { .. } => None,
        }
    }
}

const COLUMNS: &str = "id, fair_id, short_code, kiosk_id, created_at, updated_at, name,
    phone_masked, phone_blind, resident_id_masked, resident_id_blind, sealed, legacy_phone,
    legacy_resident_id, birth_date, sex, home_county, home_township, home_village,
    consent_personal, consent_resident_id, consent_share_phone, consent_text_version, ticket";

/// The number columns of `numbers`: `(phone_masked, phone_blind, resident_id_masked,
/// resident_id_blind, sealed, legacy_phone, legacy_resident_id)`.
pub(crate) type NumberColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn number_columns(numbers: &Numbers) -> NumberColumns {
    match numbers {
        Numbers::Sealed(s) => (
            Some(s.phone_masked.clone()),
            Some(s.phone_blind.clone()),
            s.resident_id_masked.clone(),
            s.resident_id_blind.clone(),
            Some(serde_json::to_string(&s.sealed).expect("sealed numbers serialize")),
            None,
            None,
        ),
        Numbers::Legacy { phone, resident_id } => (
            None,
            None,
            None,
            None,
            None,
            Some(phone.clone()),
            resident_id.clone(),
        ),
    }
}

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
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO registrations ({COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
    ))?;
    let n = number_columns(&row.numbers);
    stmt.execute(params![
        row.id.to_string(),
        row.fair_id,
        row.short_code,
        row.kiosk_id,
        time_text(row.created_at),
        time_text(row.updated_at),
        row.name,
        n.0,
        n.1,
        n.2,
        n.3,
        n.4,
        n.5,
        n.6,
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

/// The sign-up whose phone has this blind index (hex) at `fair_id`.
pub fn find_by_phone_blind(
    conn: &Connection,
    fair_id: &str,
    phone_blind: &str,
) -> Result<Option<RegistrationRow>> {
    find(
        conn,
        "fair_id = ?1 AND phone_blind = ?2",
        &[&fair_id, &phone_blind],
    )
}

/// The sign-up whose resident ID has this blind index (hex) at `fair_id`.
pub fn find_by_resident_id_blind(
    conn: &Connection,
    fair_id: &str,
    resident_id_blind: &str,
) -> Result<Option<RegistrationRow>> {
    find(
        conn,
        "fair_id = ?1 AND resident_id_blind = ?2",
        &[&fair_id, &resident_id_blind],
    )
}

/// Replaces the numbers of sign-up `id` (sealing a legacy row at the first unlock, or
/// sealing again to a base key learnt since).
pub fn replace_numbers(conn: &Connection, id: Uuid, numbers: &Numbers) -> Result<()> {
    let n = number_columns(numbers);
    conn.prepare_cached(
        "UPDATE registrations SET phone_masked = ?2, phone_blind = ?3, resident_id_masked = ?4,
             resident_id_blind = ?5, sealed = ?6, legacy_phone = ?7, legacy_resident_id = ?8
         WHERE id = ?1",
    )?
    .execute(params![id.to_string(), n.0, n.1, n.2, n.3, n.4, n.5, n.6])?;
    Ok(())
}

/// The ids of the sign-ups whose numbers are still in clear (stored before schema 10).
pub fn legacy_ids(conn: &Connection) -> Result<Vec<Uuid>> {
    ids_where(conn, "legacy_phone IS NOT NULL")
}

/// The ids of the sealed sign-ups without a box for the base.
pub fn without_base_box(conn: &Connection) -> Result<Vec<Uuid>> {
    ids_where(
        conn,
        "sealed IS NOT NULL AND json_extract(sealed, '$.base') IS NULL",
    )
}

fn ids_where(conn: &Connection, condition: &str) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id FROM registrations WHERE {condition} ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in rows {
        let id = id?;
        out.push(Uuid::parse_str(&id).map_err(|_| corrupt("id", id))?);
    }
    Ok(out)
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
    numbers: NumberColumns,
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
            numbers: (
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ),
            birth_date: r.get(14)?,
            sex: r.get(15)?,
            row: RegistrationRow {
                id: Uuid::nil(),
                fair_id: r.get(1)?,
                short_code: r.get(2)?,
                kiosk_id: r.get(3)?,
                created_at: DateTime::UNIX_EPOCH,
                updated_at: DateTime::UNIX_EPOCH,
                name: r.get(6)?,
                numbers: Numbers::Legacy {
                    phone: String::new(),
                    resident_id: None,
                },
                birth_date: None,
                sex: None,
                home: HomePlace {
                    county: r.get(16)?,
                    township: r.get(17)?,
                    village: r.get(18)?,
                },
                consent: Consent {
                    personal_data: r.get(19)?,
                    resident_id: r.get(20)?,
                    share_phone: r.get(21)?,
                },
                consent_text_version: r.get(22)?,
                ticket: r.get(23)?,
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
        row.numbers = decode_numbers(self.numbers)?;
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

pub(crate) fn decode_numbers(n: NumberColumns) -> Result<Numbers> {
    let (
        phone_masked,
        phone_blind,
        resident_id_masked,
        resident_id_blind,
        sealed,
        legacy,
        legacy_id,
    ) = n;
    match (phone_masked, phone_blind, sealed, legacy) {
        (Some(phone_masked), Some(phone_blind), Some(sealed), None) => {
            let sealed = serde_json::from_str(&sealed).map_err(|_| corrupt("sealed", "…"))?;
            Ok(Numbers::Sealed(SealedRow {
                phone_masked,
                phone_blind,
                resident_id_masked,
                resident_id_blind,
                sealed,
            }))
        }
        (None, None, None, Some(phone)) => Ok(Numbers::Legacy {
            phone,
            resident_id: legacy_id,
        }),
        // Never the numbers themselves in an error message.
        _ => Err(corrupt("phone_blind", "neither sealed nor legacy")),
    }
}
