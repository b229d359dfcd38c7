//! "Need a ride to Yongkang?" (issue 16): after the openings, only where the chosen
//! employers' city has departures (and the fair has any), the villager picks a departure
//! or "No thanks". The seat is asked for right after the sign-up is saved, in its own
//! store transaction (see [`Wizard::confirm`]): the sign-up never waits on a seat, and a
//! failed seat request is shown on the ticket page, not lost silently.

use super::{Step, Wizard};
use crate::app::transport::SeatRequest;
use crate::domain::fair::FairFile;

/// What the villager answered on the ride step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RideChoice {
    /// "No thanks".
    Declined,
    /// A seat (or a place on the waitlist) on this departure.
    Departure(String),
}

/// The ride on the ticket page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RideTicket {
    /// The seat, or the place on the waitlist, as the store gave it.
    Seat(SeatRequest),
    /// The sign-up is saved but the seat request failed (the staff can add it).
    Failed { departure: String },
}

impl Wizard {
    /// The chosen openings whose employers some departure serves: the ride step is shown.
    pub fn offers_ride(&self) -> bool {
        self.openings.iter().any(|o| self.ride_openings.contains(o))
    }

    /// The departures the ride step lists, in the fair file's order.
    pub fn ride_departures<'a>(
        &self,
        fair: &'a FairFile,
    ) -> Vec<&'a crate::domain::fair::Departure> {
        if !self.offers_ride() {
            return Vec::new();
        }
        fair.departures_for_openings(&self.openings).collect()
    }

    /// The answer given on the ride step, if any (kept on Back).
    pub fn ride_choice(&self) -> Option<&RideChoice> {
        self.ride.as_ref()
    }

    /// Taps a departure on the ride step: chosen, then the review.
    pub fn choose_departure(&mut self, fair: &FairFile, id: &str) -> Step {
        if self.step != Step::Ride {
            return self.step;
        }
        if !self.ride_departures(fair).iter().any(|d| d.id == id) {
            return self.step;
        }
        self.ride = Some(RideChoice::Departure(id.to_string()));
        self.go(Step::Review)
    }

    /// "No thanks" on the ride step: the review, without a ride.
    pub fn decline_ride(&mut self) -> Step {
        if self.step != Step::Ride {
            return self.step;
        }
        self.ride = Some(RideChoice::Declined);
        self.go(Step::Review)
    }

    /// After the openings: the ride step where it applies, else the review. A departure
    /// chosen before that no longer serves the openings is forgotten.
    pub(super) fn after_choices(&mut self) -> Step {
        if !self.offers_ride() {
            self.ride = None;
            return self.go(Step::Review);
        }
        self.go(Step::Ride)
    }

    /// Forgets a departure that the (changed) openings no longer reach.
    pub(super) fn check_ride(&mut self, fair: &FairFile) {
        if let Some(RideChoice::Departure(id)) = &self.ride
            && !self.ride_departures(fair).iter().any(|d| &d.id == id)
        {
            self.ride = None;
        }
    }

    /// The employer the ride is for: the first chosen opening's employer that the
    /// departure serves.
    pub(super) fn ride_employer(&self, fair: &FairFile, departure: &str) -> Option<String> {
        let dep = fair.departure(departure)?;
        self.openings
            .iter()
            .filter_map(|&o| fair.opening(o))
            .filter_map(|o| fair.employer(&o.employer))
            .find(|e| dep.serves(e))
            .map(|e| e.id.clone())
    }
}

/// The openings of `fair` whose employer some departure serves.
pub(super) fn ride_openings(fair: &FairFile) -> Vec<u16> {
    if fair.departures.is_empty() {
        return Vec::new();
    }
    fair.openings
        .iter()
        .filter(|o| {
            fair.employer(&o.employer)
                .is_some_and(|e| fair.departures.iter().any(|d| d.serves(e)))
        })
        .map(|o| o.id)
        .collect()
}
