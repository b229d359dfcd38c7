//! The booth's seat offer (issue 16): once a recruiter has recorded an offer (录用, or a
//! hire) for the candidate on screen, the booth may give them a seat on a departure that
//! serves its employer. The seat goes through the same rules as the wizard's ride step
//! ([`Kiosk::request_seat`] with [`Source::Booth`]): the lowest free seat, else the end of
//! the waitlist; asking again for the same departure changes nothing; another departure
//! moves the request and frees the old seat for the waitlist.
//!
//! Seats are handed out where the sign-ups are kept (a registration kiosk running the
//! booth): a booth-only device has no seat list of its own, and giving seats there too
//! would hand the same seat out twice. There the offer is not shown.

use super::Session;
use crate::app::kiosk::Kiosk;
use crate::app::transport::{SeatChange, SeatRequest, Source};
use crate::app::{Error, Result};
use crate::domain::stage::Stage;

/// What the booth offers the candidate on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RideOffer {
    /// The departures that serve the booth's employer, in file order.
    pub departures: Vec<String>,
    /// The candidate's live seat request, if any (from the ride step or an earlier offer).
    pub current: Option<SeatRequest>,
}

impl Session {
    /// The departures to offer the candidate on screen, or `None` when there is nothing to
    /// offer: no candidate, no offer (or hire) recorded for them at this booth, no departure
    /// serving the employer, or this device does not keep the sign-up (a booth kit).
    pub fn ride_offer(&self, kiosk: &Kiosk) -> Result<Option<RideOffer>> {
        let Some(registration) = self.candidate else {
            return Ok(None);
        };
        let departures: Vec<String> = kiosk
            .fair()
            .departures_for_employers(&[self.booth.employer_id.as_str()])
            .map(|d| d.id.clone())
            .collect();
        if departures.is_empty()
            || !kiosk.keeps_sign_up(registration)?
            || !self.offer_recorded(kiosk, registration)?
        {
            return Ok(None);
        }
        Ok(Some(RideOffer {
            departures,
            current: kiosk.seat_of(registration)?,
        }))
    }

    /// Gives the candidate on screen a seat on `departure` (or a place on its waitlist)
    /// for this booth's employer. Refused for anyone but the candidate on screen, before
    /// an offer is recorded, and for a departure that does not serve the employer.
    pub fn offer_seat(&mut self, kiosk: &mut Kiosk, departure: &str) -> Result<SeatChange> {
        let registration = self.candidate.ok_or(Error::NotThisCandidate)?;
        let dep = kiosk
            .fair()
            .departure(departure)
            .ok_or_else(|| Error::UnknownDeparture(departure.to_string()))?;
        let serves = kiosk
            .fair()
            .employer(&self.booth.employer_id)
            .is_some_and(|e| dep.serves(e));
        if !serves {
            return Err(Error::NotThisEmployersDeparture(departure.to_string()));
        }
        if !self.offer_recorded(kiosk, registration)? {
            return Err(Error::NoOfferRecorded);
        }
        kiosk.request_seat(
            registration,
            departure,
            Some(&self.booth.employer_id),
            Source::Booth(self.booth.id),
        )
    }

    /// True when this booth recorded an offer or a hire for one of the candidate's openings.
    fn offer_recorded(&self, kiosk: &Kiosk, registration: uuid::Uuid) -> Result<bool> {
        let c = kiosk.booth_candidate(self.booth.id, registration)?;
        Ok(c.openings
            .iter()
            .any(|o| matches!(o.stage, Some(Stage::Offered | Stage::Hired))))
    }
}
