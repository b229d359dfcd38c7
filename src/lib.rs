//! jobfair-kiosk: a touchscreen kiosk and registration station for village job fairs.
//!
//! Arrows point one way: `gui, phone, cli → app → seal, store → domain`; `seal → store::files,
//! protocol`; `sync → store, protocol`.
//! `phone` (the phone form's HTTP server) never touches Slint.
//! The domain (`jobfair-domain`) and the kiosk↔base contract (`jobfair-protocol`) are
//! crates of their own in `crates/`, shared with the base server (`jobfair-base`); the
//! domain is re-exported here as `crate::domain`.

pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod gui;
pub mod phone;
pub mod seal;
pub mod store;
pub mod sync;

pub use jobfair_domain as domain;
pub use jobfair_protocol as protocol;
