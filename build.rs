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
}
