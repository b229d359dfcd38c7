//! The unlock page (issue 17): after every start the kiosk registers nobody until a staff
//! member types the staff passphrase, which unlocks the key that finds earlier sign-ups.
//! A kiosk without a keyring asks the staff to choose the passphrase (twice) instead.
//! Booth-only and boarding devices look nothing up and never show it.

use super::{
    AppState, AppWindow, Ctx, KeyboardAdapter, KeyboardLayout, LockAdapter, LockMessage, Page,
};
use crate::app::{Error as AppError, Kiosk, LockState};
use crate::seal::{Error as SealError, MIN_PASSPHRASE_CHARS};
use slint::{ComponentHandle, SharedString};
use std::rc::Rc;
use std::time::Duration;
use zeroize::Zeroize;

/// Whether this kiosk must be unlocked before it registers anyone.
pub(crate) fn needs_unlock(kiosk: &Kiosk) -> bool {
    !kiosk.is_booth_only()
        && !kiosk.is_boarding_device()
        && kiosk.lock_state() != LockState::Unlocked
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let l = window.global::<LockAdapter>();
    {
        let ctx = ctx.clone();
        l.on_submit(move || submit(&ctx));
    }
    {
        let ctx = ctx.clone();
        l.on_booth(move || super::booth_adapter::open(&ctx));
    }
    refresh(ctx, &window);
}

/// The page's mode: choose a passphrase (no keyring yet) or type it.
fn refresh(ctx: &Ctx, window: &AppWindow) {
    let first = ctx.kiosk.borrow().lock_state() == LockState::NoPassphrase;
    window.global::<LockAdapter>().set_first_time(first);
}

/// Forgets what was typed (the idle reset, a finished unlock).
pub(crate) fn clear(ctx: &Ctx, window: &AppWindow) {
    let l = window.global::<LockAdapter>();
    l.set_passphrase(SharedString::default());
    l.set_repeat(SharedString::default());
    l.set_field(0);
    l.set_show_text(false);
    l.set_message(LockMessage::None);
    l.set_detail(SharedString::default());
    refresh(ctx, window);
}

fn submit(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let l = window.global::<LockAdapter>();
    if l.get_message() == LockMessage::Busy {
        return;
    }
    let first = l.get_first_time();
    let passphrase = l.get_passphrase().to_string();
    if first {
        if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
            l.set_message(LockMessage::TooShort);
            l.set_field(0);
            return;
        }
        if l.get_repeat().as_str() != passphrase {
            l.set_message(LockMessage::Differ);
            l.set_repeat(SharedString::default());
            l.set_field(1);
            return;
        }
    } else if passphrase.is_empty() {
        l.set_message(LockMessage::Wrong);
        return;
    }
    // The key derivation takes about half a second on this thread: "Unlocking…" first.
    l.set_message(LockMessage::Busy);
    let ctx = ctx.clone();
    slint::Timer::single_shot(Duration::from_millis(30), move || {
        finish(&ctx, passphrase, first)
    });
}

fn finish(ctx: &Rc<Ctx>, mut passphrase: String, first: bool) {
    let result = {
        let mut kiosk = ctx.kiosk.borrow_mut();
        if first {
            kiosk.create_passphrase(&passphrase)
        } else {
            kiosk.unlock(&passphrase)
        }
    };
    passphrase.zeroize();
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let l = window.global::<LockAdapter>();
    match result {
        Ok(done) => {
            if done.sealed_signups + done.resealed_signups + done.sealed_records > 0 {
                eprintln!(
                    "jobfair-kiosk: sealed at rest: {} sign-ups, {} sealed again for the base, {} outbox records",
                    done.sealed_signups, done.resealed_signups, done.sealed_records
                );
            }
            clear(ctx, &window);
            super::phone_adapter::resume(ctx);
            super::staff_export::show_upload_status(ctx, &window);
            super::reset(ctx);
        }
        Err(AppError::Seal(SealError::WrongPassphrase)) => {
            l.set_passphrase(SharedString::default());
            l.set_message(LockMessage::Wrong);
        }
        Err(AppError::Seal(SealError::PassphraseTooShort)) => {
            l.set_message(LockMessage::TooShort);
        }
        Err(e) => {
            eprintln!("jobfair-kiosk: unlock: {e}");
            l.set_detail(e.to_string().into());
            l.set_message(LockMessage::Failed);
        }
    }
}

/// The page the kiosk rests on: home, or the unlock page while locked.
pub(crate) fn resting_page(ctx: &Ctx) -> Page {
    if needs_unlock(&ctx.kiosk.borrow()) {
        Page::Unlock
    } else {
        Page::Home
    }
}

/// Shows the unlock page at start when the kiosk is locked.
pub(crate) fn show_at_start(ctx: &Ctx, window: &AppWindow) {
    if needs_unlock(&ctx.kiosk.borrow()) {
        window.global::<AppState>().set_page(Page::Unlock);
        prepare_keyboard(window);
    }
}

/// The keyboard of the unlock page: plain text (no name ranking), letters and digits.
pub(crate) fn prepare_keyboard(window: &AppWindow) {
    let k = window.global::<KeyboardAdapter>();
    // The layout first: `begin` builds the pinyin engine ahead only for the pinyin layout.
    k.set_layout(KeyboardLayout::English);
    k.invoke_begin(false);
}
