//! Idle reset: no touch for a while → a "还在吗？ / Still there?" countdown, then home, form
//! cleared, default language. The decision is `app::idle`'s; this is the timer.
//!
//! Every touch target of the UI calls `AppState.poke()`, which notes the time and hides the
//! countdown. The time is Slint's animation clock (`AppState.clock-seconds()`), which follows
//! the testing backend's mocked clock in UI tests, as the single-shot timer does.

use super::{AppState, Ctx, Page};
use crate::app::idle::{IdlePolicy, IdleState, Screen};
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

fn screen(page: Page) -> Screen {
    match page {
        Page::Home => Screen::Home,
        Page::BoothLogin
        | Page::BoothScan
        | Page::BoothCandidate
        | Page::BoothList
        | Page::Boarding => Screen::Booth,
        _ => Screen::Villager,
    }
}

/// The idle timer and the time of the last touch.
pub(crate) struct Idle {
    ctx: Rc<Ctx>,
    policy: IdlePolicy,
    timer: Timer,
    last_touch: Cell<f64>,
}

fn clock(ctx: &Ctx) -> f64 {
    ctx.window.upgrade().map_or(0.0, |w| {
        f64::from(w.global::<AppState>().invoke_clock_seconds())
    })
}

impl Idle {
    /// A touch: the countdown goes away and the idle time starts again.
    fn poke(self: &Rc<Self>) {
        self.last_touch.set(clock(&self.ctx));
        if let Some(w) = self.ctx.window.upgrade() {
            w.global::<AppState>().set_idle_warning(false);
        }
        self.check_after(Duration::ZERO);
    }

    fn check_after(self: &Rc<Self>, after: Duration) {
        let me = Rc::downgrade(self);
        self.timer.start(TimerMode::SingleShot, after, move || {
            if let Some(me) = me.upgrade() {
                me.check();
            }
        });
    }

    fn check(self: &Rc<Self>) {
        let Some(window) = self.ctx.window.upgrade() else {
            return;
        };
        let app = window.global::<AppState>();
        let idle_for = Duration::from_secs_f64((clock(&self.ctx) - self.last_touch.get()).max(0.0));
        let screen = screen(app.get_page());
        match self.policy.state(screen, idle_for) {
            IdleState::Active { check_in } => {
                app.set_idle_warning(false);
                self.check_after(check_in);
            }
            IdleState::Warning { left } => {
                app.set_idle_seconds_left(IdlePolicy::seconds_shown(left) as i32);
                app.set_idle_warning(true);
                self.check_after(left.min(Duration::from_secs(1)));
            }
            IdleState::Expired => {
                app.set_idle_warning(false);
                if screen != Screen::Home {
                    super::reset(&self.ctx);
                }
                // The next person at the kiosk starts in the default language.
                super::set_language(&self.ctx, &self.ctx.default_lang);
                self.last_touch.set(clock(&self.ctx));
                self.check_after(self.policy.limit(Screen::Villager));
            }
        }
    }
}

/// Starts the idle timer; the caller keeps the returned handle alive.
pub(crate) fn setup(ctx: &Rc<Ctx>, idle_seconds: u32) -> Rc<Idle> {
    let idle = Rc::new(Idle {
        ctx: ctx.clone(),
        policy: IdlePolicy::new(idle_seconds),
        timer: Timer::default(),
        last_touch: Cell::new(0.0),
    });
    if let Some(window) = ctx.window.upgrade() {
        let weak = Rc::downgrade(&idle);
        window.global::<AppState>().on_poke(move || {
            if let Some(idle) = weak.upgrade() {
                idle.poke();
            }
        });
    }
    idle.poke();
    idle
}
