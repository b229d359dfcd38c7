//! Boarding at the bus door: the villager's QR ticket (or short code) is verified offline
//! with the fair's booth key, checked against the seat list, and marked boarded once.

use crate::app::Result;
use crate::app::kiosk::Kiosk;
use crate::domain::ticket::{self, TicketError};
use crate::store::seats::{self, State};
use crate::store::tickets_seen::{self, Seen};
use crate::store::{boardings, booths, registrations};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One villager on a departure's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passenger {
    pub registration_id: Uuid,
    pub name: String,
    pub seat: u32,
}

/// What the boarding screen shows after a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoardOutcome {
    /// On board now (`first` true), or already boarded at `at` (a rescan: nothing changed).
    Boarded {
        passenger: Passenger,
        at: DateTime<Utc>,
        first: bool,
    },
    /// The villager's seat is on another departure (`seat` None: on its waitlist).
    OtherDeparture {
        departure: String,
        seat: Option<u32>,
    },
    /// On this departure's waitlist, at `position`: no seat yet.
    Waitlisted { position: u32 },
    /// A valid ticket, but the villager has no seat request.
    NoSeat,
    /// A valid ticket older than one of the same sign-up seen here: ask for the newest.
    Superseded,
    /// Damaged, altered, forged or not a ticket at all.
    Invalid,
    /// A ticket of another fair.
    OtherFair,
    /// A typed short code that no sign-up on this device has.
    UnknownCode,
}

impl Kiosk {
    /// Boards the holder of the scanned ticket onto `departure`.
    pub fn board(&mut self, departure: &str, scanned: &str) -> Result<BoardOutcome> {
        self.board_at(departure, scanned, Utc::now())
    }

    /// [`Kiosk::board`] at a given time. The boarding row is written in one transaction
    /// with the ticket version seen, so a rescan after a power cut finds it.
    pub fn board_at(
        &mut self,
        departure: &str,
        scanned: &str,
        now: DateTime<Utc>,
    ) -> Result<BoardOutcome> {
        let fair_id = self.fair.fair.id.clone();
        if self.fair.departure(departure).is_none() {
            return Err(crate::app::Error::UnknownDeparture(departure.to_string()));
        }
        let verified = match ticket::verify(&self.keys.verifier(), &fair_id, scanned) {
            Ok(v) => v,
            Err(TicketError::OtherFair) => return Ok(BoardOutcome::OtherFair),
            Err(_) => return Ok(BoardOutcome::Invalid),
        };
        let registration = Uuid::from_bytes(verified.registration_id);
        let tx = self.store.transaction()?;
        if let Seen::Superseded { .. } = tickets_seen::see(
            &tx,
            &fair_id,
            &registration.to_string(),
            verified.version,
            now,
        )? {
            return Ok(BoardOutcome::Superseded);
        }
        let outcome = match seats::live(&tx, &fair_id, registration)? {
            None => BoardOutcome::NoSeat,
            Some(row) if row.departure_id.as_deref() != Some(departure) => match row.departure_id {
                Some(other) => BoardOutcome::OtherDeparture {
                    departure: other,
                    seat: row.seat,
                },
                None => BoardOutcome::NoSeat,
            },
            Some(row) if row.state == State::Waitlisted => BoardOutcome::Waitlisted {
                position: seats::waitlist_position(&tx, &fair_id, departure, row.queue)?,
            },
            Some(row) => {
                let seat = row.seat.unwrap_or(0);
                let passenger = Passenger {
                    registration_id: registration,
                    name: verified.card.name,
                    seat,
                };
                let first = boardings::insert(
                    &tx,
                    &boardings::Boarding {
                        fair_id: &fair_id,
                        departure_id: departure,
                        registration_id: registration,
                        id: Uuid::now_v7(),
                        seat: row.seat,
                        employer: row.employer.as_deref(),
                        at: now,
                        device: &self.config.kiosk_id,
                    },
                )?;
                let at =
                    boardings::boarded_at(&tx, &fair_id, departure, registration)?.unwrap_or(now);
                BoardOutcome::Boarded {
                    passenger,
                    at,
                    first,
                }
            }
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// The keypad path: a short code typed at the bus door (on a device with the sign-ups).
    pub fn board_short_code(&mut self, departure: &str, typed: &str) -> Result<BoardOutcome> {
        let Ok(code) = crate::domain::short_code::parse(typed) else {
            return Ok(BoardOutcome::UnknownCode);
        };
        match booths::ticket_by_short_code(self.store.conn(), &self.fair.fair.id, &code)? {
            Some(ticket) => self.board(departure, &ticket),
            None => Ok(BoardOutcome::UnknownCode),
        }
    }

    /// Villagers with a seat on `departure` who have not boarded, by seat: the no-show
    /// list at departure time.
    pub fn no_shows(&self, departure: &str) -> Result<Vec<Passenger>> {
        if self.fair.departure(departure).is_none() {
            return Err(crate::app::Error::UnknownDeparture(departure.to_string()));
        }
        let conn = self.store.conn();
        let fair_id = &self.fair.fair.id;
        let boarded = boardings::boarded(conn, fair_id, departure)?;
        let mut out = Vec::new();
        for row in seats::on_departure(conn, fair_id, departure, State::Assigned)? {
            if boarded.contains(&row.registration_id) {
                continue;
            }
            let name = registrations::get(conn, row.registration_id)?
                .map(|r| r.name)
                .unwrap_or_default();
            out.push(Passenger {
                registration_id: row.registration_id,
                name,
                seat: row.seat.unwrap_or(0),
            });
        }
        Ok(out)
    }
}
