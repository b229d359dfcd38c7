//! The end of the flow: the duplicate path (an earlier sign-up with the same phone or ID),
//! the review, saving, and the ticket.
//!
//! Ownership of an earlier sign-up: the full phone number on file, typed by the villager
//! in this session, proves it (asking its last 4 digits would prove nothing more); a
//! sign-up found by the resident ID alone (or from a scanned list ticket) asks the last 4
//! digits of the phone on file, with the store's count of wrong tries.

use super::errors::save_error;
use super::{Duplicate, Field, FieldError, Registrar, RideChoice, RideTicket, Step, Wizard};
use crate::app::{Error, Existing, FoundBy, Issued, Proof};
use crate::domain::registration::{Draft, HomePlace, MAX_CHOSEN_OPENINGS};

/// What the review page shows (phone and ID masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub name: String,
    pub phone_masked: String,
    pub share_phone: bool,
    pub resident_id_masked: Option<String>,
    pub home: HomePlace,
    pub openings: Vec<u16>,
    /// An earlier sign-up is being changed (its stored details are shown).
    pub returning: bool,
    /// The departure chosen on the ride step (None: no ride asked, or "No thanks").
    pub ride: Option<String>,
}

/// What the ticket page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub issued: Issued,
    pub name: String,
    pub openings: Vec<u16>,
    /// The seat (or waitlist place) asked for on the ride step.
    pub ride: Option<RideTicket>,
}

impl Wizard {
    /// Looks for an earlier sign-up with the phone (or else the ID) given so far; if there
    /// is one, goes to the duplicate path and returns true.
    pub(super) fn divert_if_registered(&mut self, reg: &mut impl Registrar) -> bool {
        let id = self
            .resident_id
            .as_ref()
            .filter(|_| self.consent.resident_id);
        let found = match (&self.phone, id) {
            (Some(phone), id) => reg.lookup_existing(phone, id),
            (None, Some(id)) => reg.lookup_by_resident_id(id),
            (None, None) => Ok(None),
        };
        match found {
            Ok(Some(existing)) => {
                self.divert_to_duplicate(existing);
                true
            }
            Ok(None) => false,
            Err(e) => {
                // Saving checks again, inside its transaction: going on is safe.
                self.failure = Some(format!("looking up an earlier sign-up: {e}"));
                false
            }
        }
    }

    /// The duplicate path: the earlier openings come first (then any just chosen, up to 5).
    pub(super) fn divert_to_duplicate(&mut self, existing: Existing) {
        let proof = match (&self.phone, existing.found_by) {
            (Some(phone), FoundBy::Phone) if self.phone_proven => {
                Some(Proof::FullPhone(phone.clone()))
            }
            _ => None,
        };
        let openings_before = std::mem::take(&mut self.openings);
        let mut openings = existing.openings.clone();
        for o in &openings_before {
            if !openings.contains(o) && openings.len() < MAX_CHOSEN_OPENINGS {
                openings.push(*o);
            }
        }
        self.openings = openings;
        self.entries.last4.clear();
        self.errors.clear_all();
        let proven = proof.is_some();
        self.duplicate = Some(Duplicate {
            existing,
            proof,
            openings_before,
        });
        self.go(if proven {
            Step::Choose
        } else {
            Step::Duplicate
        });
    }

    /// The last 4 digits as typed: digits only, at most 4; a change clears the error;
    /// the fourth digit submits.
    pub fn type_last4(&mut self, reg: &mut impl Registrar, text: &str) -> Step {
        if self.step != Step::Duplicate {
            return self.step;
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).take(4).collect();
        if digits == self.entries.last4 {
            return self.step;
        }
        self.entries.last4 = digits;
        self.errors.clear(Field::Last4);
        if self.entries.last4.len() == 4 {
            return self.submit_last4(reg);
        }
        self.step
    }

    /// Checks the last 4 digits of the phone on file; right → the openings, wrong → an
    /// error and the digits cleared (5 wrong tries lock the sign-up for 30 minutes).
    pub fn submit_last4(&mut self, reg: &mut impl Registrar) -> Step {
        if self.step != Step::Duplicate {
            return self.step;
        }
        let Some(d) = &self.duplicate else {
            return self.step;
        };
        let typed = self.entries.last4.clone();
        match reg.check_last4(d.existing.registration_id, &typed) {
            Ok(()) => {
                if let Some(d) = &mut self.duplicate {
                    d.proof = Some(Proof::Last4(typed));
                }
                self.errors.clear(Field::Last4);
                self.go(Step::Choose)
            }
            Err(e) => {
                let error = match e {
                    Error::WrongLast4 => FieldError::WrongLast4,
                    Error::TooManyTries => FieldError::TooManyTries,
                    other => {
                        self.failure = Some(format!("checking the last 4 digits: {other}"));
                        FieldError::ReadFailed
                    }
                };
                self.errors.set(Field::Last4, error);
                self.entries.last4.clear();
                self.step
            }
        }
    }

    /// What the review shows; on the duplicate path, the stored sign-up's details.
    pub fn review(&self) -> Review {
        let ride = match &self.ride {
            Some(RideChoice::Departure(id)) if self.offers_ride() => Some(id.clone()),
            _ => None,
        };
        match &self.duplicate {
            Some(d) => Review {
                name: d.existing.name.clone(),
                phone_masked: d.existing.phone_masked.clone(),
                share_phone: d.existing.share_phone,
                resident_id_masked: d.existing.resident_id_masked.clone(),
                home: d.existing.home.clone(),
                openings: self.openings.clone(),
                returning: true,
                ride,
            },
            None => Review {
                name: self.name.clone().unwrap_or_default(),
                phone_masked: self.phone.as_ref().map(|p| p.masked()).unwrap_or_default(),
                share_phone: self.consent.share_phone,
                resident_id_masked: self
                    .resident_id
                    .as_ref()
                    .filter(|_| self.consent.resident_id)
                    .map(|id| id.masked()),
                home: self.home.clone().unwrap_or_default(),
                openings: self.openings.clone(),
                returning: false,
                ride,
            },
        }
    }

    /// "Confirm and get my ticket": saves the sign-up (durably, before the ticket shows)
    /// or changes the earlier one. A sign-up found only now (another kiosk, a list person)
    /// turns to the duplicate path.
    pub fn confirm(&mut self, reg: &mut impl Registrar) -> Step {
        if self.step != Step::Review {
            return self.step;
        }
        self.check_ride(reg.fair());
        let (result, name) = match &self.duplicate {
            Some(Duplicate {
                existing,
                proof: Some(proof),
                ..
            }) => (
                reg.reissue(existing.registration_id, proof.clone(), &self.openings),
                existing.name.clone(),
            ),
            Some(_) => return self.go(Step::Duplicate),
            None => {
                let Some(draft) = self.draft() else {
                    let missing = self.next_after(Step::Consent);
                    return self.go(missing);
                };
                let name = draft.name.clone();
                (reg.register(&draft), name)
            }
        };
        match result {
            Ok(issued) => {
                if let Some(link) = &self.list
                    && let Err(e) = reg.link_list_person(link.id, issued.registration_id)
                {
                    self.failure = Some(format!("linking list person {}: {e}", link.id));
                }
                let ride = self.request_ride(reg, &issued);
                self.ticket = Some(TicketView {
                    issued,
                    name,
                    openings: self.openings.clone(),
                    ride,
                });
                self.history.clear();
                self.errors.clear_all();
                self.step = Step::Ticket;
                self.step
            }
            Err(Error::AlreadyRegistered(existing)) => {
                self.divert_to_duplicate(*existing);
                self.step
            }
            Err(e) => {
                self.errors.set(Field::Confirm, save_error(&e));
                self.failure = Some(format!("saving a sign-up: {e}"));
                self.step
            }
        }
    }

    /// Asks for the seat chosen on the ride step, for the sign-up just saved (its own
    /// transaction, right after the sign-up's). "No thanks" leaves an earlier seat alone.
    fn request_ride(&mut self, reg: &mut impl Registrar, issued: &Issued) -> Option<RideTicket> {
        let Some(RideChoice::Departure(departure)) = self.ride.clone() else {
            return None;
        };
        if !self.offers_ride() {
            return None;
        }
        let employer = self.ride_employer(reg.fair(), &departure);
        match reg.request_seat(issued.registration_id, &departure, employer.as_deref()) {
            Ok(seat) => Some(RideTicket::Seat(seat)),
            Err(e) => {
                self.failure = Some(format!("asking for a seat on {departure}: {e}"));
                Some(RideTicket::Failed { departure })
            }
        }
    }

    /// The draft to save, if every step is done.
    fn draft(&self) -> Option<Draft> {
        if self.openings.is_empty() || !self.consent.personal_data {
            return None;
        }
        Some(Draft {
            consent: self.consent,
            phone: self.phone.clone()?,
            resident_id: self
                .resident_id
                .clone()
                .filter(|_| self.consent.resident_id),
            name: self.name.clone()?,
            home: self.home.clone()?,
            openings: self.openings.clone(),
        })
    }

    /// The ticket just issued (the ticket step).
    pub fn ticket(&self) -> Option<&TicketView> {
        self.ticket.as_ref()
    }
}
