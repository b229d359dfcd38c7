//! The fair file: a fair, its place lists, employers and openings.
//!
//! Pure types and validation. Parsing from JSON keeps the JSON path of the first
//! type error; [`FairFile::validate`] lists every rule broken, each with its path.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bounds that keep screens, tickets and the store sane.
pub const MAX_TEXT: usize = 200;
pub const MAX_SHORT_TEXT: usize = 40;
pub const MAX_OPENINGS: usize = 20_000;
pub const MAX_WAGE: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairFile {
    /// Format version of the file; this build reads 1.
    pub format: u32,
    pub fair: FairInfo,
    #[serde(default)]
    pub places: Vec<County>,
    pub employers: Vec<Employer>,
    pub openings: Vec<Opening>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairInfo {
    /// Stable id, `[a-z0-9-]`, 3 to 40 characters, e.g. `gz-qdn-2027-02-18`.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub province: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

/// A county of the fair's area with its townships and villages (pick lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct County {
    pub name: String,
    pub townships: Vec<Township>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Township {
    pub name: String,
    #[serde(default)]
    pub villages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    /// Stable id within the fair, `[A-Za-z0-9_-]`, 1 to 24 characters.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub city: String,
    pub industry: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// Stable number within the fair, 1 to 65535 (tickets carry it as 16 bits).
    pub id: u16,
    /// The `id` of an employer in the same file.
    pub employer: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    pub trade: Trade,
    pub headcount: u32,
    /// Monthly wage range in CNY, before tax.
    pub wage_min: u32,
    pub wage_max: u32,
    #[serde(default)]
    pub benefits: Vec<Benefit>,
    #[serde(default)]
    pub age_min: Option<u8>,
    #[serde(default)]
    pub age_max: Option<u8>,
    #[serde(default)]
    pub skills: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills_en: Option<String>,
    pub work_place: String,
    pub shift: Shift,
}

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The snake_case name used in fair files and CSV.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($s => Some($name::$variant),)+ _ => None }
            }
            /// Position in [`Self::ALL`], stable for the UI.
            pub fn index(self) -> usize { self as usize }
        }
    };
}

str_enum!(
    /// The trade of an opening; the UI translates each.
    Trade {
        Stamping = "stamping",
        Welding = "welding",
        Assembly = "assembly",
        InjectionMoulding = "injection_moulding",
        Cnc = "cnc",
        QualityInspection = "quality_inspection",
        Warehouse = "warehouse",
        Electrician = "electrician",
        Canteen = "canteen",
        Packaging = "packaging",
        Painting = "painting",
        Maintenance = "maintenance",
        Driver = "driver",
        Cleaning = "cleaning",
        Security = "security",
        DieCasting = "die_casting",
        Polishing = "polishing",
        Other = "other",
    }
);

str_enum!(
    /// What an employer offers besides the wage.
    Benefit {
        FreeFare = "free_fare",
        Dormitory = "dormitory",
        Meals = "meals",
        SocialInsurance = "social_insurance",
        OvertimePay = "overtime_pay",
        PaidTraining = "paid_training",
        CouplesRoom = "couples_room",
    }
);

str_enum!(
    /// Working hours pattern.
    Shift {
        Day = "day",
        TwoShifts = "two_shifts",
        ThreeShifts = "three_shifts",
        Flexible = "flexible",
    }
);

/// One broken rule, located by a JSON-style path such as `openings[3].wage_max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a fair file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FairFileError {
    /// The text is not JSON (or stops early); `line` and `column` are 1-based.
    #[error("the fair file is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON is well formed but a value has the wrong type, name or range;
    /// `path` is like `openings[3].trade` (empty for the top level).
    #[error("the fair file has a wrong value at {}: {message}", path_or_top(path))]
    Type { path: String, message: String },
    /// The file parsed but breaks one or more rules, all listed.
    #[error("the fair file breaks {} rule(s):\n{}", .0.len(), list_violations(.0))]
    Invalid(Vec<Violation>),
}

fn path_or_top(path: &str) -> &str {
    if path.is_empty() {
        "the top level"
    } else {
        path
    }
}

fn list_violations(v: &[Violation]) -> String {
    let lines: Vec<String> = v.iter().map(|x| format!("  {x}")).collect();
    lines.join("\n")
}

/// Lowest accepted monthly wage (CNY); anything lower is surely a typo.
pub const MIN_WAGE: u32 = 1_000;
/// Highest accepted headcount of one opening.
pub const MAX_HEADCOUNT: u32 = 10_000;
/// Youngest and oldest accepted ages for an opening's age bounds.
pub const MIN_AGE: u8 = 16;
pub const MAX_AGE: u8 = 70;

impl FairFile {
    /// Reads a fair file from JSON, then checks every rule with [`FairFile::validate`].
    pub fn from_json(text: &str) -> Result<FairFile, FairFileError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let fair: FairFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            json_error(
                e.into_inner(),
                if path == "." { String::new() } else { path },
            )
        })?;
        de.end().map_err(|e| json_error(e, String::new()))?;
        let violations = fair.validate();
        if violations.is_empty() {
            Ok(fair)
        } else {
            Err(FairFileError::Invalid(violations))
        }
    }

    /// The employer with this id, if any.
    pub fn employer(&self, id: &str) -> Option<&Employer> {
        self.employers.iter().find(|e| e.id == id)
    }

    /// The opening with this id, if any.
    pub fn opening(&self, id: u16) -> Option<&Opening> {
        self.openings.iter().find(|o| o.id == id)
    }

    /// Every rule this file breaks, in file order; empty when the file is good.
    pub fn validate(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut push = |path: String, message: String| out.push(Violation { path, message });
        if self.format != 1 {
            push(
                "format".into(),
                format!(
                    "format {} is not supported; this build reads 1",
                    self.format
                ),
            );
        }
        self.fair.validate_into(&mut push);
        validate_places(&self.places, &mut push);

        if self.employers.is_empty() {
            push(
                "employers".into(),
                "there must be at least one employer".into(),
            );
        }
        let mut employer_ids = std::collections::HashMap::new();
        for (i, e) in self.employers.iter().enumerate() {
            for (field, message) in validate_employer(e) {
                push(format!("employers[{i}].{field}"), message);
            }
            if let Some(first) = first_index(&mut employer_ids, e.id.as_str(), i) {
                push(
                    format!("employers[{i}].id"),
                    format!("id {:?} is also used by employers[{first}]", e.id),
                );
            }
        }

        if self.openings.is_empty() {
            push(
                "openings".into(),
                "there must be at least one opening".into(),
            );
        } else if self.openings.len() > MAX_OPENINGS {
            push(
                "openings".into(),
                format!(
                    "{} openings; at most {MAX_OPENINGS} are allowed",
                    self.openings.len()
                ),
            );
        }
        let mut opening_ids = std::collections::HashMap::new();
        for (i, o) in self.openings.iter().enumerate() {
            for (field, message) in validate_opening(o) {
                push(format!("openings[{i}].{field}"), message);
            }
            if let Some(first) = first_index(&mut opening_ids, o.id, i).filter(|_| o.id != 0) {
                push(
                    format!("openings[{i}].id"),
                    format!("id {} is also used by openings[{first}]", o.id),
                );
            }
            if !employer_ids.contains_key(o.employer.as_str()) {
                push(
                    format!("openings[{i}].employer"),
                    format!("no employer has id {:?}", o.employer),
                );
            }
        }
        out
    }
}

/// Records `key` at `index` unless already seen; returns the earlier index if it was.
fn first_index<K: std::hash::Hash + Eq>(
    seen: &mut std::collections::HashMap<K, usize>,
    key: K,
    index: usize,
) -> Option<usize> {
    use std::collections::hash_map::Entry;
    match seen.entry(key) {
        Entry::Occupied(e) => Some(*e.get()),
        Entry::Vacant(e) => {
            e.insert(index);
            None
        }
    }
}

fn json_error(e: serde_json::Error, path: String) -> FairFileError {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    match e.classify() {
        Category::Data => FairFileError::Type { path, message },
        Category::Syntax | Category::Eof | Category::Io => FairFileError::Syntax {
            line,
            column,
            message,
        },
    }
}

impl FairInfo {
    fn validate_into(&self, push: &mut impl FnMut(String, String)) {
        if !is_fair_id(&self.id) {
            push(
                "fair.id".into(),
                format!("{:?} must be 3 to 40 of a-z, 0-9 and -", self.id),
            );
        }
        let texts: [(&str, Option<&str>, TextKind); 7] = [
            ("name", Some(&self.name), TextKind::Name),
            ("name_en", self.name_en.as_deref(), TextKind::OptionalName),
            ("province", Some(&self.province), TextKind::Name),
            ("county", Some(&self.county), TextKind::Name),
            ("township", Some(&self.township), TextKind::Name),
            ("village", Some(&self.village), TextKind::Name),
            ("venue", self.venue.as_deref(), TextKind::OptionalText),
        ];
        for (field, value, kind) in texts {
            if let Some(problem) = value.and_then(|v| text_problem(v, kind)) {
                push(format!("fair.{field}"), problem);
            }
        }
    }
}

fn validate_places(places: &[County], push: &mut impl FnMut(String, String)) {
    let mut counties = std::collections::HashSet::new();
    for (c, county) in places.iter().enumerate() {
        let path = format!("places[{c}]");
        name_rules(
            &county.name,
            &format!("{path}.name"),
            &mut counties,
            "county",
            push,
        );
        let mut townships = std::collections::HashSet::new();
        for (t, township) in county.townships.iter().enumerate() {
            let path = format!("{path}.townships[{t}]");
            name_rules(
                &township.name,
                &format!("{path}.name"),
                &mut townships,
                "township in this county",
                push,
            );
            let mut villages = std::collections::HashSet::new();
            for (v, village) in township.villages.iter().enumerate() {
                name_rules(
                    village,
                    &format!("{path}.villages[{v}]"),
                    &mut villages,
                    "village in this township",
                    push,
                );
            }
        }
    }
}

/// Text rules for a place name plus uniqueness among its siblings in `seen`.
fn name_rules<'a>(
    name: &'a str,
    path: &str,
    seen: &mut std::collections::HashSet<&'a str>,
    what: &str,
    push: &mut impl FnMut(String, String),
) {
    if let Some(problem) = text_problem(name, TextKind::Name) {
        push(path.to_string(), problem);
    } else if !seen.insert(name.trim()) {
        push(
            path.to_string(),
            format!("{:?} is listed twice as a {what}", name.trim()),
        );
    }
}

/// The rules one employer must keep on its own, as (field, message).
pub fn validate_employer(e: &Employer) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !is_employer_id(&e.id) {
        out.push((
            "id",
            format!("{:?} must be 1 to 24 of A-Z, a-z, 0-9, _ and -", e.id),
        ));
    }
    let texts: [(&'static str, Option<&str>, TextKind); 6] = [
        ("name", Some(&e.name), TextKind::Name),
        ("name_en", e.name_en.as_deref(), TextKind::OptionalName),
        ("city", Some(&e.city), TextKind::Name),
        ("industry", Some(&e.industry), TextKind::Text),
        ("description", Some(&e.description), TextKind::OptionalText),
        (
            "description_en",
            e.description_en.as_deref(),
            TextKind::OptionalText,
        ),
    ];
    push_text_problems(&texts, &mut out);
    out
}

/// The rules one opening must keep on its own, as (field, message). Rules that
/// need the whole file (unique id, employer exists) live in [`FairFile::validate`].
pub fn validate_opening(o: &Opening) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if o.id == 0 {
        out.push(("id", "must be from 1 to 65535".to_string()));
    }
    let texts: [(&'static str, Option<&str>, TextKind); 5] = [
        ("title", Some(&o.title), TextKind::Name),
        ("title_en", o.title_en.as_deref(), TextKind::OptionalName),
        ("skills", Some(&o.skills), TextKind::OptionalText),
        ("skills_en", o.skills_en.as_deref(), TextKind::OptionalText),
        ("work_place", Some(&o.work_place), TextKind::Text),
    ];
    push_text_problems(&texts, &mut out);
    if !(1..=MAX_HEADCOUNT).contains(&o.headcount) {
        out.push((
            "headcount",
            format!("{} must be from 1 to {MAX_HEADCOUNT}", o.headcount),
        ));
    }
    if o.wage_min < MIN_WAGE {
        out.push((
            "wage_min",
            format!(
                "{} is below the lowest accepted wage {MIN_WAGE}",
                o.wage_min
            ),
        ));
    }
    if o.wage_max > MAX_WAGE {
        out.push((
            "wage_max",
            format!(
                "{} is above the highest accepted wage {MAX_WAGE}",
                o.wage_max
            ),
        ));
    } else if o.wage_max < o.wage_min {
        out.push((
            "wage_max",
            format!("{} is below wage_min {}", o.wage_max, o.wage_min),
        ));
    }
    if let Some(a) = o.age_min.filter(|&a| a < MIN_AGE) {
        out.push(("age_min", format!("{a} is below {MIN_AGE}")));
    }
    match (o.age_min, o.age_max) {
        (_, Some(a)) if a > MAX_AGE => out.push(("age_max", format!("{a} is above {MAX_AGE}"))),
        (Some(lo), Some(hi)) if hi < lo => {
            out.push(("age_max", format!("{hi} is below age_min {lo}")))
        }
        _ => {}
    }
    for (i, b) in o.benefits.iter().enumerate() {
        if o.benefits[..i].contains(b) {
            out.push(("benefits", format!("{} is listed twice", b.as_str())));
        }
    }
    out
}

/// How a text field is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// Required, at most [`MAX_SHORT_TEXT`] characters.
    Name,
    /// If present, not blank and at most [`MAX_SHORT_TEXT`] characters.
    OptionalName,
    /// Required, at most [`MAX_TEXT`] characters.
    Text,
    /// May be empty, at most [`MAX_TEXT`] characters.
    OptionalText,
}

fn push_text_problems(
    texts: &[(&'static str, Option<&str>, TextKind)],
    out: &mut Vec<(&'static str, String)>,
) {
    for &(field, value, kind) in texts {
        if let Some(problem) = value.and_then(|v| text_problem(v, kind)) {
            out.push((field, problem));
        }
    }
}

/// The first problem of a text, if any: blank when required, too long, control characters.
fn text_problem(s: &str, kind: TextKind) -> Option<String> {
    let max = match kind {
        TextKind::Name | TextKind::OptionalName => MAX_SHORT_TEXT,
        TextKind::Text | TextKind::OptionalText => MAX_TEXT,
    };
    let chars = s.chars().count();
    if s.trim().is_empty() && kind != TextKind::OptionalText {
        Some("must not be empty".to_string())
    } else if chars > max {
        Some(format!("{chars} characters; at most {max} are allowed"))
    } else if s.chars().any(char::is_control) {
        Some("must not contain control characters such as line breaks or tabs".to_string())
    } else {
        None
    }
}

fn is_fair_id(id: &str) -> bool {
    (3..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

fn is_employer_id(id: &str) -> bool {
    (1..=24).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
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
        let (path, message) =
            type_error(&GOOD.replace("\"shift\": \"day\" ", "\"shfit\": \"day\" "));
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
}
