//! "I am on a list / 我已报过名": find the person on the townships' or employers' lists
//! by phone, resident ID or pre-printed ticket, show the record (phone masked), then
//! continue in the registration flow with the draft prefilled. Consent is still asked.

use super::register_adapter::{Flow, clear as clear_flow, divert_if_registered, page, with};
use super::{AppState, Ctx, ListLookupError, ListsAdapter, Page};
use crate::app::lists::ListPersonRow;
use crate::domain::phone::Phone;
use crate::domain::registration::MAX_CHOSEN_OPENINGS;
use crate::domain::resident_id::ResidentId;
use slint::{ComponentHandle, SharedString};
use std::rc::Rc;
use uuid::Uuid;

/// The list person the registration flow started from.
#[derive(Debug, Clone)]
pub(crate) struct ListLink {
    pub(crate) id: i64,
    /// "Correct my details": walk every step (prefilled) instead of jumping to openings.
    pub(crate) correcting: bool,
}

fn adapter<R>(ctx: &Ctx, f: impl FnOnce(&ListsAdapter) -> R) -> Option<R> {
    ctx.window.upgrade().map(|w| f(&w.global::<ListsAdapter>()))
}

fn on(ctx: &Rc<Ctx>, f: impl Fn(&Rc<Ctx>) + 'static) -> impl Fn() + 'static {
    let ctx = ctx.clone();
    move || f(&ctx)
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<ListsAdapter>();
    a.on_open(on(ctx, |ctx| {
        clear_flow(ctx);
        if let Some(w) = ctx.window.upgrade() {
            clear(&w);
            w.global::<AppState>().set_page(Page::ListLookup);
        }
    }));
    a.on_lookup(on(ctx, |ctx| {
        let typed = adapter(ctx, |a| a.get_typed()).unwrap_or_default();
        lookup(ctx, &typed);
    }));
    a.on_confirm(on(ctx, |ctx| start_flow(ctx, false)));
    a.on_correct(on(ctx, |ctx| start_flow(ctx, true)));
    a.on_back(on(ctx, |ctx| {
        let Some(w) = ctx.window.upgrade() else {
            return;
        };
        if w.global::<AppState>().get_page() == Page::ListFound {
            ctx.flow.borrow_mut().list_person = None;
            w.global::<AppState>().set_page(Page::ListLookup);
        } else {
            super::reset(ctx);
        }
    }));
}

/// A pre-printed list ticket (`JKL1:…`) scanned on the home screen.
pub(crate) fn scanned(ctx: &Ctx, text: &str) {
    clear_flow(ctx);
    if let Some(w) = ctx.window.upgrade() {
        clear(&w);
    }
    lookup(ctx, text);
}

fn lookup(ctx: &Ctx, typed: &str) {
    let typed = typed.trim();
    let found = if typed.is_empty() {
        Err(ListLookupError::Empty)
    } else {
        match ctx.kiosk.borrow().find_on_list(typed) {
            Ok(Some(person)) => Ok(person),
            Ok(None) if Phone::parse(typed).is_err() && ResidentId::parse(typed).is_err() => {
                Err(ListLookupError::NotValid)
            }
            Ok(None) => Err(ListLookupError::NotFound),
            Err(e) => {
                eprintln!("looking up a list failed: {e}");
                Err(ListLookupError::NotFound)
            }
        }
    };
    let Some(w) = ctx.window.upgrade() else {
        return;
    };
    let a = w.global::<ListsAdapter>();
    match found {
        Ok(person) => {
            show(ctx, &a, &person);
            ctx.flow.borrow_mut().list_person = Some(ListLink {
                id: person.id,
                correcting: false,
            });
            w.global::<AppState>().set_page(Page::ListFound);
        }
        Err(e) => {
            a.set_error(e);
            a.set_typed(SharedString::new());
            w.global::<AppState>().set_page(Page::ListLookup);
        }
    }
}

fn show(ctx: &Ctx, a: &ListsAdapter, p: &ListPersonRow) {
    let kiosk = ctx.kiosk.borrow();
    let en = ctx.lang_en();
    let employer = p
        .employer
        .as_deref()
        .and_then(|id| kiosk.fair().employer(id))
        .map(|e| match (&e.name_en, en) {
            (Some(n), true) => n.clone(),
            _ => e.name.clone(),
        })
        .unwrap_or_default();
    let place = [&p.county, &p.township, &p.village]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    a.set_error(ListLookupError::None);
    a.set_name(p.name.as_str().into());
    a.set_place(place.into());
    a.set_phone(
        Phone::parse(&p.phone)
            .map(|p| p.masked())
            .unwrap_or_default()
            .into(),
    );
    a.set_employer(employer.into());
}

/// Fills the registration draft from the list record and asks for consent.
fn start_flow(ctx: &Rc<Ctx>, correcting: bool) {
    let Some(link) = ctx.flow.borrow().list_person.clone() else {
        return;
    };
    let person = match ctx.kiosk.borrow().list_person(link.id) {
        Ok(Some(p)) => p,
        Ok(None) => return super::reset(ctx),
        Err(e) => {
            eprintln!("reading a list person failed: {e}");
            return super::reset(ctx);
        }
    };
    let openings = employer_openings(ctx, person.employer.as_deref());
    let (fair_county, fair_date) = {
        let kiosk = ctx.kiosk.borrow();
        (kiosk.fair().fair.county.clone(), kiosk.fair().fair.date)
    };
    clear_flow(ctx);
    {
        let mut f = ctx.flow.borrow_mut();
        *f = Flow {
            phone: Phone::parse(&person.phone).ok(),
            // The birth-date rule of every entry path: a list stored before it was
            // checked on import may hold an ID born after the fair; it is not taken.
            resident_id: person
                .resident_id
                .as_deref()
                .and_then(|r| ResidentId::parse_at(r, fair_date).ok()),
            name: person.name.clone(),
            openings,
            list_person: Some(ListLink {
                id: link.id,
                correcting,
            }),
            ..Flow::default()
        };
        f.home.county = if person.county.is_empty() {
            fair_county
        } else {
            person.county.clone()
        };
        f.home.township = person.township.clone();
        f.home.village = person.village.clone();
    }
    let (phone, home) = {
        let f = ctx.flow.borrow();
        (
            f.phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            f.home.clone(),
        )
    };
    super::register_adapter::set_place_lists(ctx, &home.county, &home.township);
    with(ctx, |a| {
        // PIPL: nothing is pre-agreed; the ID from the list is kept only if they agree again.
        a.set_consent_id(false);
        a.set_consent_share_phone(false);
        a.set_phone(phone.into());
        a.set_name(person.name.as_str().into());
        a.set_county(home.county.as_str().into());
        a.set_township(home.township.as_str().into());
        a.set_village(home.village.as_str().into());
    });
    super::register_adapter::refresh_choices(ctx);
    page(ctx, Page::Consent);
}

/// Returning staff: their employer's openings, preselected (at most 5).
fn employer_openings(ctx: &Ctx, employer: Option<&str>) -> Vec<u16> {
    let Some(employer) = employer else {
        return Vec::new();
    };
    let kiosk = ctx.kiosk.borrow();
    kiosk
        .fair()
        .openings
        .iter()
        .filter(|o| o.employer == employer)
        .map(|o| o.id)
        .take(MAX_CHOSEN_OPENINGS)
        .collect()
}

/// After consent on the list path: straight to the openings (or the duplicate page),
/// unless the villager chose to correct the record. Returns false off the list path.
pub(crate) fn after_consent(ctx: &Ctx) -> bool {
    let Some(link) = ctx.flow.borrow().list_person.clone() else {
        return false;
    };
    if link.correcting {
        return false;
    }
    if !divert_if_registered(ctx) {
        let f = ctx.flow.borrow();
        let place_known = !f.home.township.is_empty() && !f.home.village.is_empty();
        drop(f);
        if place_known {
            super::register_adapter::refresh_choices(ctx);
            page(ctx, Page::Choose);
        } else {
            page(ctx, Page::Place);
        }
    }
    true
}

/// The sign-up of the flow was saved: link the list person to it.
pub(crate) fn registered(ctx: &Ctx, registration: Uuid) {
    let Some(link) = ctx.flow.borrow().list_person.clone() else {
        return;
    };
    if let Err(e) = ctx
        .kiosk
        .borrow_mut()
        .link_list_person(link.id, registration)
    {
        eprintln!(
            "linking list person {} to their sign-up failed: {e}",
            link.id
        );
    }
}

/// Forgets what the list pages showed.
pub(crate) fn clear(window: &super::AppWindow) {
    let a = window.global::<ListsAdapter>();
    a.set_typed(SharedString::new());
    a.set_error(ListLookupError::None);
    a.set_name(SharedString::new());
    a.set_place(SharedString::new());
    a.set_phone(SharedString::new());
    a.set_employer(SharedString::new());
}
