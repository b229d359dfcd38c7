//! A sign-up as the journal holds it, and putting missing ones back.
//!
//! An entry has everything the sign-up's transaction wrote: the outbox record
//! (which carries every column of the registration but the ticket), the ticket,
//! and the outbox record's id. Replaying an entry whose registration is present
//! does nothing, so replay is safe to repeat.

use super::registrations::{self, Numbers, RegistrationRow, SealedRow};
use super::sources::{self, Source};
use super::{Error, Result, outbox};
use crate::domain::records::{RecordKind, RegistrationRecord};
use crate::domain::sex::Sex;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One journalled sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupEntry {
    pub outbox_id: String,
    pub ticket: String,
    pub record: RegistrationRecord,
    /// The blind indexes of the sign-up's phone and resident ID (issue 17): with the
    /// record's masks and sealed boxes they make the row again without any key.
    /// Absent in entries written before schema 10, whose record has the numbers in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blind: Option<EntryBlinds>,
    /// Where the sign-up was made ([`Source::as_str`]) when not at the kiosk's screen: a
    /// sign-up of the phone form or a list put back after a power cut keeps its source.
    /// Absent for the kiosk's own, and in entries written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Blind indexes (hex) as a journal entry keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryBlinds {
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
}

impl SignupEntry {
    /// The entry of a sign-up stored as `row` with the outbox record `record`.
    pub fn new(
        outbox_id: Uuid,
        row: &RegistrationRow,
        record: &RegistrationRecord,
        source: Source,
    ) -> Self {
        SignupEntry {
            outbox_id: outbox_id.to_string(),
            ticket: row.ticket.clone(),
            record: record.clone(),
            blind: row.numbers.sealed().map(|s| EntryBlinds {
                phone: s.phone_blind.clone(),
                resident_id: s.resident_id_blind.clone(),
            }),
            source: (source != Source::Kiosk).then(|| source.as_str().to_string()),
        }
    }

    /// The bytes written to the journal.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("entries serialize")
    }

    /// The registration row this entry stores.
    fn row(&self) -> Result<RegistrationRow> {
        let r = &self.record;
        let bad = |column: &'static str, value: &str| Error::Corrupt {
            table: "signup journal",
            column,
            value: value.to_string(),
        };
        let at = DateTime::parse_from_rfc3339(&r.at)
            .map_err(|_| bad("at", &r.at))?
            .with_timezone(&Utc);
        Ok(RegistrationRow {
            id: Uuid::parse_str(&r.registration_id)
                .map_err(|_| bad("registration_id", &r.registration_id))?,
            fair_id: r.fair_id.clone(),
            short_code: r.short_code.clone(),
            kiosk_id: r.kiosk_id.clone(),
            created_at: at,
            updated_at: at,
            name: r.name.clone(),
            numbers: match (&self.blind, &r.sealed) {
                (Some(blind), Some(sealed)) => Numbers::Sealed(SealedRow {
                    phone_masked: r.phone.clone(),
                    phone_blind: blind.phone.clone(),
                    resident_id_masked: r.resident_id.clone(),
                    resident_id_blind: blind.resident_id.clone(),
                    sealed: sealed.clone(),
                }),
                (None, None) => Numbers::Legacy {
                    phone: r.phone.clone(),
                    resident_id: r.resident_id.clone(),
                },
                _ => return Err(bad("blind", "sealed without its blind indexes")),
            },
            birth_date: r
                .birth_date
                .as_deref()
                .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("birth_date", s)))
                .transpose()?,
            sex: r
                .sex
                .as_deref()
                .map(|s| match s {
                    "male" => Ok(Sex::Male),
                    "female" => Ok(Sex::Female),
                    _ => Err(bad("sex", s)),
                })
                .transpose()?,
            home: r.home.clone(),
            consent: r.consent,
            consent_text_version: r.consent_text_version,
            ticket: self.ticket.clone(),
            openings: r.openings.clone(),
        })
    }
}

/// What [`restore`] did with the journal's entries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    /// Entries whose sign-up was already stored.
    pub present: usize,
    /// Sign-ups put back.
    pub restored: usize,
    /// Entries that could not be read or stored (a commit that failed after its
    /// entry was written and could not be taken back).
    pub skipped: usize,
}

/// Stores every entry whose sign-up is missing, in journal order. Run it inside
/// a transaction. Each entry goes in under a savepoint, so one that cannot be
/// stored (a phone taken since) leaves nothing half-written.
pub fn restore(conn: &Connection, entries: &[Vec<u8>]) -> Result<Restored> {
    let mut done = Restored::default();
    for bytes in entries {
        let Ok(entry) = serde_json::from_slice::<SignupEntry>(bytes) else {
            done.skipped += 1;
            continue;
        };
        let row = match entry.row() {
            Ok(row) => row,
            Err(_) => {
                done.skipped += 1;
                continue;
            }
        };
        if registrations::get(conn, row.id)?.is_some() {
            done.present += 1;
            continue;
        }
        conn.execute_batch("SAVEPOINT signup")?;
        // An unknown source (a newer version's) keeps the sign-up, as the kiosk's own.
        let source = entry
            .source
            .as_deref()
            .and_then(Source::parse)
            .unwrap_or_default();
        let stored = registrations::insert(conn, &row).and_then(|()| {
            if source != Source::Kiosk {
                sources::set(conn, row.id, source)?;
            }
            outbox::enqueue(
                conn,
                Uuid::parse_str(&entry.outbox_id).map_err(|_| Error::Corrupt {
                    table: "signup journal",
                    column: "outbox_id",
                    value: entry.outbox_id.clone(),
                })?,
                RecordKind::Registration,
                &entry.record,
                row.created_at,
            )
        });
        match stored {
            Ok(()) => {
                conn.execute_batch("RELEASE signup")?;
                done.restored += 1;
            }
            Err(Error::DiskFull) => {
                conn.execute_batch("ROLLBACK TO signup; RELEASE signup")?;
                return Err(Error::DiskFull);
            }
            Err(_) => {
                conn.execute_batch("ROLLBACK TO signup; RELEASE signup")?;
                done.skipped += 1;
            }
        }
    }
    Ok(done)
}
