//! The two lists: import (all or nothing), look a person up, link them to their sign-up.
//!
//! CSV goes through [`crate::domain::lists::table_from_csv`]; XLSX is read here with
//! calamine (first sheet, row numbers as Excel shows them) and validated the same way.

use super::kiosk::Kiosk;
use super::{Result, random};
use crate::domain::lists::{
    self, EmployerRef, ListError, ListKind, ListPerson, Table, ticket::parse_qr,
};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::short_code;
use crate::store::{self, list_people};
use chrono::Utc;
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub use crate::store::list_people::ListPersonRow;

/// Fresh codes tried before giving up (a clash is already one in 10^11).
const CODE_TRIES: usize = 16;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListImportReport {
    pub kind: ListKind,
    /// People in the file.
    pub total: usize,
    /// People new to the store.
    pub added: usize,
    /// People already on file (same kind and phone or resident ID): left as they were.
    pub already_present: usize,
}

/// Why an import changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ListImportError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: 文件名须以 .csv 或 .xlsx 结尾 the file name must end in .csv or .xlsx")]
    UnknownFormat(PathBuf),
    #[error("XLSX 文件无法读取 the XLSX file cannot be read: {0}")]
    Xlsx(String),
    #[error(transparent)]
    List(#[from] ListError),
    #[error("本场招聘会没有企业 no employer {0:?} at this fair")]
    UnknownEmployer(String),
    #[error("--employer 只用于返岗名单 --employer is only for --kind returning")]
    EmployerForWilling,
    #[error(transparent)]
    App(#[from] super::Error),
}

impl From<store::Error> for ListImportError {
    fn from(e: store::Error) -> Self {
        ListImportError::App(e.into())
    }
}

impl From<rusqlite::Error> for ListImportError {
    fn from(e: rusqlite::Error) -> Self {
        ListImportError::App(e.into())
    }
}

/// Reads a list file into a table: `.csv` (UTF-8 or GB18030) or `.xlsx` (first sheet).
pub fn read_table(path: &Path) -> std::result::Result<Table, ListImportError> {
    let bytes = std::fs::read(path).map_err(|source| ListImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "txt") => Ok(lists::table_from_csv(&bytes)?),
        Some("xlsx" | "xlsm" | "xls" | "ods") => xlsx_table(bytes),
        _ => Err(ListImportError::UnknownFormat(path.to_path_buf())),
    }
}

/// Reads the first sheet. calamine panics on some damaged files (an overflowing cell
/// reference, found by fuzzing: `fuzz/regressions/list_import/`); such a file is refused
/// like any other unreadable one instead of taking the kiosk down.
fn xlsx_table(bytes: Vec<u8>) -> std::result::Result<Table, ListImportError> {
    std::panic::catch_unwind(move || read_xlsx(bytes)).unwrap_or_else(|_| {
        Err(ListImportError::Xlsx(
            "文件已损坏 the file is damaged".into(),
        ))
    })
}

fn read_xlsx(bytes: Vec<u8>) -> std::result::Result<Table, ListImportError> {
    use calamine::Reader;
    let bad = |e: &dyn std::fmt::Display| ListImportError::Xlsx(e.to_string());
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ListImportError::Xlsx("no sheet".into()))?
        .map_err(|e| bad(&e))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize) + 1;
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut table = Table::default();
    let mut header_seen = false;
    for (i, row) in range.rows().enumerate() {
        // Cells left of the range are empty; keep column positions as in the sheet.
        let mut cells = vec![String::new(); first_col];
        cells.extend(row.iter().map(|c| c.to_string()));
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header_seen {
            table.rows.push((first_row + i, cells));
        } else {
            table.header = cells;
            table.header_line = first_row + i;
            header_seen = true;
        }
    }
    if !header_seen {
        return Err(ListError::Header("文件是空的 the sheet is empty".into()).into());
    }
    Ok(table)
}

impl Kiosk {
    /// Imports a list file: every row is checked first; then everyone new goes in,
    /// each with a fresh unique ticket code, in one transaction. People already on
    /// file (same kind, same phone or resident ID) are counted and left alone, so
    /// importing the same list twice adds nobody twice. `employer` (returning lists)
    /// names the employer of rows without an employer column.
    pub fn import_list(
        &mut self,
        path: &Path,
        kind: ListKind,
        employer: Option<&str>,
    ) -> std::result::Result<ListImportReport, ListImportError> {
        let table = read_table(path)?;
        let employers: Vec<EmployerRef<'_>> = self
            .fair
            .employers
            .iter()
            .map(|e| EmployerRef {
                id: &e.id,
                name: &e.name,
                name_en: e.name_en.as_deref(),
            })
            .collect();
        let default_employer = match (kind, employer) {
            (ListKind::Willing, Some(_)) => return Err(ListImportError::EmployerForWilling),
            (_, None) => None,
            (ListKind::Returning, Some(name)) => Some(
                lists::rows::find_employer(&employers, name)
                    .ok_or_else(|| ListImportError::UnknownEmployer(name.to_string()))?
                    .to_string(),
            ),
        };
        let people = lists::validate(&table, kind, default_employer.as_deref(), &employers)?;
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let now = Utc::now();
        let tx = self.store.transaction()?;
        let mut added = 0;
        for p in &people {
            let id = p.resident_id.as_ref().map(ResidentId::as_str);
            if list_people::exists(&tx, kind.as_str(), p.phone.as_str(), id)? {
                continue;
            }
            let code = fresh_code(&tx)?;
            list_people::insert(&tx, &row_of(p, kind, code, &source, now))?;
            added += 1;
        }
        tx.commit()?;
        Ok(ListImportReport {
            kind,
            total: people.len(),
            added,
            already_present: people.len() - added,
        })
    }

    /// The person on a list with this phone number, resident ID or scanned
    /// pre-printed ticket (`JKL1:<code>`), or `None`.
    pub fn find_on_list(&self, typed: &str) -> Result<Option<ListPersonRow>> {
        let conn = self.store.conn();
        if let Some(code) = parse_qr(typed) {
            return Ok(list_people::by_code(conn, &code)?);
        }
        if let Ok(phone) = Phone::parse(typed) {
            return Ok(list_people::by_phone(conn, phone.as_str())?);
        }
        if let Ok(id) = ResidentId::parse(typed) {
            return Ok(list_people::by_resident_id(conn, id.as_str())?);
        }
        Ok(None)
    }

    /// The list person with this id.
    pub fn list_person(&self, id: i64) -> Result<Option<ListPersonRow>> {
        Ok(list_people::get(self.store.conn(), id)?)
    }

    /// Everyone on the lists, in the order of the ticket sheet.
    pub fn list_people(&self) -> Result<Vec<ListPersonRow>> {
        Ok(list_people::all(self.store.conn())?)
    }

    /// Records that list person `id` signed up as `registration`.
    pub fn link_list_person(&mut self, id: i64, registration: Uuid) -> Result<()> {
        let tx = self.store.transaction()?;
        list_people::set_registration(&tx, id, &registration.to_string())?;
        tx.commit()?;
        Ok(())
    }
}

fn fresh_code(conn: &rusqlite::Connection) -> Result<String> {
    for _ in 0..CODE_TRIES {
        let code = short_code::from_random(&random::<16>()?);
        if !list_people::code_taken(conn, &code)? {
            return Ok(code);
        }
    }
    Err(super::Error::Invalid("no free list ticket code".into()))
}

fn row_of(
    p: &ListPerson,
    kind: ListKind,
    code: String,
    source: &str,
    now: chrono::DateTime<Utc>,
) -> ListPersonRow {
    ListPersonRow {
        id: 0,
        kind: kind.as_str().to_string(),
        code,
        employer: p.employer.clone(),
        name: p.name.clone(),
        phone: p.phone.as_str().to_string(),
        resident_id: p.resident_id.as_ref().map(|r| r.as_str().to_string()),
        county: p.county.clone(),
        township: p.township.clone(),
        village: p.village.clone(),
        skills: p.skills.clone(),
        source: source.to_string(),
        line: p.line as u32,
        imported_at: now,
        registration_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{ListImportError, xlsx_table};

    /// The fuzzer's find (bench/fuzz.md): a 25-letter column in the sheet's dimension
    /// overflows calamine's cell-reference arithmetic.
    #[test]
    fn a_workbook_that_makes_calamine_panic_is_refused_as_damaged() {
        let bytes = include_bytes!(
            "../../fuzz/regressions/list_import/calamine-dimension-column-overflow.xlsx"
        );
        let result = xlsx_table(bytes.to_vec());
        assert!(
            matches!(result, Err(ListImportError::Xlsx(_))),
            "{result:?}"
        );
    }
}
