//! The editing state of one text field under the pinyin keyboard.
//!
//! The field's text is owned by the caller (the UI binds it); the composer holds what is
//! not yet text: the pinyin typed and the page of candidates shown for it.

use super::engine::{Candidate, Engine};
use super::ranking::Slot;

/// Longest pinyin buffer kept (a long name typed in one go fits).
pub const MAX_PINYIN: usize = 40;

/// Pinyin being composed into a field. `name` fields rank surnames first, then
/// given-name characters; other fields boost only the fair's words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composer {
    pinyin: String,
    page: usize,
    plain: bool,
}

impl Composer {
    /// A composer for a person's name.
    pub fn for_name() -> Composer {
        Composer::default()
    }

    /// A composer for any other text (addresses, trades).
    pub fn for_plain_text() -> Composer {
        Composer {
            plain: true,
            ..Composer::default()
        }
    }

    /// The letters typed and not yet turned into characters.
    pub fn pinyin(&self) -> &str {
        &self.pinyin
    }

    /// The candidate page shown (0 = first).
    pub fn page(&self) -> usize {
        self.page
    }

    /// True while there is pinyin waiting for a candidate.
    pub fn is_composing(&self) -> bool {
        !self.pinyin.is_empty()
    }

    /// Adds a letter (`a`–`z`, `ü`, or the syllable separator `'`); others are refused.
    /// The candidates start again from their first page.
    pub fn type_letter(&mut self, c: char) -> bool {
        let c = c.to_ascii_lowercase();
        let ok = c.is_ascii_lowercase() || c == 'ü' || (c == '\'' && !self.pinyin.is_empty());
        if !ok || self.pinyin.chars().count() >= MAX_PINYIN {
            return false;
        }
        self.pinyin.push(c);
        self.page = 0;
        true
    }

    /// Backspace edits the pinyin first; with no pinyin left it removes the last
    /// character of `text`.
    pub fn backspace(&mut self, text: &mut String) {
        self.page = 0;
        if self.pinyin.pop().is_none() {
            text.pop();
        }
    }

    /// The candidates of the page shown, for a field that holds `text`.
    pub fn candidates(&self, engine: &Engine, text: &str) -> Vec<Candidate> {
        self.candidates_on(engine, text, self.page)
    }

    fn candidates_on(&self, engine: &Engine, text: &str, page: usize) -> Vec<Candidate> {
        if self.plain {
            engine.candidates_in(Slot::Plain, &self.pinyin, page)
        } else {
            engine.candidates_after(text, &self.pinyin, page)
        }
    }

    /// True when a page follows the one shown.
    pub fn has_next_page(&self, engine: &Engine, text: &str) -> bool {
        self.is_composing() && !self.candidates_on(engine, text, self.page + 1).is_empty()
    }

    /// Shows the next page if there is one.
    pub fn next_page(&mut self, engine: &Engine, text: &str) {
        if self.has_next_page(engine, text) {
            self.page += 1;
        }
    }

    /// Shows the previous page (stays on the first).
    pub fn previous_page(&mut self) {
        self.page = self.page.saturating_sub(1);
    }

    /// Appends candidate `index` of the page shown to `text` and keeps the pinyin it
    /// did not cover for the next choice. False if there is no such candidate.
    pub fn choose(&mut self, engine: &Engine, text: &mut String, index: usize) -> bool {
        let Some(chosen) = self.candidates(engine, text).into_iter().nth(index) else {
            return false;
        };
        text.push_str(&chosen.text);
        self.pinyin = self.pinyin.chars().skip(chosen.consumed).collect();
        if self.pinyin.starts_with('\'') {
            self.pinyin.remove(0);
        }
        self.page = 0;
        true
    }

    /// Appends `s` (a digit, `·`, a space, a Latin letter) to `text`. Pinyin still
    /// waiting is first written out as it was typed, so nothing typed is lost.
    pub fn insert(&mut self, text: &mut String, s: &str) {
        self.flush(text);
        text.push_str(s);
    }

    /// Writes the waiting pinyin into `text` as letters and clears it.
    pub fn flush(&mut self, text: &mut String) {
        text.push_str(&self.pinyin);
        self.clear();
    }

    /// Forgets the waiting pinyin (a new field, the form was reset).
    pub fn clear(&mut self) {
        self.pinyin.clear();
        self.page = 0;
    }
}
