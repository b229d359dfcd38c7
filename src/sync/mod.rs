//! Sync with the labor-cooperation base: the outbox upload worker and the
//! openings pull. Arrows: `sync → store, domain` (and the config).
//!
//! ```text
//! let worker = sync::Worker::spawn(data_dir, &config);   // its own thread and Store
//! worker.upload_now();                                    // retry at once, backoff reset
//! let status: SyncStatus = worker.status();               // pending, parked, sent, last result
//! worker.shutdown();
//! ```
//!
//! - [`plan`]: pure: the next batch, what an answer means (tested without a network).
//! - [`backoff`]: exponential with jitter, capped at 5 minutes.
//! - [`transport`]: the [`Transport`] trait and [`HttpTransport`] (reqwest, rustls).
//! - [`upload`]: one pass over the pending records; [`openings`]: the pull.
//! - [`worker`]: the thread, its messages and the published [`SyncStatus`].

pub mod backoff;
pub mod openings;
pub mod plan;
mod run;
pub mod settings;
pub mod status;
pub mod transport;
pub mod upload;
pub mod worker;

pub use openings::{Pulled, pull_openings};
pub use plan::{Tally, Verdict};
pub use settings::SyncSettings;
pub use status::{Failure, LastResult, SyncStatus};
pub use transport::{HttpTransport, Timeouts, Transport, TransportError};
pub use upload::{Pass, upload_pending};
pub use worker::{Message, Worker, WorkerHandle};

/// Errors of syncing with the base.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The base sent a fair file that breaks the rules; the last good set stays.
    #[error("the base's fair file is not valid: {0}")]
    BadFair(crate::domain::fair::FairFileError),
    #[error("the base sent fair {got:?} when asked for {expected:?}")]
    OtherFair { expected: String, got: String },
    /// No `base_url` / `base_token` in the config.
    #[error("no base configured (base_url and base_token in config.toml)")]
    NotConfigured,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.into())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
