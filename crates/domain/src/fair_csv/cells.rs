//! The cells of one row read as typed values, each unreadable cell reported.

use super::LineError;
use super::columns::Columns;
use crate::fair::{Benefit, Opening, Shift, Trade};

/// One row's cells with typed getters that report what they cannot read.
pub(super) struct Cells<'a> {
    pub(super) columns: &'a Columns,
    pub(super) record: &'a csv::StringRecord,
    pub(super) line: usize,
}

impl Cells<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns.cell(self.record, column)
    }

    /// The opening of this row with an empty employer id, or `None` after
    /// pushing an error for each cell that could not be read.
    pub(super) fn opening(&self, errors: &mut Vec<LineError>) -> Option<Opening> {
        let before = errors.len();
        let mut bad = |column: &str, message: String| {
            errors.push(LineError {
                line: self.line,
                column: Some(column.to_string()),
                message,
            });
        };
        let id = self.number::<u16>("id", &mut bad);
        let trade = self.choice(
            "trade",
            Trade::parse,
            Trade::ALL.iter().map(|t| t.as_str()),
            &mut bad,
        );
        let headcount = self.number::<u32>("headcount", &mut bad);
        let wage_min = self.number::<u32>("wage_min", &mut bad);
        let wage_max = self.number::<u32>("wage_max", &mut bad);
        let age_min = self.optional_number::<u8>("age_min", &mut bad);
        let age_max = self.optional_number::<u8>("age_max", &mut bad);
        let shift = self.choice(
            "shift",
            Shift::parse,
            Shift::ALL.iter().map(|s| s.as_str()),
            &mut bad,
        );
        let benefits = self.benefits(&mut bad);
        if errors.len() > before {
            return None;
        }
        let optional = |column: &str| Some(self.text(column)).filter(|s| !s.is_empty());
        Some(Opening {
            id: id?,
            employer: String::new(),
            title: self.text("title"),
            title_en: optional("title_en"),
            trade: trade?,
            headcount: headcount?,
            wage_min: wage_min?,
            wage_max: wage_max?,
            benefits: benefits?,
            age_min: age_min?,
            age_max: age_max?,
            skills: self.text("skills"),
            skills_en: None,
            work_place: self.text("work_place"),
            work_place_en: None,
            shift: shift?,
        })
    }

    /// A text cell with each line break (Alt+Enter in Excel) turned into one space.
    pub(super) fn text(&self, column: &str) -> String {
        let cell = self.get(column);
        if cell.contains(['\n', '\r']) {
            let lines: Vec<&str> = cell
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            lines.join(" ")
        } else {
            cell.to_string()
        }
    }

    fn number<T: std::str::FromStr>(
        &self,
        column: &str,
        bad: &mut impl FnMut(&str, String),
    ) -> Option<T> {
        let text = self.get(column);
        let parsed = text.parse().ok();
        if parsed.is_none() {
            let what = if text.is_empty() {
                "is empty".to_string()
            } else {
                format!("{text:?} is not a whole number in range")
            };
            bad(column, format!("{what}; a number is required"));
        }
        parsed
    }

    /// `Some(None)` for an empty cell, `None` after reporting a bad one.
    fn optional_number<T: std::str::FromStr>(
        &self,
        column: &str,
        bad: &mut impl FnMut(&str, String),
    ) -> Option<Option<T>> {
        if self.get(column).is_empty() {
            Some(None)
        } else {
            self.number(column, bad).map(Some)
        }
    }

    fn choice<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        allowed: impl Iterator<Item = &'static str>,
        bad: &mut impl FnMut(&str, String),
    ) -> Option<T> {
        let text = self.get(column);
        let parsed = parse(text);
        if parsed.is_none() {
            let names: Vec<&str> = allowed.collect();
            bad(
                column,
                format!("{text:?} is not one of: {}", names.join(", ")),
            );
        }
        parsed
    }

    fn benefits(&self, bad: &mut impl FnMut(&str, String)) -> Option<Vec<Benefit>> {
        let mut out = Vec::new();
        let mut ok = true;
        for name in self
            .get("benefits")
            .split(['|', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match Benefit::parse(name) {
                Some(b) => out.push(b),
                None => {
                    ok = false;
                    let names: Vec<&str> = Benefit::ALL.iter().map(|b| b.as_str()).collect();
                    bad(
                        "benefits",
                        format!("{name:?} is not one of: {}", names.join(", ")),
                    );
                }
            }
        }
        ok.then_some(out)
    }
}
