//! Idle reset: no touch for `idle_seconds` anywhere → home, form cleared, default language.
//!
//! Every touch target of the UI calls `AppState.poke()`, which restarts a single-shot
//! Slint timer (Slint timers follow the testing backend's mocked clock in UI tests).

use super::{AppState, Ctx, Page};
use slint::{ComponentHandle, Timer, TimerMode};
use std::rc::Rc;
use std::time::Duration;

/// A recruiter's booth pages log out after this long without a touch or a scan
/// (the villagers' pages use `idle_seconds`).
pub const BOOTH_IDLE: Duration = Duration::from_secs(10 * 60);

fn is_booth_page(page: Page) -> bool {
    matches!(
        page,
        Page::BoothLogin | Page::BoothScan | Page::BoothCandidate | Page::BoothList
    )
}

/// Starts the idle timer; the caller keeps the returned handle alive.
pub(crate) fn setup(ctx: &Rc<Ctx>, idle_seconds: u32) -> Rc<Timer> {
    let timer = Rc::new(Timer::default());
    let period = Duration::from_secs(u64::from(idle_seconds.max(5)));
    let fire_ctx = ctx.clone();
    // On booth pages the first idle period only arms this longer one (a poke stops it).
    let booth_timer = Rc::new(Timer::default());
    let fire_booth_timer = booth_timer.clone();
    timer.start(TimerMode::SingleShot, period, move || {
        let page = fire_ctx
            .window
            .upgrade()
            .map(|w| w.global::<AppState>().get_page());
        if page.is_some_and(is_booth_page) {
            let ctx = fire_ctx.clone();
            fire_booth_timer.start(
                TimerMode::SingleShot,
                BOOTH_IDLE.saturating_sub(period),
                move || {
                    let still_booth = ctx
                        .window
                        .upgrade()
                        .is_some_and(|w| is_booth_page(w.global::<AppState>().get_page()));
                    if still_booth {
                        super::reset(&ctx);
                        super::set_language(&ctx, &ctx.default_lang);
                    }
                },
            );
            return;
        }
        let on_home = page == Some(Page::Home);
        if !on_home {
            super::reset(&fire_ctx);
        }
        // The next person at the kiosk starts in the default language.
        super::set_language(&fire_ctx, &fire_ctx.default_lang);
    });
    if let Some(window) = ctx.window.upgrade() {
        let weak = Rc::downgrade(&timer);
        window.global::<AppState>().on_poke(move || {
            booth_timer.stop();
            if let Some(t) = weak.upgrade() {
                t.restart();
            }
        });
    }
    timer
}
