//! Every uploaded record is checked with the domain's own rules — the ones the kiosk
//! applies on its screens — and against the fair it names, as published on this base.
//! A record that breaks one is refused with [`jobfair_protocol::RejectCode::Invalid`]
//! and an English reason naming the field (never its value: reasons reach logs).

use crate::ingest::Payload;
use chrono::{DateTime, NaiveDate};
use jobfair_domain::fair::{FairFile, MAX_SHORT_TEXT};
use jobfair_domain::person_name::normalize_name;
use jobfair_domain::phone::Phone;
use jobfair_domain::records::{
    BoardingRecord, CheckInRecord, RegistrationRecord, SEAT_STATES, SeatRecord, StageRecord,
};
use jobfair_domain::registration::MAX_CHOSEN_OPENINGS;
use jobfair_domain::resident_id::{ResidentId, ResidentIdError};
use jobfair_domain::sex::Sex;
use jobfair_domain::stage::{MAX_NOTE_CHARS, Stage};
use std::collections::{HashMap, HashSet};

/// Longest registration id, short code or time string accepted.
const MAX_KEY_CHARS: usize = 64;
/// The earliest birth date accepted anywhere.
const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);

/// What a record is checked against: one published revision of a fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairRules {
    pub id: String,
    pub revision: u64,
    pub date: NaiveDate,
    /// Opening id → the employer offering it.
    pub openings: HashMap<u16, String>,
    pub employers: HashSet<String>,
    /// Departure id → its seats (issue 16).
    pub departures: HashMap<String, u32>,
}

impl FairRules {
    pub fn of(fair: &FairFile, revision: u64) -> FairRules {
        FairRules {
            id: fair.fair.id.clone(),
            revision,
            date: fair.fair.date,
            openings: fair
                .openings
                .iter()
                .map(|o| (o.id, o.employer.clone()))
                .collect(),
            employers: fair.employers.iter().map(|e| e.id.clone()).collect(),
            departures: fair
                .departures
                .iter()
                .map(|d| (d.id.clone(), d.seats))
                .collect(),
        }
    }
}

/// The one place the base parses a resident ID: the domain's rule for every entry
/// path (check character, birth date from 1900 and not after the fair's date).
fn resident_id_at(id: &str, fair_date: NaiveDate) -> Result<ResidentId, ResidentIdError> {
    ResidentId::parse_at(id, fair_date)
}

/// `s` for a message: at most 40 characters, control characters replaced.
pub fn printable(s: &str) -> String {
    s.chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Checks a parsed record against `fair`; the error names the rule broken.
pub fn record(payload: &Payload, fair: &FairRules) -> Result<(), String> {
    match payload {
        Payload::Registration(r) => registration(r, fair),
        Payload::Stage(r) => stage(r, fair),
        Payload::CheckIn(r) => check_in(r),
        Payload::Seat(r) => seat(r, fair),
        Payload::Boarding(r) => boarding(r, fair),
    }
}

fn key(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.chars().count() > MAX_KEY_CHARS {
        return Err(format!("{field}: 1 to {MAX_KEY_CHARS} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{field}: control characters"));
    }
    Ok(())
}

fn time(at: &str) -> Result<(), String> {
    key("at", at)?;
    DateTime::parse_from_rfc3339(at)
        .map(|_| ())
        .map_err(|_| "at: not an RFC 3339 time".to_string())
}

fn text(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{field}: more than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{field}: control characters"));
    }
    Ok(())
}

fn sex_word(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

fn registration(r: &RegistrationRecord, fair: &FairRules) -> Result<(), String> {
    key("registration_id", &r.registration_id)?;
    time(&r.at)?;
    jobfair_domain::short_code::parse(&r.short_code).map_err(|e| format!("short_code: {e}"))?;
    normalize_name(&r.name).map_err(|e| format!("name: {e}"))?;
    Phone::parse(&r.phone).map_err(|e| format!("phone: {e}"))?;
    if !r.consent.personal_data {
        return Err("consent: no consent to personal data".into());
    }
    let earliest = NaiveDate::from_ymd_opt(EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2)
        .expect("a valid date");
    let birth = match &r.birth_date {
        None => None,
        Some(b) => {
            let date = NaiveDate::parse_from_str(b, "%Y-%m-%d")
                .map_err(|_| "birth_date: not a date (YYYY-MM-DD)".to_string())?;
            if date < earliest || date > fair.date {
                return Err("birth_date: before 1900 or after the fair's date".into());
            }
            Some(date)
        }
    };
    let sex = match r.sex.as_deref() {
        None => None,
        Some("male") => Some(Sex::Male),
        Some("female") => Some(Sex::Female),
        Some(_) => return Err("sex: neither male nor female".into()),
    };
    if let Some(id) = &r.resident_id {
        if !r.consent.resident_id {
            return Err("resident_id: sent without consent to it".into());
        }
        let id = resident_id_at(id, fair.date).map_err(|e| format!("resident_id: {e}"))?;
        if birth.is_some_and(|b| b != id.birth_date()) {
            return Err("birth_date: does not match the resident ID".into());
        }
        if sex.is_some_and(|s| sex_word(s) != sex_word(id.sex())) {
            return Err("sex: does not match the resident ID".into());
        }
    }
    text("home.county", &r.home.county, MAX_SHORT_TEXT)?;
    text("home.township", &r.home.township, MAX_SHORT_TEXT)?;
    text("home.village", &r.home.village, MAX_SHORT_TEXT)?;
    if r.openings.len() > MAX_CHOSEN_OPENINGS {
        return Err(format!("openings: more than {MAX_CHOSEN_OPENINGS}"));
    }
    let mut seen = HashSet::new();
    for id in &r.openings {
        if !fair.openings.contains_key(id) {
            return Err(format!("openings: {id} is not an opening of the fair"));
        }
        if !seen.insert(id) {
            return Err(format!("openings: {id} twice"));
        }
    }
    Ok(())
}

fn stage(r: &StageRecord, fair: &FairRules) -> Result<(), String> {
    key("registration_id", &r.registration_id)?;
    time(&r.at)?;
    if Stage::parse(&r.stage).is_none() {
        return Err("stage: not a known stage".into());
    }
    text("note", &r.note, MAX_NOTE_CHARS)?;
    if !fair.employers.contains(&r.employer) {
        return Err("employer: not an employer of the fair".into());
    }
    match fair.openings.get(&r.opening_id) {
        None => Err(format!(
            "opening_id: {} is not an opening of the fair",
            r.opening_id
        )),
        Some(e) if *e != r.employer => Err(format!(
            "opening_id: {} is not an opening of this employer",
            r.opening_id
        )),
        Some(_) => Ok(()),
    }
}

fn check_in(r: &CheckInRecord) -> Result<(), String> {
    key("registration_id", &r.registration_id)?;
    time(&r.at)
}

/// A departure of the fair and a seat on it (1 to its seats), when one is named.
fn departure_seat(fair: &FairRules, departure: &str, seat: Option<u32>) -> Result<(), String> {
    let Some(&seats) = fair.departures.get(departure) else {
        return Err(format!(
            "departure_id: {:?} is not a departure of the fair",
            printable(departure)
        ));
    };
    match seat {
        Some(n) if n == 0 || n > seats => Err(format!(
            "seat: {n} is not a seat of departure {:?} (1 to {seats})",
            printable(departure)
        )),
        _ => Ok(()),
    }
}

fn employer(fair: &FairRules, employer: Option<&str>) -> Result<(), String> {
    match employer {
        Some(e) if !fair.employers.contains(e) => {
            Err("employer: not an employer of the fair".into())
        }
        _ => Ok(()),
    }
}

fn seat(r: &SeatRecord, fair: &FairRules) -> Result<(), String> {
    key("request_id", &r.request_id)?;
    uuid::Uuid::parse_str(&r.request_id).map_err(|_| "request_id: not a UUID".to_string())?;
    key("registration_id", &r.registration_id)?;
    time(&r.at)?;
    key("source", &r.source)?;
    if !SEAT_STATES.contains(&r.state.as_str()) {
        return Err("state: not requested, assigned, waitlisted or cancelled".into());
    }
    if (r.state == "assigned") != r.seat.is_some() {
        return Err("seat: given exactly when the state is assigned".into());
    }
    match r.departure_id.as_deref() {
        Some(d) => departure_seat(fair, d, r.seat)?,
        None if r.state == "assigned" || r.state == "waitlisted" => {
            return Err(format!("departure_id: missing for a {} seat", r.state));
        }
        None => {}
    }
    employer(fair, r.employer.as_deref())
}

fn boarding(r: &BoardingRecord, fair: &FairRules) -> Result<(), String> {
    key("registration_id", &r.registration_id)?;
    time(&r.at)?;
    departure_seat(fair, &r.departure_id, r.seat)?;
    employer(fair, r.employer.as_deref())
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
