//! Pinyin → Chinese candidates for the kiosk's on-screen keyboard. Pure: no I/O.
//!
//! Layers, front to back: the fair's place names (and trades), a surname table (first
//! syllable of a name) or a given-name table (later syllables), then the `inputx-pinyin`
//! dictionary ranked by corpus frequency, with readings it lacks filled in from the
//! `pinyin` crate. Only characters of the general standard table (which the bundled font
//! draws) are offered. [`Composer`] is the editing state of one field: the pinyin typed,
//! the page of candidates shown, backspace on the pinyin first and then on the text.
//!
//! ```
//! let engine = jobfair_domain::pinyin::Engine::new(&["从江县", "高增乡"]);
//! let bar = engine.candidates("zhang", 0);
//! assert_eq!(bar[0].text, "张");
//! ```

mod bar;
pub mod char_index;
pub mod composer;
pub mod engine;
pub mod eval;
pub mod ranking;
pub mod syllable;
pub mod tables;
pub mod words;

#[cfg(test)]
mod tests;

pub use composer::Composer;
pub use engine::{Candidate, Engine, PAGE_SIZE};
pub use ranking::Slot;
