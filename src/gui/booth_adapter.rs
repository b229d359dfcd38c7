//! Booth mode: the booth list and PIN pad, the scan page, the candidate's card with a stage
//! per opening, and today's candidates. The logged-in booth lives in this thread (Slint
//! objects are per thread) and is forgotten by [`clear`] (home, idle reset, log out).

use super::openings_adapter::pick;
use super::{AppState, BoothAdapter, BoothItem, CandidateItem, Ctx, Page, StageSlot};
use crate::app::PinCheck;
use crate::app::booth::{Candidate, ScanOutcome};
use crate::domain::sex::Sex;
use crate::domain::stage::Stage;
use chrono::Local;
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::Cell;
use std::rc::Rc;
use uuid::Uuid;

thread_local! {
    /// The booth whose PIN was accepted.
    static SESSION: Cell<Option<i64>> = const { Cell::new(None) };
    /// The candidate on the card page.
    static CURRENT: Cell<Option<Uuid>> = const { Cell::new(None) };
}

/// The logged-in booth, if any.
pub(crate) fn session() -> Option<i64> {
    SESSION.with(Cell::get)
}

/// Logs the booth out and wipes its data from the screen.
pub(crate) fn clear(window: &super::AppWindow) {
    SESSION.with(|s| s.set(None));
    CURRENT.with(|c| c.set(None));
    let b = window.global::<BoothAdapter>();
    b.set_booth_id(-1);
    b.set_pin(Default::default());
    b.set_pin_state(0);
    b.set_code(Default::default());
    b.set_scan_result(0);
    b.set_note(Default::default());
    b.set_candidate(CandidateItem::default());
    b.set_candidates(ModelRc::default());
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

fn item(ctx: &Ctx, c: &Candidate) -> CandidateItem {
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let stages: Vec<StageSlot> = c
        .openings
        .iter()
        .map(|o| StageSlot {
            opening_id: i32::from(o.opening_id),
            title: fair
                .opening(o.opening_id)
                .map(|op| pick(en, &op.title, op.title_en.as_ref()).to_string())
                .unwrap_or_else(|| o.opening_id.to_string())
                .into(),
            stage: o.stage.map_or(-1, |s| s.index() as i32),
            note: o.note.as_str().into(),
        })
        .collect();
    CandidateItem {
        registration: c.registration_id.to_string().into(),
        name: c.card.name.as_str().into(),
        age: c.age.map_or(-1, i32::from),
        sex: match c.card.sex {
            None => 0,
            Some(Sex::Male) => 1,
            Some(Sex::Female) => 2,
        },
        township: c.card.township.as_str().into(),
        phone: c.card.phone.clone().unwrap_or_default().into(),
        seen: c
            .last_seen_at
            .with_timezone(&Local)
            .format("%H:%M")
            .to_string()
            .into(),
        stages: ModelRc::new(VecModel::from(stages)),
    }
}

fn show_candidate(ctx: &Ctx, c: &Candidate) {
    CURRENT.with(|cur| cur.set(Some(c.registration_id)));
    let it = item(ctx, c);
    if let Some(window) = ctx.window.upgrade() {
        let b = window.global::<BoothAdapter>();
        b.set_candidate(it);
        b.set_scan_result(0);
        b.set_note(Default::default());
        window.global::<AppState>().set_page(Page::BoothCandidate);
    }
}

/// A scan or typed code at the logged-in booth: the card, or a banner on the scan page.
pub(crate) fn show_outcome(ctx: &Ctx, outcome: crate::app::Result<ScanOutcome>) {
    let result = match outcome {
        Ok(ScanOutcome::Candidate(c)) => return show_candidate(ctx, &c),
        Ok(ScanOutcome::Invalid) => 1,
        Ok(ScanOutcome::OtherFair) => 2,
        Ok(ScanOutcome::NotShared) => 3,
        Ok(ScanOutcome::UnknownCode) => 4,
        Ok(ScanOutcome::Superseded) => 5,
        Err(e) => {
            eprintln!("booth scan failed: {e}");
            1
        }
    };
    if let Some(window) = ctx.window.upgrade() {
        window.global::<BoothAdapter>().set_scan_result(result);
        window.global::<AppState>().set_page(Page::BoothScan);
    }
}

/// A scanned ticket text at the logged-in booth (called by the scan dispatcher).
pub(crate) fn scan(ctx: &Ctx, text: &str) {
    let Some(booth) = session() else { return };
    let outcome = ctx.kiosk.borrow_mut().booth_scan(booth, text);
    show_outcome(ctx, outcome);
}

fn show_list(ctx: &Ctx) {
    let Some(booth) = session() else { return };
    let list = ctx.kiosk.borrow().booth_candidates_today(booth);
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

fn open(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    clear(&window);
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
    let check = ctx.kiosk.borrow_mut().booth_login(booth, &pin);
    match check {
        Ok(PinCheck::Ok) => {
            SESSION.with(|s| s.set(Some(booth)));
            b.set_pin_state(0);
            b.set_scan_result(0);
            window.global::<AppState>().set_page(Page::BoothScan);
        }
        Ok(PinCheck::Wrong { remaining }) => {
            b.set_remaining(remaining as i32);
            b.set_pin_state(1);
        }
        Ok(PinCheck::Locked { seconds_left }) => {
            b.set_locked_minutes(((seconds_left + 59) / 60) as i32);
            b.set_pin_state(2);
        }
        Ok(PinCheck::NotSet) => b.set_pin_state(1),
        Err(e) => eprintln!("checking the booth PIN failed: {e}"),
    }
}

fn set_stage(ctx: &Ctx, opening: i32, stage: i32) {
    let (Some(booth), Some(reg)) = (session(), CURRENT.with(Cell::get)) else {
        return;
    };
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let (Ok(opening), Some(&stage)) = (
        u16::try_from(opening),
        usize::try_from(stage).ok().and_then(|i| Stage::ALL.get(i)),
    ) else {
        return;
    };
    let note = window.global::<BoothAdapter>().get_note();
    let done = ctx
        .kiosk
        .borrow_mut()
        .record_stage(booth, reg, opening, stage, &note);
    if let Err(e) = done {
        eprintln!("recording the stage failed: {e}");
        return;
    }
    let candidate = ctx.kiosk.borrow().booth_candidate(booth, reg);
    match candidate {
        Ok(c) => show_candidate(ctx, &c),
        Err(e) => eprintln!("reading the candidate failed: {e}"),
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
                b.set_pin_state(0);
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
        let Some(booth) = session() else { return };
        let Some(window) = c.window.upgrade() else {
            return;
        };
        let code = window.global::<BoothAdapter>().get_code();
        window.global::<BoothAdapter>().set_code(Default::default());
        let outcome = c.kiosk.borrow_mut().booth_scan_short_code(booth, &code);
        show_outcome(&c, outcome);
    });
    let c = ctx.clone();
    b.on_set_stage(move |opening, stage| set_stage(&c, opening, stage));
    let c = ctx.clone();
    b.on_show_list(move || show_list(&c));
    let c = ctx.clone();
    b.on_open_candidate(move |reg| {
        let (Some(booth), Ok(reg)) = (session(), Uuid::parse_str(&reg)) else {
            return;
        };
        let candidate = c.kiosk.borrow().booth_candidate(booth, reg);
        match candidate {
            Ok(cand) => show_candidate(&c, &cand),
            Err(e) => eprintln!("reading the candidate failed: {e}"),
        }
    });
    let c = ctx.clone();
    b.on_back_to_scan(move || {
        if let Some(window) = c.window.upgrade() {
            window.global::<BoothAdapter>().set_scan_result(0);
        }
        to_page(&c, Page::BoothScan);
    });
}
