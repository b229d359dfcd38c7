//! A sign-up as the villager confirms it on the review screen.

use super::phone::Phone;
use super::resident_id::ResidentId;
use serde::{Deserialize, Serialize};

/// Most openings one villager may choose.
pub const MAX_CHOSEN_OPENINGS: usize = 5;

/// Version of the consent text shown on the consent screen; stored with each sign-up.
pub const CONSENT_TEXT_VERSION: u32 = 1;

/// What the villager agreed to on the consent screen (PIPL: separate consents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consent {
    /// Collection of name, phone and home place for this fair (required to register).
    pub personal_data: bool,
    /// Collection of the resident ID number (optional; declining still allows registering).
    pub resident_id: bool,
    /// Showing the phone number to the chosen employers on the ticket card (optional).
    pub share_phone: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HomePlace {
    pub county: String,
    pub township: String,
    pub village: String,
}

/// Longest county, township or village name, in characters.
pub const MAX_PLACE_CHARS: usize = 40;

/// One of the three parts of a home place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceField {
    County,
    Township,
    Village,
}

/// What is wrong with one part of a home place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceProblem {
    Empty,
    TooLong,
    /// A control character (a physical keyboard's Tab, a pasted line break).
    BadChar,
}

/// Why a home place was refused: the first part that breaks a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("home place {field:?}: {problem:?}")]
pub struct PlaceError {
    pub field: PlaceField,
    pub problem: PlaceProblem,
}

impl PlaceField {
    pub const ALL: [PlaceField; 3] = [
        PlaceField::County,
        PlaceField::Township,
        PlaceField::Village,
    ];
}

impl HomePlace {
    /// The text of one part.
    pub fn get(&self, field: PlaceField) -> &str {
        match field {
            PlaceField::County => &self.county,
            PlaceField::Township => &self.township,
            PlaceField::Village => &self.village,
        }
    }

    /// The text of one part, to change it.
    pub fn get_mut(&mut self, field: PlaceField) -> &mut String {
        match field {
            PlaceField::County => &mut self.county,
            PlaceField::Township => &mut self.township,
            PlaceField::Village => &mut self.village,
        }
    }

    /// The place with each part trimmed, if every part is non-empty, at most
    /// [`MAX_PLACE_CHARS`] characters and free of control characters; else the first
    /// part (county, township, village) that is not.
    pub fn checked(&self) -> Result<HomePlace, PlaceError> {
        let mut out = HomePlace::default();
        for field in PlaceField::ALL {
            let text = self.get(field).trim();
            let problem = if text.is_empty() {
                Some(PlaceProblem::Empty)
            } else if text.chars().count() > MAX_PLACE_CHARS {
                Some(PlaceProblem::TooLong)
            } else if text.chars().any(char::is_control) {
                Some(PlaceProblem::BadChar)
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(PlaceError { field, problem });
            }
            *out.get_mut(field) = text.to_string();
        }
        Ok(out)
    }
}

/// Everything the review screen shows, already validated field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub consent: Consent,
    pub phone: Phone,
    /// Only present when `consent.resident_id` is true.
    pub resident_id: Option<ResidentId>,
    pub name: String,
    pub home: HomePlace,
    /// Opening ids in the order chosen, 1 to [`MAX_CHOSEN_OPENINGS`].
    pub openings: Vec<u16>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(c: &str, t: &str, v: &str) -> HomePlace {
        HomePlace {
            county: c.into(),
            township: t.into(),
            village: v.into(),
        }
    }

    #[test]
    fn a_home_place_is_trimmed_and_every_part_is_required() {
        let ok = place(" 从江县", "高增乡 ", "小黄村").checked().unwrap();
        assert_eq!(ok, place("从江县", "高增乡", "小黄村"));
        let err = place("从江县", "高增乡", "  ").checked().unwrap_err();
        assert_eq!(
            err,
            PlaceError {
                field: PlaceField::Village,
                problem: PlaceProblem::Empty
            }
        );
    }

    #[test]
    fn a_long_or_control_character_place_is_refused_naming_the_part() {
        let long = "村".repeat(MAX_PLACE_CHARS + 1);
        let err = place("从江县", &long, "小黄村").checked().unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            (PlaceField::Township, PlaceProblem::TooLong)
        );
        let err = place("从江\t县", "高增乡", "小黄村").checked().unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            (PlaceField::County, PlaceProblem::BadChar)
        );
        assert!(
            place("从江县", &"村".repeat(MAX_PLACE_CHARS), "小黄村")
                .checked()
                .is_ok()
        );
    }
}
