//! Scanner input for the whole window: the pages that accept scans (home, booth scan) hold
//! a FocusScope that sends every key here with the Slint clock (mocked in UI tests); a
//! [`ScanBuffer`] turns the keys into scans, and [`dispatch`] sends each scan where it
//! belongs by its prefix and the page shown.

use super::{
    AppState, CheckIn as CheckInBanner, Ctx, Page, ScanAdapter, booth_adapter, register_steps,
};
use crate::app::check_in::CheckIn;
use crate::domain::lists::ticket::parse_qr;
use crate::domain::scanner::{Scan, ScanBuffer};
use chrono::Local;
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// How long the home screen's check-in banner stays.
const BANNER_SECONDS: u64 = 8;

thread_local! {
    static BUFFER: RefCell<ScanBuffer> = RefCell::new(ScanBuffer::new());
    static BANNER: Timer = Timer::default();
}

/// What a scan is, by its prefix.
enum Scanned<'a> {
    /// A registration ticket, `JK2…` or `JK1…` (see `domain::ticket`).
    Ticket(&'a str),
    /// Anything else: shown as an invalid ticket where scans are expected.
    Other(&'a str),
}

fn classify(text: &str) -> Scanned<'_> {
    let t = text.trim();
    let head = t.get(..3).map(str::to_ascii_uppercase);
    match head.as_deref() {
        // `JK` and a format digit; a newer format is refused as such by the booth.
        Some(h) if h.starts_with("JK") && h.as_bytes()[2].is_ascii_digit() => Scanned::Ticket(t),
        _ => Scanned::Other(t),
    }
}

fn page(ctx: &Ctx) -> Option<Page> {
    ctx.window
        .upgrade()
        .map(|w| w.global::<AppState>().get_page())
}

/// Sends a completed scan to the page shown.
pub(crate) fn dispatch(ctx: &Ctx, scan: &Scan) {
    let Some(page) = page(ctx) else { return };
    // On the home screen only a scanner's burst counts, never slow typing.
    if page == Page::Home && !scan.burst {
        return;
    }
    match (classify(&scan.text), page) {
        (Scanned::Ticket(t), Page::Home) => check_in(ctx, t),
        (Scanned::Ticket(t), Page::BoothScan) => booth_adapter::scan(ctx, t),
        // Pre-printed list tickets ("JKL1:…", see `domain::lists::ticket`).
        (Scanned::Other(t), Page::Home) if parse_qr(t).is_some() => {
            register_steps::scanned_list_ticket(ctx, t);
        }
        (Scanned::Other(_), Page::Home) => show_check_in(ctx, CheckInBanner::Invalid, "", ""),
        (Scanned::Other(t), Page::BoothScan) => booth_adapter::scan(ctx, t),
        // An ID-card reader that types the number (18 characters, then Enter).
        (Scanned::Other(t), Page::ResidentId | Page::ListLookup) if scan.burst => {
            register_steps::scanned_on_register_page(ctx, t);
        }
        _ => {}
    }
}

fn check_in(ctx: &Ctx, ticket: &str) {
    let outcome = ctx.kiosk.borrow_mut().check_in(ticket);
    super::staff_export::refresh_pending(ctx);
    let hhmm =
        |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&Local).format("%H:%M").to_string();
    match outcome {
        Ok(CheckIn::Done { name, at }) => show_check_in(ctx, CheckInBanner::Done, &name, &hhmm(at)),
        Ok(CheckIn::AlreadyCheckedIn { name, at }) => {
            show_check_in(ctx, CheckInBanner::Already, &name, &hhmm(at))
        }
        Ok(CheckIn::Invalid) => show_check_in(ctx, CheckInBanner::Invalid, "", ""),
        Ok(CheckIn::OtherFair) => show_check_in(ctx, CheckInBanner::OtherFair, "", ""),
        Ok(CheckIn::Superseded) => show_check_in(ctx, CheckInBanner::Superseded, "", ""),
        Err(e) => {
            eprintln!("check-in failed: {e}");
            show_check_in(ctx, CheckInBanner::Invalid, "", "");
        }
    }
}

/// Shows the home screen's banner for a few seconds.
fn show_check_in(ctx: &Ctx, state: CheckInBanner, name: &str, time: &str) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let s = window.global::<ScanAdapter>();
    s.set_check_in(state);
    s.set_check_in_name(name.into());
    s.set_check_in_time(time.into());
    let weak = ctx.window.clone();
    BANNER.with(|t| {
        t.start(
            TimerMode::SingleShot,
            Duration::from_secs(BANNER_SECONDS),
            move || {
                if let Some(w) = weak.upgrade() {
                    w.global::<ScanAdapter>().set_check_in(CheckInBanner::None);
                }
            },
        );
    });
}

/// Forgets half-typed input and the banner (home, idle reset).
pub(crate) fn clear(window: &super::AppWindow) {
    BUFFER.with(|b| b.borrow_mut().clear());
    let s = window.global::<ScanAdapter>();
    s.set_pending(false);
    s.set_check_in(CheckInBanner::None);
}

fn after(ctx: &Ctx, scan: Option<Scan>) {
    let pending = BUFFER.with(|b| b.borrow().is_pending());
    if let Some(window) = ctx.window.upgrade() {
        window.global::<ScanAdapter>().set_pending(pending);
    }
    if let Some(scan) = scan {
        dispatch(ctx, &scan);
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let s = window.global::<ScanAdapter>();
    let c = ctx.clone();
    s.on_key(move |text, ms| {
        let keep_slow = page(&c) == Some(Page::BoothScan);
        // A scan is activity: it keeps a busy booth from the idle reset.
        if let Some(w) = c.window.upgrade() {
            w.global::<AppState>().invoke_poke();
        }
        let now = u64::try_from(ms).unwrap_or(0);
        for ch in text.chars() {
            let scan = BUFFER.with(|b| {
                let mut b = b.borrow_mut();
                b.set_keep_slow(keep_slow);
                b.push(ch, now)
            });
            after(&c, scan);
        }
    });
    let c = ctx.clone();
    s.on_poll(move |ms| {
        let now = u64::try_from(ms).unwrap_or(0);
        let scan = BUFFER.with(|b| b.borrow_mut().poll(now));
        after(&c, scan);
    });
}
