//! Seat requests: ask, cancel, move, fill from the waitlist, status.

use super::{DepartureStatus, Promoted, Seat, SeatChange, SeatRequest, Source};
use crate::app::kiosk::Kiosk;
use crate::app::{Error, Result};
use crate::domain::fair::{Departure, FairFile};
use crate::store::seats::{self, SeatRow, State};
use crate::store::{boardings, registrations};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use uuid::Uuid;

/// The lowest seat number of 1..=capacity not in `taken` (ascending), if any.
fn lowest_free(taken: &[u32], capacity: u32) -> Option<u32> {
    let mut want = 1;
    for &t in taken {
        if t > want {
            break;
        }
        if t == want {
            want += 1;
        }
    }
    (want <= capacity).then_some(want)
}

/// Gives `row` a seat on `dep` if one is free and the waitlist is not ahead of it
/// (`jump` lets the head of the waitlist itself in), else puts it on the waitlist.
fn seat_or_wait(conn: &Connection, dep: &Departure, row: &mut SeatRow, jump: bool) -> Result<()> {
    let fair_id = row.fair_id.clone();
    let taken = seats::taken_seats(conn, &fair_id, &dep.id)?;
    let waiting = seats::waitlist_head(conn, &fair_id, &dep.id)?.is_some();
    row.departure_id = Some(dep.id.clone());
    match lowest_free(&taken, dep.seats).filter(|_| jump || !waiting) {
        Some(seat) => {
            row.state = State::Assigned;
            row.seat = Some(seat);
        }
        None => {
            row.state = State::Waitlisted;
            row.seat = None;
            row.queue = seats::next_queue(conn, &fair_id)?;
        }
    }
    Ok(())
}

/// Seats the waitlist of `dep` in order while seats are free.
fn fill(
    conn: &Connection,
    fair_id: &str,
    dep: &Departure,
    now: DateTime<Utc>,
    kiosk_id: &str,
) -> Result<Vec<Promoted>> {
    let mut promoted = Vec::new();
    while let Some(mut head) = seats::waitlist_head(conn, fair_id, &dep.id)? {
        let taken = seats::taken_seats(conn, fair_id, &dep.id)?;
        let Some(seat) = lowest_free(&taken, dep.seats) else {
            break;
        };
        head.state = State::Assigned;
        head.seat = Some(seat);
        head.updated_at = now;
        seats::update(conn, &head, kiosk_id)?;
        promoted.push(Promoted {
            registration_id: head.registration_id,
            departure: dep.id.clone(),
            seat,
        });
    }
    Ok(promoted)
}

fn view(conn: &Connection, row: &SeatRow) -> Result<SeatRequest> {
    let seat = match (row.state, &row.departure_id, row.seat) {
        (State::Assigned, Some(d), Some(seat)) => Seat::Assigned {
            departure: d.clone(),
            seat,
        },
        (State::Waitlisted, Some(d), _) => Seat::Waitlisted {
            departure: d.clone(),
            position: seats::waitlist_position(conn, &row.fair_id, d, row.queue)?,
        },
        _ => Seat::Requested,
    };
    Ok(SeatRequest {
        id: row.id,
        registration_id: row.registration_id,
        employer: row.employer.clone(),
        seat,
    })
}

fn departure<'a>(fair: &'a FairFile, id: &str) -> Result<&'a Departure> {
    fair.departure(id)
        .ok_or_else(|| Error::UnknownDeparture(id.to_string()))
}

impl Kiosk {
    /// The departures that serve the employers of these openings (what the wizard offers
    /// after the villager chose openings). Empty: show nothing of transport.
    pub fn departures_for_openings(&self, openings: &[u16]) -> Vec<&Departure> {
        self.fair.departures_for_openings(openings).collect()
    }

    /// Asks for a seat on `departure` for sign-up `registration`: the lowest free seat, or
    /// the end of the waitlist when the departure is full or others wait. Asking again for
    /// the same departure changes nothing; asking for another one moves the request (as
    /// [`Kiosk::move_seat`]). `employer` (an employer id) says whom the ride is for.
    pub fn request_seat(
        &mut self,
        registration: Uuid,
        departure_id: &str,
        employer: Option<&str>,
        source: Source,
    ) -> Result<SeatChange> {
        self.request_seat_at(registration, departure_id, employer, source, Utc::now())
    }

    /// [`Kiosk::request_seat`] at a given time.
    pub fn request_seat_at(
        &mut self,
        registration: Uuid,
        departure_id: &str,
        employer: Option<&str>,
        source: Source,
        now: DateTime<Utc>,
    ) -> Result<SeatChange> {
        let fair = &self.fair;
        let dep = departure(fair, departure_id)?;
        if let Some(e) = employer
            && fair.employer(e).is_none()
        {
            return Err(Error::UnknownEmployer(e.to_string()));
        }
        let fair_id = fair.fair.id.as_str();
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        registrations::get(&tx, registration)?
            .filter(|r| r.fair_id == fair_id)
            .ok_or(Error::UnknownRegistration(registration))?;
        let mut promoted = Vec::new();
        let row = match seats::live(&tx, fair_id, registration)? {
            Some(row) if row.departure_id.as_deref() == Some(departure_id) => row,
            Some(mut row) => {
                let from = row.departure_id.clone();
                row.employer = employer.map(str::to_string).or(row.employer);
                row.source = source.as_string();
                row.updated_at = now;
                seat_or_wait(&tx, dep, &mut row, false)?;
                seats::update(&tx, &row, kiosk_id)?;
                if let Some(from) = from.and_then(|f| fair.departure(&f)) {
                    promoted = fill(&tx, fair_id, from, now, kiosk_id)?;
                }
                row
            }
            None => {
                let mut row = SeatRow {
                    id: Uuid::now_v7(),
                    fair_id: fair_id.to_string(),
                    registration_id: registration,
                    departure_id: None,
                    employer: employer.map(str::to_string),
                    state: State::Requested,
                    seat: None,
                    queue: seats::next_queue(&tx, fair_id)?,
                    requested_at: now,
                    updated_at: now,
                    source: source.as_string(),
                };
                seat_or_wait(&tx, dep, &mut row, false)?;
                seats::insert(&tx, &row, kiosk_id)?;
                row
            }
        };
        let request = view(&tx, &row)?;
        tx.commit()?;
        Ok(SeatChange {
            request: Some(request),
            promoted,
        })
    }

    /// Staff move a villager to another departure: a seat there if one is free (staff
    /// go ahead of its waitlist), else the end of its waitlist. The freed seat goes to
    /// the head of the old departure's waitlist.
    pub fn move_seat(&mut self, registration: Uuid, to: &str) -> Result<SeatChange> {
        self.move_seat_at(registration, to, Utc::now())
    }

    /// [`Kiosk::move_seat`] at a given time.
    pub fn move_seat_at(
        &mut self,
        registration: Uuid,
        to: &str,
        now: DateTime<Utc>,
    ) -> Result<SeatChange> {
        let fair = &self.fair;
        let dep = departure(fair, to)?;
        let fair_id = fair.fair.id.as_str();
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        let mut row =
            seats::live(&tx, fair_id, registration)?.ok_or(Error::NoSeatRequest(registration))?;
        if row.departure_id.as_deref() == Some(to) {
            let request = view(&tx, &row)?;
            return Ok(SeatChange {
                request: Some(request),
                promoted: Vec::new(),
            });
        }
        let from = row.departure_id.clone();
        row.source = Source::Staff.as_string();
        row.updated_at = now;
        seat_or_wait(&tx, dep, &mut row, true)?;
        seats::update(&tx, &row, kiosk_id)?;
        let promoted = match from.and_then(|f| fair.departure(&f)) {
            Some(from) => fill(&tx, fair_id, from, now, kiosk_id)?,
            None => Vec::new(),
        };
        let request = view(&tx, &row)?;
        tx.commit()?;
        Ok(SeatChange {
            request: Some(request),
            promoted,
        })
    }

    /// Cancels a villager's seat or place on a waitlist; the freed seat goes to the head
    /// of the waitlist. Cancelling when there is nothing to cancel changes nothing.
    pub fn cancel_seat(&mut self, registration: Uuid, source: Source) -> Result<SeatChange> {
        self.cancel_seat_at(registration, source, Utc::now())
    }

    /// [`Kiosk::cancel_seat`] at a given time.
    pub fn cancel_seat_at(
        &mut self,
        registration: Uuid,
        source: Source,
        now: DateTime<Utc>,
    ) -> Result<SeatChange> {
        let fair = &self.fair;
        let fair_id = fair.fair.id.as_str();
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        let Some(mut row) = seats::live(&tx, fair_id, registration)? else {
            return Ok(SeatChange {
                request: None,
                promoted: Vec::new(),
            });
        };
        let from = row.departure_id.clone();
        row.state = State::Cancelled;
        row.seat = None;
        row.updated_at = now;
        row.source = source.as_string();
        seats::update(&tx, &row, kiosk_id)?;
        let promoted = match from.and_then(|f| fair.departure(&f)) {
            Some(from) => fill(&tx, fair_id, from, now, kiosk_id)?,
            None => Vec::new(),
        };
        tx.commit()?;
        Ok(SeatChange {
            request: None,
            promoted,
        })
    }

    /// Seats waitlisted villagers of every departure while seats are free (after a fair
    /// file with more seats was installed).
    pub fn fill_from_waitlists(&mut self) -> Result<Vec<Promoted>> {
        let fair = &self.fair;
        let now = Utc::now();
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        let mut promoted = Vec::new();
        for dep in &fair.departures {
            promoted.extend(fill(&tx, &fair.fair.id, dep, now, kiosk_id)?);
        }
        tx.commit()?;
        Ok(promoted)
    }

    /// The sign-up with this short code (typed as on the ticket, `ABCD-EFGH`), if any.
    pub fn registration_by_short_code(&self, typed: &str) -> Result<Option<Uuid>> {
        let Ok(code) = crate::domain::short_code::parse(typed) else {
            return Ok(None);
        };
        Ok(
            registrations::find_by_short_code(self.store.conn(), &self.fair.fair.id, &code)?
                .map(|r| r.id),
        )
    }

    /// True when this device keeps sign-up `registration` of the current fair (a
    /// registration kiosk; a booth kit keeps none), so it can give it a seat.
    pub fn keeps_sign_up(&self, registration: Uuid) -> Result<bool> {
        Ok(registrations::get(self.store.conn(), registration)?
            .is_some_and(|r| r.fair_id == self.fair.fair.id))
    }

    /// Every sign-up of the current fair, oldest first (staff lists, the power-cut loop).
    pub fn sign_up_ids(&self) -> Result<Vec<Uuid>> {
        Ok(registrations::ids(self.store.conn(), &self.fair.fair.id)?)
    }

    /// A villager's live seat request, if any.
    pub fn seat_of(&self, registration: Uuid) -> Result<Option<SeatRequest>> {
        let conn = self.store.conn();
        seats::live(conn, &self.fair.fair.id, registration)?
            .map(|row| view(conn, &row))
            .transpose()
    }

    /// The waitlist of a departure, in order.
    pub fn waitlist(&self, departure_id: &str) -> Result<Vec<Uuid>> {
        departure(&self.fair, departure_id)?;
        let rows = seats::on_departure(
            self.store.conn(),
            &self.fair.fair.id,
            departure_id,
            State::Waitlisted,
        )?;
        Ok(rows.into_iter().map(|r| r.registration_id).collect())
    }

    /// Seats, assigned, waitlisted and boarded per departure of the fair, in file order.
    pub fn transport_status(&self) -> Result<Vec<DepartureStatus>> {
        let conn = self.store.conn();
        let fair_id = &self.fair.fair.id;
        let seat_counts = seats::counts(conn, fair_id)?;
        let boarded = boardings::counts(conn, fair_id)?;
        Ok(self
            .fair
            .departures
            .iter()
            .map(|d| {
                let (assigned, waitlisted) = seat_counts
                    .iter()
                    .find(|c| c.0 == d.id)
                    .map_or((0, 0), |c| (c.1, c.2));
                DepartureStatus {
                    departure: d.id.clone(),
                    seats: d.seats,
                    assigned,
                    waitlisted,
                    boarded: boarded.iter().find(|b| b.0 == d.id).map_or(0, |b| b.1),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod unit {
    use super::lowest_free;

    #[test]
    fn the_lowest_free_seat_fills_gaps_first_and_stops_at_capacity() {
        assert_eq!(lowest_free(&[], 3), Some(1));
        assert_eq!(lowest_free(&[1, 2], 3), Some(3));
        assert_eq!(lowest_free(&[1, 3], 3), Some(2));
        assert_eq!(lowest_free(&[2, 3], 3), Some(1));
        assert_eq!(lowest_free(&[1, 2, 3], 3), None);
        assert_eq!(lowest_free(&[1, 2, 3, 4], 2), None, "over capacity");
    }
}
