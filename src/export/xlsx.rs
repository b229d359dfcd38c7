//! XLSX for people: one worksheet per source, a bold bilingual header row that
//! stays in view (frozen) with an autofilter, column widths from the sheet's
//! columns, and [`Kind::Code`] columns (resident ID, phone) written as text cells
//! with the text number format `@`, so a spreadsheet never shows 3.30784E+17.

use super::atomic::Partial;
use super::{Counter, Error, Kind, Result, Rows, Sheet, Value, Written, check_width};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};
use std::path::Path;

/// Rows a worksheet holds, header included.
const MAX_ROWS: u64 = 1_048_576;

/// Writes one worksheet per source to `path` (replaced atomically).
pub fn write(
    path: &Path,
    sources: &mut [&mut dyn Rows],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Written> {
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
    let mut partial = Partial::create(path)?;
    workbook.save_to_writer(partial.writer())?;
    counter.finish();
    let bytes = partial.finish()?;
    Ok(Written {
        path: path.to_path_buf(),
        bytes,
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
