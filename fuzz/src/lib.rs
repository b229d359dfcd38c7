//! The kiosk's pure parsers, plus what the fuzz targets share (fixed keys, a workbook
//! wrapper, seed helpers).
//!
//! The domain is its own crate (`crates/domain`, no I/O, no GUI), so the fuzz targets
//! depend on the exact code the kiosk runs without building slint or rusqlite with
//! coverage instrumentation.

pub use jobfair_domain as domain;

/// The kiosk's XLSX reading for list import, also compiled by path (it depends only on
/// calamine, zip and `domain::lists`).
#[path = "../../src/app/lists/xlsx.rs"]
pub mod list_xlsx;

pub mod support;
pub mod xlsx;
