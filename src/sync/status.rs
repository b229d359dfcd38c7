//! What the worker publishes for the status bar and the staff panel. Plain data:
//! the GUI maps each variant to a translated text.

use super::openings::Pulled;
use super::plan::Tally;
use super::transport::TransportError;
use super::{Error, plan::NotAck};
use chrono::{DateTime, Utc};

/// Why the last attempt failed, in the terms staff can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No `base_url` or `base_token` in the config.
    NotConfigured,
    /// No connection, a reset or a timeout.
    Unreachable,
    /// Something answered that is not the base's acknowledgement (a hotspot's
    /// login page, a proxy error page).
    NotBase,
    /// The base answered with an error status (5xx, 4xx).
    BaseError,
    /// The base refused this kiosk's token.
    Unauthorized,
    /// The base has no such fair (openings pull only).
    UnknownFair,
    /// The base's fair file broke a rule; the last good openings stay.
    BadFair,
    /// The local store failed (disk full, ...).
    Store,
}

impl Failure {
    pub fn of(e: &Error) -> Failure {
        match e {
            Error::Store(_) => Failure::Store,
            Error::NotConfigured => Failure::NotConfigured,
            Error::BadFair(_) | Error::OtherFair { .. } => Failure::BadFair,
            Error::Transport(t) => match t {
                TransportError::Unreachable(_) | TransportError::Client(_) => Failure::Unreachable,
                TransportError::Unauthorized => Failure::Unauthorized,
                TransportError::UnknownFair(_) => Failure::UnknownFair,
                TransportError::NotAck(NotAck::Status(_)) => Failure::BaseError,
                TransportError::NotAck(_) => Failure::NotBase,
            },
        }
    }

    /// Whether this failure shows that the base itself answered.
    pub fn base_answered(self) -> bool {
        matches!(
            self,
            Failure::Unauthorized | Failure::UnknownFair | Failure::BadFair
        )
    }
}

/// The result of the last upload pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastResult {
    /// Every pending record got an answer (the tally may be all zeros: nothing to send).
    Sent(Tally),
    /// Some batches were answered (`Tally`), then one failed.
    Failed {
        failure: Failure,
        tally: Tally,
        /// Technical detail, for logs (not for the screen).
        detail: String,
    },
}

/// A snapshot of the upload state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncStatus {
    /// A base URL and token are configured.
    pub configured: bool,
    pub pending: u64,
    pub parked: u64,
    pub sent: u64,
    /// When the last upload pass started.
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_result: Option<LastResult>,
    /// Whether the base answered the last request; `None` before any.
    pub base_reachable: Option<bool>,
    /// Failures in a row; the next try waits longer with each (capped at 5 minutes).
    pub failures_in_row: u32,
    /// The last successful openings pull.
    pub openings: Option<Pulled>,
    /// Why the last openings pull failed, if it did.
    pub openings_failure: Option<Failure>,
    /// Bumped each time a newer fair file is applied: the GUI reloads its fair.
    pub openings_applied: u64,
}
