use super::rows::find_employer;
use super::ticket::{parse_qr, qr_text};
use super::*;
use crate::resident_id::synthesize;
use chrono::NaiveDate;

fn id(n: u32) -> String {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    synthesize("520000", birth, n as u16).as_str().to_string()
}

fn employers() -> Vec<EmployerRef<'static>> {
    vec![EmployerRef {
        id: "e01",
        name: "永康五金厂",
        name_en: Some("Yongkang Hardware"),
    }]
}

fn parse(csv: &str, kind: ListKind) -> Result<Vec<ListPerson>, ListError> {
    validate(&table_from_csv(csv.as_bytes())?, kind, None, &employers())
}

fn bad_lines(e: ListError) -> Vec<usize> {
    match e {
        ListError::Rows(rows) => rows.iter().map(|r| r.line).collect(),
        e => panic!("expected bad rows, got {e}"),
    }
}

#[test]
fn a_chinese_header_list_with_a_bom_is_read() {
    let csv = format!(
        "\u{feff}序号,姓名,手机,身份证号,县,乡镇,村,技能\n1,张三,13900000001,{},从江县,高增乡,小黄村,电焊\n2,李四,139 0000 0002,,从江县,高增乡,占里村,\n",
        id(1)
    );
    let people = parse(&csv, ListKind::Willing).unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].name, "张三");
    assert_eq!(people[0].line, 2);
    assert_eq!(people[0].skills, "电焊");
    assert_eq!(people[1].phone.as_str(), "13900000002");
    assert_eq!(people[1].resident_id, None);
    assert_eq!(people[1].village, "占里村");
}

#[test]
fn english_headers_in_any_order_work() {
    let csv = "phone,Name,village\n13900000001,Wang Wu,小黄村\n";
    let people = parse(csv, ListKind::Willing).unwrap();
    assert_eq!(people[0].name, "Wang Wu");
    assert_eq!(people[0].village, "小黄村");
}

#[test]
fn every_bad_line_is_reported_with_its_number() {
    let csv = format!(
        "姓名,手机,身份证号\n好人,13900000001,{}\n坏号,12345,\n坏证,13900000003,{}0\n好人二,13900000004,\n",
        id(1),
        &id(2)[..17]
    );
    let lines = bad_lines(parse(&csv, ListKind::Willing).unwrap_err());
    assert_eq!(lines, vec![3, 4]);
}

#[test]
fn a_wrong_check_digit_is_named_in_both_languages() {
    let mut bad = id(5);
    let last = if bad.ends_with('1') { '2' } else { '1' };
    bad.pop();
    bad.push(last);
    let csv = format!("姓名,手机,身份证号\n甲,13900000001,{bad}\n");
    let ListError::Rows(rows) = parse(&csv, ListKind::Willing).unwrap_err() else {
        panic!("rows expected")
    };
    let text = rows[0].to_string();
    assert!(
        text.contains("第 2 行") && text.contains("line 2"),
        "{text}"
    );
    assert!(
        text.contains("身份证号") && text.contains("check character"),
        "{text}"
    );
}

#[test]
fn duplicates_inside_the_file_are_errors_naming_the_first_line() {
    let csv = format!(
        "姓名,手机,身份证号\n甲,13900000001,{}\n乙,13900000001,\n丙,13900000003,{}\n",
        id(1),
        id(1)
    );
    let ListError::Rows(rows) = parse(&csv, ListKind::Willing).unwrap_err() else {
        panic!("rows expected")
    };
    assert_eq!(rows[0].line, 3);
    assert_eq!(rows[0].problem, Problem::DuplicatePhone(2));
    assert_eq!(rows[1].line, 4);
    assert_eq!(rows[1].problem, Problem::DuplicateResidentId(2));
}

#[test]
fn gb18030_bytes_are_decoded() {
    let text = "姓名,手机,村\n赵六,13900000001,小黄村\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let people = parse_bytes(&bytes);
    assert_eq!(people[0].name, "赵六");
    assert_eq!(people[0].village, "小黄村");
}

fn parse_bytes(bytes: &[u8]) -> Vec<ListPerson> {
    validate(
        &table_from_csv(bytes).unwrap(),
        ListKind::Willing,
        None,
        &employers(),
    )
    .unwrap()
}

#[test]
fn a_header_without_name_or_phone_is_refused() {
    let e = parse("姓名,村\n甲,小黄村\n", ListKind::Willing).unwrap_err();
    assert!(matches!(e, ListError::Header(m) if m.contains("手机/phone")));
}

#[test]
fn returning_staff_need_a_known_employer() {
    let csv = "姓名,手机,企业\n甲,13900000001,永康五金厂\n乙,13900000002,Yongkang Hardware\n丙,13900000003,不存在厂\n丁,13900000004,\n";
    let ListError::Rows(rows) = parse(csv, ListKind::Returning).unwrap_err() else {
        panic!("rows expected")
    };
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].problem, Problem::UnknownEmployer("不存在厂".into()));
    assert_eq!(rows[1].problem, Problem::NoEmployer);
    let table = table_from_csv("姓名,手机\n甲,13900000001\n".as_bytes()).unwrap();
    let people = validate(&table, ListKind::Returning, Some("e01"), &employers()).unwrap();
    assert_eq!(people[0].employer.as_deref(), Some("e01"));
    assert_eq!(
        find_employer(&employers(), "yongkang hardware"),
        Some("e01")
    );
}

#[test]
fn blank_lines_are_skipped_and_an_empty_list_is_refused() {
    assert_eq!(
        parse("姓名,手机\n,\n\n", ListKind::Willing).unwrap_err(),
        ListError::Empty
    );
}

#[test]
fn a_list_ticket_qr_round_trips_and_nothing_else_parses() {
    assert_eq!(qr_text("K7MX4QPD"), "JKL1:K7MX4QPD");
    assert_eq!(parse_qr("jkl1:k7mx4qpd\n").as_deref(), Some("K7MX4QPD"));
    assert_eq!(parse_qr("JK1ABCDEFGH"), None);
    assert_eq!(parse_qr("JKL1:TOO-SHORT"), None);
}

#[test]
fn a_list_with_classic_mac_line_ends_names_the_right_lines() {
    // Lone "\r" line ends (Excel's "CSV (Macintosh)"): the bad phone is on line 3, not "line 1".
    let csv = "name,phone\r张三,13900000001\r李四,12345\r王五,13900000003\r";
    assert_eq!(bad_lines(parse(csv, ListKind::Willing).unwrap_err()), [3]);
    let people = parse(
        "name,phone\r张三,13900000001\r王五,13900000003\r",
        ListKind::Willing,
    )
    .unwrap();
    assert_eq!(people.iter().map(|p| p.line).collect::<Vec<_>>(), [2, 3]);
}
