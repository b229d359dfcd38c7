//! Every row checked with the kiosk's own rules; every bad line collected.

use super::columns::{Column, Columns};
use super::{EmployerRef, LineError, ListError, ListKind, ListPerson, Problem, Table};
use crate::person_name::normalize_name;
use crate::phone::Phone;
use crate::resident_id::ResidentId;
use std::collections::HashMap;

/// Longest county, township or village name.
pub const MAX_PLACE_CHARS: usize = 40;
/// Longest skills text.
pub const MAX_SKILLS_CHARS: usize = 200;

/// The id of the employer named `text` (its id, Chinese name or English name).
pub fn find_employer<'a>(employers: &[EmployerRef<'a>], text: &str) -> Option<&'a str> {
    let text = text.trim();
    employers
        .iter()
        .find(|e| {
            e.id == text
                || e.name == text
                || e.name_en.is_some_and(|n| n.eq_ignore_ascii_case(text))
        })
        .map(|e| e.id)
}

/// Checks every row of `table` as a list of `kind`. Returning staff need an employer
/// of the fair: the row's employer column, else `default_employer` (an employer id).
/// A phone or resident ID that appears twice in the file is an error on the later line.
/// Any bad row → [`ListError::Rows`] with every bad line, in file order.
pub fn validate(
    table: &Table,
    kind: ListKind,
    default_employer: Option<&str>,
    employers: &[EmployerRef<'_>],
) -> Result<Vec<ListPerson>, ListError> {
    let columns = Columns::from_header(&table.header)?;
    let mut people = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    let mut phones: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let mut check = RowCheck {
            line: *line,
            errors: &mut errors,
        };
        let person = check.row(&columns, cells, kind, default_employer, employers);
        let Some(person) = person else { continue };
        if let Some(first) = phones.insert(person.phone.as_str().to_string(), *line) {
            check.fail(Column::Phone, Problem::DuplicatePhone(first));
            phones.insert(person.phone.as_str().to_string(), first);
            continue;
        }
        if let Some(id) = &person.resident_id
            && let Some(first) = ids.insert(id.as_str().to_string(), *line)
        {
            check.fail(Column::ResidentId, Problem::DuplicateResidentId(first));
            ids.insert(id.as_str().to_string(), first);
            continue;
        }
        people.push(person);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ListError::Rows(errors));
    }
    if people.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(people)
}

struct RowCheck<'e> {
    line: usize,
    errors: &'e mut Vec<LineError>,
}

impl RowCheck<'_> {
    fn fail(&mut self, column: Column, problem: Problem) {
        self.errors.push(LineError {
            line: self.line,
            column: Some(column),
            problem,
        });
    }

    fn row(
        &mut self,
        columns: &Columns,
        cells: &[String],
        kind: ListKind,
        default_employer: Option<&str>,
        employers: &[EmployerRef<'_>],
    ) -> Option<ListPerson> {
        let before = self.errors.len();
        let name = normalize_name(columns.cell(cells, Column::Name))
            .map_err(|e| self.fail(Column::Name, Problem::Name(e)))
            .ok();
        let phone = Phone::parse(columns.cell(cells, Column::Phone))
            .map_err(|e| self.fail(Column::Phone, Problem::Phone(e)))
            .ok();
        let id_text = columns.cell(cells, Column::ResidentId);
        let resident_id = if id_text.is_empty() {
            None
        } else {
            ResidentId::parse(id_text)
                .map_err(|e| self.fail(Column::ResidentId, Problem::ResidentId(e)))
                .ok()
        };
        let county = self.text(columns, cells, Column::County, MAX_PLACE_CHARS);
        let township = self.text(columns, cells, Column::Township, MAX_PLACE_CHARS);
        let village = self.text(columns, cells, Column::Village, MAX_PLACE_CHARS);
        let skills = self.text(columns, cells, Column::Skills, MAX_SKILLS_CHARS);
        let employer = match kind {
            ListKind::Willing => None,
            ListKind::Returning => self.employer(columns, cells, default_employer, employers),
        };
        if self.errors.len() > before {
            return None;
        }
        Some(ListPerson {
            line: self.line,
            name: name?,
            phone: phone?,
            resident_id,
            county,
            township,
            village,
            skills,
            employer,
        })
    }

    fn text(&mut self, columns: &Columns, cells: &[String], column: Column, max: usize) -> String {
        let s = columns.cell(cells, column);
        if s.chars().count() > max {
            self.fail(column, Problem::TooLong { max });
        } else if s.chars().any(char::is_control) {
            self.fail(column, Problem::ControlChar);
        }
        s.to_string()
    }

    fn employer(
        &mut self,
        columns: &Columns,
        cells: &[String],
        default_employer: Option<&str>,
        employers: &[EmployerRef<'_>],
    ) -> Option<String> {
        let text = if columns.has(Column::Employer) {
            columns.cell(cells, Column::Employer)
        } else {
            ""
        };
        if text.is_empty() {
            if default_employer.is_none() {
                self.fail(Column::Employer, Problem::NoEmployer);
            }
            return default_employer.map(str::to_string);
        }
        match find_employer(employers, text) {
            Some(id) => Some(id.to_string()),
            None => {
                self.fail(Column::Employer, Problem::UnknownEmployer(text.to_string()));
                None
            }
        }
    }
}
