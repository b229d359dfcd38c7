//! The staff's passenger view of one departure: who sits where, who waits in which order,
//! who has boarded; and the rule for moving someone (a villager already on board is not
//! moved off the bus by a tap on the staff panel).

use crate::app::kiosk::Kiosk;
use crate::app::{Error, Result};
use crate::store::seats::{self, State};
use crate::store::{boardings, registrations};
use uuid::Uuid;

/// Where one villager stands on a departure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Seat(u32),
    /// 1 = next on the waitlist.
    Waitlist(u32),
}

/// One villager of a departure, as the staff's passenger view lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDeparture {
    pub registration_id: Uuid,
    /// The full name (the view masks it).
    pub name: String,
    pub place: Place,
    pub boarded: bool,
}

impl Kiosk {
    /// The seated villagers of `departure` by seat, then its waitlist in order.
    pub fn passengers(&self, departure: &str) -> Result<Vec<OnDeparture>> {
        if self.fair.departure(departure).is_none() {
            return Err(Error::UnknownDeparture(departure.to_string()));
        }
        let conn = self.store.conn();
        let fair_id = &self.fair.fair.id;
        let boarded = boardings::boarded(conn, fair_id, departure)?;
        let name = |id: Uuid| -> Result<String> {
            Ok(registrations::get(conn, id)?
                .map(|r| r.name)
                .unwrap_or_default())
        };
        let mut out = Vec::new();
        for row in seats::on_departure(conn, fair_id, departure, State::Assigned)? {
            out.push(OnDeparture {
                registration_id: row.registration_id,
                name: name(row.registration_id)?,
                place: Place::Seat(row.seat.unwrap_or(0)),
                boarded: boarded.contains(&row.registration_id),
            });
        }
        let waiting = seats::on_departure(conn, fair_id, departure, State::Waitlisted)?;
        for (i, row) in waiting.into_iter().enumerate() {
            out.push(OnDeparture {
                registration_id: row.registration_id,
                name: name(row.registration_id)?,
                place: Place::Waitlist(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                boarded: false,
            });
        }
        Ok(out)
    }

    /// The staff panel's move: as [`Kiosk::move_seat`], but a villager who already
    /// boarded their departure stays on it ([`Error::AlreadyBoarded`]).
    pub fn staff_move_seat(&mut self, registration: Uuid, to: &str) -> Result<super::SeatChange> {
        let fair_id = self.fair.fair.id.clone();
        let from = seats::live(self.store.conn(), &fair_id, registration)?
            .ok_or(Error::NoSeatRequest(registration))?
            .departure_id;
        if let Some(from) = from
            && from != to
            && boardings::boarded_at(self.store.conn(), &fair_id, &from, registration)?.is_some()
        {
            return Err(Error::AlreadyBoarded(from));
        }
        self.move_seat(registration, to)
    }
}
