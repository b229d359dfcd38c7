//! The callbacks of the registration pages, each forwarded to the wizard.

use super::register_adapter::{apply, show, show_choices};
use super::{Ctx, ListsAdapter, PlaceField as UiPlaceField, RegisterAdapter};
use crate::app::wizard::Key;
use crate::domain::fair::Trade;
use crate::domain::registration::PlaceField;
use slint::{ComponentHandle, SharedString};
use std::rc::Rc;

fn on(ctx: &Rc<Ctx>, f: impl Fn(&Rc<Ctx>) + 'static) -> impl Fn() + 'static {
    let ctx = ctx.clone();
    move || f(&ctx)
}

fn on_str(ctx: &Rc<Ctx>, f: impl Fn(&Rc<Ctx>, &str) + 'static) -> impl Fn(SharedString) + 'static {
    let ctx = ctx.clone();
    move |s| f(&ctx, &s)
}

/// The key a keypad sent (its first character).
fn key_of(s: &str) -> Option<Key> {
    s.chars().next().map(Key::Char)
}

fn place_field(f: UiPlaceField) -> PlaceField {
    match f {
        UiPlaceField::County => PlaceField::County,
        UiPlaceField::Township => PlaceField::Township,
        UiPlaceField::Village => PlaceField::Village,
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<RegisterAdapter>();
    a.on_accept_consent(on(ctx, |ctx| {
        let Some(w) = ctx.window.upgrade() else {
            return;
        };
        let a = w.global::<RegisterAdapter>();
        let (id, share) = (a.get_consent_id(), a.get_consent_share_phone());
        apply(ctx, |w, k| w.accept_consent(k, id, share));
    }));
    a.on_phone_key(on_str(ctx, |ctx, s| {
        if let Some(key) = key_of(s) {
            apply(ctx, |w, k| w.key_phone(k, key));
        }
    }));
    a.on_phone_backspace(on(ctx, |ctx| {
        apply(ctx, |w, k| w.key_phone(k, Key::Backspace))
    }));
    a.on_submit_phone(on(ctx, |ctx| apply(ctx, |w, k| w.submit_phone(k))));
    a.on_id_key(on_str(ctx, |ctx, s| {
        if let Some(key) = key_of(s) {
            apply(ctx, |w, _| w.key_id(key));
        }
    }));
    a.on_id_backspace(on(ctx, |ctx| apply(ctx, |w, _| w.key_id(Key::Backspace))));
    a.on_submit_id(on(ctx, |ctx| apply(ctx, |w, _| w.submit_id())));
    a.on_confirm_id(on(ctx, |ctx| apply(ctx, |w, k| w.confirm_id(k))));
    a.on_edit_id(on(ctx, |ctx| apply(ctx, |w, _| w.edit_id())));
    a.on_skip_id(on(ctx, |ctx| apply(ctx, |w, _| w.skip_id())));
    a.on_name_edited(on_str(ctx, |ctx, text| {
        apply(ctx, |w, _| w.type_name(text))
    }));
    a.on_submit_name(on(ctx, |ctx| {
        let text = current(ctx, |a| a.get_name());
        apply(ctx, |w, _| {
            w.type_name(&text);
            w.submit_name()
        });
    }));
    {
        let ctx = ctx.clone();
        a.on_place_edited(move |field, text| {
            apply(&ctx, |w, _| w.type_place(place_field(field), &text));
        });
    }
    a.on_pick_county(on_str(ctx, |ctx, v| apply(ctx, |w, _| w.pick_county(v))));
    a.on_pick_township(on_str(ctx, |ctx, v| apply(ctx, |w, _| w.pick_township(v))));
    a.on_pick_village(on_str(ctx, |ctx, v| apply(ctx, |w, _| w.pick_village(v))));
    a.on_submit_place(on(ctx, |ctx| {
        let typed = current(ctx, |a| {
            [a.get_county(), a.get_township(), a.get_village()].map(|s| s.to_string())
        });
        apply(ctx, |w, _| {
            for (field, text) in PlaceField::ALL.into_iter().zip(&typed) {
                w.type_place(field, text);
            }
            w.submit_place()
        });
    }));
    {
        let ctx = ctx.clone();
        a.on_choose_filter(move |i| {
            let trade = usize::try_from(i)
                .ok()
                .and_then(|i| Trade::ALL.get(i).copied());
            apply(&ctx, |w, _| w.filter_trade(trade));
        });
    }
    {
        let ctx = ctx.clone();
        a.on_toggle_opening(move |id| {
            if let Ok(id) = u16::try_from(id) {
                apply(&ctx, |w, k| w.toggle_opening(k.fair(), id));
            }
        });
    }
    a.on_submit_choices(on(ctx, |ctx| apply(ctx, |w, _| w.submit_choices())));
    a.on_confirm(on(ctx, |ctx| apply(ctx, |w, k| w.confirm(k))));
    a.on_last4_key(on_str(ctx, |ctx, s| {
        let typed = format!("{}{s}", ctx.wizard.borrow().entries().last4);
        apply(ctx, |w, k| w.type_last4(k, &typed));
    }));
    a.on_last4_backspace(on(ctx, |ctx| {
        let mut typed = ctx.wizard.borrow().entries().last4.clone();
        typed.pop();
        apply(ctx, |w, k| w.type_last4(k, &typed));
    }));
    a.on_back(on(ctx, |ctx| apply(ctx, |w, _| w.back())));
    a.on_cancel(on(ctx, |ctx| super::reset(ctx)));
    connect_lists(ctx, &window);
}

fn current<R>(ctx: &Ctx, f: impl FnOnce(&RegisterAdapter) -> R) -> R
where
    R: Default,
{
    ctx.window
        .upgrade()
        .map(|w| f(&w.global::<RegisterAdapter>()))
        .unwrap_or_default()
}

/// "I signed up already / 我已报过名": the lookup keypad, the record found, Back.
fn connect_lists(ctx: &Rc<Ctx>, window: &super::AppWindow) {
    let l = window.global::<ListsAdapter>();
    l.on_open(on(ctx, |ctx| {
        let w = crate::app::wizard::Wizard::start_lookup(ctx.kiosk.borrow().fair());
        *ctx.wizard.borrow_mut() = w;
        show(ctx);
    }));
    l.on_key(on_str(ctx, |ctx, s| {
        if let Some(key) = key_of(s) {
            apply(ctx, |w, _| w.key_lookup(key));
        }
    }));
    l.on_backspace(on(ctx, |ctx| {
        apply(ctx, |w, _| w.key_lookup(Key::Backspace))
    }));
    l.on_lookup(on(ctx, |ctx| apply(ctx, |w, k| w.submit_lookup(k))));
    l.on_confirm(on(ctx, |ctx| {
        apply(ctx, |w, k| w.confirm_listed(k.fair()));
        show_choices(ctx, false);
    }));
    l.on_correct(on(ctx, |ctx| apply(ctx, |w, k| w.correct_listed(k.fair()))));
    l.on_back(on(ctx, |ctx| apply(ctx, |w, _| w.back())));
}

/// A pre-printed list ticket (`JKL1:…`) scanned on the home screen.
pub(crate) fn scanned_list_ticket(ctx: &Ctx, text: &str) {
    let w = crate::app::wizard::Wizard::scanned_list_ticket(&mut *ctx.kiosk.borrow_mut(), text);
    *ctx.wizard.borrow_mut() = w;
    show(ctx);
}

/// A burst from a keyboard-emulating reader on the ID or lookup page (an ID card's number).
pub(crate) fn scanned_on_register_page(ctx: &Ctx, text: &str) {
    let step = ctx.wizard.borrow().step();
    match step {
        crate::app::wizard::Step::ResidentId => apply(ctx, |w, _| w.type_id(text)),
        crate::app::wizard::Step::ListLookup => apply(ctx, |w, k| {
            w.type_lookup(text);
            w.submit_lookup(k)
        }),
        _ => {}
    }
}
