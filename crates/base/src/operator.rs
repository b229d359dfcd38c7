//! Operators: the people allowed to export personal numbers whole. Each has a password
//! (set with `jobfair-base operator set-password NAME`, read from stdin), kept only as
//! its argon2id hash in the store. Five wrong passwords in a row lock the operator for
//! five minutes, counted in the store (like the kiosk's staff PIN), so a restarted
//! command or another machine on the same database does not reset the count.

use crate::store::{Operator, Store};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Wrong passwords in a row before the lock.
pub const MAX_FAILURES: u32 = 5;
/// How long the lock lasts.
pub const LOCKOUT_SECONDS: i64 = 300;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error("operator name {0:?}: use 1 to 40 of a-z, A-Z, 0-9, '-' and '_'")]
    Name(String),
    #[error(
        "the password is too short: at least {MIN_PASSWORD_CHARS} characters\n密码太短：至少 {MIN_PASSWORD_CHARS} 个字符"
    )]
    Short,
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error("operator {0:?} has an unreadable password hash; set the password again")]
    BadHash(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// The answer to a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Ok,
    /// Wrong; this many tries remain before the lock.
    Wrong {
        remaining: u32,
    },
    /// Locked; seconds until it opens.
    Locked {
        seconds_left: i64,
    },
    /// No such operator.
    Unknown,
}

impl Check {
    /// What to tell the person at the command line, in English and Chinese.
    pub fn message(self, name: &str) -> String {
        match self {
            Check::Ok => String::new(),
            Check::Wrong { remaining } => {
                let tries = if remaining == 1 { "try" } else { "tries" };
                format!(
                    "wrong password for operator {name}: {remaining} {tries} left before a \
                     {}-minute lock\n操作员 {name} 密码错误：再错 {remaining} 次将锁定 {} 分钟",
                    LOCKOUT_SECONDS / 60,
                    LOCKOUT_SECONDS / 60
                )
            }
            Check::Locked { seconds_left } => {
                let minutes = (seconds_left + 59) / 60;
                format!(
                    "operator {name} is locked after {MAX_FAILURES} wrong passwords; try again in \
                     {minutes} min\n操作员 {name} 因密码错误 {MAX_FAILURES} 次已锁定，请 {minutes} 分钟后再试"
                )
            }
            Check::Unknown => format!(
                "no operator {name}: set one with `jobfair-base operator set-password {name}`\n\
                 没有操作员 {name}：请用 `jobfair-base operator set-password {name}` 设置"
            ),
        }
    }
}

/// Sets (or replaces) `name`'s password; clears its failures and lock.
pub async fn set_password(store: &dyn Store, name: &str, password: &str) -> Result<()> {
    if !crate::auth::valid_kiosk_name(name) {
        return Err(Error::Name(name.to_string()));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Short);
    }
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| Error::Hash(e.to_string()))?
        .to_string();
    store
        .set_operator_password(name, &hash, &crate::now())
        .await?;
    Ok(())
}

/// Checks `password` for operator `name` at `now`, counting failures in the store.
/// While locked even the right password answers `Locked`; the fifth wrong one in a
/// row locks for [`LOCKOUT_SECONDS`]; a right one clears the count.
pub async fn verify(
    store: &dyn Store,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Check> {
    let Some(op) = store.operator(name).await? else {
        // The same work as a real check, so the answer's timing does not tell names apart.
        let _ = Argon2::default().hash_password(password.as_bytes());
        return Ok(Check::Unknown);
    };
    if let Some(seconds_left) = locked(&op, now) {
        return Ok(Check::Locked { seconds_left });
    }
    let hash = PasswordHash::new(&op.password_hash).map_err(|_| Error::BadHash(op.name.clone()))?;
    if Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
    {
        if op.failures > 0 || op.locked_until.is_some() {
            store.set_operator_failures(name, 0, None).await?;
        }
        return Ok(Check::Ok);
    }
    let failures = if op.locked_until.is_some() {
        1 // a lock that ran out starts a new count
    } else {
        op.failures + 1
    };
    if failures >= MAX_FAILURES {
        let until = now + Duration::seconds(LOCKOUT_SECONDS);
        let until = until.to_rfc3339_opts(SecondsFormat::Millis, true);
        store.set_operator_failures(name, 0, Some(&until)).await?;
        return Ok(Check::Locked {
            seconds_left: LOCKOUT_SECONDS,
        });
    }
    store.set_operator_failures(name, failures, None).await?;
    Ok(Check::Wrong {
        remaining: MAX_FAILURES - failures,
    })
}

/// Seconds left of a running lock. A lock ending further ahead than a full lockout
/// (the clock went back) ends a full lockout from now.
fn locked(op: &Operator, now: DateTime<Utc>) -> Option<i64> {
    let until = DateTime::parse_from_rfc3339(op.locked_until.as_deref()?).ok()?;
    let until = until
        .with_timezone(&Utc)
        .min(now + Duration::seconds(LOCKOUT_SECONDS));
    // Rounded up: a lock with 0.4 s left still says 1 s.
    (until > now).then(|| ((until - now).num_milliseconds() + 999) / 1000)
}
