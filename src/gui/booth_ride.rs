//! The booth's seat offer (issue 16), glue only: after an offer (录用) the departures of
//! the booth's employer over the candidate page (the rules are
//! [`crate::app::booth::Session::ride_offer`] and [`Session::offer_seat`]), and the
//! candidate's ride on their card.

use super::ride_adapter::{card, statuses};
use super::{BoothAdapter, Ctx, DepartureCard, RideState};
use crate::app::booth::Session;
use crate::app::transport::{Seat, SeatRequest};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

/// The candidate's ride on the card, and the offer sheet when `offer` (and there is one).
pub(crate) fn show(ctx: &Ctx, offer: bool) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoothAdapter>();
    let booth = ctx.booth.borrow();
    let kiosk = ctx.kiosk.borrow();
    let Some(session) = booth.as_ref() else {
        return;
    };
    let seat = session
        .candidate()
        .map(|reg| kiosk.seat_of(reg))
        .transpose()
        .unwrap_or_else(|e| {
            eprintln!("reading the candidate's seat failed: {e}");
            None
        })
        .flatten();
    let offered = if offer {
        session.ride_offer(&kiosk).unwrap_or_else(|e| {
            eprintln!("the ride offer failed: {e}");
            None
        })
    } else {
        None
    };
    let en = ctx.lang_en();
    let fair = kiosk.fair();
    let figures = if seat.is_some() || offered.is_some() {
        statuses(&kiosk)
    } else {
        Vec::new()
    };
    let card_of = |id: &str, chosen: bool| {
        fair.departure(id)
            .map(|d| {
                let s = figures.iter().find(|s| s.departure == d.id);
                card(d, s, en, chosen)
            })
            .unwrap_or_default()
    };
    let (state, ride, number, position) = match seat.as_ref().map(|s: &SeatRequest| &s.seat) {
        Some(Seat::Assigned { departure, seat }) => {
            (RideState::Seat, card_of(departure, true), *seat, 0)
        }
        Some(Seat::Waitlisted {
            departure,
            position,
        }) => (RideState::Waitlist, card_of(departure, true), 0, *position),
        _ => (RideState::None, DepartureCard::default(), 0, 0),
    };
    b.set_ride_state(state);
    b.set_ride_seat(i32::try_from(number).unwrap_or(0));
    b.set_ride_position(i32::try_from(position).unwrap_or(0));
    let current = ride.id.clone();
    b.set_ride(ride);
    match offered {
        Some(o) => {
            let cards: Vec<DepartureCard> = o
                .departures
                .iter()
                .map(|id| card_of(id, *id == current.as_str()))
                .collect();
            b.set_ride_destination(
                cards
                    .first()
                    .map(|c| c.destination.clone())
                    .unwrap_or_default(),
            );
            b.set_ride_departures(ModelRc::new(VecModel::from(cards)));
            b.set_ride_offer(true);
        }
        None => b.set_ride_offer(false),
    }
}

/// Nothing of a ride on screen (logout, another candidate).
pub(crate) fn clear(b: &BoothAdapter<'_>) {
    b.set_ride_offer(false);
    b.set_ride_departures(ModelRc::default());
    b.set_ride_state(RideState::None);
    b.set_ride(DepartureCard::default());
    b.set_ride_seat(0);
    b.set_ride_position(0);
}

/// A departure touched on the offer sheet.
fn offer_ride(ctx: &Ctx, departure: &str) {
    let done = {
        let mut booth = ctx.booth.borrow_mut();
        let Some(session) = booth.as_mut() else {
            return;
        };
        let mut kiosk = ctx.kiosk.borrow_mut();
        Session::offer_seat(session, &mut kiosk, departure)
    };
    match done {
        Ok(_) => {
            show(ctx, false);
            super::staff_export::refresh_pending(ctx);
        }
        Err(e) => {
            eprintln!("the seat offer failed: {e}");
            if let Some(window) = ctx.window.upgrade() {
                let b = window.global::<BoothAdapter>();
                b.set_ride_offer(false);
                b.set_ride_state(RideState::Failed);
            }
        }
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoothAdapter>();
    let c = ctx.clone();
    b.on_offer_ride(move |id| offer_ride(&c, &id));
    let c = ctx.clone();
    b.on_no_ride(move || {
        if let Some(window) = c.window.upgrade() {
            window.global::<BoothAdapter>().set_ride_offer(false);
        }
    });
}
