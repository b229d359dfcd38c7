use super::*;
use crate::fair::{Benefit, Shift, Trade};

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
        shown.contains("line 3, column headcount: ") && shown.contains("line 7, column wage_max: "),
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

#[test]
fn classic_mac_line_ends_keep_line_numbers_right() {
    let rows: Vec<String> = (1..=7).map(|id| row(id, "甲厂")).collect();
    let mut rows = rows;
    rows[1] = rows[1].replace(",50,", ",0,");
    let text = csv(&rows).replace("\r\n", "\n").replace('\n', "\r");
    assert_eq!(lines_and_columns(&text), [at(3, "headcount")]);
}
