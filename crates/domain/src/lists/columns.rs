//! The header row: Chinese or English column names, in any order.

use super::ListError;

/// A column the importer knows. Other columns (a serial number, notes) are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Phone,
    ResidentId,
    County,
    Township,
    Village,
    Skills,
    Employer,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Name,
        Column::Phone,
        Column::ResidentId,
        Column::County,
        Column::Township,
        Column::Village,
        Column::Skills,
        Column::Employer,
    ];

    /// The documented Chinese header name.
    pub fn chinese(self) -> &'static str {
        self.names()[0]
    }

    /// The documented English header name.
    pub fn english(self) -> &'static str {
        self.names()[1]
    }

    /// Accepted header names: the documented Chinese and English ones first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["姓名", "name"],
            Column::Phone => &[
                "手机",
                "phone",
                "手机号",
                "手机号码",
                "电话",
                "联系电话",
                "mobile",
            ],
            Column::ResidentId => &[
                "身份证号",
                "resident_id",
                "身份证",
                "身份证号码",
                "id_number",
            ],
            Column::County => &["县", "county", "县区", "县（市、区）"],
            Column::Township => &["乡镇", "township", "乡", "镇", "乡（镇）"],
            Column::Village => &["村", "village", "村组", "村（社区）"],
            Column::Skills => &["技能", "skills", "特长", "技能特长"],
            Column::Employer => &["企业", "employer", "单位", "企业名称", "用工企业"],
        }
    }

    fn matches(self, header: &str) -> bool {
        let h: String = header
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .replace([' ', '-'], "_");
        self.names().iter().any(|n| *n == h)
    }
}

/// Where each known column sits in the rows.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    index: Vec<(Column, usize)>,
}

impl Columns {
    pub(super) fn from_header(header: &[String]) -> Result<Columns, ListError> {
        let mut index: Vec<(Column, usize)> = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            let Some(col) = Column::ALL.into_iter().find(|c| c.matches(cell)) else {
                continue;
            };
            if index.iter().any(|(c, _)| *c == col) {
                return Err(ListError::Header(format!(
                    "列“{}”出现两次 column {:?} appears twice",
                    cell.trim(),
                    cell.trim()
                )));
            }
            index.push((col, i));
        }
        let missing: Vec<String> = [Column::Name, Column::Phone]
            .into_iter()
            .filter(|c| !index.iter().any(|(k, _)| k == c))
            .map(|c| format!("{}/{}", c.chinese(), c.english()))
            .collect();
        if !missing.is_empty() {
            return Err(ListError::Header(format!(
                "缺少列 missing column(s): {}",
                missing.join(", ")
            )));
        }
        Ok(Columns { index })
    }

    pub(super) fn has(&self, column: Column) -> bool {
        self.index.iter().any(|(c, _)| *c == column)
    }

    /// Where `column` sits in the rows (0-based), if the header has it.
    pub(super) fn position(&self, column: Column) -> Option<usize> {
        self.index
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| *i)
    }

    /// The trimmed cell of `column`, empty when the column or the cell is absent.
    pub(super) fn cell<'r>(&self, row: &'r [String], column: Column) -> &'r str {
        self.index
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, i)| row.get(*i))
            .map_or("", |s| s.trim())
    }
}
