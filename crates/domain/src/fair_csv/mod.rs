//! Openings from a CSV file, for `jobfair-kiosk openings import FILE.csv`.
//!
//! Every row is checked and every bad line is reported, so a file with any bad
//! row imports nothing. Employers are derived from the `employer` column.

mod cells;
mod columns;
mod import;

#[cfg(test)]
mod tests;

use crate::fair::{Employer, Opening};
use columns::Columns;
use import::Import;

/// Every column the importer knows, in the order of the documented header.
pub const COLUMNS: [&str; 16] = [
    "id",
    "employer",
    "employer_city",
    "employer_industry",
    "title",
    "title_en",
    "trade",
    "headcount",
    "wage_min",
    "wage_max",
    "benefits",
    "age_min",
    "age_max",
    "skills",
    "work_place",
    "shift",
];

/// Columns that may be left out of the header or left empty in a row.
pub const OPTIONAL_COLUMNS: [&str; 5] = ["title_en", "benefits", "age_min", "age_max", "skills"];

/// Why a CSV file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvImportError {
    /// The bytes are not UTF-8 (Excel's default "CSV" on Chinese Windows is GBK).
    #[error("the file is not UTF-8 text; save it as \"CSV UTF-8\"")]
    NotUtf8,
    /// The header line is missing, or has unknown, repeated or missing columns.
    #[error("bad header line: {0}")]
    Header(String),
    /// The header is fine but no row follows it.
    #[error("the file has a header but no openings")]
    NoOpenings,
    /// One or more rows are bad; every bad line is listed.
    #[error("{} bad line(s), nothing imported:\n{}", .0.len(), list_lines(.0))]
    Rows(Vec<LineError>),
}

/// One problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based physical line where the row starts; the header is line 1.
    pub line: usize,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

fn list_lines(errors: &[LineError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    lines.join("\n")
}

/// Parses openings (and the employers they name) from CSV bytes.
///
/// Accepts UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting. Employer ids
/// are `e1`, `e2`, ... in order of first appearance.
pub fn parse_openings_csv(bytes: &[u8]) -> Result<(Vec<Employer>, Vec<Opening>), CsvImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| CsvImportError::NotUtf8)?;
    let lines = crate::csv_lines::LineIndex::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| CsvImportError::Header(e.to_string()))?
        .clone();
    let columns = Columns::from_header(&header)?;

    let mut import = Import::default();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = lines.line_of(record.position());
                import.row(&columns, &record, line);
            }
            Err(e) => import.errors.push(LineError {
                line: lines.line_of(e.position()),
                column: None,
                message: e.to_string(),
            }),
        }
    }
    if import.errors.is_empty() && import.openings.is_empty() {
        return Err(CsvImportError::NoOpenings);
    }
    if import.errors.is_empty() {
        Ok((import.employers, import.openings))
    } else {
        Err(CsvImportError::Rows(import.errors))
    }
}
