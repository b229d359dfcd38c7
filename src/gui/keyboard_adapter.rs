//! The on-screen keyboard: pinyin candidates from the domain engine, editing by the composer.
//!
//! The text being edited stays in the page's property: every callback takes it and returns it
//! changed. The engine is built when a field first takes the keyboard (~0.1 s in a release
//! build) and kept for the window's life; a lookup takes microseconds, so no worker thread.

use super::{AppWindow, Ctx, KeyboardAdapter, KeyboardLayout};
use crate::domain::fair::FairFile;
use crate::domain::person_name::may_type_in_name;
use crate::domain::pinyin::{Composer, Engine};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// Keys of a physical keyboard as Slint reports them.
const BACKSPACE: &str = "\u{8}";
const ESCAPE: &str = "\u{1b}";

struct State {
    window: slint::Weak<AppWindow>,
    words: Vec<String>,
    engine: OnceCell<Engine>,
    composer: RefCell<Composer>,
}

impl State {
    fn engine(&self) -> &Engine {
        self.engine.get_or_init(|| {
            let places: Vec<&str> = self.words.iter().map(String::as_str).collect();
            Engine::new(&places)
        })
    }

    /// Shows the composer's pinyin and the candidates of its page for a field holding `text`.
    fn publish(&self, text: &str) {
        let Some(w) = self.window.upgrade() else {
            return;
        };
        let composer = self.composer.borrow();
        let a = w.global::<KeyboardAdapter>();
        let (list, more) = if composer.is_composing() {
            let list: Vec<SharedString> = composer
                .candidates(self.engine(), text)
                .into_iter()
                .map(|c| c.text.into())
                .collect();
            (list, composer.has_next_page(self.engine(), text))
        } else {
            (Vec::new(), false)
        };
        a.set_pinyin(composer.pinyin().into());
        a.set_candidates(ModelRc::new(VecModel::from(list)));
        a.set_page(composer.page() as i32);
        a.set_has_next(more);
    }

    /// Runs `f` on the composer and the field's text, shows the result, returns the text.
    /// `f` gets the engine through a function: plain typing (the English layout, the unlock
    /// page's passphrase) never builds it — its dictionary is ~4 MB of the binary and
    /// 1.4 MB of heap (bench/RESULTS.md, footprint).
    fn edit<'s>(
        &'s self,
        text: &str,
        f: impl FnOnce(&mut Composer, &dyn Fn() -> &'s Engine, &mut String),
    ) -> SharedString {
        let mut text = text.to_string();
        f(
            &mut self.composer.borrow_mut(),
            &|| self.engine(),
            &mut text,
        );
        self.publish(&text);
        text.into()
    }

    fn pinyin_layout(&self) -> bool {
        self.window
            .upgrade()
            .is_some_and(|w| w.global::<KeyboardAdapter>().get_layout() == KeyboardLayout::Pinyin)
    }

    /// True when the pinyin keyboard takes this key of a physical keyboard.
    fn takes_key(&self, key: &str) -> bool {
        if !self.pinyin_layout() {
            return false;
        }
        let composing = self.composer.borrow().is_composing();
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return false;
        };
        c.is_ascii_alphabetic()
            || (composing && (matches!(c, '1'..='9' | ' ' | '\'' | '\n' | '\r')))
            || (composing && (key == BACKSPACE || key == ESCAPE))
    }

    /// True when a physical key types a character the field may not hold: in a person's name anything
    /// [`may_type_in_name`] refuses, elsewhere emoji and symbols. Keys Slint reports as
    /// control or private-use characters (Tab, arrows, Home) are not characters and pass.
    fn refuses_key(key: &str, name: bool) -> bool {
        key.chars().any(|c| {
            let special = c.is_control() || ('\u{F700}'..='\u{F8FF}').contains(&c);
            !special
                && if name {
                    !may_type_in_name(c)
                } else {
                    !may_type_in_text(c)
                }
        })
    }

    /// Applies a physical key taken by [`State::takes_key`].
    fn key(&self, key: &str, text: &str) -> SharedString {
        self.edit(text, |c, engine, text| match key {
            BACKSPACE => c.backspace(text),
            ESCAPE => c.clear(),
            "\n" | "\r" => c.flush(text),
            " " => {
                c.choose(engine(), text, 0);
            }
            _ => {
                let k = key.chars().next().unwrap_or(' ');
                if let Some(d) = k.to_digit(10) {
                    c.choose(engine(), text, d as usize - 1);
                } else {
                    c.type_letter(k);
                }
            }
        })
    }
}

/// Letters of any script, digits, spaces and punctuation (ASCII, CJK, full-width, the middle
/// dot, dashes and quotes); not emoji or other symbols.
fn may_type_in_text(c: char) -> bool {
    c.is_alphanumeric()
        || c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF65}' | '\u{2010}'..='\u{2027}')
        || c == '·'
}

/// Every place name of the fair (counties, townships, villages) and its trades (opening
/// titles): the words the engine puts first.
fn fair_words(fair: &FairFile) -> Vec<String> {
    let mut words = vec![
        fair.fair.county.clone(),
        fair.fair.township.clone(),
        fair.fair.village.clone(),
    ];
    for county in &fair.places {
        words.push(county.name.clone());
        for township in &county.townships {
            words.push(township.name.clone());
            words.extend(township.villages.iter().cloned());
        }
    }
    words.extend(fair.openings.iter().map(|o| o.title.clone()));
    words.sort();
    words.dedup();
    words
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let state = Rc::new(State {
        window: ctx.window.clone(),
        words: fair_words(ctx.kiosk.borrow().fair()),
        engine: OnceCell::new(),
        composer: RefCell::new(Composer::for_name()),
    });
    let a = window.global::<KeyboardAdapter>();
    let s = state.clone();
    a.on_begin(move |name| {
        *s.composer.borrow_mut() = if name {
            Composer::for_name()
        } else {
            Composer::for_plain_text()
        };
        // Built ahead (~0.1 s) only where pinyin is typed, so the first letter does not wait.
        if s.pinyin_layout() {
            s.engine();
        }
        s.publish("");
    });
    let s = state.clone();
    a.on_letter(move |k, text| {
        s.edit(&text, |c, _, _| {
            k.chars().for_each(|l| {
                c.type_letter(l);
            });
        })
    });
    let s = state.clone();
    a.on_backspace(move |text| s.edit(&text, |c, _, text| c.backspace(text)));
    let s = state.clone();
    a.on_choose(move |i, text| {
        s.edit(&text, |c, engine, text| {
            c.choose(engine(), text, usize::try_from(i).unwrap_or(usize::MAX));
        })
    });
    let s = state.clone();
    a.on_insert(move |k, text| s.edit(&text, |c, _, text| c.insert(text, &k)));
    let s = state.clone();
    a.on_space(move |text| {
        s.edit(&text, |c, engine, text| {
            if !(c.is_composing() && c.choose(engine(), text, 0)) {
                c.insert(text, " ");
            }
        })
    });
    let s = state.clone();
    a.on_next_page(move |text| {
        s.edit(&text, |c, engine, text| c.next_page(engine(), text));
    });
    let s = state.clone();
    a.on_previous_page(move |text| {
        s.edit(&text, |c, _, _| c.previous_page());
    });
    let s = state.clone();
    a.on_takes_key(move |key| s.takes_key(&key));
    let s = state;
    a.on_key(move |key, text| s.key(&key, &text));
    a.on_refuses_key(|key, name| State::refuses_key(&key, name));
}

/// Forgets any pinyin waiting (the form was reset) and shows the pinyin layout again.
pub(crate) fn clear(window: &AppWindow) {
    let a = window.global::<KeyboardAdapter>();
    a.invoke_begin(true);
    a.set_layout(KeyboardLayout::Pinyin);
}
