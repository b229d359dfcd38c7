//! The two lists: townships' people willing to work away and employers' returning
//! staff, from the cadres' and employers' spreadsheets (`jobfair-kiosk lists import`).
//!
//! Pure: bytes or cells in, validated people or EVERY bad line out. The CSV text is
//! decoded here ([`decode`]: UTF-8 with or without BOM, else GB18030); XLSX cells are
//! read by the app layer and come in as a [`Table`] with Excel's row numbers.

mod columns;
mod csv;
pub mod rows;
pub mod ticket;

#[cfg(test)]
mod tests;

pub use self::csv::{decode, table_from_csv};
pub use columns::Column;
pub use rows::validate;

use std::collections::BTreeSet;

use crate::person_name::NameError;
use crate::phone::{Phone, PhoneError};
use crate::resident_id::{ResidentId, ResidentIdError};

/// Which list a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// A township's people willing to work away (from the cadres).
    Willing,
    /// An employer's staff who went home and should come back.
    Returning,
}

impl ListKind {
    /// The stored and command-line name: `willing` or `returning`.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Willing => "willing",
            ListKind::Returning => "returning",
        }
    }

    pub fn parse(s: &str) -> Option<ListKind> {
        match s {
            "willing" => Some(ListKind::Willing),
            "returning" => Some(ListKind::Returning),
            _ => None,
        }
    }
}

/// A table read from a file: the first non-blank row as `header` and the data rows
/// with their line numbers as the file's user sees them (CSV line, Excel row).
/// [`validate`] looks for the real header in the first rows when a title sits above it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub header: Vec<String>,
    /// Line (CSV) or row (XLSX) of the header.
    pub header_line: usize,
    pub rows: Vec<(usize, Vec<String>)>,
    /// The cells a spreadsheet stored as numbers, as (line, column index): their text is
    /// the number as read, and a number keeps only 15 significant digits in Excel.
    /// Always empty for CSV.
    pub numbers: BTreeSet<(usize, usize)>,
}

/// One person of a list, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPerson {
    pub line: usize,
    pub name: String,
    pub phone: Phone,
    pub resident_id: Option<ResidentId>,
    pub county: String,
    pub township: String,
    pub village: String,
    pub skills: String,
    /// Returning staff: the id of their employer at this fair.
    pub employer: Option<String>,
}

/// An employer of the fair, as the validation needs it.
#[derive(Debug, Clone, Copy)]
pub struct EmployerRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub name_en: Option<&'a str>,
}

/// What is wrong with one cell or row. `Display` is bilingual (Chinese / English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("姓名有误 name: {0}")]
    Name(NameError),
    #[error("手机号有误 phone: {0}")]
    Phone(PhoneError),
    #[error("身份证号有误 resident ID: {0}")]
    ResidentId(ResidentIdError),
    /// The birth-date rule of every entry path ([`crate::birth_date`]).
    #[error(
        "身份证号里的出生日期晚于招聘会日期 the birth date in the resident ID lies after the day of the fair"
    )]
    BornAfterFair,
    #[error("太长（最多 {max} 字）too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("含控制字符 control characters are not allowed")]
    ControlChar,
    #[error("缺少企业 returning staff need an employer")]
    NoEmployer,
    #[error("本场招聘会没有这家企业 no employer {0:?} at this fair")]
    UnknownEmployer(String),
    #[error("与第 {0} 行的手机号重复 same phone as line {0}")]
    DuplicatePhone(usize),
    #[error("与第 {0} 行的身份证号重复 same resident ID as line {0}")]
    DuplicateResidentId(usize),
    #[error("CSV 格式错误 malformed CSV: {0}")]
    Malformed(String),
}

/// One problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub column: Option<Column>,
    pub problem: Problem,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(
                f,
                "第 {} 行 line {}, {}/{}: {}",
                self.line,
                self.line,
                c.chinese(),
                c.english(),
                self.problem
            ),
            None => write!(
                f,
                "第 {} 行 line {}: {}",
                self.line, self.line, self.problem
            ),
        }
    }
}

/// Why a list was refused as a whole. Nothing of a refused list is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("文件不是 UTF-8 或 GB18030 文本 the file is neither UTF-8 nor GB18030 text")]
    NotText,
    #[error("表头有误 bad header: {0}")]
    Header(String),
    #[error("表头后没有人员 the file has a header but nobody on it")]
    Empty,
    #[error("{} 行有误，未导入任何人 {} bad line(s), nothing imported:\n{}", .0.len(), .0.len(), list_lines(.0))]
    Rows(Vec<LineError>),
    /// Resident IDs stored as numbers: Excel keeps 15 significant digits of a number, so
    /// the last digits of an 18-digit ID are already lost in the file (some changed IDs
    /// even pass the check character). Nothing of such a file is imported.
    #[error(
        "身份证号列（{letter} 列“{header}”）存成了数字，第 {rows} 行：Excel 的数字只保留 15 位，这些身份证号的后几位已经变了。\
         请把这一列设置为“文本”格式，重新输入这些身份证号后再导入。未导入任何人。\n\
         the resident ID column ({letter}, \"{header}\") is stored as numbers in row(s) {rows}: Excel keeps only 15 digits \
         of a number, so the last digits of these IDs are already lost. Format the column as Text, type the IDs again, \
         then import the file again. Nobody was imported.",
        rows = line_ranges(.lines)
    )]
    IdsStoredAsNumbers {
        /// The column's header text.
        header: String,
        /// The column as Excel names it (`A`, `B`, … `AA`).
        letter: String,
        lines: Vec<usize>,
    },
}

/// `2–5, 7, 9–10`: sorted line numbers with runs joined.
pub fn line_ranges(lines: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            lines[i].to_string()
        } else {
            format!("{}–{}", lines[i], lines[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// Excel's name of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn list_lines(errors: &[LineError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    lines.join("\n")
}
