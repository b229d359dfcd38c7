//! Size probe without the engine: compare with `size_engine` for the bytes added.
fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    println!("{}", arg.len());
}
