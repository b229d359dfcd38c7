//! Return-to-work transport (issue 16): seats on the fair's departures, waitlists, staff
//! moves, boarding with the same QR ticket, and the figures per departure.
//!
//! Slint-free, so the registration wizard ("need a ride?"), a booth recording an offer, the
//! staff panel, a boarding page and the CLI all call the same rules:
//!
//! - a sign-up has at most one live seat request at a fair;
//! - a request for a departure gets the lowest free seat number while seats remain, else
//!   joins the end of that departure's waitlist;
//! - when a seat frees (cancel, move), the head of the waitlist gets it, in order;
//! - staff may move a villager to another departure (seat there, or its waitlist);
//! - boarding is idempotent and refuses a ticket for another departure, a superseded
//!   ticket, a forged one.
//!
//! Every change happens in one store transaction, so a power cut leaves either the old or
//! the new state, never a seat given twice (the store's unique seat index also forbids it).

mod assign;
mod boarding;
mod manifest;
mod passengers;
mod seats;
#[cfg(test)]
mod tests;

pub use assign::Assigned;
pub use boarding::{BoardOutcome, Passenger};
pub use manifest::{
    DrawPdf, MANIFEST, ManifestFormat, ManifestPart, ManifestReport, ManifestRow, Which,
};
pub use passengers::{OnDeparture, Place};

use uuid::Uuid;

/// The assigned seats of a departure, by seat number.
fn seats_of_departure(
    conn: &rusqlite::Connection,
    fair_id: &str,
    departure: &str,
) -> crate::store::Result<Vec<crate::store::seats::SeatRow>> {
    crate::store::seats::on_departure(
        conn,
        fair_id,
        departure,
        crate::store::seats::State::Assigned,
    )
}

/// Who made a change: the kiosk (the villager, in the wizard at the screen), the villager's
/// own phone (the same wizard over the kiosk's Wi-Fi), a booth, or the staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Kiosk,
    Phone,
    Booth(i64),
    Staff,
    Cli,
}

impl Source {
    fn as_string(self) -> String {
        match self {
            Source::Kiosk => "kiosk".into(),
            Source::Phone => "phone".into(),
            Source::Booth(id) => format!("booth:{id}"),
            Source::Staff => "staff".into(),
            Source::Cli => "cli".into(),
        }
    }
}

/// Where a villager stands for a ride.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat {
    /// Asked for a ride; no departure chosen yet.
    Requested,
    /// Seat `seat` on `departure`.
    Assigned { departure: String, seat: u32 },
    /// Place `position` (1 = next) on the waitlist of `departure`.
    Waitlisted { departure: String, position: u32 },
}

/// A villager's live seat request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatRequest {
    pub id: Uuid,
    pub registration_id: Uuid,
    pub employer: Option<String>,
    pub seat: Seat,
}

/// What a change did to others: villagers promoted from a waitlist to a seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promoted {
    pub registration_id: Uuid,
    pub departure: String,
    pub seat: u32,
}

/// A change's result: the villager's request (None when cancelled) and who got a seat
/// because of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatChange {
    pub request: Option<SeatRequest>,
    pub promoted: Vec<Promoted>,
}

/// The figures of one departure, for the staff panel and `transport status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureStatus {
    pub departure: String,
    pub seats: u32,
    pub assigned: u32,
    pub waitlisted: u32,
    pub boarded: u32,
}

impl DepartureStatus {
    /// Seats still free.
    pub fn free(&self) -> u32 {
        self.seats.saturating_sub(self.assigned)
    }
}
