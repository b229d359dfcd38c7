//! The duplicate path's check of the last 4 digits of the phone on file, with a
//! persistent limit: after [`MAX_LAST4_FAILURES`] wrong tries for one sign-up, that
//! sign-up cannot be re-issued at the kiosk for [`LAST4_LOCKOUT_MINUTES`] (the count
//! lives in the store's `pin_failures` table, scope `last4:<registration id>`, so
//! cancelling the flow or restarting the kiosk does not reset it).

use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::store::pin::{self, PinFailures};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Wrong last-4 tries for one sign-up before it is locked.
pub const MAX_LAST4_FAILURES: u32 = 5;
/// How long such a sign-up stays locked.
pub const LAST4_LOCKOUT_MINUTES: i64 = 30;

fn scope(id: Uuid) -> String {
    format!("last4:{id}")
}

impl Kiosk {
    /// Checks `last4` against the phone on file of sign-up `id`; a wrong answer is
    /// counted (durably) and the fifth locks the sign-up for 30 minutes.
    pub fn check_last4(&mut self, id: Uuid, last4: &str) -> Result<()> {
        self.check_last4_at(id, last4, Utc::now())
    }

    /// [`Kiosk::check_last4`] at a given time (tests).
    pub fn check_last4_at(&mut self, id: Uuid, last4: &str, now: DateTime<Utc>) -> Result<()> {
        let phone = self.phone_last4_on_file(id)?;
        let conn = self.store.conn();
        let scope = scope(id);
        let mut state = pin::get(conn, &scope)?;
        let longest = now + Duration::minutes(LAST4_LOCKOUT_MINUTES);
        if state.locked_until.is_some_and(|until| until > longest) {
            // The clock went back since the lock: it ends 30 minutes from now, not later.
            state.locked_until = Some(longest);
            pin::set(conn, &scope, &state)?;
        }
        if state.locked_until.is_some_and(|until| until > now) {
            return Err(Error::TooManyTries);
        }
        let last4 = last4.trim();
        let right = last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit()) && phone == last4;
        if right {
            pin::reset(conn, &scope)?;
            return Ok(());
        }
        state.failures += 1;
        if state.failures >= MAX_LAST4_FAILURES {
            state = PinFailures {
                failures: 0,
                locked_until: Some(now + Duration::minutes(LAST4_LOCKOUT_MINUTES)),
            };
            pin::set(conn, &scope, &state)?;
            return Err(Error::TooManyTries);
        }
        pin::set(conn, &scope, &state)?;
        Err(Error::WrongLast4)
    }
}
