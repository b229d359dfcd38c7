//! The boarding page at the bus door (issue 16): a scanned QR ticket (or its typed short
//! code) is checked offline by `app::transport` against this departure's seat list and
//! marked boarded once; the page shows the name (masked) and seat, or why the ticket is
//! refused, the count boarded of assigned, and the no-show list.

use super::ride_adapter::{card, statuses};
use super::{AppState, BoardResult, BoardingAdapter, Ctx, DepartureCard, NoShow, Page};
use crate::app::transport::BoardOutcome;
use crate::domain::person_name::masked_name;
use chrono::Local;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// The departure the page boards.
    static DEPARTURE: RefCell<String> = const { RefCell::new(String::new()) };
}

fn departure() -> String {
    DEPARTURE.with(|d| d.borrow().clone())
}

fn departure_card(ctx: &Ctx, id: &str) -> DepartureCard {
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let statuses = statuses(&kiosk);
    kiosk
        .fair()
        .departure(id)
        .map(|d| card(d, statuses.iter().find(|s| s.departure == d.id), en, false))
        .unwrap_or_default()
}

/// Opens the boarding page for departure `id`.
pub(crate) fn open(ctx: &Ctx, id: &str) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    if ctx.kiosk.borrow().fair().departure(id).is_none() {
        return;
    }
    DEPARTURE.with(|d| *d.borrow_mut() = id.to_string());
    let b = window.global::<BoardingAdapter>();
    b.set_result(BoardResult::None);
    b.set_code(SharedString::default());
    b.set_show_no_shows(false);
    b.set_no_shows(ModelRc::default());
    b.set_codes_available(!ctx.kiosk.borrow().is_booth_only());
    b.set_departure(departure_card(ctx, id));
    window.global::<AppState>().set_page(Page::Boarding);
}

/// A scan (or a looked-up short code) at the door.
pub(crate) fn scan(ctx: &Ctx, text: &str) {
    let dep = departure();
    let outcome = ctx.kiosk.borrow_mut().board(&dep, text);
    show(ctx, &dep, outcome);
}

fn submit_code(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoardingAdapter>();
    let typed = b.get_code().to_string();
    b.set_code(SharedString::default());
    let dep = departure();
    let outcome = ctx.kiosk.borrow_mut().board_short_code(&dep, &typed);
    show(ctx, &dep, outcome);
}

fn show(ctx: &Ctx, dep: &str, outcome: crate::app::Result<BoardOutcome>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoardingAdapter>();
    b.set_show_no_shows(false);
    let outcome = outcome.unwrap_or_else(|e| {
        eprintln!("boarding on {dep}: {e}");
        BoardOutcome::Invalid
    });
    let seat = |s: u32| i32::try_from(s).unwrap_or(0);
    let result = match outcome {
        BoardOutcome::Boarded {
            passenger,
            at,
            first,
        } => {
            b.set_name(masked_name(&passenger.name).into());
            b.set_seat(seat(passenger.seat));
            b.set_time(at.with_timezone(&Local).format("%H:%M").to_string().into());
            if first {
                BoardResult::Boarded
            } else {
                BoardResult::Again
            }
        }
        BoardOutcome::OtherDeparture {
            departure,
            seat: other,
        } => {
            b.set_other(departure_card(ctx, &departure));
            b.set_other_seat(other.map_or(0, seat));
            BoardResult::OtherDeparture
        }
        BoardOutcome::Waitlisted { position } => {
            b.set_position(seat(position));
            BoardResult::Waitlisted
        }
        BoardOutcome::NoSeat => BoardResult::NoSeat,
        BoardOutcome::Superseded => BoardResult::Superseded,
        BoardOutcome::Invalid => BoardResult::Invalid,
        BoardOutcome::OtherFair => BoardResult::OtherFair,
        BoardOutcome::UnknownCode => BoardResult::UnknownCode,
    };
    if !matches!(result, BoardResult::Boarded | BoardResult::Again) {
        b.set_name(SharedString::default());
        b.set_seat(0);
    }
    b.set_result(result);
    b.set_departure(departure_card(ctx, dep));
    super::staff_export::refresh_pending(ctx);
}

fn toggle_no_shows(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoardingAdapter>();
    if b.get_show_no_shows() {
        b.set_show_no_shows(false);
        return;
    }
    let list = ctx.kiosk.borrow().no_shows(&departure());
    let rows: Vec<NoShow> = list
        .unwrap_or_else(|e| {
            eprintln!("no-show list: {e}");
            Vec::new()
        })
        .into_iter()
        .map(|p| NoShow {
            seat: i32::try_from(p.seat).unwrap_or(0),
            name: masked_name(&p.name).into(),
        })
        .collect();
    b.set_no_shows(ModelRc::new(VecModel::from(rows)));
    b.set_show_no_shows(true);
}

/// The departure's texts again in the UI language (a language switch).
pub(crate) fn refresh(ctx: &Ctx) {
    let dep = departure();
    if dep.is_empty() {
        return;
    }
    if let Some(window) = ctx.window.upgrade() {
        let b = window.global::<BoardingAdapter>();
        b.set_departure(departure_card(ctx, &dep));
        let other = b.get_other().id.to_string();
        if !other.is_empty() {
            b.set_other(departure_card(ctx, &other));
        }
    }
}

/// Forgets the last passenger shown (idle reset, home).
pub(crate) fn clear(window: &super::AppWindow) {
    let b = window.global::<BoardingAdapter>();
    b.set_result(BoardResult::None);
    b.set_name(SharedString::default());
    b.set_code(SharedString::default());
    b.set_show_no_shows(false);
    b.set_no_shows(ModelRc::default());
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoardingAdapter>();
    {
        let ctx = ctx.clone();
        b.on_submit_code(move || submit_code(&ctx));
    }
    {
        let ctx = ctx.clone();
        b.on_toggle_no_shows(move || toggle_no_shows(&ctx));
    }
    let ctx = ctx.clone();
    b.on_leave(move || {
        if let Some(w) = ctx.window.upgrade() {
            clear(&w);
        }
        super::transport_staff::refresh(&ctx);
        if let Some(w) = ctx.window.upgrade() {
            w.global::<AppState>().set_page(Page::Departures);
        }
    });
}
