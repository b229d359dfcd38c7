//! Table `list_people`: the townships' willing workers and the employers' returning
//! staff, each with the code of their pre-printed ticket.

use super::Result;
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
    pub phone: String,
    pub resident_id: Option<String>,
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

const COLUMNS: &str = "id, kind, code, employer, name, phone, resident_id, county, township,
    village, skills, source, line, imported_at, registration_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ListPersonRow> {
    let at: String = r.get(13)?;
    Ok(ListPersonRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        code: r.get(2)?,
        employer: r.get(3)?,
        name: r.get(4)?,
        phone: r.get(5)?,
        resident_id: r.get(6)?,
        county: r.get(7)?,
        township: r.get(8)?,
        village: r.get(9)?,
        skills: r.get(10)?,
        source: r.get(11)?,
        line: r.get(12)?,
        imported_at: DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default(),
        registration_id: r.get(14)?,
    })
}

/// Inserts a person (`row.id` is ignored) and returns the new id. Fails with a
/// constraint error when the kind's phone or resident ID, or the code, is taken.
pub fn insert(conn: &Connection, row: &ListPersonRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO list_people (kind, code, employer, name, phone, resident_id, county,
             township, village, skills, source, line, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            row.kind,
            row.code,
            row.employer,
            row.name,
            row.phone,
            row.resident_id,
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

/// Whether a person of `kind` with this phone or this resident ID is on file.
pub fn exists(
    conn: &Connection,
    kind: &str,
    phone: &str,
    resident_id: Option<&str>,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM list_people
             WHERE kind = ?1 AND (phone = ?2 OR (?3 IS NOT NULL AND resident_id = ?3))",
            params![kind, phone, resident_id],
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

/// The person with this phone (returning staff before willing workers).
pub fn by_phone(conn: &Connection, phone: &str) -> Result<Option<ListPersonRow>> {
    find(conn, "phone", phone)
}

/// The person with this resident ID (returning staff before willing workers).
pub fn by_resident_id(conn: &Connection, resident_id: &str) -> Result<Option<ListPersonRow>> {
    find(conn, "resident_id", resident_id)
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
