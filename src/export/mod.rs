//! Writers for the day's exports: XLSX for people, CSV for spreadsheets that take
//! nothing else, JSON lines for machines.
//!
//! A writer knows nothing of the store: it pulls rows from one or more [`Rows`]
//! sources (one per sheet), one row at a time, and reports progress through a
//! `FnMut(done, total)` callback. Every writer writes through the program's one atomic
//! writer ([`crate::store::files::AtomicFile`]): a hidden partial file in the target
//! folder, renamed to the target only when complete, so a half-written export never
//! looks finished, and an existing file is replaced only if the caller says so.

pub mod csv;
pub mod jsonl;
pub mod sheets;
pub mod xlsx;

pub use crate::store::files::{IfExists, WriteError};

use std::borrow::Cow;
use std::path::PathBuf;

/// The three export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Three sheets: sign-ups, booth stages, per-opening summary.
    Xlsx,
    /// The sign-ups only: UTF-8 with BOM, CRLF, RFC 4180, formula-guarded.
    Csv,
    /// Every row of the three sheets, one JSON object per line, tagged by `record`.
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Xlsx, Format::Csv, Format::Json];

    /// File name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "jsonl",
        }
    }

    /// The command-line name: `xlsx`, `csv`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// Parses a command-line name (`jsonl` is taken for `json` too).
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" => Some(Format::Json),
            s => Self::ALL.into_iter().find(|f| f.as_str() == s),
        }
    }
}

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// Digits that must stay text (resident ID, phone): an XLSX text cell with the
    /// `@` number format, so a spreadsheet never turns them into 3.30784E+17.
    Code,
    /// A whole number.
    Number,
    /// A date as `YYYY-MM-DD` text: a real date cell (`yyyy-mm-dd`) in XLSX, the text
    /// elsewhere.
    Date,
    /// A local time as RFC 3339 text with its offset: a real date-time cell
    /// (`yyyy-mm-dd hh:mm:ss`, the wall-clock time of that offset) in XLSX, the text
    /// elsewhere.
    DateTime,
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// JSON key.
    pub key: &'static str,
    /// Bilingual header, e.g. `姓名 Name`.
    pub header: &'static str,
    pub kind: Kind,
    /// XLSX column width in characters.
    pub width: f64,
}

/// A sheet: its name in the XLSX, its record tag in JSON lines, its columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub record: &'static str,
    pub columns: &'static [Column],
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Empty,
    Text(Cow<'a, str>),
    Int(i64),
    /// A coded value: people read `label`, machines (JSON lines) get `code`.
    Label {
        code: &'static str,
        label: &'static str,
    },
}

impl<'a> Value<'a> {
    /// Borrowed text.
    pub fn text(s: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(s))
    }

    /// What a person sees in a cell (`None` for a number).
    fn display(&self) -> Option<&str> {
        match self {
            Value::Empty => Some(""),
            Value::Text(s) => Some(s),
            Value::Label { label, .. } => Some(label),
            Value::Int(_) => None,
        }
    }
}

/// A source of rows for one sheet, walked once by a writer.
pub trait Rows {
    fn sheet(&self) -> &'static Sheet;
    /// How many rows [`Rows::each`] will give (for progress; may be an estimate).
    fn total(&self) -> u64;
    /// Calls `emit` once per row, with exactly one value per column.
    fn each(&mut self, emit: &mut dyn FnMut(&[Value<'_>]) -> Result<()>) -> Result<()>;
}

/// Progress callback: rows done so far, rows in all.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// What a writer produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// True when [`IfExists::NewName`] took another name than the one asked for.
    pub renamed: bool,
    pub bytes: u64,
    /// Rows written per sheet, in the order the sources were given.
    pub rows: Vec<(&'static str, u64)>,
}

/// Errors of the writers.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be written (its folder, an existing file, a full stick, …).
    #[error(transparent)]
    File(#[from] WriteError),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("sheet {sheet}: a row has {got} values for {expected} columns")]
    RowWidth {
        sheet: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("sheet {sheet} has more rows than a spreadsheet can hold")]
    TooManyRows { sheet: &'static str },
    /// The source of the rows failed (the store, for the kiosk's exports).
    #[error("reading the rows: {0}")]
    Source(Box<dyn std::error::Error + Send + Sync>),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Checks that a row has one value per column of `sheet`.
fn check_width(sheet: &Sheet, row: &[Value<'_>]) -> Result<()> {
    if row.len() == sheet.columns.len() {
        Ok(())
    } else {
        Err(Error::RowWidth {
            sheet: sheet.name,
            expected: sheet.columns.len(),
            got: row.len(),
        })
    }
}

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 512;

/// Counts rows and reports progress every [`PROGRESS_EVERY`] rows.
struct Counter<'p> {
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl Counter<'_> {
    fn tick(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.done, self.total.max(self.done));
        }
    }

    fn finish(&mut self) {
        (self.progress)(self.done, self.done);
    }
}
