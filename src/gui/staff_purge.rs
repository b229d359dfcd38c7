//! "清除本场数据" on the staff panel (issue 17): the dialog shows how many sign-ups of the
//! current fair go and how many records the base has not confirmed (lost unless uploaded
//! first, and only with their own tick); "Continue" then asks the staff PIN. The purge itself is
//! `Kiosk::purge_current_fair`, which re-checks the PIN and refuses when more records are
//! unconfirmed than the dialog showed (a phone sign-up meanwhile). Audited there.

use super::{Ctx, PurgeState, StaffDialog, StaffPanel};
use crate::app::{Error, PinCheck};
use slint::{ComponentHandle, SharedString};
use std::rc::Rc;

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    {
        let ctx = ctx.clone();
        p.on_open_purge(move || open(&ctx));
    }
    let ctx = ctx.clone();
    p.on_start_purge(move || start(&ctx));
}

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Fresh counts, an empty PIN, no tick: the dialog as staff first see it.
fn open(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    p.set_purge_pin(SharedString::default());
    p.set_purge_accept_loss(false);
    p.set_purge_pin_stage(false);
    p.set_purge_state(PurgeState::Ask);
    show_counts(ctx, &p);
    p.set_dialog(StaffDialog::Purge);
}

fn show_counts(ctx: &Ctx, p: &StaffPanel<'_>) {
    let kiosk = ctx.kiosk.borrow();
    match (kiosk.registration_count(), kiosk.unconfirmed_records()) {
        (Ok(people), Ok(unconfirmed)) => {
            p.set_purge_people(int(people));
            p.set_purge_unconfirmed(int(unconfirmed));
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("clearing the fair's data: counting failed: {e}");
            p.set_purge_state(PurgeState::Failed);
        }
    }
}

fn start(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let pin = p.get_purge_pin();
    p.set_purge_pin(SharedString::default());
    // The loss the staff were shown and ticked; nothing at all without the tick.
    let accepted = if p.get_purge_accept_loss() {
        u64::try_from(p.get_purge_unconfirmed()).unwrap_or(0)
    } else {
        0
    };
    let outcome = ctx
        .kiosk
        .borrow_mut()
        .purge_current_fair(&pin, "staff", accepted);
    match outcome {
        Ok(purged) => {
            p.set_purged_people(int(purged.registrations));
            p.set_purge_state(PurgeState::Done);
            super::staff_panel::refresh(ctx);
        }
        Err(Error::StaffPin(PinCheck::Wrong { remaining })) => {
            p.set_purge_remaining(int(u64::from(remaining)));
            p.set_purge_state(PurgeState::WrongPin);
        }
        Err(Error::StaffPin(PinCheck::Locked { seconds_left })) => {
            let minutes = (seconds_left.max(0) + 59) / 60;
            p.set_purge_locked_minutes(i32::try_from(minutes).unwrap_or(i32::MAX));
            p.set_purge_state(PurgeState::Locked);
        }
        Err(Error::StaffPin(_)) => p.set_purge_state(PurgeState::NoPin),
        Err(Error::MoreUnconfirmed { .. }) => {
            // Back to the warning, with the new counts: the tick must be given again.
            p.set_purge_accept_loss(false);
            p.set_purge_pin_stage(false);
            show_counts(ctx, &p);
            p.set_purge_state(PurgeState::MoreUnconfirmed);
        }
        Err(e) => {
            // The counts again: a purge whose scrub failed after its commit did clear.
            eprintln!("clearing the fair's data failed: {e}");
            show_counts(ctx, &p);
            p.set_purge_state(PurgeState::Failed);
            super::staff_panel::refresh(ctx);
        }
    }
}
