//! The registration flow as a state machine, free of any UI: consent → phone → resident ID
//! (only with the ID consent) → name → home place → openings → review → ticket; the
//! duplicate path (an earlier sign-up with the same phone or ID); and the "I signed up
//! already" path (today's sign-ups, then the townships' and employers' lists, with the
//! draft prefilled and "correct my details").
//!
//! Plain data (`Clone + Send`): the touch UI (`gui/register_*`) and a server-rendered
//! phone form can both drive it. Each method takes the input and returns the step shown
//! next; per-field errors are read with [`Wizard::error`]. Input meant for a step that is
//! not shown (a double tap, a late key) is ignored. Store access goes through
//! [`Registrar`] (the [`crate::app::Kiosk`] implements it), passed to the methods that
//! need it. The birth-date rule uses the fair's date, not the wall clock.

mod choose;
mod entry;
mod errors;
mod finish;
mod list;
mod place;
mod registrar;
mod ride;
#[cfg(test)]
mod tests;

pub use entry::Key;
pub use errors::{Errors, Field, FieldError};
pub use finish::{Review, TicketView};
pub use list::ListPerson;
pub use registrar::Registrar;
pub use ride::{RideChoice, RideTicket};

use crate::app::Existing;
use crate::domain::fair::{FairFile, Trade};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, HomePlace};
use crate::domain::resident_id::ResidentId;
use chrono::NaiveDate;

/// The page of the flow shown now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Not in the flow (the front end shows its home page).
    Idle,
    Consent,
    Phone,
    /// Typing the ID, then (once valid) confirming its birth date and sex.
    ResidentId,
    Name,
    Place,
    Choose,
    /// "Need a ride?": only where the chosen employers' city has departures.
    Ride,
    Review,
    /// An earlier sign-up was found and the last 4 digits of its phone are asked.
    Duplicate,
    Ticket,
    /// "I signed up already": the phone or ID number typed.
    ListLookup,
    /// The list record found: confirm it or correct it.
    ListFound,
}

/// The texts as typed (what the input boxes show).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entries {
    pub phone: String,
    pub resident_id: String,
    pub name: String,
    pub home: HomePlace,
    pub last4: String,
    pub lookup: String,
}

/// An earlier sign-up of the villager at this fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    existing: Existing,
    /// Set once ownership is proven; the full phone typed in this session proves it at once.
    proof: Option<crate::app::Proof>,
    /// The openings chosen before the sign-up was found (restored on Back).
    openings_before: Vec<u16>,
}

/// The registration flow of one villager.
#[derive(Debug, Clone)]
pub struct Wizard {
    fair_date: NaiveDate,
    step: Step,
    /// Steps to return to on Back, the last one first.
    history: Vec<Step>,
    consent: Consent,
    entries: Entries,
    phone: Option<Phone>,
    /// The phone entry was typed by the villager in this session (not prefilled from a list).
    phone_typed: bool,
    /// The valid phone was typed in full by the villager in this session: an earlier
    /// sign-up with it is theirs.
    phone_proven: bool,
    resident_id: Option<ResidentId>,
    /// The ID is valid and its birth date and sex are shown back for confirmation.
    id_confirming: bool,
    name: Option<String>,
    home: Option<HomePlace>,
    openings: Vec<u16>,
    trade: Option<Trade>,
    /// The fair's openings some departure serves (the ride step is shown for them).
    ride_openings: Vec<u16>,
    ride: Option<RideChoice>,
    errors: Errors,
    duplicate: Option<Duplicate>,
    list: Option<list::ListLink>,
    ticket: Option<TicketView>,
    /// The last unexpected store failure, for the front end's log.
    failure: Option<String>,
}

impl Default for Wizard {
    fn default() -> Self {
        Wizard {
            fair_date: NaiveDate::MIN,
            step: Step::Idle,
            history: Vec::new(),
            consent: Consent::default(),
            entries: Entries::default(),
            phone: None,
            phone_typed: false,
            phone_proven: false,
            resident_id: None,
            id_confirming: false,
            name: None,
            home: None,
            openings: Vec::new(),
            trade: None,
            ride_openings: Vec::new(),
            ride: None,
            errors: Errors::default(),
            duplicate: None,
            list: None,
            ticket: None,
            failure: None,
        }
    }
}

impl Wizard {
    /// An idle wizard (nothing typed).
    pub fn new() -> Wizard {
        Wizard::default()
    }

    /// A fresh registration at `fair`, optionally with one opening already chosen
    /// (from that opening's page). The fair's county is prefilled.
    pub fn start(fair: &FairFile, preselected: Option<u16>) -> Wizard {
        let mut w = Wizard::fresh(fair);
        w.openings
            .extend(preselected.filter(|&o| fair.opening(o).is_some()));
        w.step = Step::Consent;
        w
    }

    fn fresh(fair: &FairFile) -> Wizard {
        let mut w = Wizard {
            fair_date: fair.fair.date,
            ride_openings: ride::ride_openings(fair),
            ..Wizard::default()
        };
        w.entries.home.county = fair.fair.county.clone();
        w
    }

    /// The villager walked away (idle), cancelled or took the ticket: everything is forgotten.
    pub fn reset(&mut self) -> Step {
        *self = Wizard::default();
        Step::Idle
    }

    pub fn step(&self) -> Step {
        self.step
    }

    pub fn error(&self, field: Field) -> Option<FieldError> {
        self.errors.get(field)
    }

    pub fn errors(&self) -> &Errors {
        &self.errors
    }

    pub fn entries(&self) -> &Entries {
        &self.entries
    }

    pub fn consent(&self) -> Consent {
        self.consent
    }

    /// The chosen openings, in the order they were tapped.
    pub fn chosen(&self) -> &[u16] {
        &self.openings
    }

    /// The ID step shows the birth date and sex back for confirmation.
    pub fn id_confirming(&self) -> bool {
        self.id_confirming
    }

    /// The valid resident ID typed (shown masked, with its birth date and sex).
    pub fn resident_id(&self) -> Option<&ResidentId> {
        self.resident_id.as_ref()
    }

    /// The fair's date: the birth-date rule's "today".
    pub fn fair_date(&self) -> NaiveDate {
        self.fair_date
    }

    /// True on the duplicate path: the villager is changing an earlier sign-up.
    pub fn returning(&self) -> bool {
        self.duplicate.is_some()
    }

    /// The earlier sign-up's name on the duplicate path (the page greets them).
    pub fn returning_name(&self) -> Option<&str> {
        self.duplicate.as_ref().map(|d| d.existing.name.as_str())
    }

    /// Takes the text of the last unexpected store failure (for the front end's log).
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    /// Goes to `next`, remembering the step left for Back.
    fn go(&mut self, next: Step) -> Step {
        if next != self.step {
            self.history.push(self.step);
            self.step = next;
        }
        self.step
    }

    /// One step back. Leaving the duplicate page forgets the earlier sign-up found;
    /// leaving the list record forgets it; Back on the first page leaves the flow.
    pub fn back(&mut self) -> Step {
        if self.step == Step::Ticket {
            return self.reset();
        }
        // The ID step is left out once its consent is withdrawn.
        while self.history.last() == Some(&Step::ResidentId) && !self.consent.resident_id {
            self.history.pop();
        }
        let Some(previous) = self.history.pop() else {
            return self.reset();
        };
        match self.step {
            Step::Duplicate | Step::Choose if previous != Step::Duplicate => {
                self.forget_duplicate()
            }
            Step::ListFound => self.list = None,
            _ => {}
        }
        if previous == Step::Idle {
            return self.reset();
        }
        self.errors.clear_all();
        self.step = previous;
        self.step
    }

    fn forget_duplicate(&mut self) {
        if let Some(d) = self.duplicate.take() {
            self.openings = d.openings_before;
            self.entries.last4.clear();
        }
    }

    /// The step after `step` on the way forward: the ID step only with its consent; on
    /// the list path (unless correcting), steps whose data the list already gave are skipped.
    fn next_after(&self, step: Step) -> Step {
        const ORDER: [Step; 7] = [
            Step::Consent,
            Step::Phone,
            Step::ResidentId,
            Step::Name,
            Step::Place,
            Step::Choose,
            Step::Review,
        ];
        let quick = self.list.as_ref().is_some_and(|l| !l.correcting);
        let from = ORDER.iter().position(|s| *s == step).map_or(0, |i| i + 1);
        ORDER[from..]
            .iter()
            .copied()
            .find(|&s| match s {
                Step::ResidentId if !self.consent.resident_id => false,
                Step::Phone if quick => self.phone.is_none(),
                Step::ResidentId if quick => self.resident_id.is_none(),
                Step::Name if quick => self.name.is_none(),
                Step::Place if quick => self.home.is_none(),
                _ => true,
            })
            .unwrap_or(Step::Review)
    }
}
