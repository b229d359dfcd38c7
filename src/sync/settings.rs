//! The worker's settings: the base from the config, timings (tests shorten them).

use super::backoff::{DEFAULT_CAP, DEFAULT_FIRST};
use super::transport::Timeouts;
use super::upload::DEFAULT_BATCH;
use crate::config::Config;
use std::time::Duration;

/// How the worker syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub base_url: Option<String>,
    pub token: Option<String>,
    /// Records per request.
    pub batch: usize,
    pub timeouts: Timeouts,
    pub backoff_first: Duration,
    pub backoff_cap: Duration,
    /// How often to look for new records while nothing fails.
    pub idle_poll: Duration,
    /// How often to pull the openings.
    pub openings_every: Duration,
}

impl SyncSettings {
    /// The base URL and token of `config`, everything else the defaults.
    pub fn from_config(config: &Config) -> SyncSettings {
        SyncSettings {
            base_url: config.base_url.clone(),
            token: config.base_token.clone(),
            ..SyncSettings::default()
        }
    }
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            base_url: None,
            token: None,
            batch: DEFAULT_BATCH,
            timeouts: Timeouts::default(),
            backoff_first: DEFAULT_FIRST,
            backoff_cap: DEFAULT_CAP,
            idle_poll: Duration::from_secs(30),
            openings_every: Duration::from_secs(10 * 60),
        }
    }
}
