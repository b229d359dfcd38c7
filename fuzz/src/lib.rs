//! The kiosk's pure parsers, compiled from the main crate's own source files, plus what
//! the fuzz targets share (fixed keys, a workbook wrapper, seed helpers).
//!
//! `src/domain/` depends on nothing else of the kiosk crate (see its `lib.rs`), so
//! including it by path gives the fuzz targets the exact code the kiosk runs without
//! building slint, rusqlite or axum with coverage instrumentation.

#[path = "../../src/domain/mod.rs"]
pub mod domain;

/// The kiosk's XLSX reading for list import, also compiled by path (it depends only on
/// calamine, zip and `domain::lists`).
#[path = "../../src/app/lists/xlsx.rs"]
pub mod list_xlsx;

pub mod support;
pub mod xlsx;
