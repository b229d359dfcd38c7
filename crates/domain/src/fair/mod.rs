//! The fair file: a fair, its place lists, employers and openings.
//!
//! Pure types and validation. Parsing from JSON keeps the JSON path of the first
//! type error; [`FairFile::validate`] lists every rule broken, each with its path.

mod departures;
mod english;
mod json;
mod text_rules;
mod validate;
mod validate_places;
mod vocabulary;

#[cfg(test)]
mod departures_tests;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use departures::{
    Departure, DepartureKind, MAX_BUS_SEATS, MAX_DAYS_AFTER_FAIR, MAX_DEPARTURES, MAX_TRAIN_SEATS,
    validate_departure,
};
pub use english::romanize;
pub use json::FairFileError;
pub use validate::{Violation, validate_employer, validate_opening};
pub use vocabulary::{Benefit, Shift, Trade};

/// Bounds that keep screens, tickets and the store sane.
pub const MAX_TEXT: usize = 200;
pub const MAX_SHORT_TEXT: usize = 40;
pub const MAX_OPENINGS: usize = 20_000;
pub const MAX_WAGE: u32 = 100_000;

/// Lowest accepted monthly wage (CNY); anything lower is surely a typo.
pub const MIN_WAGE: u32 = 1_000;
/// Highest accepted headcount of one opening.
pub const MAX_HEADCOUNT: u32 = 10_000;
/// Youngest and oldest accepted ages for an opening's age bounds.
pub const MIN_AGE: u8 = 16;
pub const MAX_AGE: u8 = 70;

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
    /// Buses and train groups to the employers' city; absent in older files and in
    /// fairs without transport.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departures: Vec<Departure>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub townships: Vec<Township>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Township {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default)]
    pub villages: Vec<String>,
    /// English names of `villages`, in the same order (empty, or one per village).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub villages_en: Vec<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_en: Option<String>,
    pub industry: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry_en: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_place_en: Option<String>,
    pub shift: Shift,
}

impl FairFile {
    /// The employer with this id, if any.
    pub fn employer(&self, id: &str) -> Option<&Employer> {
        self.employers.iter().find(|e| e.id == id)
    }

    /// The opening with this id, if any.
    pub fn opening(&self, id: u16) -> Option<&Opening> {
        self.openings.iter().find(|o| o.id == id)
    }
}
