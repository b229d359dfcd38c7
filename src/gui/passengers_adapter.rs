//! The staff's passenger view of one departure (issue 16), glue only: the list from
//! [`crate::app::Kiosk::passengers`] (names masked), a villager picked, a departure picked,
//! and the move through [`crate::app::Kiosk::staff_move_seat`].

use super::ride_adapter::{card, statuses};
use super::{AppState, Ctx, DepartureCard, DeparturesAdapter, MoveResult, Page, PassengerItem};
use crate::app::Error;
use crate::app::transport::{Place, Seat};
use crate::domain::person_name::masked_name;
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

fn item(p: &crate::app::transport::OnDeparture) -> PassengerItem {
    let (seat, position) = match p.place {
        Place::Seat(s) => (s, 0),
        Place::Waitlist(n) => (0, n),
    };
    PassengerItem {
        registration: p.registration_id.to_string().into(),
        name: masked_name(&p.name).into(),
        seat: i32::try_from(seat).unwrap_or(0),
        position: i32::try_from(position).unwrap_or(0),
        boarded: p.boarded,
    }
}

/// Shows departure `id`'s passengers (and the move sheet's departures, when one is picked).
fn show(ctx: &Ctx, id: &str) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let Some(dep) = fair.departure(id) else {
        return;
    };
    let figures = statuses(&kiosk);
    let of = |id: &str| figures.iter().find(|s| s.departure == id);
    d.set_shown(card(dep, of(id), en, false));
    let list = kiosk.passengers(id).unwrap_or_else(|e| {
        eprintln!("the passengers of {id}: {e}");
        Vec::new()
    });
    let items: Vec<PassengerItem> = list.iter().map(item).collect();
    d.set_passengers(ModelRc::new(VecModel::from(items)));
    let target = d.get_target().to_string();
    let targets: Vec<DepartureCard> = fair
        .departures
        .iter()
        .filter(|t| t.id != id)
        .map(|t| card(t, of(&t.id), en, t.id == target))
        .collect();
    d.set_targets(ModelRc::new(VecModel::from(targets)));
    if !d.get_moved_to().id.is_empty() {
        let moved = d.get_moved_to().id.to_string();
        if let Some(m) = fair.departure(&moved) {
            d.set_moved_to(card(m, of(&moved), en, false));
        }
    }
}

fn clear_move(d: &DeparturesAdapter<'_>) {
    d.set_moving(PassengerItem::default());
    d.set_target(Default::default());
}

/// Opens the passenger view of departure `id`.
pub(crate) fn open(ctx: &Ctx, id: &str) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    clear_move(&d);
    d.set_move_result(MoveResult::None);
    d.set_moved_to(DepartureCard::default());
    show(ctx, id);
    window.global::<AppState>().set_page(Page::Passengers);
}

/// The list again in the UI language (a language switch).
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    if window.global::<AppState>().get_page() == Page::Passengers {
        let id = window.global::<DeparturesAdapter>().get_shown().id;
        show(ctx, &id);
    }
}

fn confirm(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    let (moving, to) = (d.get_moving(), d.get_target().to_string());
    let Ok(reg) = uuid::Uuid::parse_str(&moving.registration) else {
        return;
    };
    if to.is_empty() {
        return;
    }
    let done = ctx.kiosk.borrow_mut().staff_move_seat(reg, &to);
    d.set_moved_name(moving.name.clone());
    d.set_moved_to(DepartureCard {
        id: to.as_str().into(),
        ..Default::default()
    });
    match done {
        Ok(change) => match change.request.map(|r| r.seat) {
            Some(Seat::Assigned { seat, .. }) => {
                d.set_moved_seat(i32::try_from(seat).unwrap_or(0));
                d.set_move_result(MoveResult::Seat);
            }
            Some(Seat::Waitlisted { position, .. }) => {
                d.set_moved_position(i32::try_from(position).unwrap_or(0));
                d.set_move_result(MoveResult::Waitlist);
            }
            _ => d.set_move_result(MoveResult::Failed),
        },
        Err(Error::AlreadyBoarded(_)) => d.set_move_result(MoveResult::Boarded),
        Err(e) => {
            eprintln!("moving a passenger to {to}: {e}");
            d.set_move_result(MoveResult::Failed);
        }
    }
    clear_move(&d);
    let shown = d.get_shown().id.to_string();
    show(ctx, &shown);
    super::staff_export::refresh_pending(ctx);
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    let c = ctx.clone();
    d.on_open_passengers(move |id| open(&c, &id));
    let c = ctx.clone();
    d.on_pick_passenger(move |reg| {
        let Some(window) = c.window.upgrade() else {
            return;
        };
        let d = window.global::<DeparturesAdapter>();
        let picked = slint::Model::iter(&d.get_passengers()).find(|p| p.registration == reg);
        if let Some(p) = picked {
            d.set_target(Default::default());
            d.set_moving(p);
            let shown = d.get_shown().id.to_string();
            show(&c, &shown);
        }
    });
    let c = ctx.clone();
    d.on_pick_target(move |id| {
        if let Some(window) = c.window.upgrade() {
            let d = window.global::<DeparturesAdapter>();
            d.set_target(id);
            let shown = d.get_shown().id.to_string();
            show(&c, &shown);
        }
    });
    let c = ctx.clone();
    d.on_confirm_move(move || confirm(&c));
    let c = ctx.clone();
    d.on_cancel_move(move || {
        if let Some(window) = c.window.upgrade() {
            clear_move(&window.global::<DeparturesAdapter>());
        }
    });
}
