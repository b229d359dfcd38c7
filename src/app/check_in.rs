//! Check-in: a ticket scanned at the kiosk's home screen marks the villager present at
//! the fair, once. Any kiosk or booth device of the fair can do it: the ticket is verified
//! offline, so the sign-up need not be on this device.

use super::Result;
use super::kiosk::Kiosk;
use crate::domain::records::{CheckInRecord, RecordKind};
use crate::domain::ticket::{self, TicketError};
use crate::store::tickets_seen::{self, Seen};
use crate::store::{check_ins, outbox};
use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

/// What the home screen says after a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    /// Marked present now.
    Done { name: String, at: DateTime<Utc> },
    /// Already marked present (nothing changed).
    AlreadyCheckedIn { name: String, at: DateTime<Utc> },
    /// Damaged, altered, forged or not a ticket.
    Invalid,
    /// A ticket of another fair.
    OtherFair,
    /// An older ticket of a sign-up whose newer ticket this device has seen (the villager
    /// changed openings): the old paper must not be used; nothing is recorded.
    Superseded,
}

impl Kiosk {
    /// Checks in the villager whose ticket was scanned.
    pub fn check_in(&mut self, scanned: &str) -> Result<CheckIn> {
        self.check_in_at(scanned, Utc::now())
    }

    /// [`Kiosk::check_in`] at a given time. The `check_ins` row and its outbox record are
    /// written in one transaction.
    pub fn check_in_at(&mut self, scanned: &str, now: DateTime<Utc>) -> Result<CheckIn> {
        let fair_id = self.fair.fair.id.clone();
        let verified = match ticket::verify(&self.keys.verifier(), &fair_id, scanned) {
            Ok(v) => v,
            Err(TicketError::OtherFair) => return Ok(CheckIn::OtherFair),
            Err(_) => return Ok(CheckIn::Invalid),
        };
        let name = verified.card.name;
        let reg = Uuid::from_bytes(verified.registration_id).to_string();
        let id = Uuid::now_v7();
        let tx = self.store.transaction()?;
        if let Seen::Superseded { .. } =
            tickets_seen::see(&tx, &fair_id, &reg, verified.version, now)?
        {
            tx.commit()?;
            return Ok(CheckIn::Superseded);
        }
        if !check_ins::insert(&tx, &fair_id, &reg, id, now, &self.config.kiosk_id)? {
            let at = check_ins::get(&tx, &fair_id, &reg)?.unwrap_or(now);
            return Ok(CheckIn::AlreadyCheckedIn { name, at });
        }
        let record = CheckInRecord {
            registration_id: reg,
            fair_id,
            kiosk_id: self.config.kiosk_id.clone(),
            at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        outbox::enqueue(&tx, id, RecordKind::CheckIn, &record, now)?;
        tx.commit()?;
        Ok(CheckIn::Done { name, at: now })
    }

    /// Villagers checked in at the current fair.
    pub fn check_in_count(&self) -> Result<u64> {
        Ok(check_ins::count(self.store.conn(), &self.fair.fair.id)?)
    }
}
