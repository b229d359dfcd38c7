use super::rows::find_employer;
use super::ticket::{parse_qr, qr_text};
use super::*;
use crate::resident_id::synthesize;
use chrono::NaiveDate;

fn id(n: u32) -> String {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    synthesize("520000", birth, n as u16).as_str().to_string()
}

fn fair_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 2, 15).unwrap()
}

fn employers() -> Vec<EmployerRef<'static>> {
    vec![EmployerRef {
        id: "e01",
        name: "永康五金厂",
        name_en: Some("Yongkang Hardware"),
    }]
}

fn parse(csv: &str, kind: ListKind) -> Result<Vec<ListPerson>, ListError> {
    validate(
        &table_from_csv(csv.as_bytes())?,
        kind,
        None,
        &employers(),
        fair_date(),
    )
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
        fair_date(),
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
    let people = validate(
        &table,
        ListKind::Returning,
        Some("e01"),
        &employers(),
        fair_date(),
    )
    .unwrap();
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

#[test]
fn a_title_row_above_the_header_is_skipped() {
    let csv = "高增乡2027年外出务工意愿登记表,,\n\n姓名,手机,村\n甲,13900000001,小黄村\n";
    let people = parse(csv, ListKind::Willing).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].line, 4);
    assert_eq!(people[0].village, "小黄村");
}

#[test]
fn a_header_not_found_in_the_first_rows_is_named_with_its_row() {
    let csv = "登记表\n说明\n序号,名字,电话号码\n1,甲,13900000001\n";
    let ListError::Header(message) = parse(csv, ListKind::Willing).unwrap_err() else {
        panic!("a header error expected");
    };
    assert!(
        message.contains("row 1 was taken as the header: \"登记表\""),
        "{message}"
    );
    assert!(message.contains("第 1 行被当作表头"), "{message}");
    assert!(message.contains("姓名/name"), "{message}");
}

#[test]
fn an_id_born_after_the_day_of_the_fair_is_refused() {
    let born = |y, m, d| {
        synthesize("520000", NaiveDate::from_ymd_opt(y, m, d).unwrap(), 1)
            .as_str()
            .to_string()
    };
    let csv = format!(
        "姓名,手机,身份证号\n甲,13900000001,{}\n乙,13900000002,{}\n丙,13900000003,{}\n丁,13900000004,{}\n",
        born(2027, 2, 15),
        born(2027, 2, 16),
        born(2030, 1, 1),
        born(9999, 12, 31),
    );
    let ListError::Rows(rows) = parse(&csv, ListKind::Willing).unwrap_err() else {
        panic!("rows expected");
    };
    let lines: Vec<(usize, &Problem)> = rows.iter().map(|r| (r.line, &r.problem)).collect();
    assert_eq!(
        lines,
        [
            (3, &Problem::BornAfterFair),
            (4, &Problem::BornAfterFair),
            (5, &Problem::BornAfterFair)
        ]
    );
}

#[test]
fn ids_stored_as_numbers_refuse_the_file_naming_the_column_and_rows() {
    let mut table = table_from_csv(
        format!(
            "序号,姓名,手机,身份证号\n1,甲,13900000001,{}\n2,乙,13900000002,110101198402052000\n3,丙,13900000003,{}\n4,丁,13900000004,{}\n",
            id(1),
            id(3),
            id(4)
        )
        .as_bytes(),
    )
    .unwrap();
    // Rows 3, 4 and 5 of the spreadsheet held the ID as a number (row 2 as text); the
    // phones were numbers too, which is fine.
    table.numbers = [(3, 3), (4, 3), (5, 3), (2, 2), (3, 2)]
        .into_iter()
        .collect();
    let e = validate(&table, ListKind::Willing, None, &employers(), fair_date()).unwrap_err();
    assert_eq!(
        e,
        ListError::IdsStoredAsNumbers {
            header: "身份证号".into(),
            letter: "D".into(),
            lines: vec![3, 4, 5],
        }
    );
    let text = e.to_string();
    for part in [
        "row(s) 3–5",
        "第 3–5 行",
        "Format the column as Text",
        "15 digits",
        "“文本”",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    assert!(!text.contains("check character"), "{text}");
    // Why the cells' type matters: 110101198402051550 read from a number cell is
    // 110101198402052000, which passes the check character (the sex digit flipped).
    table.numbers.clear();
    let people = validate(&table, ListKind::Willing, None, &employers(), fair_date()).unwrap();
    assert_eq!(
        people[1].resident_id.as_ref().unwrap().as_str(),
        "110101198402052000"
    );
}

#[test]
fn line_ranges_join_runs_and_column_letters_count_like_excel() {
    assert_eq!(line_ranges(&[2, 3, 4, 5, 7, 9, 10]), "2–5, 7, 9–10");
    assert_eq!(line_ranges(&[]), "");
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(16_383), "XFD");
}
