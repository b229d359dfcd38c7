//! The staff PIN pad and the staff page; in kiosk mode, closing the window asks for the PIN.

use super::{AppState, Ctx, Page, PinState, StaffAdapter};
use crate::app::PinCheck;
use slint::{CloseRequestResponse, ComponentHandle};
use std::cell::Cell;
use std::rc::Rc;

pub(crate) fn clear(window: &super::AppWindow) {
    let s = window.global::<StaffAdapter>();
    s.set_pin(Default::default());
    s.set_pin_state(PinState::Enter);
}

pub(crate) fn connect(ctx: &Rc<Ctx>, kiosk_mode: bool) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    // True when the PIN pad was opened to leave the kiosk, not to see the staff page.
    let exit_intent = Rc::new(Cell::new(false));
    {
        let (ctx, exit_intent) = (ctx.clone(), exit_intent.clone());
        window.global::<AppState>().on_open_staff(move || {
            exit_intent.set(false);
            open_pad(&ctx);
        });
    }
    if kiosk_mode {
        let (ctx, exit_intent) = (ctx.clone(), exit_intent.clone());
        window.window().on_close_requested(move || {
            exit_intent.set(true);
            open_pad(&ctx);
            CloseRequestResponse::KeepWindowShown
        });
    }
    let s = window.global::<StaffAdapter>();
    {
        let ctx = ctx.clone();
        s.on_cancel_pin(move || super::reset(&ctx));
    }
    s.on_exit_app(|| {
        let _ = slint::quit_event_loop();
    });
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
            Ok(PinCheck::Ok) if exit_intent.get() => {
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

fn open_pad(ctx: &Ctx) {
    if let Some(window) = ctx.window.upgrade() {
        clear(&window);
        window.global::<AppState>().set_page(Page::Pin);
    }
}
