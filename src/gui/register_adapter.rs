//! The registration flow, one step a screen: consent → phone → resident ID → name →
//! home place → openings → review → ticket; and the duplicate path (last 4 digits).

use super::openings_adapter::card;
use super::{AppState, Ctx, FieldError, OpeningCard, Page, RegisterAdapter};
use crate::app::Existing;
use crate::domain::fair::{FairFile, Trade};
use crate::domain::person_name::NameError;
use crate::domain::phone::{Phone, PhoneError};
use crate::domain::registration::{Consent, HomePlace, MAX_CHOSEN_OPENINGS};
use crate::domain::resident_id::{ResidentId, ResidentIdError};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

/// Longest place name accepted from free text.
pub(crate) const MAX_PLACE_CHARS: usize = 40;

/// What the villager has entered so far (Rust owns it; the adapter properties display it).
#[derive(Debug, Default)]
pub(crate) struct Flow {
    pub(crate) consent: Consent,
    pub(crate) phone: Option<Phone>,
    pub(crate) resident_id: Option<ResidentId>,
    pub(crate) name: String,
    pub(crate) home: HomePlace,
    pub(crate) openings: Vec<u16>,
    /// Set on the duplicate path once found; confirmed when `last4_ok`.
    pub(crate) existing: Option<Existing>,
    pub(crate) last4_ok: bool,
    /// Started from "I am on a list" (see `lists_adapter`).
    pub(crate) list_person: Option<super::lists_adapter::ListLink>,
}

pub(crate) fn page(ctx: &Ctx, p: Page) {
    if let Some(w) = ctx.window.upgrade() {
        let step = match p {
            Page::Consent => 1,
            Page::Phone => 2,
            Page::ResidentId => 3,
            Page::Name => 4,
            Page::Place => 5,
            Page::Choose => 6,
            Page::Review => 7,
            _ => 0,
        };
        w.global::<RegisterAdapter>().set_step(step);
        w.global::<AppState>().set_page(p);
    }
}

pub(crate) fn with<R>(ctx: &Ctx, f: impl FnOnce(&RegisterAdapter) -> R) -> Option<R> {
    ctx.window
        .upgrade()
        .map(|w| f(&w.global::<RegisterAdapter>()))
}

/// Starts a registration, optionally with one opening pre-selected.
pub(crate) fn start(ctx: &Ctx, preselected: Option<u16>) {
    clear(ctx);
    {
        let mut flow = ctx.flow.borrow_mut();
        flow.openings.extend(preselected);
        let kiosk = ctx.kiosk.borrow();
        flow.home.county = kiosk.fair().fair.county.clone();
    }
    let county = ctx.flow.borrow().home.county.clone();
    set_place_lists(ctx, &county, "");
    with(ctx, |a| a.set_county(county.into()));
    refresh_choices(ctx);
    page(ctx, Page::Consent);
}

/// Forgets everything typed: the form and every property that showed it.
pub(crate) fn clear(ctx: &Ctx) {
    *ctx.flow.borrow_mut() = Flow::default();
    with(ctx, |a| {
        let e = SharedString::new;
        a.set_consent_id(false);
        a.set_consent_share_phone(false);
        a.set_phone(e());
        a.set_phone_error(FieldError::None);
        a.set_resident_id(e());
        a.set_id_error(FieldError::None);
        a.set_id_confirming(false);
        a.set_id_birth_date(e());
        a.set_id_sex(0);
        a.set_name(e());
        a.set_name_error(FieldError::None);
        a.set_county(e());
        a.set_township(e());
        a.set_village(e());
        a.set_place_error(FieldError::None);
        a.set_choose_error(FieldError::None);
        a.set_choose_trade(-1);
        a.set_chosen_count(0);
        a.set_review_phone(e());
        a.set_review_id(e());
        a.set_review_place(e());
        a.set_review_openings(ModelRc::default());
        a.set_confirm_error(FieldError::None);
        a.set_last4(e());
        a.set_last4_error(FieldError::None);
    });
}

pub(crate) fn phone_error(e: PhoneError) -> FieldError {
    match e {
        PhoneError::Empty => FieldError::Empty,
        PhoneError::InvalidCharacter { .. } => FieldError::BadChar,
        PhoneError::WrongLength { digits } if digits < 11 => FieldError::TooShort,
        PhoneError::WrongLength { .. } | PhoneError::TooLong => FieldError::TooLong,
        PhoneError::NotMobile => FieldError::NotMobile,
    }
}

pub(crate) fn id_error(e: ResidentIdError, typed: &str) -> FieldError {
    match e {
        ResidentIdError::Empty => FieldError::Empty,
        ResidentIdError::WrongLength { len } if len < 18 => FieldError::TooShort,
        ResidentIdError::WrongLength { .. } => FieldError::TooLong,
        ResidentIdError::InvalidCharacter { position } => {
            let c = typed
                .chars()
                .filter(|c| !c.is_whitespace())
                .nth(position - 1);
            if matches!(c, Some('X' | 'x')) {
                FieldError::XNotLast
            } else {
                FieldError::BadChar
            }
        }
        ResidentIdError::UnknownRegion => FieldError::BadRegion,
        ResidentIdError::InvalidBirthDate => FieldError::BadDate,
        ResidentIdError::BirthDateInFuture => FieldError::FutureDate,
        ResidentIdError::WrongCheckDigit => FieldError::CheckDigit,
    }
}

pub(crate) fn name_error(e: NameError) -> FieldError {
    match e {
        NameError::Empty => FieldError::Empty,
        NameError::TooLong { .. } => FieldError::TooLong,
        NameError::InvalidCharacter { ch: '·' } => FieldError::NameDot,
        NameError::InvalidCharacter { .. } => FieldError::BadChar,
    }
}

/// Checks for a sign-up already on file; if there is one, goes to the duplicate page.
pub(crate) fn divert_if_registered(ctx: &Ctx) -> bool {
    let (phone, id) = {
        let f = ctx.flow.borrow();
        (f.phone.clone(), f.resident_id.clone())
    };
    let Some(phone) = phone else { return false };
    match ctx.kiosk.borrow().lookup_existing(&phone, id.as_ref()) {
        Ok(Some(existing)) => {
            to_duplicate(ctx, existing);
            true
        }
        Ok(None) => false,
        Err(e) => {
            eprintln!("looking up an earlier sign-up failed: {e}");
            false
        }
    }
}

pub(crate) fn to_duplicate(ctx: &Ctx, existing: Existing) {
    {
        let mut f = ctx.flow.borrow_mut();
        for o in &existing.openings {
            if !f.openings.contains(o) && f.openings.len() < MAX_CHOSEN_OPENINGS {
                f.openings.push(*o);
            }
        }
        f.existing = Some(existing);
        f.last4_ok = false;
    }
    with(ctx, |a| {
        a.set_last4(SharedString::new());
        a.set_last4_error(FieldError::None);
    });
    page(ctx, Page::Duplicate);
}

pub(crate) fn set_place_lists(ctx: &Ctx, county: &str, township: &str) {
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let strings = |v: Vec<&str>| {
        ModelRc::new(VecModel::from(
            v.into_iter().map(SharedString::from).collect::<Vec<_>>(),
        ))
    };
    let c = fair.places.iter().find(|c| c.name == county);
    let t = c.and_then(|c| c.townships.iter().find(|t| t.name == township));
    with(ctx, |a| {
        a.set_counties(strings(
            fair.places.iter().map(|c| c.name.as_str()).collect(),
        ));
        a.set_townships(strings(
            c.map(|c| c.townships.iter().map(|t| t.name.as_str()).collect())
                .unwrap_or_default(),
        ));
        a.set_villages(strings(
            t.map(|t| t.villages.iter().map(String::as_str).collect())
                .unwrap_or_default(),
        ));
    });
}

/// The openings list of the choose step: chosen first, then those of the chosen trade (or all).
pub(crate) fn refresh_choices(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<RegisterAdapter>();
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair: &FairFile = kiosk.fair();
    let flow = ctx.flow.borrow();
    let trade = usize::try_from(a.get_choose_trade())
        .ok()
        .and_then(|i| Trade::ALL.get(i).copied());
    let chosen: Vec<OpeningCard> = flow
        .openings
        .iter()
        .filter_map(|id| fair.opening(*id))
        .map(|o| card(fair, o, en, true))
        .collect();
    let mut list = chosen.clone();
    list.extend(
        fair.openings
            .iter()
            .filter(|o| !flow.openings.contains(&o.id) && trade.is_none_or(|t| o.trade == t))
            .map(|o| card(fair, o, en, false)),
    );
    a.set_choices(ModelRc::new(VecModel::from(list)));
    a.set_chosen_count(flow.openings.len() as i32);
    a.set_review_openings(ModelRc::new(VecModel::from(chosen)));
}

pub(crate) fn fill_review(ctx: &Ctx) {
    let f = ctx.flow.borrow();
    let phone = match (&f.existing, &f.phone) {
        (Some(e), _) if f.last4_ok => format!("*******{}", e.phone_last4),
        (_, Some(p)) => p.masked(),
        _ => String::new(),
    };
    let id = f
        .resident_id
        .as_ref()
        .map(ResidentId::masked)
        .unwrap_or_default();
    let place = format!("{} {} {}", f.home.county, f.home.township, f.home.village);
    let name = match &f.existing {
        Some(e) if f.last4_ok => e.name.clone(),
        _ => f.name.clone(),
    };
    let share = f.consent.share_phone;
    drop(f);
    with(ctx, |a| {
        a.set_review_phone(phone.into());
        a.set_review_id(id.into());
        a.set_review_place(place.trim().to_string().into());
        a.set_review_share_phone(share);
        a.set_name(name.into());
        a.set_confirm_error(FieldError::None);
    });
    refresh_choices(ctx);
}
