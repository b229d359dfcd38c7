//! The two lists: import (all or nothing), look a person up, link them to their sign-up.
//!
//! CSV goes through [`crate::domain::lists::table_from_csv`]; XLSX is read here with
//! calamine in [`xlsx`] (first sheet, row numbers as Excel shows them) and validated the
//! same way.

mod xlsx;

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

/// Reads the first sheet ([`xlsx`]): a damaged or hostile workbook (calamine panics on
/// some, would abort on others; found by fuzzing, `fuzz/regressions/list_import/`) is
/// refused like any other unreadable file instead of taking the kiosk down.
fn xlsx_table(bytes: Vec<u8>) -> std::result::Result<Table, ListImportError> {
    xlsx::table(bytes).map_err(|e| match e {
        xlsx::Error::Unreadable(message) => ListImportError::Xlsx(message),
        xlsx::Error::List(e) => ListImportError::List(e),
    })
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
        let people = lists::validate(
            &table,
            kind,
            default_employer.as_deref(),
            &employers,
            self.fair.fair.date,
        )?;
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let now = Utc::now();
        // Sealed before the transaction (the numbers are stored only so, issue 17): the
        // blind indexes need the unlock, sealing needs the public keys.
        let mut sealed = Vec::with_capacity(people.len());
        for p in &people {
            sealed.push(self.seal_numbers(&p.phone, p.resident_id.as_ref())?);
        }
        let tx = self.store.transaction()?;
        let mut added = 0;
        for (p, numbers) in people.iter().zip(sealed) {
            let s = numbers.sealed().expect("seal_numbers seals");
            if list_people::exists(
                &tx,
                kind.as_str(),
                &s.phone_blind,
                s.resident_id_blind.as_deref(),
            )? {
                continue;
            }
            let code = fresh_code(&tx)?;
            list_people::insert(&tx, &row_of(p, numbers, kind, code, &source, now))?;
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
            return Ok(list_people::by_phone_blind(
                conn,
                &self.phone_blind(&phone)?,
            )?);
        }
        if let Ok(id) = ResidentId::parse(typed) {
            let blind = self.resident_id_blind(&id)?;
            return Ok(list_people::by_resident_id_blind(conn, &blind)?);
        }
        Ok(None)
    }

    /// The list person with this id.
    pub fn list_person(&self, id: i64) -> Result<Option<ListPersonRow>> {
        Ok(list_people::get(self.store.conn(), id)?)
    }

    /// The whole phone and resident ID of a list person, opened with the staff key (needs
    /// the unlock; screens show [`ListPersonRow::numbers`]' masks).
    pub fn list_numbers(&self, row: &ListPersonRow) -> Result<crate::seal::Personal> {
        self.open_numbers(&row.numbers)
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
    numbers: store::registrations::Numbers,
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
        numbers,
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
    use super::{ListImportError, xlsx, xlsx_table};
    use std::io::Write;

    /// A stored .xlsx around the given first sheet and shared strings (the fuzz target's
    /// wrapping, `fuzz/src/xlsx.rs`).
    fn workbook(sheet: &str, shared_strings: &str) -> Vec<u8> {
        let ns = "http://schemas.openxmlformats.org";
        let parts = [
            (
                "[Content_Types].xml",
                format!(
                    r#"<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(r#"<worksheet xmlns="{ns}/spreadsheetml/2006/main">{sheet}</worksheet>"#),
            ),
            ("xl/sharedStrings.xml", shared_strings.to_string()),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// One row: 姓名 | 手机 from the shared strings 0 and 1.
    const SHEET: &str = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData>"#;

    fn strings(sst_tag: &str) -> String {
        format!("<?xml version=\"1.0\"?>{sst_tag}<si><t>姓名</t></si><si><t>手机</t></si></sst>")
    }

    fn assert_damaged(result: std::result::Result<crate::domain::lists::Table, ListImportError>) {
        match result {
            Err(ListImportError::Xlsx(message)) => assert_eq!(message, xlsx::DAMAGED),
            other => panic!("{other:?}"),
        }
    }

    /// The fuzzer's find (bench/fuzz.md): a 25-letter column in the sheet's dimension
    /// overflows calamine's cell-reference arithmetic.
    #[test]
    fn a_workbook_that_makes_calamine_panic_is_refused_as_damaged() {
        let bytes = include_bytes!(
            "../../fuzz/regressions/list_import/calamine-dimension-column-overflow.xlsx"
        );
        assert_damaged(xlsx_table(bytes.to_vec()));
    }

    /// bench/fuzz.md: calamine reserves `uniqueCount` strings up front, and
    /// `uniqueCount="10000000000"` aborted the process (a 240 GB allocation).
    #[test]
    fn a_shared_strings_part_claiming_ten_billion_strings_is_refused_as_damaged() {
        let bytes = include_bytes!(
            "../../fuzz/regressions/list_import/calamine-sst-unique-count-abort.xlsx"
        );
        assert_damaged(xlsx_table(bytes.to_vec()));
        // The fuzzer's variant: quick-xml (under calamine) still finds `uniqueCount` after
        // junk that a strict attribute reading gives up on.
        let bytes = include_bytes!(
            "../../fuzz/regressions/list_import/calamine-sst-unique-count-lenient-attributes.xlsx"
        );
        assert_damaged(xlsx_table(bytes.to_vec()));
    }

    #[test]
    fn a_unique_count_more_than_the_part_could_hold_is_damaged_an_honest_one_reads() {
        let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
        for tag in [
            format!(r#"<sst {ns} count="2" uniqueCount="1000">"#),
            r#"<x:sst xmlns:x="urn:x" uniqueCount = '18446744073709551615999'>"#.to_string(),
            format!(r#"<!-- <sst> --><sst {ns} uniqueCount="+99999999999">"#),
            format!(r#"<sst {ns} c@ount="4"xl/x"1.0="4" uniqueCount="46666666661">"#),
        ] {
            assert_damaged(xlsx_table(workbook(SHEET, &strings(&tag))));
        }
        // `count` is the number of uses, which may well exceed the strings; and a wrong but
        // possible `uniqueCount` is calamine's business.
        for tag in [
            format!(r#"<sst {ns} count="5000" uniqueCount="2">"#),
            format!(r#"<sst {ns} uniqueCount="20">"#),
            format!(r#"<sst {ns}>"#),
        ] {
            let table = xlsx_table(workbook(SHEET, &strings(&tag))).unwrap();
            assert_eq!(table.header, ["姓名", "手机"]);
            assert_eq!(table.header_line, 1);
            assert!(table.rows.is_empty());
        }
    }

    /// Cells at A1 and XFD1048576 span 17 billion cells: calamine's dense `Range` would
    /// try to allocate them all; read cell by cell, it is two rows of 16,384.
    #[test]
    fn a_sparse_sheet_from_a1_to_xfd1048576_is_read_without_a_dense_range() {
        let sheet = r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#;
        let table = xlsx_table(workbook(sheet, &strings("<sst>"))).unwrap();
        assert_eq!(table.header_line, 1);
        assert_eq!(table.header.len(), 16_384);
        assert_eq!(table.header[0], "姓名");
        assert_eq!(table.rows.len(), 1);
        let (line, cells) = &table.rows[0];
        assert_eq!(*line, 1_048_576);
        assert_eq!(cells.len(), 16_384);
        assert_eq!(cells[16_383], "x");
        assert!(cells[..16_383].iter().all(String::is_empty));
    }

    /// Past Excel's last column or row: calamine would take any u32 (4 billion columns of
    /// padding); such a file did not come from a spreadsheet program.
    #[test]
    fn a_cell_beyond_excels_last_column_or_row_is_refused_as_damaged() {
        for cell in ["XFE1", "A1048577", "ZZZZZZ1"] {
            let sheet = format!(
                r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#
            );
            assert_damaged(xlsx_table(workbook(&sheet, &strings("<sst>"))));
        }
    }

    #[test]
    fn blank_rows_are_skipped_and_rows_keep_their_excel_line_and_columns() {
        let sheet = r#"<sheetData><row r="3"><c r="B3" t="s"><v>0</v></c><c r="C3" t="s"><v>1</v></c></row><row r="4"><c r="B4" t="inlineStr"><is><t> </t></is></c></row><row r="7"><c r="C7" t="n"><v>13800138000</v></c></row></sheetData>"#;
        let table = xlsx_table(workbook(sheet, &strings("<sst>"))).unwrap();
        assert_eq!(table.header_line, 3);
        assert_eq!(table.header, ["", "姓名", "手机"]);
        assert_eq!(
            table.rows,
            [(7, vec![String::new(), String::new(), "13800138000".into()])]
        );
        assert_eq!(table.numbers, [(7, 2)].into_iter().collect());
        let empty = r#"<sheetData><row r="2"><c r="A2" t="inlineStr"><is><t> </t></is></c></row></sheetData>"#;
        assert!(matches!(
            xlsx_table(workbook(empty, &strings("<sst>"))),
            Err(ListImportError::List(_))
        ));
    }
}
