use super::*;

const GOOD: &str = r#"{
  "format": 1,
  "fair": { "id": "gz-qdn-2027-02-18", "name": "春风行动招聘会", "province": "贵州省",
            "county": "示例县", "township": "示例镇", "village": "示例村", "date": "2027-02-18" },
  "places": [ { "name": "示例县", "townships": [ { "name": "示例镇", "villages": ["甲村", "乙村"] } ] } ],
  "employers": [ { "id": "e1", "name": "示例电子厂", "city": "东莞", "industry": "电子" } ],
  "openings": [
    { "id": 1, "employer": "e1", "title": "普工", "trade": "assembly", "headcount": 50,
      "wage_min": 4500, "wage_max": 6000, "benefits": ["dormitory", "meals"], "age_min": 18,
      "age_max": 45, "work_place": "东莞市", "shift": "two_shifts" },
    { "id": 2, "employer": "e1", "title": "焊工", "trade": "welding", "headcount": 5,
      "wage_min": 6000, "wage_max": 8000, "work_place": "东莞市", "shift": "day" }
  ]
}"#;

fn good() -> FairFile {
    FairFile::from_json(GOOD).expect("the sample fair is valid")
}

/// Paths of the violations after `change` is applied to the good fair.
fn broken_paths(change: impl FnOnce(&mut FairFile)) -> Vec<String> {
    let mut fair = good();
    change(&mut fair);
    fair.validate().into_iter().map(|v| v.path).collect()
}

#[test]
fn good_file_is_read_with_all_its_parts() {
    let fair = good();
    assert_eq!(fair.openings.len(), 2);
    assert_eq!(fair.opening(2).map(|o| o.trade), Some(Trade::Welding));
    assert_eq!(fair.employer("e1").map(|e| e.city.as_str()), Some("东莞"));
    assert!(fair.opening(3).is_none() && fair.employer("e2").is_none());
    assert!(fair.validate().is_empty());
}

#[test]
fn syntax_error_reports_its_line() {
    let text = GOOD.replacen("\"headcount\": 5,", "\"headcount\": 5", 1);
    match FairFile::from_json(&text) {
        Err(FairFileError::Syntax { line, .. }) => assert_eq!(line, 12),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn truncated_file_is_a_syntax_error() {
    assert!(matches!(
        FairFile::from_json(&GOOD[..100]),
        Err(FairFileError::Syntax { .. })
    ));
    assert!(matches!(
        FairFile::from_json(""),
        Err(FairFileError::Syntax { line: 1, .. })
    ));
}

#[test]
fn trailing_text_after_the_object_is_a_syntax_error() {
    let text = format!("{GOOD} x");
    let got = FairFile::from_json(&text);
    assert!(
        matches!(got, Err(FairFileError::Syntax { line: 14, .. })),
        "{got:?}"
    );
}

fn type_error(text: &str) -> (String, String) {
    match FairFile::from_json(text) {
        Err(FairFileError::Type { path, message }) => (path, message),
        other => panic!("expected a type error, got {other:?}"),
    }
}

#[test]
fn misspelt_trade_names_its_path() {
    let (path, message) = type_error(&GOOD.replace("\"welding\"", "\"weldng\""));
    assert_eq!(path, "openings[1].trade");
    assert!(
        message.contains("weldng") && message.contains("welding"),
        "{message}"
    );
    assert!(!message.contains(" at line "), "{message}");
}

#[test]
fn negative_wage_names_its_path() {
    let (path, _) = type_error(&GOOD.replace("\"wage_min\": 4500", "\"wage_min\": -4500"));
    assert_eq!(path, "openings[0].wage_min");
}

#[test]
fn missing_and_unknown_fields_name_their_place() {
    let (path, message) = type_error(&GOOD.replace("\"shift\": \"day\" ", "\"shfit\": \"day\" "));
    assert_eq!(path, "openings[1].shfit");
    assert!(message.contains("unknown field"), "{message}");
    let (path, message) = type_error(&GOOD.replace(", \"city\": \"东莞\"", ""));
    assert_eq!(path, "employers[0]");
    assert!(message.contains("missing field `city`"), "{message}");
}

#[test]
fn impossible_date_names_its_path() {
    let (path, _) = type_error(&GOOD.replace("2027-02-18\" }", "2027-02-30\" }"));
    assert_eq!(path, "fair.date");
}

#[test]
fn rule_violations_come_back_as_invalid_with_every_line_displayed() {
    let text = GOOD
        .replace("\"format\": 1", "\"format\": 2")
        .replace("\"headcount\": 5,", "\"headcount\": 0,");
    let err = FairFile::from_json(&text).unwrap_err();
    let FairFileError::Invalid(v) = &err else {
        panic!("expected Invalid, got {err:?}")
    };
    assert_eq!(
        v.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(),
        ["format", "openings[1].headcount"]
    );
    let shown = err.to_string();
    assert!(
        shown
            .lines()
            .any(|l| l.trim_start().starts_with("format: ")),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.trim_start().starts_with("openings[1].headcount: ")),
        "{shown}"
    );
}

#[test]
fn bad_fair_id_and_blank_names_are_reported() {
    assert_eq!(broken_paths(|f| f.fair.id = "GZ 2027".into()), ["fair.id"]);
    assert_eq!(broken_paths(|f| f.fair.id = "ab".into()), ["fair.id"]);
    assert_eq!(broken_paths(|f| f.fair.name = "  ".into()), ["fair.name"]);
    assert_eq!(
        broken_paths(|f| f.fair.name_en = Some(String::new())),
        ["fair.name_en"]
    );
    assert!(broken_paths(|f| f.fair.venue = Some(String::new())).is_empty());
}

#[test]
fn too_long_texts_are_reported_by_their_own_limit() {
    let short_max = "字".repeat(MAX_SHORT_TEXT);
    assert!(broken_paths(|f| f.openings[0].title = short_max.clone()).is_empty());
    assert_eq!(
        broken_paths(|f| f.openings[0].title = format!("{short_max}字")),
        ["openings[0].title"]
    );
    assert!(broken_paths(|f| f.openings[0].work_place = "字".repeat(MAX_TEXT)).is_empty());
    let long = "字".repeat(MAX_TEXT + 1);
    assert_eq!(
        broken_paths(|f| f.openings[0].work_place = long.clone()),
        ["openings[0].work_place"]
    );
    assert_eq!(
        broken_paths(|f| f.employers[0].description = long),
        ["employers[0].description"]
    );
    let name = format!("{short_max}字");
    assert_eq!(
        broken_paths(|f| f.places[0].townships[0].villages[1] = name),
        ["places[0].townships[0].villages[1]"]
    );
}

#[test]
fn control_characters_are_reported() {
    assert_eq!(
        broken_paths(|f| f.employers[0].name = "示例\n电子厂".into()),
        ["employers[0].name"]
    );
    assert_eq!(
        broken_paths(|f| f.openings[1].skills = "会\t焊".into()),
        ["openings[1].skills"]
    );
}

#[test]
fn employer_rules_are_reported() {
    assert_eq!(
        broken_paths(|f| f.employers[0].id = "e 1".into()),
        [
            "employers[0].id",
            "openings[0].employer",
            "openings[1].employer"
        ]
    );
    assert_eq!(
        broken_paths(|f| f.employers.push(f.employers[0].clone())),
        ["employers[1].id"]
    );
    assert_eq!(
        broken_paths(|f| f.employers[0].city = String::new()),
        ["employers[0].city"]
    );
    let no_employers = broken_paths(|f| f.employers.clear());
    assert_eq!(no_employers[0], "employers");
}

#[test]
fn opening_id_and_employer_rules_are_reported() {
    assert_eq!(broken_paths(|f| f.openings[1].id = 1), ["openings[1].id"]);
    assert_eq!(broken_paths(|f| f.openings[1].id = 0), ["openings[1].id"]);
    assert_eq!(
        broken_paths(|f| f.openings[1].employer = "e9".into()),
        ["openings[1].employer"]
    );
    assert_eq!(broken_paths(|f| f.openings.clear()), ["openings"]);
}

#[test]
fn headcount_and_wage_rules_are_reported() {
    assert_eq!(
        broken_paths(|f| f.openings[0].headcount = MAX_HEADCOUNT + 1),
        ["openings[0].headcount"]
    );
    assert!(broken_paths(|f| f.openings[0].headcount = MAX_HEADCOUNT).is_empty());
    assert_eq!(
        broken_paths(|f| f.openings[0].wage_min = 999),
        ["openings[0].wage_min"]
    );
    assert_eq!(
        broken_paths(|f| f.openings[0].wage_max = 4499),
        ["openings[0].wage_max"]
    );
    assert_eq!(
        broken_paths(|f| f.openings[0].wage_max = MAX_WAGE + 1),
        ["openings[0].wage_max"]
    );
    assert!(broken_paths(|f| f.openings[0].wage_max = 4500).is_empty());
}

#[test]
fn age_rules_are_reported() {
    assert_eq!(
        broken_paths(|f| f.openings[0].age_min = Some(15)),
        ["openings[0].age_min"]
    );
    assert_eq!(
        broken_paths(|f| f.openings[0].age_max = Some(71)),
        ["openings[0].age_max"]
    );
    assert_eq!(
        broken_paths(|f| f.openings[0].age_max = Some(17)),
        ["openings[0].age_max"]
    );
    assert!(broken_paths(|f| f.openings[1].age_max = Some(70)).is_empty());
}

#[test]
fn duplicated_benefit_is_reported() {
    assert_eq!(
        broken_paths(|f| f.openings[0].benefits.push(Benefit::Meals)),
        ["openings[0].benefits"]
    );
}

#[test]
fn duplicated_place_names_are_reported_within_their_parent() {
    assert_eq!(
        broken_paths(|f| f.places.push(f.places[0].clone())),
        ["places[1].name"]
    );
    let mut other = good().places[0].clone();
    other.name = "另一县".into();
    assert!(
        broken_paths(|f| f.places.push(other)).is_empty(),
        "same township in another county is fine"
    );
    let village = "甲村".to_string();
    assert_eq!(
        broken_paths(|f| f.places[0].townships[0].villages.push(village)),
        ["places[0].townships[0].villages[2]"]
    );
    let township = good().places[0].townships[0].clone();
    assert_eq!(
        broken_paths(|f| f.places[0].townships.push(township)),
        ["places[0].townships[1].name"]
    );
}

#[test]
fn several_violations_are_listed_together_in_file_order() {
    let paths = broken_paths(|f| {
        f.format = 0;
        f.fair.village = String::new();
        f.employers[0].industry = String::new();
        f.openings[0].wage_min = 10;
        f.openings[1].shift = Shift::Day;
        f.openings[1].age_min = Some(80);
        f.openings[1].age_max = Some(20);
    });
    assert_eq!(
        paths,
        [
            "format",
            "fair.village",
            "employers[0].industry",
            "openings[0].wage_min",
            "openings[1].age_max"
        ]
    );
}
