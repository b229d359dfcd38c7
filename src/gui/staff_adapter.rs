//! The staff PIN pad and the staff page. Closing the kiosk program (the staff page's
//! button, or closing the window in kiosk mode) asks for confirmation and the PIN on the
//! same pad. The PIN hash is read at check time (`app::pin`), so a PIN set from the
//! command line while the kiosk runs counts at once.

use super::{AppState, Ctx, Page, PinState, StaffAdapter};
use crate::app::PinCheck;
use slint::{CloseRequestResponse, ComponentHandle};
use std::cell::Cell;
use std::rc::Rc;

pub(crate) fn clear(window: &super::AppWindow) {
    let s = window.global::<StaffAdapter>();
    s.set_pin(Default::default());
    s.set_pin_state(PinState::Enter);
    s.set_exit_intent(false);
}

/// Where the pad returns on Cancel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum From {
    Kiosk,
    StaffPage,
}

pub(crate) fn connect(ctx: &Rc<Ctx>, kiosk_mode: bool) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let from = Rc::new(Cell::new(From::Kiosk));
    {
        let (ctx, from) = (ctx.clone(), from.clone());
        window.global::<AppState>().on_open_staff(move || {
            from.set(From::Kiosk);
            open_pad(&ctx, false);
        });
    }
    if kiosk_mode {
        let (ctx, from) = (ctx.clone(), from.clone());
        window.window().on_close_requested(move || {
            from.set(From::Kiosk);
            open_pad(&ctx, true);
            CloseRequestResponse::KeepWindowShown
        });
    }
    let s = window.global::<StaffAdapter>();
    {
        let (ctx, from) = (ctx.clone(), from.clone());
        s.on_request_exit(move || {
            from.set(From::StaffPage);
            open_pad(&ctx, true);
        });
    }
    {
        let (ctx, from) = (ctx.clone(), from.clone());
        s.on_cancel_pin(move || match from.get() {
            From::StaffPage => {
                if let Some(w) = ctx.window.upgrade() {
                    clear(&w);
                    w.global::<AppState>().set_page(Page::Staff);
                }
            }
            From::Kiosk => super::reset(&ctx),
        });
    }
    let ctx = ctx.clone();
    s.on_submit_pin(move || {
        let Some(window) = ctx.window.upgrade() else {
            return;
        };
        let s = window.global::<StaffAdapter>();
        let pin = s.get_pin();
        s.set_pin(Default::default());
        let outcome = ctx.kiosk.borrow_mut().verify_staff_pin(&pin);
        match outcome {
            Ok(PinCheck::Ok) if s.get_exit_intent() => {
                let _ = slint::quit_event_loop();
            }
            Ok(PinCheck::Ok) => {
                s.set_pin_state(PinState::Enter);
                let count = ctx.kiosk.borrow().registration_count().unwrap_or(0);
                s.set_registrations(i32::try_from(count).unwrap_or(i32::MAX));
                super::staff_panel::refresh(&ctx);
                window.global::<AppState>().set_page(Page::Staff);
            }
            Ok(PinCheck::Wrong { remaining }) => {
                s.set_remaining(remaining as i32);
                s.set_pin_state(PinState::Wrong);
            }
            Ok(PinCheck::Locked { seconds_left }) => {
                s.set_locked_minutes(((seconds_left + 59) / 60) as i32);
                s.set_pin_state(PinState::Locked);
            }
            Ok(PinCheck::NotSet) => s.set_pin_state(PinState::NotSet),
            Err(e) => eprintln!("checking the staff PIN failed: {e}"),
        }
    });
}

fn open_pad(ctx: &Ctx, exit: bool) {
    if let Some(window) = ctx.window.upgrade() {
        clear(&window);
        window.global::<StaffAdapter>().set_exit_intent(exit);
        window.global::<AppState>().set_page(Page::Pin);
    }
}
