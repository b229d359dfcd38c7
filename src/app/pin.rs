//! Staff PIN: argon2 hash in the config, failures and lockout kept in the store.

/// Wrong PINs in a row before the pad locks.
pub const MAX_FAILURES: u32 = 5;
/// How long the pad stays locked.
pub const LOCKOUT_SECONDS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Ok,
    /// Wrong PIN; this many tries remain before the lock.
    Wrong { remaining: u32 },
    /// Locked; seconds until the pad opens again.
    Locked { seconds_left: i64 },
    /// No staff PIN has been set (`jobfair-kiosk staff set-pin`).
    NotSet,
}
