//! The "Need a ride?" step, the ride on the review and on the ticket (issue 16): the
//! wizard's state and the store's seat figures mapped to the `RideAdapter` global.

use super::{Ctx, DepartureCard, RideAdapter, RideState};
use crate::app::transport::{DepartureStatus, Seat};
use crate::app::wizard::{RideChoice, RideTicket};
use crate::domain::fair::{Departure, DepartureKind, FairFile};
use chrono::{Datelike, Timelike};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

fn pick<'a>(en: bool, zh: &'a str, english: Option<&'a String>) -> &'a str {
    match english {
        Some(e) if en => e,
        _ => zh,
    }
}

/// One departure as the pages show it, with its figures (`status`) when known.
pub(crate) fn card(
    d: &Departure,
    status: Option<&DepartureStatus>,
    en: bool,
    chosen: bool,
) -> DepartureCard {
    let at = d.departs_at;
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    DepartureCard {
        id: d.id.as_str().into(),
        train: d.kind == DepartureKind::Train,
        month: at.month() as i32,
        day: at.day() as i32,
        weekday: at.weekday().num_days_from_monday() as i32,
        time: format!("{:02}:{:02}", at.hour(), at.minute()).into(),
        pickup: pick(en, &d.pickup, d.pickup_en.as_ref()).into(),
        destination: pick(en, &d.destination, d.destination_en.as_ref()).into(),
        vehicle: d.vehicle.clone().unwrap_or_default().into(),
        contact: d.contact.as_str().into(),
        contact_phone: d.contact_phone.as_str().into(),
        seats: n(d.seats),
        assigned: status.map_or(0, |s| n(s.assigned)),
        waitlisted: status.map_or(0, |s| n(s.waitlisted)),
        boarded: status.map_or(0, |s| n(s.boarded)),
        chosen,
    }
}

/// The figures of every departure (empty when the store cannot be read: the cards then
/// show the full capacity, and the seat request still goes by the store's real count).
pub(crate) fn statuses(kiosk: &crate::app::Kiosk) -> Vec<DepartureStatus> {
    kiosk.transport_status().unwrap_or_else(|e| {
        eprintln!("transport figures: {e}");
        Vec::new()
    })
}

fn card_of(fair: &FairFile, id: &str, statuses: &[DepartureStatus], en: bool) -> DepartureCard {
    fair.departure(id)
        .map(|d| card(d, statuses.iter().find(|s| s.departure == d.id), en, false))
        .unwrap_or_default()
}

/// The ride step's list and the review's line, from the wizard.
pub(crate) fn show(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let r = window.global::<RideAdapter>();
    let en = ctx.lang_en();
    let w = ctx.wizard.borrow();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let departures = w.ride_departures(fair);
    let chosen = match w.ride_choice() {
        Some(RideChoice::Departure(id)) => Some(id.as_str()),
        _ => None,
    };
    let statuses = if departures.is_empty() {
        Vec::new()
    } else {
        statuses(&kiosk)
    };
    let cards: Vec<DepartureCard> = departures
        .iter()
        .map(|d| {
            let s = statuses.iter().find(|s| s.departure == d.id);
            card(d, s, en, chosen == Some(d.id.as_str()))
        })
        .collect();
    r.set_destination(
        cards
            .first()
            .map(|c| c.destination.clone())
            .unwrap_or_default(),
    );
    r.set_departures(ModelRc::new(VecModel::from(cards)));
    r.set_declined(w.ride_choice() == Some(&RideChoice::Declined));
    r.set_review_offered(w.offers_ride());
    let review = w.review().ride;
    r.set_review_has_ride(review.is_some());
    r.set_review_ride(
        review
            .map(|id| card_of(fair, &id, &statuses, en))
            .unwrap_or_default(),
    );
}

/// The ride on the ticket page.
pub(crate) fn show_ticket(ctx: &Ctx, ride: Option<&RideTicket>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let r = window.global::<RideAdapter>();
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let (state, departure, seat, position) = match ride {
        None => (RideState::None, None, 0, 0),
        Some(RideTicket::Failed { departure }) => (RideState::Failed, Some(departure), 0, 0),
        Some(RideTicket::Seat(s)) => match &s.seat {
            Seat::Assigned { departure, seat } => (RideState::Seat, Some(departure), *seat, 0),
            Seat::Waitlisted {
                departure,
                position,
            } => (RideState::Waitlist, Some(departure), 0, *position),
            Seat::Requested => (RideState::Failed, None, 0, 0),
        },
    };
    r.set_ticket_state(state);
    r.set_ticket_ride(
        departure
            .map(|id| card_of(fair, id, &[], en))
            .unwrap_or_default(),
    );
    r.set_ticket_seat(i32::try_from(seat).unwrap_or(0));
    r.set_ticket_position(i32::try_from(position).unwrap_or(0));
}

pub(crate) fn clear(window: &super::AppWindow) {
    let r = window.global::<RideAdapter>();
    r.set_departures(ModelRc::default());
    r.set_review_offered(false);
    r.set_review_has_ride(false);
    r.set_review_ride(DepartureCard::default());
    r.set_ticket_state(RideState::None);
    r.set_ticket_ride(DepartureCard::default());
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let r = window.global::<RideAdapter>();
    {
        let ctx = ctx.clone();
        r.on_choose(move |id| {
            super::register_adapter::apply(&ctx, |w, k| w.choose_departure(k.fair(), &id));
        });
    }
    let ctx = ctx.clone();
    r.on_decline(move || super::register_adapter::apply(&ctx, |w, _| w.decline_ride()));
}
