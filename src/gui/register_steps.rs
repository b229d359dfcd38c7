//! The callbacks of each registration step.

use super::register_adapter::*;
use super::{AppState, Ctx, FieldError, Page, RegisterAdapter, ticket_adapter};
use crate::app::Error as AppError;
use crate::domain::person_name::normalize_name;
use crate::domain::phone::Phone;
use crate::domain::registration::{Draft, MAX_CHOSEN_OPENINGS};
use crate::domain::resident_id::ResidentId;
use crate::domain::sex::Sex;
use slint::ComponentHandle;
use std::rc::Rc;

fn on(ctx: &Rc<Ctx>, f: impl Fn(&Rc<Ctx>) + 'static) -> impl Fn() + 'static {
    let ctx = ctx.clone();
    move || f(&ctx)
}

/// The day the birth-date rule judges by ([`crate::domain::birth_date`]): the fair's.
fn fair_date(ctx: &Ctx) -> chrono::NaiveDate {
    ctx.kiosk.borrow().fair().fair.date
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<RegisterAdapter>();
    a.on_accept_consent(on(ctx, |ctx| {
        let (id, share) =
            with(ctx, |a| (a.get_consent_id(), a.get_consent_share_phone())).unwrap_or_default();
        let mut f = ctx.flow.borrow_mut();
        f.consent.personal_data = true;
        f.consent.resident_id = id;
        f.consent.share_phone = share;
        if !id {
            f.resident_id = None;
        }
        drop(f);
        if !super::lists_adapter::after_consent(ctx) {
            page(ctx, Page::Phone);
        }
    }));
    a.on_submit_phone(on(ctx, |ctx| {
        let typed = with(ctx, |a| a.get_phone()).unwrap_or_default();
        match Phone::parse(&typed) {
            Ok(p) => {
                with(ctx, |a| a.set_phone_error(FieldError::None));
                ctx.flow.borrow_mut().phone = Some(p);
                if !divert_if_registered(ctx) {
                    let next = if ctx.flow.borrow().consent.resident_id {
                        Page::ResidentId
                    } else {
                        Page::Name
                    };
                    page(ctx, next);
                }
            }
            Err(e) => {
                with(ctx, |a| a.set_phone_error(phone_error(e)));
            }
        }
    }));
    a.on_submit_id(on(ctx, |ctx| {
        let typed = with(ctx, |a| a.get_resident_id()).unwrap_or_default();
        match ResidentId::parse_at(&typed, fair_date(ctx)) {
            Ok(id) => {
                with(ctx, |a| {
                    a.set_id_error(FieldError::None);
                    a.set_id_birth_date(id.birth_date().format("%Y-%m-%d").to_string().into());
                    a.set_id_sex(if id.sex() == Sex::Male { 1 } else { 2 });
                    // Shown masked from here on: only the birth date and sex are to be checked.
                    a.set_resident_id(id.masked().into());
                    a.set_id_confirming(true);
                });
                ctx.flow.borrow_mut().resident_id = Some(id);
            }
            Err(e) => {
                with(ctx, |a| a.set_id_error(id_error(e, &typed)));
            }
        }
    }));
    a.on_confirm_id(on(ctx, |ctx| {
        with(ctx, |a| a.set_id_confirming(false));
        if !divert_if_registered(ctx) {
            page(ctx, Page::Name);
        }
    }));
    a.on_edit_id(on(ctx, |ctx| {
        ctx.flow.borrow_mut().resident_id = None;
        with(ctx, |a| {
            a.set_id_confirming(false);
            a.set_resident_id(Default::default());
        });
    }));
    a.on_skip_id(on(ctx, |ctx| {
        let mut f = ctx.flow.borrow_mut();
        f.resident_id = None;
        f.consent.resident_id = false;
        drop(f);
        with(ctx, |a| {
            a.set_resident_id(Default::default());
            a.set_id_error(FieldError::None);
            a.set_consent_id(false);
        });
        page(ctx, Page::Name);
    }));
    a.on_submit_name(on(ctx, |ctx| {
        let typed = with(ctx, |a| a.get_name()).unwrap_or_default();
        match normalize_name(&typed) {
            Ok(name) => {
                with(ctx, |a| {
                    a.set_name_error(FieldError::None);
                    a.set_name(name.as_str().into());
                });
                ctx.flow.borrow_mut().name = name;
                page(ctx, Page::Place);
            }
            Err(e) => {
                with(ctx, |a| a.set_name_error(name_error(e)));
            }
        }
    }));
    a.on_pick_county(on_str(ctx, |ctx, county| {
        set_place_lists(ctx, county, "");
        with(ctx, |a| {
            a.set_township(Default::default());
            a.set_village(Default::default());
        });
    }));
    a.on_pick_township(on_str(ctx, |ctx, township| {
        let county = with(ctx, |a| a.get_county()).unwrap_or_default();
        set_place_lists(ctx, &county, township);
        with(ctx, |a| a.set_village(Default::default()));
    }));
    a.on_submit_place(on(ctx, |ctx| {
        let (c, t, v) =
            with(ctx, |a| (a.get_county(), a.get_township(), a.get_village())).unwrap_or_default();
        let fields = [c.trim(), t.trim(), v.trim()];
        let error = if fields.iter().any(|s| s.is_empty()) {
            FieldError::Empty
        } else if fields.iter().any(|s| s.chars().count() > MAX_PLACE_CHARS) {
            FieldError::TooLong
        } else if fields.iter().any(|s| s.chars().any(char::is_control)) {
            FieldError::BadChar
        } else {
            FieldError::None
        };
        with(ctx, |a| a.set_place_error(error));
        if error == FieldError::None {
            let mut f = ctx.flow.borrow_mut();
            f.home.county = fields[0].to_string();
            f.home.township = fields[1].to_string();
            f.home.village = fields[2].to_string();
            drop(f);
            refresh_choices(ctx);
            page(ctx, Page::Choose);
        }
    }));
    a.on_choose_filter_changed(on(ctx, |ctx| refresh_choices(ctx)));
    a.on_toggle_opening(on_int(ctx, |ctx, id| {
        let Ok(id) = u16::try_from(id) else { return };
        let mut f = ctx.flow.borrow_mut();
        let error = if let Some(pos) = f.openings.iter().position(|o| *o == id) {
            f.openings.remove(pos);
            FieldError::None
        } else if f.openings.len() >= MAX_CHOSEN_OPENINGS {
            FieldError::TooManyOpenings
        } else {
            f.openings.push(id);
            FieldError::None
        };
        drop(f);
        with(ctx, |a| a.set_choose_error(error));
        refresh_choices(ctx);
    }));
    a.on_submit_choices(on(ctx, |ctx| {
        if ctx.flow.borrow().openings.is_empty() {
            with(ctx, |a| a.set_choose_error(FieldError::NoOpenings));
            return;
        }
        with(ctx, |a| a.set_choose_error(FieldError::None));
        fill_review(ctx);
        page(ctx, Page::Review);
    }));
    a.on_confirm(on(ctx, confirm));
    a.on_submit_last4(on(ctx, submit_last4));
    a.on_back(on(ctx, back));
    a.on_cancel(on(ctx, |ctx| super::reset(ctx)));
}

fn on_str(
    ctx: &Rc<Ctx>,
    f: impl Fn(&Rc<Ctx>, &str) + 'static,
) -> impl Fn(slint::SharedString) + 'static {
    let ctx = ctx.clone();
    move |s| f(&ctx, &s)
}

fn on_int(ctx: &Rc<Ctx>, f: impl Fn(&Rc<Ctx>, i32) + 'static) -> impl Fn(i32) + 'static {
    let ctx = ctx.clone();
    move |i| f(&ctx, i)
}

fn submit_last4(ctx: &Rc<Ctx>) {
    let typed = with(ctx, |a| a.get_last4()).unwrap_or_default();
    let Some(existing) = ctx.flow.borrow().existing.clone() else {
        return;
    };
    // Wrong tries are counted in the store per sign-up (5, then locked for 30 minutes).
    let outcome = ctx
        .kiosk
        .borrow_mut()
        .check_last4(existing.registration_id, &typed);
    let error = match outcome {
        Ok(()) => {
            ctx.flow.borrow_mut().last4_ok = true;
            FieldError::None
        }
        Err(AppError::WrongLast4) => FieldError::WrongLast4,
        Err(AppError::TooManyTries) => FieldError::TooManyTries,
        Err(e) => {
            eprintln!("checking the last 4 digits failed: {e}");
            FieldError::SaveFailed
        }
    };
    with(ctx, |a| {
        a.set_last4_error(error);
        if error != FieldError::None {
            a.set_last4(Default::default());
        }
    });
    if error == FieldError::None {
        refresh_choices(ctx);
        page(ctx, Page::Choose);
    }
}

/// Commits the sign-up (durably, before the ticket shows) or updates the existing one.
fn confirm(ctx: &Rc<Ctx>) {
    let f = ctx.flow.borrow();
    let result = match (&f.existing, f.last4_ok) {
        (Some(existing), true) => {
            let (id, last4, openings) = (
                existing.registration_id,
                existing.phone_last4.clone(),
                f.openings.clone(),
            );
            let name = existing.name.clone();
            drop(f);
            ctx.kiosk
                .borrow_mut()
                .reissue(id, &last4, &openings)
                .map(|issued| (issued, name))
        }
        _ => {
            let Some(phone) = f.phone.clone() else { return };
            let draft = Draft {
                consent: f.consent,
                phone,
                resident_id: f.resident_id.clone().filter(|_| f.consent.resident_id),
                name: f.name.clone(),
                home: f.home.clone(),
                openings: f.openings.clone(),
            };
            drop(f);
            ctx.kiosk
                .borrow_mut()
                .register(&draft)
                .map(|issued| (issued, draft.name))
        }
    };
    match result {
        Ok((issued, name)) => {
            let openings = ctx.flow.borrow().openings.clone();
            super::lists_adapter::registered(ctx, issued.registration_id);
            ticket_adapter::show(ctx, &issued, &name, &openings);
            clear(ctx);
        }
        Err(AppError::AlreadyRegistered(existing)) => to_duplicate(ctx, *existing),
        Err(e) => {
            eprintln!("saving a sign-up failed: {e}");
            let error = if matches!(e, AppError::DiskFull) {
                FieldError::DiskFull
            } else {
                FieldError::SaveFailed
            };
            with(ctx, |a| a.set_confirm_error(error));
        }
    }
}

fn back(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let current = window.global::<AppState>().get_page();
    let f = ctx.flow.borrow();
    let dup = f.existing.is_some() && f.last4_ok;
    let id_step = f.consent.resident_id;
    drop(f);
    let prev = match current {
        Page::Consent => return super::reset(ctx),
        Page::Phone => Page::Consent,
        Page::ResidentId => Page::Phone,
        Page::Name if id_step => Page::ResidentId,
        Page::Name => Page::Phone,
        Page::Place => Page::Name,
        Page::Choose if dup => Page::Duplicate,
        Page::Choose => Page::Place,
        Page::Review => Page::Choose,
        Page::Duplicate => {
            ctx.flow.borrow_mut().existing = None;
            Page::Phone
        }
        _ => Page::Home,
    };
    page(ctx, prev);
}
