//! Glue of the registration pages: the state of [`crate::app::wizard::Wizard`] mapped to
//! the `RegisterAdapter` and `ListsAdapter` globals and the page shown. No rule lives
//! here: every decision is the wizard's (see `register_steps.rs` for the callbacks).

use super::field_errors::{lookup_error, ui_error, ui_place_field};
use super::openings_adapter::card;
use super::{AppState, Ctx, ListsAdapter, OpeningCard, Page, PlaceOption, RegisterAdapter};
use super::{Sex as UiSex, place_names, ticket_adapter};
use crate::app::Kiosk;
use crate::app::wizard::{Field, Step, Wizard};
use crate::domain::fair::{FairFile, Trade};
use crate::domain::registration::PlaceField;
use crate::domain::sex::Sex;
use slint::{ComponentHandle, Model, ModelRc, VecModel};

/// Runs one wizard action with the kiosk, logs an unexpected store failure, then shows
/// the resulting state (or the home page when the flow was left).
pub(crate) fn apply(ctx: &Ctx, f: impl FnOnce(&mut Wizard, &mut Kiosk) -> Step) {
    let step = {
        let mut w = ctx.wizard.borrow_mut();
        let mut k = ctx.kiosk.borrow_mut();
        let step = f(&mut w, &mut k);
        if let Some(why) = w.take_failure() {
            eprintln!("registration: {why}");
        }
        step
    };
    if step == Step::Idle {
        super::reset(ctx);
    } else {
        show(ctx);
    }
    if step == Step::Ticket {
        // A sign-up was stored: the status bar's count comes from the store, now.
        super::staff_export::refresh_pending(ctx);
    }
}

/// Starts a registration, optionally with one opening already chosen.
pub(crate) fn start(ctx: &Ctx, preselected: Option<u16>) {
    let w = Wizard::start(ctx.kiosk.borrow().fair(), preselected);
    *ctx.wizard.borrow_mut() = w;
    if let Some(window) = ctx.window.upgrade() {
        // The consent page's own toggles start unanswered (PIPL: nothing pre-agreed).
        let a = window.global::<RegisterAdapter>();
        a.set_consent_id(false);
        a.set_consent_share_phone(false);
    }
    show(ctx);
}

/// Forgets everything typed: the wizard and every property that showed it.
pub(crate) fn clear(ctx: &Ctx) {
    ctx.wizard.borrow_mut().reset();
    if let Some(window) = ctx.window.upgrade() {
        let a = window.global::<RegisterAdapter>();
        a.set_consent_id(false);
        a.set_consent_share_phone(false);
    }
    show_fields(ctx);
    show_choices(ctx, true);
}

fn page_of(step: Step) -> Option<Page> {
    Some(match step {
        Step::Idle => return None,
        Step::Consent => Page::Consent,
        Step::Phone => Page::Phone,
        Step::ResidentId => Page::ResidentId,
        Step::Name => Page::Name,
        Step::Place => Page::Place,
        Step::Choose => Page::Choose,
        Step::Ride => Page::Ride,
        Step::Review => Page::Review,
        Step::Duplicate => Page::Duplicate,
        Step::Ticket => Page::Ticket,
        Step::ListLookup => Page::ListLookup,
        Step::ListFound => Page::ListFound,
    })
}

/// The step's number; the ride step (where it is shown) comes before the review.
fn step_number(step: Step, ride: bool) -> i32 {
    match step {
        Step::Ride => 7,
        Step::Review if ride => 8,
        Step::Consent => 1,
        Step::Phone => 2,
        Step::ResidentId => 3,
        Step::Name => 4,
        Step::Place => 5,
        Step::Choose => 6,
        Step::Review => 7,
        _ => 0,
    }
}

/// Shows the wizard's whole state and its page.
pub(crate) fn show(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let step = ctx.wizard.borrow().step();
    if step == Step::Ticket {
        let ticket = ctx.wizard.borrow().ticket().cloned();
        if let Some(t) = ticket {
            ticket_adapter::show(ctx, &t.issued, &t.name, &t.openings);
            super::ride_adapter::show_ticket(ctx, t.ride.as_ref());
        }
    }
    let a = window.global::<RegisterAdapter>();
    if step == Step::Consent && a.get_step() != step_number(step, false) {
        // Coming (back) to the consent page: its toggles show the answers given, if any.
        let c = ctx.wizard.borrow().consent();
        a.set_consent_id(c.resident_id);
        a.set_consent_share_phone(c.share_phone);
    }
    show_fields(ctx);
    show_choices(ctx, false);
    let ride = ctx.wizard.borrow().offers_ride();
    super::ride_adapter::show(ctx);
    a.set_steps(if ride { 8 } else { 7 });
    a.set_step(step_number(step, ride));
    if let Some(page) = page_of(step) {
        window.global::<AppState>().set_page(page);
    }
}

fn options(v: Vec<&str>, label: impl Fn(&str) -> String) -> ModelRc<PlaceOption> {
    ModelRc::new(VecModel::from(
        v.into_iter()
            .map(|name| PlaceOption {
                name: name.into(),
                label: label(name).into(),
            })
            .collect::<Vec<_>>(),
    ))
}

/// Shows the wizard's state again in the UI language (a language switch), without
/// changing the page.
pub(crate) fn refresh(ctx: &Ctx) {
    show_fields(ctx);
    show_choices(ctx, true);
    let ticket = ctx.wizard.borrow().ticket().cloned();
    if let Some(t) = ticket {
        ticket_adapter::show(ctx, &t.issued, &t.name, &t.openings);
        super::ride_adapter::show_ticket(ctx, t.ride.as_ref());
    }
    super::ride_adapter::show(ctx);
}

/// Every entry field, error, the review and the list pages.
fn show_fields(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let w = ctx.wizard.borrow();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let a = window.global::<RegisterAdapter>();
    let e = w.entries();
    a.set_phone(w.phone_display().into());
    a.set_phone_error(ui_error(w.error(Field::Phone)));
    a.set_resident_id(w.id_display().into());
    a.set_id_error(ui_error(w.error(Field::ResidentId)));
    a.set_id_confirming(w.id_confirming());
    let id = w.resident_id();
    a.set_id_birth_date(
        id.map(|id| id.birth_date().format("%Y-%m-%d").to_string())
            .unwrap_or_default()
            .into(),
    );
    a.set_id_sex(match id.map(|id| id.sex()) {
        None => UiSex::Unknown,
        Some(Sex::Male) => UiSex::Male,
        Some(Sex::Female) => UiSex::Female,
    });
    if a.get_name() != e.name.as_str() {
        a.set_name(e.name.as_str().into());
    }
    a.set_name_error(ui_error(w.error(Field::Name)));
    a.set_county(e.home.county.as_str().into());
    a.set_township(e.home.township.as_str().into());
    a.set_village(e.home.village.as_str().into());
    let [counties, townships, villages] = w.place_options(fair);
    let en = ctx.lang_en();
    let t = e.home.township.as_str();
    a.set_counties(options(counties, |c| place_names::county(fair, c, en)));
    a.set_townships(options(townships, |n| place_names::township(fair, n, en)));
    a.set_villages(options(villages, |v| place_names::village(fair, t, v, en)));
    let place_error = w.place_error();
    a.set_place_error(ui_error(place_error.map(|(_, e)| e)));
    a.set_place_error_field(ui_place_field(
        place_error.map_or(PlaceField::County, |(f, _)| f),
    ));
    a.set_choose_error(ui_error(w.error(Field::Openings)));
    a.set_returning(w.returning());
    a.set_returning_name(w.returning_name().unwrap_or_default().into());
    a.set_last4(e.last4.as_str().into());
    a.set_last4_error(ui_error(w.error(Field::Last4)));
    a.set_confirm_error(ui_error(w.error(Field::Confirm)));
    let r = w.review();
    a.set_review_name(r.name.as_str().into());
    a.set_review_phone(r.phone_masked.as_str().into());
    a.set_review_share_phone(r.share_phone);
    a.set_review_id(r.resident_id_masked.unwrap_or_default().into());
    let h = &r.home;
    let place = place_names::home(fair, &h.county, &h.township, &h.village, en);
    a.set_review_place(place.into());
    show_list_person(ctx, &window, &w, fair);
}

fn show_list_person(ctx: &Ctx, window: &super::AppWindow, w: &Wizard, fair: &FairFile) {
    let l = window.global::<ListsAdapter>();
    l.set_typed(w.entries().lookup.as_str().into());
    l.set_error(lookup_error(w.error(Field::Lookup)));
    let person = w.list_person();
    let en = ctx.lang_en();
    let employer = person
        .as_ref()
        .and_then(|p| p.employer.as_deref())
        .and_then(|id| fair.employer(id))
        .map(|e| super::openings_adapter::pick(en, &e.name, e.name_en.as_ref()).to_string())
        .unwrap_or_default();
    let (name, place, phone) = person
        .map(|p| {
            let h = &p.home;
            let place = place_names::home(fair, &h.county, &h.township, &h.village, en);
            (p.name, place, p.phone_masked)
        })
        .unwrap_or_default();
    l.set_name(name.into());
    l.set_place(place.into());
    l.set_phone(phone.into());
    l.set_employer(employer.into());
}

/// The choose list (fixed order; only the chosen marks change), the chosen strip and the
/// review's openings. `rebuild` makes every card again (a language switch, a new fair).
pub(crate) fn show_choices(ctx: &Ctx, rebuild: bool) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<RegisterAdapter>();
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let w = ctx.wizard.borrow();
    let trade = w
        .trade_filter()
        .and_then(|t| Trade::ALL.iter().position(|x| *x == t));
    a.set_choose_trade(trade.map_or(-1, |i| i as i32));
    let ids = if w.step() == Step::Idle {
        Vec::new()
    } else {
        w.choices(fair)
    };
    let current = a.get_choices();
    let same_list = !rebuild
        && current.row_count() == ids.len()
        && current
            .iter()
            .zip(&ids)
            .all(|(c, id)| c.id == i32::from(*id));
    if same_list {
        // Only the marks change: the list, its scroll position and the cards stay.
        for (row, id) in ids.iter().enumerate() {
            let mut c = current.row_data(row).expect("row in range");
            if c.chosen != w.is_chosen(*id) {
                c.chosen = w.is_chosen(*id);
                current.set_row_data(row, c);
            }
        }
    } else {
        let cards: Vec<OpeningCard> = ids
            .iter()
            .filter_map(|id| fair.opening(*id))
            .map(|o| card(fair, o, en, w.is_chosen(o.id)))
            .collect();
        a.set_choices(ModelRc::new(VecModel::from(cards)));
    }
    let chosen: Vec<OpeningCard> = w
        .chosen()
        .iter()
        .filter_map(|id| fair.opening(*id))
        .map(|o| card(fair, o, en, true))
        .collect();
    a.set_chosen(ModelRc::new(VecModel::from(chosen.clone())));
    a.set_review_openings(ModelRc::new(VecModel::from(chosen)));
}
