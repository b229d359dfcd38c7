//! Registering, finding and re-issuing sign-ups at the current fair.

use super::kiosk::{Existing, Issued, Kiosk, Proof};
use super::lookup::{Blinds, find_existing};
use super::{Error, Result, random};
use crate::domain::birth_date;
use crate::domain::fair::FairFile;
use crate::domain::person_name::normalize_name;
use crate::domain::phone::Phone;
use crate::domain::records::{RecordKind, RegistrationRecord};
use crate::domain::registration::{CONSENT_TEXT_VERSION, Draft, HomePlace, MAX_CHOSEN_OPENINGS};
use crate::domain::resident_id::ResidentId;
use crate::domain::short_code;
use crate::domain::ticket::{self, Card, FairKeys};
use crate::store::registrations::{self, RegistrationRow};
use crate::store::signups::SignupEntry;
use crate::store::sources::{self, Source};
use crate::store::{outbox, tickets_seen};
use chrono::{Datelike, NaiveDate, Utc};
use rusqlite::Connection;
use uuid::Uuid;

/// Fresh short codes tried before giving up (a clash is already one in 10^11).
const SHORT_CODE_TRIES: usize = 16;

impl Kiosk {
    /// The sign-up at the current fair with this phone, or else with this resident ID.
    pub fn lookup_existing(
        &self,
        phone: &Phone,
        resident_id: Option<&ResidentId>,
    ) -> Result<Option<Existing>> {
        let blinds = self.blinds(Some(phone), resident_id)?;
        let found = find_existing(self.store.conn(), &self.fair.fair.id, &blinds)?;
        if found.is_none() {
            // A new sign-up is likely: seal its numbers now, not after "Confirm".
            self.prepare_numbers(phone, resident_id);
        }
        Ok(found)
    }

    /// The sign-up at the current fair with this resident ID (the phone unknown).
    pub fn lookup_by_resident_id(&self, resident_id: &ResidentId) -> Result<Option<Existing>> {
        let blinds = self.blinds(None, Some(resident_id))?;
        find_existing(self.store.conn(), &self.fair.fair.id, &blinds)
    }

    /// The blind indexes to look a phone and a resident ID up with (needs the unlock).
    fn blinds(&self, phone: Option<&Phone>, resident_id: Option<&ResidentId>) -> Result<Blinds> {
        Ok(Blinds {
            phone: phone.map(|p| self.phone_blind(p)).transpose()?,
            resident_id: resident_id.map(|r| self.resident_id_blind(r)).transpose()?,
        })
    }

    /// Checks the draft again, then stores the sign-up, its openings and its ticket
    /// in one transaction. Returns only after the sign-up is durable: its entry is
    /// synced to the sign-up journal before SQLite commits
    /// ([`crate::store::Store::signup_transaction`]). A sign-up with the same phone or resident ID at this
    /// fair is never duplicated: the answer is [`Error::AlreadyRegistered`].
    pub fn register(&mut self, draft: &Draft) -> Result<Issued> {
        self.register_from(draft, Source::Kiosk)
    }

    /// [`Kiosk::register`] of a sign-up made at `source` (the phone form stores `Phone`).
    pub fn register_from(&mut self, draft: &Draft, source: Source) -> Result<Issued> {
        let (name, home) = check_draft(draft, &self.fair)?;
        let fair_id = self.fair.fair.id.as_str();
        let now = Utc::now();
        let signing = self.keys.signing().ok_or(Error::BoothOnlyDevice)?;
        let kiosk_id = self.config.kiosk_id.clone();
        let blinds = self.blinds(Some(&draft.phone), draft.resident_id.as_ref())?;
        let numbers = self.take_or_seal_numbers(&draft.phone, draft.resident_id.as_ref())?;
        self.store.signup_transaction(|tx, ahead| {
            if let Some(existing) = find_existing(tx, fair_id, &blinds)? {
                return Err(Error::AlreadyRegistered(Box::new(existing)));
            }
            let short_code = fresh_short_code(tx, fair_id)?;
            let id = Uuid::now_v7();
            let birth_date = draft.resident_id.as_ref().map(ResidentId::birth_date);
            let sex = draft.resident_id.as_ref().map(ResidentId::sex);
            let card = Card {
                name: name.clone(),
                birth_year: birth_year(birth_date),
                sex,
                township: home.township.clone(),
                openings: draft.openings.clone(),
                phone: draft
                    .consent
                    .share_phone
                    .then(|| draft.phone.as_str().to_string()),
            };
            let ticket = issue(signing, fair_id, id, FIRST_TICKET_VERSION, &card)?;
            let row = RegistrationRow {
                id,
                fair_id: fair_id.to_string(),
                short_code: short_code.clone(),
                kiosk_id,
                created_at: now,
                updated_at: now,
                name,
                numbers,
                birth_date,
                sex,
                home,
                consent: draft.consent,
                consent_text_version: CONSENT_TEXT_VERSION,
                ticket: ticket.clone(),
                openings: draft.openings.clone(),
            };
            let outbox_id = Uuid::now_v7();
            let record = record_of(&row, now);
            // The journal entry first: its write to the disk runs during the inserts.
            ahead.write(&SignupEntry::new(outbox_id, &row, &record, source).to_bytes())?;
            registrations::insert(tx, &row)?;
            if source != Source::Kiosk {
                sources::set(tx, id, source)?;
            }
            outbox::enqueue(tx, outbox_id, RecordKind::Registration, &record, now)?;
            Ok(Issued {
                registration_id: id,
                short_code,
                ticket,
                created: true,
            })
        })
    }

    /// The duplicate path: once the villager proved the sign-up is theirs (the last 4
    /// digits of the phone on file, or the full phone typed in this session), replaces
    /// the chosen openings and issues a fresh ticket.
    pub fn reissue(
        &mut self,
        id: Uuid,
        proof: impl Into<Proof>,
        openings: &[u16],
    ) -> Result<Issued> {
        check_openings(openings, &self.fair)?;
        match proof.into() {
            Proof::Last4(last4) => self.check_last4(id, &last4)?,
            Proof::FullPhone(phone) => {
                if self.phone_blind_on_file(id)? != self.phone_blind(&phone)? {
                    return Err(Error::NotTheOwner);
                }
            }
        }
        let row = registrations::get(self.store.conn(), id)?
            .filter(|r| r.fair_id == self.fair.fair.id)
            .ok_or(Error::UnknownRegistration(id))?;
        // The phone the ticket shows employers: opened with the staff key (unlocked).
        let shared_phone = if row.consent.share_phone {
            Some(self.open_numbers(&row.numbers)?.phone.clone())
        } else {
            None
        };
        let fair_id = self.fair.fair.id.as_str();
        let now = Utc::now();
        let tx = self.store.transaction()?;
        let card = Card {
            name: row.name.clone(),
            birth_year: birth_year(row.birth_date),
            sex: row.sex,
            township: row.home.township.clone(),
            openings: openings.to_vec(),
            phone: shared_phone,
        };
        let signing = self.keys.signing().ok_or(Error::BoothOnlyDevice)?;
        // One version more than the ticket it replaces (a format-1 ticket is version 0),
        // so a booth that sees both keeps this one.
        let previous = ticket::verify(&signing.verifier(), fair_id, &row.ticket)?.version;
        let version = previous
            .checked_add(1)
            .ok_or_else(|| Error::Invalid("this sign-up has been re-issued too often".into()))?;
        let ticket = issue(signing, fair_id, id, version, &card)?;
        tickets_seen::record(&tx, fair_id, &id.to_string(), version, now)?;
        registrations::replace_openings(&tx, id, openings)?;
        registrations::update_ticket(&tx, id, &ticket, now)?;
        let changed = RegistrationRow {
            openings: openings.to_vec(),
            ..row.clone()
        };
        outbox::enqueue(
            &tx,
            Uuid::now_v7(),
            RecordKind::Registration,
            &record_of(&changed, now),
            now,
        )?;
        tx.commit()?;
        Ok(Issued {
            registration_id: id,
            short_code: row.short_code,
            ticket,
            created: false,
        })
    }

    /// The last 4 digits of the phone on file of sign-up `id` at the current fair (its mask
    /// keeps them).
    pub(crate) fn phone_last4_on_file(&self, id: Uuid) -> Result<String> {
        registrations::get(self.store.conn(), id)?
            .filter(|r| r.fair_id == self.fair.fair.id)
            .map(|r| r.numbers.phone_last4())
            .ok_or(Error::UnknownRegistration(id))
    }

    /// The blind index of the phone on file of sign-up `id` at the current fair.
    pub(crate) fn phone_blind_on_file(&self, id: Uuid) -> Result<String> {
        let row = registrations::get(self.store.conn(), id)?
            .filter(|r| r.fair_id == self.fair.fair.id)
            .ok_or(Error::UnknownRegistration(id))?;
        match row.numbers {
            registrations::Numbers::Sealed(s) => Ok(s.phone_blind),
            // Sealed at the unlock that any lookup needs first.
            registrations::Numbers::Legacy { .. } => Err(Error::Locked),
        }
    }

    /// The stored ticket of a sign-up at the current fair (`created` is false).
    pub fn ticket_for(&self, id: Uuid) -> Result<Issued> {
        let row = registrations::get(self.store.conn(), id)?
            .filter(|r| r.fair_id == self.fair.fair.id)
            .ok_or(Error::UnknownRegistration(id))?;
        Ok(Issued {
            registration_id: id,
            short_code: row.short_code,
            ticket: row.ticket,
            created: false,
        })
    }
}

/// Checks again everything the wizard should already have checked (consent, the ID's
/// birth date against the fair's date, the home place, the openings, the name); returns
/// the normalized name and home place.
fn check_draft(draft: &Draft, fair: &FairFile) -> Result<(String, HomePlace)> {
    if !draft.consent.personal_data {
        return Err(Error::ConsentRequired);
    }
    if let Some(id) = &draft.resident_id {
        if !draft.consent.resident_id {
            return Err(Error::ResidentIdWithoutConsent);
        }
        // Whichever screen or form made the draft: the one birth-date rule.
        birth_date::check(id.birth_date(), fair.fair.date)?;
    }
    let home = draft.home.checked()?;
    check_openings(&draft.openings, fair)?;
    Ok((normalize_name(&draft.name)?, home))
}

/// 1 to 5 distinct openings, each of `fair`.
fn check_openings(openings: &[u16], fair: &FairFile) -> Result<()> {
    let count_ok = (1..=MAX_CHOSEN_OPENINGS).contains(&openings.len());
    let distinct = openings
        .iter()
        .enumerate()
        .all(|(i, o)| !openings[..i].contains(o));
    let known = openings.iter().all(|&o| fair.opening(o).is_some());
    if count_ok && distinct && known {
        Ok(())
    } else {
        Err(Error::BadOpenings)
    }
}

fn fresh_short_code(conn: &Connection, fair_id: &str) -> Result<String> {
    for _ in 0..SHORT_CODE_TRIES {
        let code = short_code::from_random(&random::<16>()?);
        if !registrations::short_code_taken(conn, fair_id, &code)? {
            return Ok(code);
        }
    }
    Err(Error::Invalid("no free short code found".into()))
}

/// The birth year as the ticket carries it (1901 to 2155), else unknown.
fn birth_year(birth_date: Option<NaiveDate>) -> Option<u16> {
    birth_date
        .and_then(|d| u16::try_from(d.year()).ok())
        .filter(|y| (1901..=2155).contains(y))
}

/// The version of a sign-up's first ticket.
const FIRST_TICKET_VERSION: u16 = 1;

fn issue(keys: &FairKeys, fair_id: &str, id: Uuid, version: u16, card: &Card) -> Result<String> {
    Ok(ticket::issue(
        keys,
        fair_id,
        *id.as_bytes(),
        version,
        card,
        random::<{ ticket::NONCE_LEN }>()?,
    )?)
}

/// The record the base receives for this version of a sign-up.
pub(crate) fn record_of(row: &RegistrationRow, at: chrono::DateTime<Utc>) -> RegistrationRecord {
    RegistrationRecord {
        registration_id: row.id.to_string(),
        fair_id: row.fair_id.clone(),
        kiosk_id: row.kiosk_id.clone(),
        short_code: row.short_code.clone(),
        at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        name: row.name.clone(),
        phone: row.numbers.phone_masked(),
        resident_id: row.numbers.resident_id_masked(),
        birth_date: row.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
        sex: row.sex.map(|s| match s {
            crate::domain::sex::Sex::Male => "male".to_string(),
            crate::domain::sex::Sex::Female => "female".to_string(),
        }),
        home: row.home.clone(),
        consent: row.consent,
        consent_text_version: row.consent_text_version,
        openings: row.openings.clone(),
        sealed: row.numbers.sealed().map(|s| s.sealed.clone()),
    }
}
