//! One import in progress: rows checked one by one, employers gathered by name.

use std::collections::HashMap;

use super::LineError;
use super::cells::Cells;
use super::columns::Columns;
use crate::fair::{Employer, MAX_OPENINGS, Opening, validate_employer, validate_opening};

/// The state of one import: what is built so far and every error found.
#[derive(Default)]
pub(super) struct Import {
    pub(super) employers: Vec<Employer>,
    /// Employer name → (index in `employers`, line of its first row).
    employer_by_name: HashMap<String, (usize, usize)>,
    pub(super) openings: Vec<Opening>,
    /// Opening id → line where it first appears.
    opening_lines: HashMap<u16, usize>,
    pub(super) errors: Vec<LineError>,
}

impl Import {
    fn error(&mut self, line: usize, column: &str, message: String) {
        self.errors.push(LineError {
            line,
            column: Some(column.to_string()),
            message,
        });
    }

    pub(super) fn row(&mut self, columns: &Columns, record: &csv::StringRecord, line: usize) {
        if record.len() != columns.count {
            self.errors.push(LineError {
                line,
                column: None,
                message: format!(
                    "{} fields, but the header has {}",
                    record.len(),
                    columns.count
                ),
            });
            return;
        }
        let errors_before = self.errors.len();
        let cells = Cells {
            columns,
            record,
            line,
        };
        let employer = self.employer(&cells);
        let opening = cells.opening(&mut self.errors);
        let Some(mut opening) = opening else { return };
        for (field, message) in validate_opening(&opening) {
            self.error(line, field, message);
        }
        if let Some(&first) = self.opening_lines.get(&opening.id) {
            self.error(
                line,
                "id",
                format!("opening id {} is also on line {first}", opening.id),
            );
        } else {
            self.opening_lines.insert(opening.id, line);
        }
        if self.openings.len() == MAX_OPENINGS {
            self.errors.push(LineError {
                line,
                column: None,
                message: format!("more than {MAX_OPENINGS} openings"),
            });
        }
        let Some(employer) = employer else { return };
        opening.employer = employer;
        if self.errors.len() == errors_before {
            self.openings.push(opening);
        }
    }

    /// The id of this row's employer, adding the employer on its first row.
    fn employer(&mut self, cells: &Cells) -> Option<String> {
        let name = cells.text("employer");
        let (city, industry) = (cells.text("employer_city"), cells.text("employer_industry"));
        if let Some(&(i, first)) = self.employer_by_name.get(&name) {
            let known = &self.employers[i];
            let mismatches: Vec<(&str, String)> = [
                ("employer_city", &city, &known.city),
                ("employer_industry", &industry, &known.industry),
            ]
            .into_iter()
            .filter(|(_, value, was)| value != was)
            .map(|(column, value, was)| {
                let message =
                    format!("{value:?} differs from {was:?} for the same employer on line {first}");
                (column, message)
            })
            .collect();
            let same = mismatches.is_empty();
            for (column, message) in mismatches {
                self.error(cells.line, column, message);
            }
            return same.then(|| self.employers[i].id.clone());
        }
        let employer = Employer {
            id: format!("e{}", self.employer_by_name.len() + 1),
            name: name.clone(),
            name_en: None,
            city,
            city_en: None,
            industry,
            industry_en: None,
            description: String::new(),
            description_en: None,
        };
        let problems = validate_employer(&employer);
        for (field, message) in &problems {
            let column = match *field {
                "city" => "employer_city",
                "industry" => "employer_industry",
                _ => "employer",
            };
            self.error(cells.line, column, message.clone());
        }
        if !problems.is_empty() {
            return None;
        }
        let id = employer.id.clone();
        self.employer_by_name
            .insert(name, (self.employers.len(), cells.line));
        self.employers.push(employer);
        Some(id)
    }
}
