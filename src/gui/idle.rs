//! Idle reset: no touch for `idle_seconds` anywhere → home, form cleared, default language.
//!
//! Every touch target of the UI calls `AppState.poke()`, which restarts a single-shot
//! Slint timer (Slint timers follow the testing backend's mocked clock in UI tests).

use super::{AppState, Ctx, Page};
use slint::{ComponentHandle, Timer, TimerMode};
use std::rc::Rc;
use std::time::Duration;

/// Starts the idle timer; the caller keeps the returned handle alive.
pub(crate) fn setup(ctx: &Rc<Ctx>, idle_seconds: u32) -> Rc<Timer> {
    let timer = Rc::new(Timer::default());
    let period = Duration::from_secs(u64::from(idle_seconds.max(5)));
    let fire_ctx = ctx.clone();
    timer.start(TimerMode::SingleShot, period, move || {
        let on_home = fire_ctx
            .window
            .upgrade()
            .is_some_and(|w| w.global::<AppState>().get_page() == Page::Home);
        if !on_home {
            super::reset(&fire_ctx);
        }
        // The next person at the kiosk starts in the default language.
        super::set_language(&fire_ctx, &fire_ctx.default_lang);
    });
    if let Some(window) = ctx.window.upgrade() {
        let weak = Rc::downgrade(&timer);
        window.global::<AppState>().on_poke(move || {
            if let Some(t) = weak.upgrade() {
                t.restart();
            }
        });
    }
    timer
}
