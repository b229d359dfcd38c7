//! Size probe with the engine: `size_engine` minus `size_baseline` = bytes added.
fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    let engine = kiosk_pinyin::Engine::new(&[]);
    println!("{}", engine.candidates(&arg, 0).len());
}
