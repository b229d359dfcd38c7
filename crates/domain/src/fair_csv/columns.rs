//! The header line: which known column sits where.

use std::collections::HashMap;

use super::{COLUMNS, CsvImportError, OPTIONAL_COLUMNS};

/// Where each known column sits in the file.
pub(super) struct Columns {
    index: HashMap<&'static str, usize>,
    pub(super) count: usize,
}

impl Columns {
    pub(super) fn from_header(header: &csv::StringRecord) -> Result<Columns, CsvImportError> {
        if header.is_empty() || header.iter().all(|h| h.trim().is_empty()) {
            return Err(CsvImportError::Header(format!(
                "the file is empty; the first line must name the columns: {}",
                COLUMNS.join(",")
            )));
        }
        let mut index = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            let Some(&known) = COLUMNS.iter().find(|&&c| c == name) else {
                return Err(CsvImportError::Header(format!(
                    "unknown column {name:?}; the columns are: {}",
                    COLUMNS.join(",")
                )));
            };
            if index.insert(known, i).is_some() {
                return Err(CsvImportError::Header(format!(
                    "column {name:?} appears twice"
                )));
            }
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| !index.contains_key(c) && !OPTIONAL_COLUMNS.contains(c))
            .collect();
        if !missing.is_empty() {
            return Err(CsvImportError::Header(format!(
                "missing column(s): {}",
                missing.join(",")
            )));
        }
        Ok(Columns {
            index,
            count: header.len(),
        })
    }

    /// The trimmed cell of `column`, empty when the column is absent.
    pub(super) fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }
}
