//! Openings from a CSV file, for `jobfair-kiosk openings import FILE.csv`.
//!
//! Every row is checked and every bad line is reported, so a file with any bad
//! row imports nothing. Employers are derived from the `employer` column.

use std::collections::HashMap;

use crate::domain::fair::{
    Benefit, Employer, MAX_OPENINGS, Opening, Shift, Trade, validate_employer, validate_opening,
};

/// Every column the importer knows, in the order of the documented header.
pub const COLUMNS: [&str; 16] = [
    "id",
    "employer",
    "employer_city",
    "employer_industry",
    "title",
    "title_en",
    "trade",
    "headcount",
    "wage_min",
    "wage_max",
    "benefits",
    "age_min",
    "age_max",
    "skills",
    "work_place",
    "shift",
];

/// Columns that may be left out of the header or left empty in a row.
pub const OPTIONAL_COLUMNS: [&str; 5] = ["title_en", "benefits", "age_min", "age_max", "skills"];

/// Why a CSV file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvImportError {
    /// The bytes are not UTF-8 (Excel's default "CSV" on Chinese Windows is GBK).
    #[error("the file is not UTF-8 text; save it as \"CSV UTF-8\"")]
    NotUtf8,
    /// The header line is missing, or has unknown, repeated or missing columns.
    #[error("bad header line: {0}")]
    Header(String),
    /// The header is fine but no row follows it.
    #[error("the file has a header but no openings")]
    NoOpenings,
    /// One or more rows are bad; every bad line is listed.
    #[error("{} bad line(s), nothing imported:\n{}", .0.len(), list_lines(.0))]
    Rows(Vec<LineError>),
}

/// One problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based physical line where the row starts; the header is line 1.
    pub line: usize,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

fn list_lines(errors: &[LineError]) -> String {
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    lines.join("\n")
}

/// Parses openings (and the employers they name) from CSV bytes.
///
/// Accepts UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting. Employer ids
/// are `e1`, `e2`, ... in order of first appearance.
pub fn parse_openings_csv(bytes: &[u8]) -> Result<(Vec<Employer>, Vec<Opening>), CsvImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| CsvImportError::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| CsvImportError::Header(e.to_string()))?
        .clone();
    let columns = Columns::from_header(&header)?;

    let mut import = Import::default();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                import.row(&columns, &record, line);
            }
            Err(e) => import.errors.push(LineError {
                line: e.position().map_or(0, |p| p.line() as usize),
                column: None,
                message: e.to_string(),
            }),
        }
    }
    if import.errors.is_empty() && import.openings.is_empty() {
        return Err(CsvImportError::NoOpenings);
    }
    if import.errors.is_empty() {
        Ok((import.employers, import.openings))
    } else {
        Err(CsvImportError::Rows(import.errors))
    }
}

/// Where each known column sits in the file.
struct Columns {
    index: HashMap<&'static str, usize>,
    count: usize,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Columns, CsvImportError> {
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
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }
}

/// The state of one import: what is built so far and every error found.
#[derive(Default)]
struct Import {
    employers: Vec<Employer>,
    /// Employer name → (index in `employers`, line of its first row).
    employer_by_name: HashMap<String, (usize, usize)>,
    openings: Vec<Opening>,
    /// Opening id → line where it first appears.
    opening_lines: HashMap<u16, usize>,
    errors: Vec<LineError>,
}

impl Import {
    fn error(&mut self, line: usize, column: &str, message: String) {
        self.errors.push(LineError {
            line,
            column: Some(column.to_string()),
            message,
        });
    }

    fn row(&mut self, columns: &Columns, record: &csv::StringRecord, line: usize) {
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
            industry,
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

/// One row's cells with typed getters that report what they cannot read.
struct Cells<'a> {
    columns: &'a Columns,
    record: &'a csv::StringRecord,
    line: usize,
}

impl Cells<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns.cell(self.record, column)
    }

    /// The opening of this row with an empty employer id, or `None` after
    /// pushing an error for each cell that could not be read.
    fn opening(&self, errors: &mut Vec<LineError>) -> Option<Opening> {
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
            shift: shift?,
        })
    }

    /// A text cell with each line break (Alt+Enter in Excel) turned into one space.
    fn text(&self, column: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,employer,employer_city,employer_industry,title,title_en,trade,headcount,wage_min,wage_max,benefits,age_min,age_max,skills,work_place,shift";

    fn row(id: u16, employer: &str) -> String {
        format!(
            "{id},{employer},东莞,电子,普工,Operator,assembly,50,4500,6000,dormitory|meals,18,45,,东莞市,two_shifts"
        )
    }

    fn csv(rows: &[String]) -> String {
        let mut text = HEADER.to_string();
        for r in rows {
            text.push('\n');
            text.push_str(r);
        }
        text.push('\n');
        text
    }

    fn line_errors(text: &str) -> Vec<LineError> {
        match parse_openings_csv(text.as_bytes()) {
            Err(CsvImportError::Rows(errors)) => errors,
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    fn lines_and_columns(text: &str) -> Vec<(usize, Option<String>)> {
        line_errors(text)
            .into_iter()
            .map(|e| (e.line, e.column))
            .collect()
    }

    fn at(line: usize, column: &str) -> (usize, Option<String>) {
        (line, Some(column.to_string()))
    }

    #[test]
    fn good_csv_gives_employers_in_order_of_first_appearance() {
        let text = csv(&[row(1, "甲厂"), row(2, "乙厂"), row(3, "甲厂")]);
        let (employers, openings) = parse_openings_csv(text.as_bytes()).unwrap();
        let ids: Vec<(&str, &str)> = employers
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(ids, [("e1", "甲厂"), ("e2", "乙厂")]);
        let owners: Vec<&str> = openings.iter().map(|o| o.employer.as_str()).collect();
        assert_eq!(owners, ["e1", "e2", "e1"]);
        let o = &openings[0];
        assert_eq!(
            (o.id, o.trade, o.shift),
            (1, Trade::Assembly, Shift::TwoShifts)
        );
        assert_eq!(
            (o.headcount, o.wage_min, o.wage_max, o.age_min, o.age_max),
            (50, 4500, 6000, Some(18), Some(45))
        );
        assert_eq!(o.benefits, [Benefit::Dormitory, Benefit::Meals]);
        assert_eq!(
            (o.title_en.as_deref(), o.skills.as_str()),
            (Some("Operator"), "")
        );
        assert_eq!(employers[0].city, "东莞");
    }

    #[test]
    fn optional_columns_may_be_absent_or_empty_and_columns_in_any_order() {
        let text = "shift,work_place,wage_max,wage_min,headcount,trade,title,employer_industry,employer_city,employer,id,benefits\r\n\
                    day,东莞市,6000,4500,5,welding,焊工,电子,东莞,甲厂,7, \r\n";
        let (_, openings) = parse_openings_csv(text.as_bytes()).unwrap();
        let o = &openings[0];
        assert_eq!(
            (o.id, o.trade, o.title_en.clone(), o.age_min),
            (7, Trade::Welding, None, None)
        );
        assert!(o.benefits.is_empty());
    }

    #[test]
    fn benefits_may_be_separated_by_semicolons() {
        let text = csv(&[row(1, "甲厂").replace("dormitory|meals", "free_fare; social_insurance")]);
        let (_, openings) = parse_openings_csv(text.as_bytes()).unwrap();
        assert_eq!(
            openings[0].benefits,
            [Benefit::FreeFare, Benefit::SocialInsurance]
        );
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = format!(
            "\u{feff}{}",
            csv(&[row(1, "甲厂"), row(2, "甲厂")]).replace('\n', "\r\n")
        );
        let (_, openings) = parse_openings_csv(text.as_bytes()).unwrap();
        assert_eq!(openings.len(), 2);
        assert_eq!(
            openings[1].shift,
            Shift::TwoShifts,
            "no stray \\r in the last cell"
        );
    }

    #[test]
    fn quoted_comma_and_newline_keep_later_line_numbers_right() {
        let quoted = row(1, "甲厂").replace(",,东莞市", ",\"会看图纸,\n能上夜班\",东莞市");
        let text = csv(&[quoted, row(2, "甲厂"), row(3, "甲厂").replace("4500", "x")]);
        assert_eq!(lines_and_columns(&text), [at(5, "wage_min")]);
        let fixed = text.replace(",x,", ",4500,");
        let (_, openings) = parse_openings_csv(fixed.as_bytes()).unwrap();
        assert_eq!(openings[0].skills, "会看图纸, 能上夜班");
    }

    #[test]
    fn bad_rows_on_lines_3_and_7_are_both_reported() {
        let rows: Vec<String> = (1..=7).map(|id| row(id, "甲厂")).collect();
        let mut rows = rows;
        rows[1] = rows[1].replace(",50,", ",0,");
        rows[5] = rows[5].replace("6000", "3000");
        let errors = line_errors(&csv(&rows));
        let found: Vec<(usize, Option<String>)> =
            errors.iter().map(|e| (e.line, e.column.clone())).collect();
        assert_eq!(found, [at(3, "headcount"), at(7, "wage_max")]);
        let shown = CsvImportError::Rows(errors).to_string();
        assert!(
            shown.contains("line 3, column headcount: ")
                && shown.contains("line 7, column wage_max: "),
            "{shown}"
        );
    }

    #[test]
    fn duplicate_opening_id_names_both_lines() {
        let errors = line_errors(&csv(&[row(4, "甲厂"), row(5, "甲厂"), row(4, "乙厂")]));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].line, errors[0].column.as_deref()),
            (4, Some("id"))
        );
        assert!(
            errors[0].message.contains("line 2"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn unknown_trade_lists_the_allowed_names() {
        let errors = line_errors(&csv(&[row(1, "甲厂").replace("assembly", "weldng")]));
        assert_eq!(
            (errors[0].line, errors[0].column.as_deref()),
            (2, Some("trade"))
        );
        assert!(errors[0].message.contains("weldng") && errors[0].message.contains("welding"));
    }

    #[test]
    fn unknown_benefit_shift_and_bad_numbers_are_each_reported() {
        let bad = row(1, "甲厂")
            .replace("meals", "wifi")
            .replace("two_shifts", "nights")
            .replace(",18,", ",eighteen,")
            .replacen("1,", "70000,", 1);
        let mut columns: Vec<String> = line_errors(&csv(&[bad]))
            .into_iter()
            .filter_map(|e| e.column)
            .collect();
        columns.sort();
        assert_eq!(columns, ["age_min", "benefits", "id", "shift"]);
    }

    #[test]
    fn same_employer_with_another_city_is_an_error_on_its_line() {
        let text = csv(&[
            row(1, "甲厂"),
            row(2, "甲厂").replace("东莞,电子", "深圳,电子"),
        ]);
        let errors = line_errors(&text);
        assert_eq!(
            (errors[0].line, errors[0].column.as_deref()),
            (3, Some("employer_city"))
        );
        assert!(errors[0].message.contains("line 2"));
    }

    #[test]
    fn blank_employer_and_missing_title_are_reported() {
        let text = csv(&[row(1, " ").replace("普工", "")]);
        assert_eq!(
            lines_and_columns(&text),
            [at(2, "employer"), at(2, "title")]
        );
    }

    #[test]
    fn row_with_too_few_fields_is_reported() {
        let text = csv(&[row(1, "甲厂"), "2,甲厂,东莞".to_string()]);
        assert_eq!(lines_and_columns(&text), [(3, None)]);
    }

    #[test]
    fn empty_file_is_a_header_error() {
        assert!(matches!(
            parse_openings_csv(b""),
            Err(CsvImportError::Header(_))
        ));
        assert!(matches!(
            parse_openings_csv(b"\xEF\xBB\xBF\r\n"),
            Err(CsvImportError::Header(_))
        ));
    }

    #[test]
    fn header_only_has_no_openings() {
        assert_eq!(
            parse_openings_csv(csv(&[]).as_bytes()),
            Err(CsvImportError::NoOpenings)
        );
    }

    #[test]
    fn unknown_repeated_or_missing_columns_are_rejected() {
        for (header, needle) in [
            (format!("{HEADER},notes"), "notes"),
            (format!("{HEADER},title"), "twice"),
            (HEADER.replace(",shift", ""), "shift"),
        ] {
            match parse_openings_csv(format!("{header}\n").as_bytes()) {
                Err(CsvImportError::Header(m)) => assert!(m.contains(needle), "{m}"),
                other => panic!("expected a header error for {header}, got {other:?}"),
            }
        }
    }

    #[test]
    fn gbk_bytes_are_not_utf8() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"\n1,\xbc\xd7\xb3\xa7,x\n"); // "甲厂" in GBK
        assert_eq!(parse_openings_csv(&bytes), Err(CsvImportError::NotUtf8));
    }
}
