//! Shared engine for the integration tests (building it takes a moment).

use std::sync::OnceLock;

use kiosk_pinyin::Engine;

/// The fair's place names used in the tests (Congjiang county, Guizhou).
pub const PLACES: &[&str] = &["从江", "高增", "榕江", "黎平", "丙妹", "贯洞"];

/// One engine per test binary.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(PLACES))
}

/// Texts of the first page for `pinyin` at the start of a name.
#[allow(dead_code, reason = "not every test file uses it")]
pub fn first_page(pinyin: &str) -> Vec<String> {
    engine()
        .candidates(pinyin, 0)
        .into_iter()
        .map(|c| c.text)
        .collect()
}
