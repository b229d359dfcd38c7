//! CSV bytes → text (UTF-8 with or without BOM, else GB18030) → a [`Table`].

use super::{LineError, ListError, Problem, Table};

/// Which encoding [`decode`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

/// Decodes a text file: UTF-8 (a BOM is dropped) when the bytes are valid UTF-8,
/// otherwise GB18030 (a superset of GBK, what Excel on Chinese Windows saves as "CSV").
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), ListError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), TextEncoding::Utf8));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), TextEncoding::Gb18030))
        .ok_or(ListError::NotText)
}

/// Reads CSV bytes into a table. Line numbers are the physical lines where each
/// record starts (the header is line 1; `\r\n`, `\n` and a lone `\r` all end a line). Malformed records are reported per line.
pub fn table_from_csv(bytes: &[u8]) -> Result<Table, ListError> {
    let (text, _) = decode(bytes)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = crate::csv_lines::LineIndex::new(text.as_bytes());
    let mut table = Table::default();
    let mut errors = Vec::new();
    let mut header_seen = false;
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = lines.line_of(record.position());
                let cells: Vec<String> = record.iter().map(str::to_string).collect();
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if header_seen {
                    table.rows.push((line, cells));
                } else {
                    table.header = cells;
                    table.header_line = line;
                    header_seen = true;
                }
            }
            Err(e) => errors.push(LineError {
                line: lines.line_of(e.position()),
                column: None,
                problem: Problem::Malformed(e.to_string()),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ListError::Rows(errors));
    }
    if !header_seen {
        return Err(ListError::Header(
            "文件是空的 the file is empty; the first line must name the columns".into(),
        ));
    }
    Ok(table)
}
