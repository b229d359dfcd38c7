//! Departures of a return-to-work fair: chartered buses (点对点) and train groups that take
//! villagers to the employers' city, as the fair file lists them.
//!
//! A departure leaves from a pickup point (a named place, optionally tied to one township
//! of the fair's pick lists) on a date and time, for a destination city; `employers`
//! narrows it to some employers of that city (empty: any employer there). Seats are the
//! capacity the kiosk assigns against. A fair without departures shows nothing of this.

use super::text_rules::{TextKind, is_employer_id, push_text_problems};
use super::{Employer, FairFile};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Most departures one fair file may list (the 2027 campaign chartered 585 buses).
pub const MAX_DEPARTURES: usize = 2_000;
/// Most seats of one bus.
pub const MAX_BUS_SEATS: u32 = 80;
/// Most seats of one train group (a block of seats or carriages booked together).
pub const MAX_TRAIN_SEATS: u32 = 3_000;
/// Latest departure, in days after the fair's date.
pub const MAX_DAYS_AFTER_FAIR: i64 = 60;

/// Bus or train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartureKind {
    Bus,
    Train,
}

impl DepartureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DepartureKind::Bus => "bus",
            DepartureKind::Train => "train",
        }
    }

    /// The most seats a departure of this kind may have.
    pub fn max_seats(self) -> u32 {
        match self {
            DepartureKind::Bus => MAX_BUS_SEATS,
            DepartureKind::Train => MAX_TRAIN_SEATS,
        }
    }
}

/// One departure: a bus or a train group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Departure {
    /// Stable id within the fair, `[A-Za-z0-9_-]`, 1 to 24 characters, e.g. `gz-0216-1`.
    pub id: String,
    pub kind: DepartureKind,
    /// Local date and time of departure (China time), e.g. `2027-02-16T07:30:00`.
    pub departs_at: NaiveDateTime,
    /// Where people get on, e.g. `高增乡政府门口`.
    pub pickup: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_en: Option<String>,
    /// The township of the fair's pick lists this pickup serves, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_township: Option<String>,
    /// The destination city, as the employers' `city` spells it, e.g. `浙江永康`.
    pub destination: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_en: Option<String>,
    /// Employer ids this departure is for; empty means every employer of `destination`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employers: Vec<String>,
    pub seats: u32,
    /// Plate of the bus or number of the train, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<String>,
    /// Who to call about this departure, e.g. `王师傅` or `高增乡劳务站`.
    pub contact: String,
    /// That contact's mobile number (11 digits).
    pub contact_phone: String,
}

impl Departure {
    /// Whether this departure takes people to `employer`.
    pub fn serves(&self, employer: &Employer) -> bool {
        if self.employers.is_empty() {
            employer.city == self.destination
        } else {
            self.employers.contains(&employer.id)
        }
    }

    /// The local date of departure.
    pub fn date(&self) -> NaiveDate {
        self.departs_at.date()
    }
}

impl FairFile {
    /// The departure with this id, if any.
    pub fn departure(&self, id: &str) -> Option<&Departure> {
        self.departures.iter().find(|d| d.id == id)
    }

    /// The departures that serve any of these employers (ids), in file order. Empty when
    /// the fair has no departures, so a caller shows nothing of transport.
    pub fn departures_for_employers<'a>(
        &'a self,
        employer_ids: &[&str],
    ) -> impl Iterator<Item = &'a Departure> + use<'a> {
        let employers: Vec<&Employer> = employer_ids
            .iter()
            .filter_map(|id| self.employer(id))
            .collect();
        self.departures
            .iter()
            .filter(move |d| employers.iter().any(|e| d.serves(e)))
    }

    /// The departures that serve the employers of these openings (a villager's choices).
    pub fn departures_for_openings<'a>(
        &'a self,
        openings: &[u16],
    ) -> impl Iterator<Item = &'a Departure> + use<'a> {
        let employers: Vec<&str> = openings
            .iter()
            .filter_map(|&o| self.opening(o))
            .map(|o| o.employer.as_str())
            .collect();
        self.departures_for_employers(&employers)
    }
}

/// The rules of the `departures` list, each broken rule pushed with its path.
pub(super) fn validate_departures(fair: &FairFile, push: &mut impl FnMut(String, String)) {
    if fair.departures.len() > MAX_DEPARTURES {
        push(
            "departures".into(),
            format!(
                "{} departures; at most {MAX_DEPARTURES} are allowed",
                fair.departures.len()
            ),
        );
    }
    let townships: std::collections::HashSet<&str> = fair
        .places
        .iter()
        .flat_map(|c| c.townships.iter().map(|t| t.name.as_str()))
        .collect();
    let cities: std::collections::HashSet<&str> =
        fair.employers.iter().map(|e| e.city.as_str()).collect();
    let mut ids = std::collections::HashMap::new();
    for (i, d) in fair.departures.iter().enumerate() {
        let path = |field: &str| format!("departures[{i}].{field}");
        for (field, message) in validate_departure(d) {
            push(path(field), message);
        }
        if let Some(first) = ids.insert(d.id.as_str(), i) {
            push(
                path("id"),
                format!("id {:?} is also used by departures[{first}]", d.id),
            );
            ids.insert(d.id.as_str(), first);
        }
        let days = (d.date() - fair.fair.date).num_days();
        if days < 0 {
            push(
                path("departs_at"),
                format!(
                    "{} is before the fair's date {}",
                    d.departs_at, fair.fair.date
                ),
            );
        } else if days > MAX_DAYS_AFTER_FAIR {
            push(
                path("departs_at"),
                format!(
                    "{} is {days} days after the fair; at most {MAX_DAYS_AFTER_FAIR} are allowed",
                    d.departs_at
                ),
            );
        }
        if let Some(t) = &d.pickup_township
            && !townships.contains(t.as_str())
        {
            push(
                path("pickup_township"),
                format!("{t:?} is not a township of the fair's places"),
            );
        }
        if d.employers.is_empty() && !cities.contains(d.destination.as_str()) {
            push(
                path("destination"),
                format!(
                    "no employer is in {:?}: name an employer's city, or list the employers",
                    d.destination
                ),
            );
        }
        for (j, e) in d.employers.iter().enumerate() {
            match fair.employer(e) {
                None => push(
                    format!("departures[{i}].employers[{j}]"),
                    format!("no employer has id {e:?}"),
                ),
                Some(emp) if emp.city != d.destination => push(
                    format!("departures[{i}].employers[{j}]"),
                    format!(
                        "employer {e:?} is in {:?}, not in the destination {:?}",
                        emp.city, d.destination
                    ),
                ),
                Some(_) => {}
            }
            if d.employers[..j].contains(e) {
                push(
                    format!("departures[{i}].employers[{j}]"),
                    format!("{e:?} is listed twice"),
                );
            }
        }
    }
}

/// The rules one departure keeps on its own, as (field, message).
pub fn validate_departure(d: &Departure) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !is_employer_id(&d.id) {
        out.push((
            "id",
            format!("{:?} must be 1 to 24 of A-Z, a-z, 0-9, _ and -", d.id),
        ));
    }
    let texts: [(&'static str, Option<&str>, TextKind); 7] = [
        ("pickup", Some(&d.pickup), TextKind::Name),
        ("pickup_en", d.pickup_en.as_deref(), TextKind::OptionalName),
        (
            "pickup_township",
            d.pickup_township.as_deref(),
            TextKind::OptionalName,
        ),
        ("destination", Some(&d.destination), TextKind::Name),
        (
            "destination_en",
            d.destination_en.as_deref(),
            TextKind::OptionalName,
        ),
        ("vehicle", d.vehicle.as_deref(), TextKind::OptionalName),
        ("contact", Some(&d.contact), TextKind::Name),
    ];
    push_text_problems(&texts, &mut out);
    let max = d.kind.max_seats();
    if !(1..=max).contains(&d.seats) {
        out.push((
            "seats",
            format!(
                "{} must be from 1 to {max} for a {}",
                d.seats,
                d.kind.as_str()
            ),
        ));
    }
    if let Err(e) = crate::phone::Phone::parse(&d.contact_phone) {
        out.push((
            "contact_phone",
            format!("{:?} is not a mobile number: {e}", d.contact_phone),
        ));
    }
    out
}
