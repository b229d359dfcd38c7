//! Rides asked for without a departure ("need a ride to 永康?"), and the batch that places
//! them: by destination (the employers the villager chose or the one named), pickup point
//! (a departure of the villager's home township first, then departures open to every
//! township, such as a train from the county station) and date (earliest first). A full
//! set of departures puts the villager on the waitlist of the first one; no departure at
//! all leaves the request for the staff.

use super::{Source, seats_of_departure};
use crate::app::kiosk::Kiosk;
use crate::app::{Error, Result};
use crate::domain::fair::FairFile;
use crate::store::registrations;
use crate::store::seats::{self, SeatRow, State};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// What [`Kiosk::assign_requested`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assigned {
    pub assigned: u32,
    pub waitlisted: u32,
    /// No departure serves the villager's employers from their township: left requested.
    pub unmatched: u32,
}

/// The free seat numbers of one departure, lowest first.
struct FreeSeats {
    capacity: u32,
    next: u32,
    taken: Vec<u32>,
    at: usize,
}

impl FreeSeats {
    fn take(&mut self) -> Option<u32> {
        while self.next <= self.capacity {
            let seat = self.next;
            self.next += 1;
            while self.at < self.taken.len() && self.taken[self.at] < seat {
                self.at += 1;
            }
            if self.taken.get(self.at) != Some(&seat) {
                return Some(seat);
            }
        }
        None
    }
}

/// The departures each employer's workers may take from each township, best first (the
/// township's own pickups, then pickups open to all; each by departure time): built once
/// per batch, so placing a villager merges at most five short lists.
struct Index<'f> {
    lists: HashMap<(&'f str, &'f str), Vec<usize>>,
    open: HashMap<&'f str, Vec<usize>>,
}

impl<'f> Index<'f> {
    fn new(fair: &'f FairFile) -> Index<'f> {
        let mut lists: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
        for e in &fair.employers {
            for (i, d) in fair.departures.iter().enumerate() {
                if !d.serves(e) {
                    continue;
                }
                match d.pickup_township.as_deref() {
                    Some(t) => lists.entry((e.id.as_str(), t)).or_default().push(i),
                    None => open.entry(e.id.as_str()).or_default().push(i),
                }
            }
        }
        let by_time = |v: &mut Vec<usize>| v.sort_by_key(|&i| (fair.departures[i].departs_at, i));
        lists.values_mut().for_each(by_time);
        open.values_mut().for_each(by_time);
        Index { lists, open }
    }

    /// The departures a villager from `township` may take to any of `employers`, best
    /// first: their own township's pickups, then pickups open to all; each by time.
    fn candidates(&self, fair: &FairFile, employers: &[&str], township: &str) -> Vec<usize> {
        let mut own: Vec<usize> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for e in employers {
            own.extend(self.lists.get(&(*e, township)).into_iter().flatten());
            open.extend(self.open.get(e).into_iter().flatten());
        }
        let by_time = |v: &mut Vec<usize>| {
            v.sort_by_key(|&i| (fair.departures[i].departs_at, i));
            v.dedup();
        };
        if employers.len() > 1 {
            by_time(&mut own);
            by_time(&mut open);
        }
        own.extend(open);
        own
    }
}

impl Kiosk {
    /// Asks for a ride without choosing a departure (placed by [`Kiosk::assign_requested`]).
    /// A villager who already has a seat or a place on a waitlist keeps it.
    pub fn request_ride(
        &mut self,
        registration: Uuid,
        employer: Option<&str>,
        source: Source,
    ) -> Result<Option<super::SeatRequest>> {
        self.request_ride_at(registration, employer, source, Utc::now())
    }

    /// [`Kiosk::request_ride`] at a given time.
    pub fn request_ride_at(
        &mut self,
        registration: Uuid,
        employer: Option<&str>,
        source: Source,
        now: DateTime<Utc>,
    ) -> Result<Option<super::SeatRequest>> {
        let fair_id = self.fair.fair.id.clone();
        if let Some(e) = employer
            && self.fair.employer(e).is_none()
        {
            return Err(Error::UnknownEmployer(e.to_string()));
        }
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        registrations::get(&tx, registration)?
            .filter(|r| r.fair_id == fair_id)
            .ok_or(Error::UnknownRegistration(registration))?;
        if seats::live(&tx, &fair_id, registration)?.is_none() {
            let row = SeatRow {
                id: Uuid::now_v7(),
                fair_id: fair_id.clone(),
                registration_id: registration,
                departure_id: None,
                employer: employer.map(str::to_string),
                state: State::Requested,
                seat: None,
                queue: seats::next_queue(&tx, &fair_id)?,
                requested_at: now,
                updated_at: now,
                source: source.as_string(),
            };
            seats::insert(&tx, &row, kiosk_id)?;
        }
        tx.commit()?;
        self.seat_of(registration)
    }

    /// Places every ride asked without a departure, oldest request first, in one
    /// transaction (see the module docs for the order of preference).
    pub fn assign_requested(&mut self) -> Result<Assigned> {
        let fair = &self.fair;
        let fair_id = fair.fair.id.as_str();
        let now = Utc::now();
        let kiosk_id = self.config.kiosk_id.as_str();
        let tx = self.store.transaction()?;
        let index = Index::new(fair);
        let mut free: Vec<Option<FreeSeats>> = fair.departures.iter().map(|_| None).collect();
        let mut queue = seats::next_queue(&tx, fair_id)?;
        let mut done = Assigned::default();
        let riders = seats::riders_of_requested(&tx, fair_id)?;
        for mut row in seats::requested(&tx, fair_id)? {
            let Some(rider) = riders.get(&row.registration_id) else {
                done.unmatched += 1;
                continue;
            };
            let employers: Vec<&str> = match row.employer.as_deref() {
                Some(e) => vec![e],
                None => rider
                    .openings
                    .iter()
                    .filter_map(|&o| fair.opening(o))
                    .map(|o| o.employer.as_str())
                    .collect(),
            };
            let cands = index.candidates(fair, &employers, &rider.township);
            let Some(&first) = cands.first() else {
                done.unmatched += 1;
                continue;
            };
            let mut placed = None;
            for &i in &cands {
                let slot = &mut free[i];
                if slot.is_none() {
                    let dep = &fair.departures[i];
                    let taken: Vec<u32> = seats_of_departure(&tx, fair_id, &dep.id)?
                        .iter()
                        .filter_map(|r| r.seat)
                        .collect();
                    *slot = Some(FreeSeats {
                        capacity: dep.seats,
                        next: 1,
                        taken,
                        at: 0,
                    });
                }
                if let Some(seat) = slot.as_mut().and_then(FreeSeats::take) {
                    placed = Some((i, seat));
                    break;
                }
            }
            row.updated_at = now;
            match placed {
                Some((i, seat)) => {
                    row.departure_id = Some(fair.departures[i].id.clone());
                    row.state = State::Assigned;
                    row.seat = Some(seat);
                    done.assigned += 1;
                }
                None => {
                    row.departure_id = Some(fair.departures[first].id.clone());
                    row.state = State::Waitlisted;
                    row.queue = queue;
                    queue += 1;
                    done.waitlisted += 1;
                }
            }
            seats::update(&tx, &row, kiosk_id)?;
        }
        tx.commit()?;
        Ok(done)
    }
}

#[cfg(test)]
mod unit {
    use super::FreeSeats;

    #[test]
    fn free_seats_skip_the_taken_ones_and_stop_at_capacity() {
        let mut f = FreeSeats {
            capacity: 5,
            next: 1,
            taken: vec![1, 3, 4],
            at: 0,
        };
        assert_eq!([f.take(), f.take(), f.take()], [Some(2), Some(5), None]);
    }
}
