//! Table `list_people`: the townships' willing workers and the employers' returning
//! staff, each with the code of their pre-printed ticket.

use super::Result;
use super::registrations::{self, NumberColumns, Numbers};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// One person on a list, as stored. `kind` is `willing` or `returning`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPersonRow {
    pub id: i64,
    pub kind: String,
    pub code: String,
    /// Returning staff: their employer's id at the fair.
    pub employer: Option<String>,
    pub name: String,
    /// The phone and resident ID: sealed, with masks and blind indexes (issue 17).
    pub numbers: Numbers,
    pub county: String,
    pub township: String,
    pub village: String,
    pub skills: String,
    pub source: String,
    pub line: u32,
    pub imported_at: DateTime<Utc>,
    /// Set once the person signed up at a kiosk.
    pub registration_id: Option<String>,
}

const COLUMNS: &str = "id, kind, code, employer, name, phone_masked, phone_blind,
    resident_id_masked, resident_id_blind, sealed, legacy_phone, legacy_resident_id, county,
    township, village, skills, source, line, imported_at, registration_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ListPersonRow> {
    let at: String = r.get(18)?;
    let numbers: NumberColumns = (
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    );
    let numbers = registrations::decode_numbers(numbers).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(ListPersonRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        code: r.get(2)?,
        employer: r.get(3)?,
        name: r.get(4)?,
        numbers,
        county: r.get(12)?,
        township: r.get(13)?,
        village: r.get(14)?,
        skills: r.get(15)?,
        source: r.get(16)?,
        line: r.get(17)?,
        imported_at: DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default(),
        registration_id: r.get(19)?,
    })
}

/// Inserts a person (`row.id` is ignored) and returns the new id. Fails with a
/// constraint error when the kind's phone or resident ID, or the code, is taken.
pub fn insert(conn: &Connection, row: &ListPersonRow) -> Result<i64> {
    let n = registrations::number_columns(&row.numbers);
    conn.execute(
        "INSERT INTO list_people (kind, code, employer, name, phone_masked, phone_blind,
             resident_id_masked, resident_id_blind, sealed, legacy_phone, legacy_resident_id,
             county, township, village, skills, source, line, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            row.kind,
            row.code,
            row.employer,
            row.name,
            n.0,
            n.1,
            n.2,
            n.3,
            n.4,
            n.5,
            n.6,
            row.county,
            row.township,
            row.village,
            row.skills,
            row.source,
            row.line,
            row.imported_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Whether a person of `kind` with this phone or this resident ID (blind indexes) is on file.
pub fn exists(
    conn: &Connection,
    kind: &str,
    phone_blind: &str,
    resident_id_blind: Option<&str>,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM list_people
             WHERE kind = ?1 AND (phone_blind = ?2
                   OR (?3 IS NOT NULL AND resident_id_blind = ?3))",
            params![kind, phone_blind, resident_id_blind],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether a code is taken.
pub fn code_taken(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM list_people WHERE code = ?1", [code], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

fn find(conn: &Connection, column: &str, value: &str) -> Result<Option<ListPersonRow>> {
    // Returning staff first (they have an employer to be matched to).
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM list_people WHERE {column} = ?1
                 ORDER BY kind = 'returning' DESC, id LIMIT 1"
            ),
            [value],
            from_row,
        )
        .optional()?)
}

/// The person whose phone has this blind index (returning staff before willing workers).
pub fn by_phone_blind(conn: &Connection, phone_blind: &str) -> Result<Option<ListPersonRow>> {
    find(conn, "phone_blind", phone_blind)
}

/// The person whose resident ID has this blind index (returning staff first).
pub fn by_resident_id_blind(
    conn: &Connection,
    resident_id_blind: &str,
) -> Result<Option<ListPersonRow>> {
    find(conn, "resident_id_blind", resident_id_blind)
}

/// The ids of the people whose numbers are still in clear (imported before schema 11).
pub fn legacy_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM list_people WHERE legacy_phone IS NOT NULL")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The ids of the sealed people without a box for the base.
pub fn without_base_box(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM list_people
         WHERE sealed IS NOT NULL AND json_extract(sealed, '$.base') IS NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the numbers of person `id` (sealing at the first unlock).
pub fn replace_numbers(conn: &Connection, id: i64, numbers: &Numbers) -> Result<()> {
    let n = registrations::number_columns(numbers);
    conn.prepare_cached(
        "UPDATE list_people SET phone_masked = ?2, phone_blind = ?3, resident_id_masked = ?4,
             resident_id_blind = ?5, sealed = ?6, legacy_phone = ?7, legacy_resident_id = ?8
         WHERE id = ?1",
    )?
    .execute(params![id, n.0, n.1, n.2, n.3, n.4, n.5, n.6])?;
    Ok(())
}

/// The person whose pre-printed ticket has this code.
pub fn by_code(conn: &Connection, code: &str) -> Result<Option<ListPersonRow>> {
    find(conn, "code", code)
}

/// The person with this id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<ListPersonRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM list_people WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// Everyone, by county, township, village and name (the order of the ticket sheet).
pub fn all(conn: &Connection) -> Result<Vec<ListPersonRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM list_people ORDER BY county, township, village, name, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Links the person to their sign-up.
pub fn set_registration(conn: &Connection, id: i64, registration_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE list_people SET registration_id = ?2 WHERE id = ?1",
        params![id, registration_id],
    )?;
    Ok(())
}
