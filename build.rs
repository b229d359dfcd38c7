//! Compiles the Slint UI with the bundled translations (lang/<lang>/LC_MESSAGES/jobfair-kiosk.po).
//!
//! Debug info is ALWAYS on: element queries of UI tests (i-slint-backend-testing) find nothing
//! without it, so a query could silently pass; with it on in every profile that cannot happen.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent-light".into())
        .with_bundled_translations("lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true);
    slint_build::compile_with_config("ui/app_window.slint", config).expect("Slint UI compiles");
    println!("cargo:rerun-if-changed=lang");
    link_layout();
}

/// The kiosk's release binary is laid out for its memory (bench/footprint/link_order.py):
/// - functions and constants in the order a day at the fair first touches them
///   (assets/link-order.txt): the kernel maps 64 KiB around every page used, and scattered over
///   31 MB of code the ~9 MB a day uses kept ~20 MB resident (bench/RESULTS.md, third pass);
/// - relative relocations packed (DT_RELR, glibc >= 2.36): 1.6 MB of `.rela.dyn` read at every
///   start become a few KB.
///
/// Only for x86_64 Linux with glibc in release (and bench) builds, linked by rust-lld (Rust's
/// default there since 1.90). `JOBFAIR_PLAIN_LINK=1` turns it off, e.g. for another linker or an
/// older glibc.
fn link_layout() {
    println!("cargo:rerun-if-env-changed=JOBFAIR_PLAIN_LINK");
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let flags = env("CARGO_ENCODED_RUSTFLAGS");
    let other_linker = flags.contains("linker-features=-lld") || flags.contains("linker=");
    if env("TARGET") != "x86_64-unknown-linux-gnu"
        || env("PROFILE") != "release"
        || other_linker
        || !env("JOBFAIR_PLAIN_LINK").is_empty()
    {
        return;
    }
    // Only here: a new order rebuilds the release kiosk, not the tests.
    println!("cargo:rerun-if-changed=assets/link-order.txt");
    let order = std::path::Path::new(&env("CARGO_MANIFEST_DIR")).join("assets/link-order.txt");
    let bin = "cargo:rustc-link-arg-bin=jobfair-kiosk=";
    // A glibc without DT_RELR (< 2.36) would refuse to load the binary: ask its libc.
    let relr = [
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/lib64/libc.so.6",
        "/usr/lib64/libc.so.6",
    ]
    .iter()
    .find_map(|p| std::fs::read(p).ok())
    .is_some_and(|libc| libc.windows(17).any(|w| w == b"GLIBC_ABI_DT_RELR"));
    if relr {
        println!("{bin}-Wl,-z,pack-relative-relocs");
    }
    if order.exists() {
        println!("{bin}-Wl,--symbol-ordering-file={}", order.display());
        // Names of another build (other hashes) are skipped; the code is the same either way.
        println!("{bin}-Wl,--no-warn-symbol-ordering");
    }
}
