//! Every row checked with the kiosk's own rules; every bad line collected.

use super::columns::{Column, Columns};
use super::{EmployerRef, LineError, ListError, ListKind, ListPerson, Problem, Table};
use crate::person_name::normalize_name;
use crate::phone::Phone;
use crate::resident_id::{ResidentId, ResidentIdError};
use chrono::NaiveDate;
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

/// A data row: its line and its cells.
type Row = (usize, Vec<String>);

/// Non-blank rows searched for the header when the first one is not it: a township's
/// sheet often has a title row (and a blank row, skipped anyway) above the header.
pub const HEADER_SEARCH_ROWS: usize = 5;

/// Checks every row of `table` as a list of `kind` for a fair held on `fair_date`.
/// Returning staff need an employer of the fair: the row's employer column, else
/// `default_employer` (an employer id). A phone or resident ID that appears twice in the
/// file is an error on the later line; a resident ID must pass the birth-date rule of
/// every entry path ([`crate::birth_date::check`]). The header is the first of
/// the first [`HEADER_SEARCH_ROWS`] non-blank rows that names the name and phone
/// columns; rows above it (a title) are ignored.
/// Any bad row → [`ListError::Rows`] with every bad line, in file order; resident IDs
/// stored as numbers → [`ListError::IdsStoredAsNumbers`] and nothing else.
pub fn validate(
    table: &Table,
    kind: ListKind,
    default_employer: Option<&str>,
    employers: &[EmployerRef<'_>],
    fair_date: NaiveDate,
) -> Result<Vec<ListPerson>, ListError> {
    let (columns, data) = find_header(table)?;
    ids_as_text(table, &columns, data)?;
    let mut people = Vec::with_capacity(data.len());
    let mut errors = Vec::new();
    let mut phones: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (line, cells) in data {
        let mut check = RowCheck {
            line: *line,
            fair_date,
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

/// The header's columns and the data rows under it: `table.header` if it names the
/// required columns, else the first of the next rows that does. Otherwise the error
/// of `table.header`, naming the row it was taken from.
fn find_header(table: &Table) -> Result<(Columns, &[Row]), ListError> {
    let first = match Columns::from_header(&table.header) {
        Ok(columns) => return Ok((columns, &table.rows)),
        Err(e) => e,
    };
    for (i, (_, cells)) in table.rows.iter().enumerate().take(HEADER_SEARCH_ROWS - 1) {
        if let Ok(columns) = Columns::from_header(cells) {
            return Ok((columns, &table.rows[i + 1..]));
        }
    }
    let ListError::Header(why) = first else {
        return Err(first);
    };
    let shown: Vec<&str> = table
        .header
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let shown: String = shown.join(" | ").chars().take(60).collect();
    Err(ListError::Header(format!(
        "{why}。第 {line} 行被当作表头：“{shown}”；前 {n} 行里没有含“姓名”和“手机”两列的一行 \
         (row {line} was taken as the header: \"{shown}\"; none of the first {n} rows names the columns 姓名/name and 手机/phone)",
        line = table.header_line,
        n = HEADER_SEARCH_ROWS,
    )))
}

/// Refuses resident IDs a spreadsheet stored as numbers (see
/// [`ListError::IdsStoredAsNumbers`]), before any row is judged: their "wrong check
/// character" would only mislead, and some changed IDs even pass it.
fn ids_as_text(table: &Table, columns: &Columns, data: &[Row]) -> Result<(), ListError> {
    let Some(at) = columns.position(Column::ResidentId) else {
        return Ok(());
    };
    let lines: Vec<usize> = data
        .iter()
        .filter(|(line, _)| table.numbers.contains(&(*line, at)))
        .map(|(line, _)| *line)
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    let header_row = table
        .rows
        .iter()
        .take_while(|(line, _)| Some(line) != data.first().map(|(l, _)| l))
        .last()
        .map_or(&table.header, |(_, cells)| cells);
    Err(ListError::IdsStoredAsNumbers {
        header: header_row.get(at).map_or("", |h| h.trim()).to_string(),
        letter: super::column_letter(at),
        lines,
    })
}

struct RowCheck<'e> {
    line: usize,
    fair_date: NaiveDate,
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
            ResidentId::parse_at(id_text, self.fair_date)
                .map_err(|e| {
                    let problem = match e {
                        ResidentIdError::BirthDateInFuture => Problem::BornAfterFair,
                        e => Problem::ResidentId(e),
                    };
                    self.fail(Column::ResidentId, problem)
                })
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
