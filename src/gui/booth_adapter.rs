//! Booth mode glue: the booth list and PIN pad, the scan page, the candidate's card with a
//! stage per opening, and today's candidates. The logged-in booth is an
//! [`crate::app::booth::Session`] in `Ctx::booth` (made only by a right PIN; it enforces the
//! booth's employer and the candidate on screen), forgotten by [`clear`].

use super::booth_view::{domain_stage, item};
use super::openings_adapter::pick;
use super::{AppState, BoothAdapter, BoothError, BoothItem, BoothStage, CandidateItem, Ctx};
use super::{Page, PinState, ScanResult};
use crate::app::booth::{Candidate, ScanOutcome, Session};
use crate::app::{Error, PinCheck};
use crate::domain::stage::Stage;
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;
use uuid::Uuid;

/// Logs the booth out and wipes its data from the screen.
pub(crate) fn clear(ctx: &Ctx, window: &super::AppWindow) {
    *ctx.booth.borrow_mut() = None;
    let b = window.global::<BoothAdapter>();
    b.set_booth_id(-1);
    b.set_pin(Default::default());
    b.set_pin_state(PinState::Enter);
    b.set_code(Default::default());
    b.set_scan_result(ScanResult::None);
    b.set_note(Default::default());
    b.set_editing_note(false);
    b.set_error(BoothError::None);
    b.set_candidate(CandidateItem::default());
    b.set_candidates(ModelRc::default());
    super::booth_ride::clear(&b);
}

/// Shows the device's abilities (booth-only, short codes) to the pages.
pub(crate) fn set_device(ctx: &Ctx) {
    if let Some(window) = ctx.window.upgrade() {
        let kiosk = ctx.kiosk.borrow();
        let b = window.global::<BoothAdapter>();
        b.set_booth_only(kiosk.is_booth_only());
        b.set_codes_available(kiosk.booth_short_codes_available());
    }
}

fn to_page(ctx: &Ctx, page: Page) {
    if let Some(window) = ctx.window.upgrade() {
        window.global::<AppState>().set_page(page);
    }
}

fn show_candidate(ctx: &Ctx, c: &Candidate) {
    let it = item(ctx, c);
    if let Some(window) = ctx.window.upgrade() {
        let b = window.global::<BoothAdapter>();
        b.set_candidate(it);
        b.set_scan_result(ScanResult::None);
        b.set_error(BoothError::None);
        window.global::<AppState>().set_page(Page::BoothCandidate);
    }
    super::booth_ride::show(ctx, false);
}

/// A scan or typed code at the logged-in booth: the card, or a banner on the scan page.
fn show_outcome(ctx: &Ctx, outcome: crate::app::Result<ScanOutcome>) {
    let result = match outcome {
        Ok(ScanOutcome::Candidate(c)) => {
            if let Some(window) = ctx.window.upgrade() {
                window.global::<BoothAdapter>().set_note(Default::default());
            }
            return show_candidate(ctx, &c);
        }
        Ok(ScanOutcome::Invalid) => ScanResult::Invalid,
        Ok(ScanOutcome::OtherFair) => ScanResult::OtherFair,
        Ok(ScanOutcome::NotShared) => ScanResult::NotShared,
        Ok(ScanOutcome::UnknownCode) => ScanResult::UnknownCode,
        Ok(ScanOutcome::Superseded) => ScanResult::Superseded,
        Err(e) => {
            eprintln!("booth scan failed: {e}");
            ScanResult::Invalid
        }
    };
    if let Some(window) = ctx.window.upgrade() {
        window.global::<BoothAdapter>().set_scan_result(result);
        window.global::<AppState>().set_page(Page::BoothScan);
    }
}

/// Runs `f` with the session and the kiosk, if a booth is logged in.
fn with_session<R>(
    ctx: &Ctx,
    f: impl FnOnce(&mut Session, &mut crate::app::Kiosk) -> R,
) -> Option<R> {
    let mut booth = ctx.booth.borrow_mut();
    let session = booth.as_mut()?;
    Some(f(session, &mut ctx.kiosk.borrow_mut()))
}

/// A scanned ticket text at the logged-in booth (called by the scan dispatcher).
pub(crate) fn scan(ctx: &Ctx, text: &str) {
    if let Some(outcome) = with_session(ctx, |s, k| s.scan(k, text)) {
        show_outcome(ctx, outcome);
    }
}

fn show_list(ctx: &Ctx) {
    let Some(list) = with_session(ctx, |s, k| {
        s.leave_candidate();
        s.candidates_today(k)
    }) else {
        return;
    };
    match list {
        Ok(list) => {
            let items: Vec<_> = list.iter().map(|c| item(ctx, c)).collect();
            if let Some(window) = ctx.window.upgrade() {
                let b = window.global::<BoothAdapter>();
                b.set_candidates(ModelRc::new(VecModel::from(items)));
                window.global::<AppState>().set_page(Page::BoothList);
            }
        }
        Err(e) => eprintln!("listing the booth's candidates failed: {e}"),
    }
}

pub(crate) fn open(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    clear(ctx, &window);
    set_device(ctx);
    let booths = ctx.kiosk.borrow().booths().unwrap_or_default();
    let en = ctx.lang_en();
    let items: Vec<BoothItem> = booths
        .iter()
        .map(|b| BoothItem {
            id: b.id as i32,
            employer: pick(en, &b.employer_name, b.employer_name_en.as_ref()).into(),
        })
        .collect();
    window
        .global::<BoothAdapter>()
        .set_booths(ModelRc::new(VecModel::from(items)));
    window.global::<AppState>().set_page(Page::BoothLogin);
}

fn submit_pin(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoothAdapter>();
    let booth = i64::from(b.get_booth_id());
    let pin = b.get_pin();
    b.set_pin(Default::default());
    let opened = Session::open(&mut ctx.kiosk.borrow_mut(), booth, &pin);
    match opened {
        Ok(Ok(session)) => {
            *ctx.booth.borrow_mut() = Some(session);
            b.set_pin_state(PinState::Enter);
            b.set_scan_result(ScanResult::None);
            window.global::<AppState>().set_page(Page::BoothScan);
        }
        Ok(Err(PinCheck::Wrong { remaining })) => {
            b.set_remaining(remaining as i32);
            b.set_pin_state(PinState::Wrong);
        }
        Ok(Err(PinCheck::Locked { seconds_left })) => {
            b.set_locked_minutes(((seconds_left + 59) / 60) as i32);
            b.set_pin_state(PinState::Locked);
        }
        Ok(Err(_)) => b.set_pin_state(PinState::Wrong),
        Err(e) => eprintln!("checking the booth PIN failed: {e}"),
    }
}

fn set_stage(ctx: &Ctx, opening: i32, stage: BoothStage) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let b = window.global::<BoothAdapter>();
    let (Ok(opening), Some(stage), Ok(reg)) = (
        u16::try_from(opening),
        domain_stage(stage),
        Uuid::parse_str(&b.get_candidate().registration),
    ) else {
        return;
    };
    let note = b.get_note().to_string();
    let Some(done) = with_session(ctx, |s, k| s.record_stage(k, reg, opening, stage, &note)) else {
        return;
    };
    match done {
        Ok(c) => {
            b.set_note(Default::default());
            show_candidate(ctx, &c);
            // After an offer (or a hire): the seat offer, where there is one.
            if matches!(stage, Stage::Offered | Stage::Hired) {
                super::booth_ride::show(ctx, true);
            }
            super::staff_export::refresh_pending(ctx);
        }
        Err(Error::NoteTooLong { .. }) => b.set_error(BoothError::NoteTooLong),
        Err(e) => {
            eprintln!("recording the stage failed: {e}");
            b.set_error(BoothError::SaveFailed);
        }
    }
}

/// Shows the candidate on screen again (a language switch).
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let page = window.global::<AppState>().get_page();
    if page == Page::BoothCandidate
        && let Some(Ok(c)) = with_session(ctx, |s, k| {
            s.candidate()
                .map(|reg| k.booth_candidate(s.booth().id, reg))
        })
        .flatten()
    {
        let it = item(ctx, &c);
        window.global::<BoothAdapter>().set_candidate(it);
        let offer = window.global::<BoothAdapter>().get_ride_offer();
        super::booth_ride::show(ctx, offer);
    }
    if page == Page::BoothList {
        show_list(ctx);
    }
    if let Some(info) = ctx.booth.borrow().as_ref().map(|s| s.booth().clone()) {
        let en = ctx.lang_en();
        window
            .global::<BoothAdapter>()
            .set_employer(pick(en, &info.employer_name, info.employer_name_en.as_ref()).into());
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    set_device(ctx);
    let b = window.global::<BoothAdapter>();
    let c = ctx.clone();
    b.on_open(move || open(&c));
    let c = ctx.clone();
    b.on_choose(move |id| {
        if let Some(window) = c.window.upgrade() {
            let b = window.global::<BoothAdapter>();
            let booths = c.kiosk.borrow().booths().unwrap_or_default();
            if let Some(info) = booths.iter().find(|x| x.id == i64::from(id)) {
                let en = c.lang_en();
                b.set_employer(
                    pick(en, &info.employer_name, info.employer_name_en.as_ref()).into(),
                );
                b.set_booth_id(id);
                b.set_pin_state(PinState::Enter);
            }
        }
    });
    let c = ctx.clone();
    b.on_submit_pin(move || submit_pin(&c));
    let c = ctx.clone();
    b.on_cancel(move || super::reset(&c));
    let c = ctx.clone();
    b.on_logout(move || super::reset(&c));
    let c = ctx.clone();
    b.on_submit_code(move || {
        let Some(window) = c.window.upgrade() else {
            return;
        };
        let code = window.global::<BoothAdapter>().get_code();
        window.global::<BoothAdapter>().set_code(Default::default());
        if let Some(outcome) = with_session(&c, |s, k| s.scan_short_code(k, &code)) {
            show_outcome(&c, outcome);
        }
    });
    let c = ctx.clone();
    b.on_set_stage(move |opening, stage| set_stage(&c, opening, stage));
    let c = ctx.clone();
    b.on_show_list(move || show_list(&c));
    let c = ctx.clone();
    b.on_open_candidate(move |reg| {
        let Ok(reg) = Uuid::parse_str(&reg) else {
            return;
        };
        match with_session(&c, |s, k| s.open_candidate(k, reg)) {
            Some(Ok(cand)) => {
                if let Some(window) = c.window.upgrade() {
                    window.global::<BoothAdapter>().set_note(Default::default());
                }
                show_candidate(&c, &cand);
            }
            Some(Err(e)) => eprintln!("reading the candidate failed: {e}"),
            None => {}
        }
    });
    let c = ctx.clone();
    b.on_back_to_scan(move || {
        with_session(&c, |s, _| s.leave_candidate());
        if let Some(window) = c.window.upgrade() {
            let b = window.global::<BoothAdapter>();
            b.set_scan_result(ScanResult::None);
            super::booth_ride::clear(&b);
        }
        to_page(&c, Page::BoothScan);
    });
}
