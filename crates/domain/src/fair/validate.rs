//! The rules of a fair file, each broken rule reported with its path.

use super::departures::validate_departures;
use super::text_rules::{TextKind, is_employer_id, is_fair_id, push_text_problems, text_problem};
use super::validate_places::validate_places;
use super::{
    Employer, FairFile, FairInfo, MAX_AGE, MAX_HEADCOUNT, MAX_OPENINGS, MAX_WAGE, MIN_AGE,
    MIN_WAGE, Opening,
};

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

impl FairFile {
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
        validate_departures(self, &mut push);
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

/// The rules one employer must keep on its own, as (field, message).
pub fn validate_employer(e: &Employer) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !is_employer_id(&e.id) {
        out.push((
            "id",
            format!("{:?} must be 1 to 24 of A-Z, a-z, 0-9, _ and -", e.id),
        ));
    }
    let texts: [(&'static str, Option<&str>, TextKind); 8] = [
        ("name", Some(&e.name), TextKind::Name),
        ("name_en", e.name_en.as_deref(), TextKind::OptionalName),
        ("city", Some(&e.city), TextKind::Name),
        ("city_en", e.city_en.as_deref(), TextKind::OptionalName),
        ("industry", Some(&e.industry), TextKind::Text),
        (
            "industry_en",
            e.industry_en.as_deref(),
            TextKind::OptionalText,
        ),
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
    let texts: [(&'static str, Option<&str>, TextKind); 6] = [
        ("title", Some(&o.title), TextKind::Name),
        ("title_en", o.title_en.as_deref(), TextKind::OptionalName),
        ("skills", Some(&o.skills), TextKind::OptionalText),
        ("skills_en", o.skills_en.as_deref(), TextKind::OptionalText),
        ("work_place", Some(&o.work_place), TextKind::Text),
        (
            "work_place_en",
            o.work_place_en.as_deref(),
            TextKind::OptionalText,
        ),
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
