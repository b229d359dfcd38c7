//! Prototype candidate engine for the jobfair-kiosk on-screen pinyin keyboard.
//!
//! Layers, front to back: the fair's place names (and trades), a surname
//! table (first syllable of a name) or a given-name table (later syllables),
//! then the `inputx-pinyin` dictionary ranked by corpus frequency, with
//! readings it lacks filled in from the `pinyin` crate.
//!
//! ```
//! let engine = kiosk_pinyin::Engine::new(&["从江", "榕江"]);
//! let bar = engine.candidates("zhang", 0);
//! assert_eq!(bar[0].text, "张");
//! ```

pub mod char_index;
pub mod engine;
pub mod eval;
pub mod ranking;
pub mod syllable;
pub mod tables;
pub mod words;

pub use engine::{Candidate, Engine, PAGE_SIZE};
pub use ranking::Slot;
