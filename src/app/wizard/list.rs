//! "I signed up already / 我已报过名": the phone or ID number finds today's sign-up at this
//! fair (→ the duplicate path) or else the villager's record on a township's or
//! employer's list (→ confirm it, or correct it, then the flow with the draft prefilled).
//! Consent is asked again either way (PIPL: nothing is pre-agreed).

use super::{Field, FieldError, Key, Registrar, Step, Wizard};
use crate::app::lists::ListPersonRow;
use crate::domain::fair::FairFile;
use crate::domain::lists::ticket::parse_qr;
use crate::domain::person_name::normalize_name;
use crate::domain::phone::Phone;
use crate::domain::registration::{HomePlace, MAX_CHOSEN_OPENINGS};
use crate::domain::resident_id::{self, ResidentId};
use crate::seal::Personal;

/// The list person the flow started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListLink {
    pub(super) id: i64,
    /// "Correct my details": every step is walked (prefilled), none skipped.
    pub(super) correcting: bool,
    row: ListPersonRow,
    /// The record's whole phone and resident ID (opened from the store's sealed boxes).
    whole: Personal,
    /// The villager typed this record's phone number to find it.
    found_by_phone: bool,
}

/// The list record as the "Is this you?" page shows it (phone masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPerson {
    pub name: String,
    pub phone_masked: String,
    pub home: HomePlace,
    /// Returning staff: their employer's id at the fair.
    pub employer: Option<String>,
}

impl Wizard {
    /// The "I signed up already" page, nothing typed.
    pub fn start_lookup(fair: &FairFile) -> Wizard {
        let mut w = Wizard::fresh(fair);
        w.step = Step::ListLookup;
        w
    }

    /// A pre-printed list ticket (`JKL1:…`) scanned on the home screen.
    pub fn scanned_list_ticket(reg: &mut impl Registrar, text: &str) -> Wizard {
        let mut w = Wizard::start_lookup(reg.fair());
        w.find(reg, text.trim(), false);
        w
    }

    /// A key of the lookup keypad: digits and X, at most 18; a change clears the error.
    pub fn key_lookup(&mut self, key: Key) -> Step {
        let text = key.apply(&self.entries.lookup);
        self.type_lookup(&text)
    }

    /// The lookup number as typed (a whole-text front end).
    pub fn type_lookup(&mut self, text: &str) -> Step {
        if self.step != Step::ListLookup {
            return self.step;
        }
        let cleaned: String = text
            .chars()
            .map(|c| c.to_ascii_uppercase())
            .filter(|c| c.is_ascii_digit() || *c == 'X')
            .take(resident_id::LEN)
            .collect();
        if cleaned != self.entries.lookup {
            self.entries.lookup = cleaned;
            self.errors.clear(Field::Lookup);
        }
        self.step
    }

    /// "Find me".
    pub fn submit_lookup(&mut self, reg: &mut impl Registrar) -> Step {
        if self.step != Step::ListLookup {
            return self.step;
        }
        let typed = self.entries.lookup.clone();
        self.find(reg, &typed, true)
    }

    fn find(&mut self, reg: &mut impl Registrar, typed: &str, by_typing: bool) -> Step {
        if typed.is_empty() {
            self.errors.set(Field::Lookup, FieldError::Empty);
            return self.step;
        }
        let phone = Phone::parse(typed).ok().filter(|_| by_typing);
        let id = ResidentId::parse_at(typed, self.fair_date).ok();
        // Today's sign-ups first: someone who registered this morning is not a list person.
        let registered = match (&phone, &id) {
            (Some(p), _) => reg.lookup_existing(p, None),
            (None, Some(id)) => reg.lookup_by_resident_id(id),
            _ => Ok(None),
        };
        match registered {
            Ok(Some(existing)) => {
                self.phone_typed = phone.is_some();
                self.phone_proven = phone.is_some();
                self.phone = phone;
                self.divert_to_duplicate(existing);
                return self.step;
            }
            Ok(None) => {}
            Err(e) => return self.read_failed(format!("looking up a sign-up: {e}")),
        }
        match reg.find_on_list(typed) {
            Ok(Some(row)) => {
                let whole = match reg.open_list_numbers(&row) {
                    Ok(whole) => whole,
                    Err(e) => return self.read_failed(format!("opening a list record: {e}")),
                };
                self.list = Some(ListLink {
                    id: row.id,
                    correcting: false,
                    found_by_phone: phone.as_ref().is_some_and(|p| p.as_str() == whole.phone),
                    row,
                    whole,
                });
                self.go(Step::ListFound)
            }
            Ok(None) => {
                let known = phone.is_some() || id.is_some() || parse_qr(typed).is_some();
                let error = if known {
                    FieldError::NotFound
                } else {
                    FieldError::NotPhoneOrId
                };
                self.errors.set(Field::Lookup, error);
                self.entries.lookup.clear();
                self.step
            }
            Err(e) => self.read_failed(format!("looking up a list: {e}")),
        }
    }

    fn read_failed(&mut self, why: String) -> Step {
        self.failure = Some(why);
        self.errors.set(Field::Lookup, FieldError::ReadFailed);
        self.step
    }

    /// The list record found, for the "Is this you?" page.
    pub fn list_person(&self) -> Option<ListPerson> {
        let row = &self.list.as_ref()?.row;
        Some(ListPerson {
            name: row.name.clone(),
            phone_masked: row.numbers.phone_masked(),
            home: HomePlace {
                county: row.county.clone(),
                township: row.township.clone(),
                village: row.village.clone(),
            },
            employer: row.employer.clone(),
        })
    }

    /// "Yes, this is me": consent, then straight to what the list does not give
    /// (usually the openings; returning staff find their employer's openings chosen).
    pub fn confirm_listed(&mut self, fair: &FairFile) -> Step {
        if self.step != Step::ListFound {
            return self.step;
        }
        self.prefill(fair, false)
    }

    /// "Correct my details": consent, then every step, prefilled.
    pub fn correct_listed(&mut self, fair: &FairFile) -> Step {
        if self.step != Step::ListFound {
            return self.step;
        }
        self.prefill(fair, true)
    }

    fn prefill(&mut self, fair: &FairFile, correcting: bool) -> Step {
        let Some(link) = &mut self.list else {
            return self.step;
        };
        link.correcting = correcting;
        let row = link.row.clone();
        let whole = link.whole.clone();
        let found_by_phone = link.found_by_phone;
        self.phone = Phone::parse(&whole.phone).ok();
        self.entries.phone = self
            .phone
            .as_ref()
            .map_or_else(String::new, |p| p.as_str().to_string());
        self.phone_typed = found_by_phone;
        self.phone_proven = found_by_phone;
        self.resident_id = whole
            .resident_id
            .as_deref()
            .and_then(|r| ResidentId::parse_at(r, self.fair_date).ok());
        self.entries.resident_id = self
            .resident_id
            .as_ref()
            .map_or_else(String::new, |r| r.as_str().to_string());
        self.id_confirming = self.resident_id.is_some();
        self.name = normalize_name(&row.name).ok();
        self.entries.name = row.name.clone();
        self.entries.home = HomePlace {
            county: if row.county.is_empty() {
                fair.fair.county.clone()
            } else {
                row.county.clone()
            },
            township: row.township.clone(),
            village: row.village.clone(),
        };
        self.home = self.entries.home.checked().ok();
        if let Some(employer) = &row.employer {
            self.openings = fair
                .openings
                .iter()
                .filter(|o| &o.employer == employer)
                .map(|o| o.id)
                .take(MAX_CHOSEN_OPENINGS)
                .collect();
        }
        self.go(Step::Consent)
    }
}
