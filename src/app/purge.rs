//! Retention and purge of personal data (issue 17).
//!
//! - **Retention**: once a fair is `retention_days` past (config, default 30), the personal
//!   data of its villagers whose every record the base confirmed is purged
//!   ([`Kiosk::purge_expired`], run when the kiosk opens and by `staff purge --expired`).
//! - **"清除本场数据"**: staff purge the current fair at once with the staff PIN
//!   ([`Kiosk::purge_current_fair`]); records the base has not confirmed go too, so the caller
//!   first shows how many ([`Kiosk::unconfirmed_records`]), asks again, and passes the count
//!   it showed: a purge refuses when there are more by then.
//!
//! Both are audited, and both leave no copy behind: `secure_delete`, the WAL checkpointed and
//! truncated, the sign-up journal overwritten ([`crate::store::Store::scrub`]).

use super::pin::PinCheck;
use super::{Error, Kiosk, Result};
use crate::store::{audit, fairs, purge};
use chrono::{DateTime, Days, NaiveDate, Utc};

pub use crate::store::purge::{Purged, Scope};

pub use crate::config::DEFAULT_RETENTION_DAYS;

/// The purge of one fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairPurged {
    pub fair_id: String,
    pub purged: Purged,
}

impl Kiosk {
    /// Records about the current fair's villagers that the base has not confirmed yet
    /// (a purge of the whole fair loses them).
    pub fn unconfirmed_records(&self) -> Result<u64> {
        Ok(purge::unsent(self.store.conn(), &self.fair.fair.id)?)
    }

    /// "清除本场数据": purges every villager of the current fair after the staff PIN,
    /// records not yet confirmed by the base included. Audited.
    ///
    /// `accepted_unconfirmed` is how many unconfirmed records the staff were shown and agreed
    /// to lose ([`Kiosk::unconfirmed_records`]); when there are more by now (a phone sign-up
    /// came in meanwhile), nothing is purged: [`Error::MoreUnconfirmed`].
    pub fn purge_current_fair(
        &mut self,
        pin: &str,
        actor: &str,
        accepted_unconfirmed: u64,
    ) -> Result<Purged> {
        match self.verify_staff_pin(pin)? {
            PinCheck::Ok => {}
            refused => return Err(Error::StaffPin(refused)),
        }
        let unconfirmed = self.unconfirmed_records()?;
        if unconfirmed > accepted_unconfirmed {
            return Err(Error::MoreUnconfirmed {
                unconfirmed,
                accepted: accepted_unconfirmed,
            });
        }
        let fair_id = self.fair.fair.id.clone();
        self.purge_fair(&fair_id, Scope::All, actor, Utc::now())
    }

    /// Purges the confirmed personal data of every fair `retention_days` past on `today`.
    pub fn purge_expired(&mut self, today: NaiveDate, actor: &str) -> Result<Vec<FairPurged>> {
        let days = self.config.retention_days;
        let ids: Vec<String> = {
            let mut stmt = self
                .store
                .conn()
                .prepare("SELECT id FROM fairs ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for id in ids {
            let Some(fair) = fairs::get(self.store.conn(), &id)? else {
                continue;
            };
            let past = fair
                .fair
                .date
                .checked_add_days(Days::new(u64::from(days)))
                .is_some_and(|end| end < today);
            if !past {
                continue;
            }
            let purged = self.purge_fair(&id, Scope::Confirmed, actor, Utc::now())?;
            if purged.registrations > 0 {
                out.push(FairPurged {
                    fair_id: id,
                    purged,
                });
            }
        }
        Ok(out)
    }

    fn purge_fair(
        &mut self,
        fair_id: &str,
        scope: Scope,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Purged> {
        // Sign-ups still in the journal would come back at its next retirement.
        self.store.retire_signup_journal()?;
        let tx = self.store.transaction()?;
        let purged = purge::purge_fair(&tx, fair_id, scope)?;
        if purged.registrations == 0 && purged.list_people == 0 {
            // Nothing to purge: no audit row, no scrub (retention runs at every start).
            return Ok(purged);
        }
        let detail = serde_json::json!({
            "fair": fair_id,
            "scope": match scope { Scope::All => "all", Scope::Confirmed => "confirmed" },
            "sign_ups": purged.registrations,
            "records": purged.records,
            "unconfirmed_records": purged.unconfirmed,
            "list_people": purged.list_people,
            "booth_cards": purged.booth_cards,
        })
        .to_string();
        audit::record(&tx, now, actor, "purge", &detail)?;
        tx.commit()?;
        self.store.scrub()?;
        Ok(purged)
    }
}
