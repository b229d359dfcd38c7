//! Recruiter booths: set up by staff (`booth add`), opened with the booth's PIN, reading
//! villagers' tickets offline and recording a stage per opening.
//!
//! Consent: a ticket's card is shown only to the booths of employers whose openings the
//! villager chose; any other booth gets [`ScanOutcome::NotShared`] and no personal details.
//! A booth sees only its own employer's openings.

use super::kiosk::Kiosk;
use super::pin::{PinCheck, check_pin, hash_pin, needs_rehash};
use super::{Error, Result, random};
use crate::domain::fair::FairFile;
use crate::domain::sex::Sex;
use crate::domain::stage::Stage;
use crate::domain::ticket::{self, Card, TicketError};
use crate::store::booths;
use crate::store::tickets_seen::{self, Seen};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod ride;
#[cfg(test)]
mod ride_tests;
mod session;
#[cfg(test)]
mod session_tests;

pub use ride::RideOffer;
pub use session::Session;

/// Digits of a booth PIN made by `booth add`.
pub const BOOTH_PIN_DIGITS: usize = 6;

/// A booth as the login page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoothInfo {
    pub id: i64,
    pub employer_id: String,
    pub employer_name: String,
    pub employer_name_en: Option<String>,
}

/// A booth just added, with its PIN (shown once, never stored in clear).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooth {
    pub booth: BoothInfo,
    pub pin: String,
}

/// The stage of one opening for the candidate on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningStage {
    pub opening_id: u16,
    pub stage: Option<Stage>,
    pub note: String,
}

/// A villager at a booth that may see their card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub registration_id: Uuid,
    /// The card, its openings cut down to this booth's employer.
    pub card: Card,
    /// Age on the fair's day, when known.
    pub age: Option<Age>,
    pub openings: Vec<OpeningStage>,
    pub last_seen_at: DateTime<Utc>,
}

/// A candidate's age on the fair's day: exact when this device has the sign-up's birth
/// date, else one of two values (a ticket carries only the birth year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub low: u16,
    pub high: u16,
}

/// What a scan at a booth shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Candidate(Box<Candidate>),
    /// A valid ticket, but the villager chose none of this employer's openings.
    NotShared,
    /// Damaged, altered, forged or not a ticket at all.
    Invalid,
    /// A valid-looking ticket of another fair.
    OtherFair,
    /// A typed short code that no sign-up on this device has.
    UnknownCode,
    /// A valid ticket, but this device has seen a newer ticket of the same sign-up (the
    /// villager changed their openings): refused, the newer data kept. Ask for the
    /// newest ticket.
    Superseded,
}

/// Prefix of a card sealed at rest in `booth_candidates.card` (then hex: nonce, ciphertext,
/// tag). Cards written before issue 17 are plain JSON (they start with `{`).
const SEALED_CARD: &str = "s1:";

/// What binds a sealed card to its row: a card moved to another booth's or villager's row
/// does not open.
fn card_binding(booth: i64, registration_id: &str) -> String {
    format!("booth_candidates/{booth}/{registration_id}")
}

/// The card as `booth_candidates.card` stores it: JSON sealed with a key derived from the
/// fair's card key ([`ticket::BoothKeys::seal_at_rest`]), so the villager's name and shared
/// phone are never in clear in the file.
pub(super) fn seal_card(
    keys: &ticket::BoothKeys,
    booth: i64,
    registration_id: &str,
    card: &StoredCard,
) -> Result<String> {
    let json = serde_json::to_vec(card).expect("cards serialize");
    let sealed = keys.seal_at_rest(
        random()?,
        card_binding(booth, registration_id).as_bytes(),
        &json,
    );
    Ok(format!(
        "{SEALED_CARD}{}",
        jobfair_protocol::sealed::to_hex(&sealed)
    ))
}

/// Reads a stored card: sealed ([`seal_card`]) or, from before, plain JSON. `None` when it
/// does not open (another fair's keys) or does not parse.
pub(super) fn open_card(
    keys: &ticket::BoothKeys,
    booth: i64,
    registration_id: &str,
    stored: &str,
) -> Option<StoredCard> {
    match stored.strip_prefix(SEALED_CARD) {
        Some(hex) => {
            let sealed = jobfair_protocol::sealed::from_hex(hex)?;
            let json = keys
                .open_at_rest(card_binding(booth, registration_id).as_bytes(), &sealed)
                .ok()?;
            serde_json::from_slice(&json).ok()
        }
        None => serde_json::from_str(stored).ok(),
    }
}

/// The card as `booth_candidates.card` keeps it (inside its seal).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredCard {
    name: String,
    birth_year: Option<u16>,
    sex: Option<String>,
    township: String,
    openings: Vec<u16>,
    phone: Option<String>,
}

impl From<&Card> for StoredCard {
    fn from(c: &Card) -> StoredCard {
        StoredCard {
            name: c.name.clone(),
            birth_year: c.birth_year,
            sex: c.sex.map(|s| match s {
                Sex::Male => "male".into(),
                Sex::Female => "female".into(),
            }),
            township: c.township.clone(),
            openings: c.openings.clone(),
            phone: c.phone.clone(),
        }
    }
}

impl From<StoredCard> for Card {
    fn from(c: StoredCard) -> Card {
        Card {
            name: c.name,
            birth_year: c.birth_year,
            sex: match c.sex.as_deref() {
                Some("male") => Some(Sex::Male),
                Some("female") => Some(Sex::Female),
                _ => None,
            },
            township: c.township,
            openings: c.openings,
            phone: c.phone,
        }
    }
}

/// The pin-failure scope of booth `id`.
fn pin_scope(id: i64) -> String {
    format!("booth:{id}")
}

fn info(fair: &FairFile, row: &booths::BoothRow) -> BoothInfo {
    let employer = fair.employer(&row.employer);
    BoothInfo {
        id: row.id,
        employer_id: row.employer.clone(),
        employer_name: employer.map_or_else(|| row.employer.clone(), |e| e.name.clone()),
        employer_name_en: employer.and_then(|e| e.name_en.clone()),
    }
}

/// A random PIN of [`BOOTH_PIN_DIGITS`] digits, without modulo bias.
fn random_pin() -> Result<String> {
    loop {
        let n = u32::from_le_bytes(random::<4>()?);
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

impl Kiosk {
    /// Adds a booth for `employer` (its id or exact name in the current fair) and returns
    /// its fresh PIN. The PIN is stored only as an argon2 hash.
    pub fn add_booth(&mut self, employer: &str) -> Result<NewBooth> {
        let fair = &self.fair;
        let found = fair
            .employer(employer)
            .or_else(|| fair.employers.iter().find(|e| e.name == employer))
            .ok_or_else(|| Error::UnknownEmployer(employer.to_string()))?;
        let employer_id = found.id.clone();
        let pin = random_pin()?;
        let hash = hash_pin(&pin)?;
        let tx = self.store.transaction()?;
        if let Some(b) = booths::find(&tx, &fair.fair.id, &employer_id)? {
            return Err(Error::BoothExists {
                employer: employer_id,
                booth: b.id,
            });
        }
        let id = booths::insert(&tx, &fair.fair.id, &employer_id, &hash, Utc::now())?;
        let row = booths::get(&tx, id)?.ok_or(Error::UnknownBooth(id))?;
        tx.commit()?;
        Ok(NewBooth {
            booth: info(&self.fair, &row),
            pin,
        })
    }

    /// The booths of the current fair.
    pub fn booths(&self) -> Result<Vec<BoothInfo>> {
        let rows = booths::list(self.store.conn(), &self.fair.fair.id)?;
        Ok(rows.iter().map(|r| info(&self.fair, r)).collect())
    }

    /// Opens booth `booth` with its PIN (5 wrong → locked 5 minutes, kept in the store).
    pub fn booth_login(&mut self, booth: i64, pin: &str) -> Result<PinCheck> {
        self.booth_login_at(booth, pin, Utc::now())
    }

    /// [`Kiosk::booth_login`] at a given time (tests inject the clock).
    pub fn booth_login_at(
        &mut self,
        booth: i64,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<PinCheck> {
        let row = self.booth_row(booth)?;
        let tx = self.store.transaction()?;
        let check = check_pin(&tx, &pin_scope(booth), &row.pin_hash, pin, now)?;
        if check == PinCheck::Ok && needs_rehash(&row.pin_hash) {
            // Made before at other costs (19 MiB × 2): hashed again at today's.
            booths::set_pin_hash(&tx, booth, &hash_pin(pin)?)?;
        }
        tx.commit()?;
        Ok(check)
    }

    /// True when typed short codes can be looked up here: only a registration kiosk has
    /// the sign-ups; a standalone booth device reads scanned tickets only.
    pub fn booth_short_codes_available(&self) -> bool {
        !self.is_booth_only()
    }

    /// Reads a scanned ticket at booth `booth` and remembers the candidate.
    pub fn booth_scan(&mut self, booth: i64, scanned: &str) -> Result<ScanOutcome> {
        self.booth_scan_at(booth, scanned, Utc::now())
    }

    /// [`Kiosk::booth_scan`] at a given time (tests inject the clock). A ticket older
    /// than one of the same sign-up seen on this device is [`ScanOutcome::Superseded`].
    pub fn booth_scan_at(
        &mut self,
        booth: i64,
        scanned: &str,
        now: DateTime<Utc>,
    ) -> Result<ScanOutcome> {
        let row = self.booth_row(booth)?;
        let verified = match ticket::verify(&self.keys.verifier(), &self.fair.fair.id, scanned) {
            Ok(v) => v,
            Err(TicketError::OtherFair) => return Ok(ScanOutcome::OtherFair),
            Err(_) => return Ok(ScanOutcome::Invalid),
        };
        let mut card = verified.card;
        let fair = &self.fair;
        card.openings
            .retain(|&o| fair.opening(o).is_some_and(|o| o.employer == row.employer));
        let id = Uuid::from_bytes(verified.registration_id);
        let reg = id.to_string();
        let tx = self.store.transaction()?;
        if let Seen::Superseded { .. } =
            tickets_seen::see(&tx, &fair.fair.id, &reg, verified.version, now)?
        {
            return Ok(ScanOutcome::Superseded);
        }
        if card.openings.is_empty() {
            // A newer ticket may no longer share the villager with this booth.
            booths::forget_card(&tx, booth, &reg)?;
            tx.commit()?;
            return Ok(ScanOutcome::NotShared);
        }
        let stored = seal_card(&self.keys.verifier(), booth, &reg, &StoredCard::from(&card))?;
        booths::touch_candidate(&tx, booth, &reg, Some(&stored), now)?;
        tx.commit()?;
        Ok(ScanOutcome::Candidate(Box::new(
            self.candidate(booth, id, card, now)?,
        )))
    }

    /// The keypad path: a short code typed at booth `booth` on a registration kiosk.
    pub fn booth_scan_short_code(&mut self, booth: i64, typed: &str) -> Result<ScanOutcome> {
        let Ok(code) = crate::domain::short_code::parse(typed) else {
            return Ok(ScanOutcome::UnknownCode);
        };
        match booths::ticket_by_short_code(self.store.conn(), &self.fair.fair.id, &code)? {
            Some(ticket) => self.booth_scan(booth, &ticket),
            None => Ok(ScanOutcome::UnknownCode),
        }
    }

    /// Seals the current fair's booth cards still stored as plain JSON (written before
    /// issue 17), then scrubs the journal and the WAL so that the plain copies leave the
    /// files. Runs when the kiosk opens and when it switches fairs; needs no unlock (the
    /// card key is the fair's). Returns how many cards it sealed. A card that does not
    /// parse is forgotten (its stage history stays): it could not be shown anyway.
    pub(super) fn seal_plain_cards(&mut self) -> Result<usize> {
        let plain = booths::plain_cards(self.store.conn(), &self.fair.fair.id)?;
        if plain.is_empty() {
            return Ok(0);
        }
        let keys = self.keys.verifier();
        let tx = self.store.transaction()?;
        for (booth, reg, json) in &plain {
            match serde_json::from_str::<StoredCard>(json) {
                Ok(card) => {
                    booths::replace_card(&tx, *booth, reg, &seal_card(&keys, *booth, reg, &card)?)?
                }
                Err(_) => booths::forget_card(&tx, *booth, reg)?,
            }
        }
        tx.commit()?;
        self.scrub_after_sealing()?;
        Ok(plain.len())
    }

    pub(super) fn booth_row(&self, booth: i64) -> Result<booths::BoothRow> {
        booths::get(self.store.conn(), booth)?
            .filter(|b| b.fair_id == self.fair.fair.id)
            .ok_or(Error::UnknownBooth(booth))
    }
}
