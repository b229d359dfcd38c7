//! The rules of the fair file's pick lists: counties, townships and villages (unique among
//! their siblings) and their optional English names (one per village when given).

use super::County;
use super::text_rules::{TextKind, text_problem};

pub(super) fn validate_places(places: &[County], push: &mut impl FnMut(String, String)) {
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
        optional_name(county.name_en.as_deref(), &format!("{path}.name_en"), push);
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
            optional_name(
                township.name_en.as_deref(),
                &format!("{path}.name_en"),
                push,
            );
            if !township.villages_en.is_empty()
                && township.villages_en.len() != township.villages.len()
            {
                push(
                    format!("{path}.villages_en"),
                    format!(
                        "has {} names for {} villages: give one English name per village, in the same order",
                        township.villages_en.len(),
                        township.villages.len()
                    ),
                );
            }
            for (v, name) in township.villages_en.iter().enumerate() {
                optional_name(Some(name), &format!("{path}.villages_en[{v}]"), push);
            }
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

/// Text rules for an optional English name.
fn optional_name(name: Option<&str>, path: &str, push: &mut impl FnMut(String, String)) {
    if let Some(problem) = name.and_then(|n| text_problem(n, TextKind::OptionalName)) {
        push(path.to_string(), problem);
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
