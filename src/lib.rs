//! jobfair-kiosk: a touchscreen kiosk and registration station for village job fairs.
//!
//! Arrows point one way: `gui, cli → app → store → domain`; `domain` depends on nothing
//! of this crate and does no I/O.

pub mod app;
pub mod base;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod gui;
pub mod store;
pub mod sync;
