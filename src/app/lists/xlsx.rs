//! The spreadsheet side of list import: the first sheet of an `.xlsx` (or `.xls`, `.xlsb`,
//! `.ods`) file → a [`Table`], row numbers as Excel shows them.
//!
//! Depends only on calamine, zip and `crate::domain::lists`, so the fuzz crate compiles this
//! very file by `#[path]` (fuzz/src/lib.rs) and fuzzes the code the kiosk runs.
//!
//! A list file comes from outside, so a hostile or broken one must end as an error, never as
//! a crash (bench/fuzz.md, "Crashes found"):
//! - calamine 0.35 panics on overflowing cell references: its calls run inside
//!   `catch_unwind` ([`calamine_call`]), and a panic means [`DAMAGED`];
//! - it reserves `uniqueCount` strings (24 bytes each) before reading `xl/sharedStrings.xml`,
//!   so `uniqueCount="10000000000"` **aborts** the process (allocation failure): the part
//!   is checked with the zip crate before calamine opens the workbook ([`check_zip`]);
//! - its `Range` is dense (rows × columns of the used area), so cells at `A1` and
//!   `XFD1048576` would be a 17-billion-cell allocation: XLSX and XLSB sheets are read cell
//!   by cell instead, and only non-blank rows are kept.
//!
//! Which cells were numbers is kept ([`Table::numbers`]): a resident ID typed into a
//! number cell has lost its last digits (Excel keeps 15), and the list check refuses it.

use std::cell::Cell as Flag;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Reader, Sheets};

use crate::domain::lists::{ListError, Table};

/// The message for a file calamine cannot read safely.
pub const DAMAGED: &str = "文件已损坏 the file is damaged";
/// The message for a sheet with more cells than a list can sensibly have.
pub const TOO_LARGE: &str = "表格太大 the sheet is too large";

/// Cells a table may hold, counting the empty cells each kept row is padded with up to the
/// sheet's last used column (24 bytes each): 200,000 people × 50 columns.
pub const MAX_CELLS: u64 = 10_000_000;
/// Bytes of an `xl/sharedStrings.xml` part read for the check (uncompressed).
pub const MAX_SHARED_STRINGS_BYTES: u64 = 256 << 20;
/// The shortest shared string, `<si/>`: a part cannot hold more strings than its bytes / 5.
const MIN_STRING_BYTES: u64 = 5;
/// Excel's own limits (0-based): column XFD, row 1,048,576.
const LAST_COLUMN: u32 = 16_383;
const LAST_ROW: u32 = 1_048_575;

/// Why a workbook gave no table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// calamine's error, or [`DAMAGED`] / [`TOO_LARGE`].
    Unreadable(String),
    /// The sheet has no non-blank row.
    List(ListError),
}

thread_local! {
    static IN_CALAMINE: Flag<bool> = const { Flag::new(false) };
}

/// Whether this thread is inside a calamine/zip call of this module, whose panics become
/// [`DAMAGED`]. The fuzz target's panic hook stays quiet then (and only then).
#[allow(dead_code)] // used by the fuzz target
pub fn in_calamine() -> bool {
    IN_CALAMINE.with(Flag::get)
}

/// Runs third-party reading code (calamine, zip); a panic in it becomes [`DAMAGED`].
fn calamine_call<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    IN_CALAMINE.with(|flag| flag.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_CALAMINE.with(|flag| flag.set(false));
    result.unwrap_or_else(|_| Err(Error::Unreadable(DAMAGED.into())))
}

/// Reads the first sheet into a [`Table`].
pub fn table(bytes: Vec<u8>) -> Result<Table, Error> {
    check_zip(&bytes)?;
    let sheet = calamine_call(move || read_sheet(bytes))?;
    sheet.into_table()
}

/// Before calamine sees a zip (XLSX, XLSB, ODS): every shared-strings part must not claim
/// more strings (`uniqueCount`) than its bytes could hold. Not a zip: nothing to check.
fn check_zip(bytes: &[u8]) -> Result<(), Error> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let parts = calamine_call(|| shared_strings_parts(bytes))?;
    for part in parts {
        let max = part.len() as u64 / MIN_STRING_BYTES;
        if unique_counts(&part).any(|n| n > max) {
            return Err(Error::Unreadable(DAMAGED.into()));
        }
    }
    Ok(())
}

/// The uncompressed bytes of every entry calamine could take for `xl/sharedStrings.xml`
/// (it matches names case-insensitively, `\` as `/`). A zip the zip crate cannot open is
/// left to calamine (it may be another format); an entry that cannot be read is damaged.
fn shared_strings_parts(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(Vec::new());
    };
    let damaged = |_| Error::Unreadable(DAMAGED.into());
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let name = zip.name_for_index(i).unwrap_or_default();
        let name = name.replace('\\', "/").to_ascii_lowercase();
        if !name.ends_with("sharedstrings.xml") {
            continue;
        }
        let entry = zip.by_index(i).map_err(damaged)?;
        let mut part = Vec::new();
        entry
            .take(MAX_SHARED_STRINGS_BYTES + 1)
            .read_to_end(&mut part)
            .map_err(|_| Error::Unreadable(DAMAGED.into()))?;
        if part.len() as u64 > MAX_SHARED_STRINGS_BYTES {
            return Err(Error::Unreadable(TOO_LARGE.into()));
        }
        parts.push(part);
    }
    Ok(parts)
}

/// Every number that could be an `uniqueCount` attribute, anywhere in the part (saturating):
/// each `uniqueCount` followed by `=` and a quoted (or bare) number. Deliberately not an XML
/// parser: quick-xml, under calamine, is lenient (the fuzzer found `uniqueCount` read after
/// `c@ount="4"xl/x"1.0="4" `, which a stricter reading skipped), so any such text counts,
/// wherever it stands; values that are no number are skipped, as calamine does.
fn unique_counts(xml: &[u8]) -> impl Iterator<Item = u64> + '_ {
    const KEY: &[u8] = b"uniqueCount";
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = xml[at..].windows(KEY.len()).position(|w| w == KEY) {
            at += found + KEY.len();
            let rest = xml[at..].trim_ascii_start();
            let Some(rest) = rest.strip_prefix(b"=") else {
                continue;
            };
            let rest = rest.trim_ascii_start();
            let value = match rest.split_first() {
                Some((&quote @ (b'"' | b'\''), after)) => {
                    let end = after
                        .iter()
                        .position(|&b| b == quote)
                        .unwrap_or(after.len());
                    &after[..end]
                }
                _ => {
                    let end = rest.iter().position(|b| !b.is_ascii_digit() && *b != b'+');
                    &rest[..end.unwrap_or(rest.len())]
                }
            };
            if let Some(n) = number(value) {
                return Some(n);
            }
        }
        None
    })
}

/// Decimal digits (an optional `+`, surrounding spaces) as a saturating number.
fn number(text: &[u8]) -> Option<u64> {
    let text = text.trim_ascii();
    let digits = text.strip_prefix(b"+").unwrap_or(text);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, &d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// The non-empty cells of a sheet by row, and its last used column; which of them
/// were numbers (0-based row and column).
#[derive(Default)]
struct Sheet {
    rows: BTreeMap<u32, BTreeMap<u32, String>>,
    numbers: BTreeSet<(u32, u32)>,
    last_column: Option<u32>,
    cells: u64,
}

impl Sheet {
    /// A non-empty cell (calamine's `Range` skips `Empty` ones too); a later cell at the
    /// same place replaces an earlier one, as there.
    fn push(
        &mut self,
        (row, column): (u32, u32),
        value: String,
        number: bool,
    ) -> Result<(), Error> {
        if row > LAST_ROW || column > LAST_COLUMN {
            return Err(Error::Unreadable(DAMAGED.into()));
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(Error::Unreadable(TOO_LARGE.into()));
        }
        self.last_column = self.last_column.max(Some(column));
        self.rows.entry(row).or_default().insert(column, value);
        if number {
            self.numbers.insert((row, column));
        } else {
            self.numbers.remove(&(row, column));
        }
        Ok(())
    }

    /// Rows with a non-blank cell, each padded with empty cells from column A to the sheet's
    /// last used column (column positions as in the sheet).
    fn into_table(mut self) -> Result<Table, Error> {
        let width = self.last_column.map_or(0, |c| c as usize + 1);
        let mut table = Table::default();
        let mut header_seen = false;
        let mut kept = 0u64;
        for (row, cells) in std::mem::take(&mut self.rows) {
            if cells.values().all(|c| c.trim().is_empty()) {
                continue;
            }
            kept += width as u64;
            if kept > MAX_CELLS {
                return Err(Error::Unreadable(TOO_LARGE.into()));
            }
            let mut line = vec![String::new(); width];
            for (column, value) in cells {
                line[column as usize] = value;
            }
            let number = row as usize + 1;
            if header_seen {
                table.rows.push((number, line));
            } else {
                table.header = line;
                table.header_line = number;
                header_seen = true;
            }
        }
        if !header_seen {
            return Err(Error::List(ListError::Header(
                "文件是空的 the sheet is empty".into(),
            )));
        }
        table.numbers = self
            .numbers
            .into_iter()
            .map(|(row, column)| (row as usize + 1, column as usize))
            .collect();
        Ok(table)
    }
}

/// calamine's part: open the workbook and collect the first sheet's cells.
fn read_sheet(bytes: Vec<u8>) -> Result<Sheet, Error> {
    let bad = |e: &dyn std::fmt::Display| Error::Unreadable(e.to_string());
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| Error::Unreadable("no sheet".into()))?;
    let mut sheet = Sheet::default();
    fn push(sheet: &mut Sheet, cell: calamine::Cell<DataRef<'_>>) -> Result<(), Error> {
        match cell.get_value() {
            DataRef::Empty => Ok(()),
            value => {
                let number = matches!(value, DataRef::Float(_) | DataRef::Int(_));
                let text = Data::from(value.clone()).to_string();
                sheet.push(cell.get_position(), text, number)
            }
        }
    }
    match &mut book {
        Sheets::Xlsx(xlsx) => {
            let mut cells = match xlsx.worksheet_cells_reader(&first) {
                Ok(cells) => cells,
                // calamine's `worksheet_range` reads a chart sheet as an empty range.
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(sheet),
                Err(e) => return Err(bad(&e)),
            };
            while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
                push(&mut sheet, cell)?;
            }
        }
        Sheets::Xlsb(xlsb) => {
            let mut cells = xlsb.worksheet_cells_reader(&first).map_err(|e| bad(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
                push(&mut sheet, cell)?;
            }
        }
        // XLS and ODS have no cell reader in calamine: their range, as before.
        other => {
            let range = other.worksheet_range(&first).map_err(|e| bad(&e))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let at = (row0 + r as u32, col0 + c as u32);
                let number = matches!(value, Data::Float(_) | Data::Int(_));
                sheet.push(at, value.to_string(), number)?;
            }
            sheet.last_column = range.end().map(|(_, c)| c).or(sheet.last_column);
        }
    }
    Ok(sheet)
}
