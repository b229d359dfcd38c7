//! XLSX for people: one worksheet per source, a bold bilingual header row that
//! stays in view (frozen) with an autofilter, column widths from the sheet's
//! columns, and [`Kind::Code`] columns (resident ID, phone) written as text cells
//! with the text number format `@`, so a spreadsheet never shows 3.30784E+17.
//! [`Kind::Date`] and [`Kind::DateTime`] columns (birth date, registration and stage
//! times) are real Excel dates with a number format, so they sort, filter and compute.

use super::{Counter, Error, IfExists, Kind, Result, Rows, Sheet, Value, Written, check_width};
use crate::store::files::AtomicFile;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};
use std::path::Path;

/// Rows a worksheet holds, header included.
const MAX_ROWS: u64 = 1_048_576;
/// Number formats of [`Kind::Date`] and [`Kind::DateTime`] cells.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";
pub const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";

/// `YYYY-MM-DD` ([`Kind::Date`]) or RFC 3339 ([`Kind::DateTime`], its wall-clock time:
/// Excel has no time zones) as an Excel date; `None` for anything else.
fn excel_date_time(kind: Kind, text: &str) -> Option<ExcelDateTime> {
    use chrono::{Datelike, NaiveDate, Timelike};
    let (date, time) = match kind {
        Kind::Date => (NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?, None),
        _ => {
            let t = chrono::DateTime::parse_from_rfc3339(text)
                .ok()?
                .naive_local();
            (t.date(), Some(t.time()))
        }
    };
    let day = ExcelDateTime::from_ymd(
        u16::try_from(date.year()).ok()?,
        date.month() as u8,
        date.day() as u8,
    )
    .ok()?;
    match time {
        None => Some(day),
        Some(t) => day
            .and_hms(t.hour() as u16, t.minute() as u8, t.second())
            .ok(),
    }
}

/// Writes one worksheet per source to `path` (atomically; an existing file as
/// `if_exists` says).
pub fn write(
    path: &Path,
    if_exists: IfExists,
    sources: &mut [&mut dyn Rows],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Written> {
    // First, so a missing folder or an existing file is told before any work.
    let mut partial = AtomicFile::create(path, if_exists)?;
    let mut counter = Counter {
        done: 0,
        total: sources.iter().map(|s| s.total()).sum(),
        progress,
    };
    let mut workbook = Workbook::new();
    // Constant-memory worksheets stream their rows to unlinked temp files as they are
    // written (no shared-string table, no whole sheet in memory): 100,000 sign-ups
    // export about twice as fast. The temp files go next to the output, never to a
    // shared /tmp, since they hold the same personal data.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        workbook.set_tempdir(dir)?;
    }
    let mut written = Vec::new();
    for rows in sources.iter_mut() {
        let before = counter.done;
        let ws = workbook.add_worksheet_with_constant_memory()?;
        fill(ws, *rows, &mut counter)?;
        written.push((rows.sheet().name, counter.done - before));
    }
    let saved = workbook.save_to_writer(partial.writer());
    saved.map_err(|e| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::File(partial.error(io)),
        other => Error::Xlsx(other),
    })?;
    counter.finish();
    let done = partial.finish()?;
    Ok(Written {
        path: done.path,
        renamed: done.renamed,
        bytes: done.bytes,
        rows: written,
    })
}

/// Fills the (constant-memory) worksheet of one source, rows strictly in order.
fn fill(ws: &mut Worksheet, rows: &mut dyn Rows, counter: &mut Counter<'_>) -> Result<()> {
    let sheet: &'static Sheet = rows.sheet();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format(DATE_FORMAT);
    let datetime = Format::new().set_num_format(DATETIME_FORMAT);
    ws.set_name(sheet.name)?;
    for (col, column) in (0u16..).zip(sheet.columns) {
        ws.set_column_width(col, column.width)?;
        if column.kind == Kind::Code {
            ws.set_column_format(col, &text)?;
        }
        ws.write_string_with_format(0, col, column.header, &header)?;
    }
    ws.set_row_height(0, 32)?;
    let mut last_row: u32 = 0;
    rows.each(&mut |values| {
        check_width(sheet, values)?;
        if u64::from(last_row) + 1 >= MAX_ROWS {
            return Err(Error::TooManyRows { sheet: sheet.name });
        }
        last_row += 1;
        for ((col, column), value) in (0u16..).zip(sheet.columns).zip(values) {
            match (value, column.kind) {
                (Value::Int(n), _) => {
                    ws.write_number(last_row, col, *n as f64)?;
                }
                (Value::Empty, _) => {}
                (other, Kind::Code) => {
                    let s = other.display().unwrap_or("");
                    ws.write_string_with_format(last_row, col, s, &text)?;
                }
                (other, kind @ (Kind::Date | Kind::DateTime)) => {
                    let s = other.display().unwrap_or("");
                    match (kind, excel_date_time(kind, s)) {
                        (Kind::Date, Some(d)) => {
                            ws.write_datetime_with_format(last_row, col, d, &date)?;
                        }
                        (_, Some(d)) => {
                            ws.write_datetime_with_format(last_row, col, d, &datetime)?;
                        }
                        // Not a date after all (a damaged row): kept as the text it is.
                        (_, None) if !s.is_empty() => {
                            ws.write_string(last_row, col, s)?;
                        }
                        (_, None) => {}
                    }
                }
                (other, _) => {
                    let s = other.display().unwrap_or("");
                    if !s.is_empty() {
                        ws.write_string(last_row, col, s)?;
                    }
                }
            }
        }
        counter.tick();
        Ok(())
    })?;
    let last_col = (sheet.columns.len().max(1) - 1) as u16;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}
