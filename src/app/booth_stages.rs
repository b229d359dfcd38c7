//! Booth stages: what a recruiter records per opening, the candidate's current stages and
//! the booth's list of today's candidates (see [`super::booth`]).

use super::booth::{Age, Candidate, OpeningStage, open_card};
use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::domain::records::{RecordKind, StageRecord};
use crate::domain::stage::{Stage, clean_note};
use crate::domain::ticket::Card;
use crate::store::{booths, outbox, stages};
use chrono::{DateTime, Datelike, Local, SecondsFormat, TimeZone, Utc};
use uuid::Uuid;

impl Kiosk {
    /// Records `stage` for a candidate already scanned at booth `booth` and one of their
    /// chosen openings of this employer. Returns false when that stage (with no new note)
    /// is already the current one: nothing is stored then. Every change is a
    /// `stage_events` row and an outbox record, in one transaction.
    pub fn record_stage(
        &mut self,
        booth: i64,
        registration: Uuid,
        opening: u16,
        stage: Stage,
        note: &str,
    ) -> Result<bool> {
        self.record_stage_at(booth, registration, opening, stage, note, Utc::now())
    }

    /// [`Kiosk::record_stage`] at a given time.
    pub fn record_stage_at(
        &mut self,
        booth: i64,
        registration: Uuid,
        opening: u16,
        stage: Stage,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let row = self.booth_row(booth)?;
        let reg = registration.to_string();
        let note = clean_note(note).map_err(|max| Error::NoteTooLong { max })?;
        let card = self.stored_card(booth, &reg)?;
        if !card.openings.contains(&opening) {
            return Err(Error::BadOpenings);
        }
        let tx = self.store.transaction()?;
        if let Some(current) = stages::current(&tx, booth, &reg, opening)?
            && current.stage == stage
            && (note.is_empty() || note == current.note)
        {
            return Ok(false);
        }
        let event = stages::StageEvent {
            id: Uuid::now_v7(),
            booth_id: booth,
            registration_id: reg.clone(),
            opening_id: opening,
            stage,
            note: note.clone(),
            at: now,
        };
        stages::insert(&tx, &event)?;
        let record = StageRecord {
            registration_id: reg,
            fair_id: self.fair.fair.id.clone(),
            kiosk_id: self.config.kiosk_id.clone(),
            employer: row.employer,
            opening_id: opening,
            stage: stage.as_str().to_string(),
            note,
            at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        outbox::enqueue(&tx, event.id, RecordKind::Stage, &record, now)?;
        tx.commit()?;
        Ok(true)
    }

    /// The candidate `registration` as booth `booth` last saw them, with current stages.
    pub fn booth_candidate(&self, booth: i64, registration: Uuid) -> Result<Candidate> {
        let reg = registration.to_string();
        let card = self.stored_card(booth, &reg)?;
        let seen = booths::candidate(self.store.conn(), booth, &reg)?
            .map_or_else(Utc::now, |c| c.last_seen_at);
        self.candidate(booth, registration, card, seen)
    }

    /// Today's candidates of booth `booth` (local day), the latest seen first.
    pub fn booth_candidates_today(&self, booth: i64) -> Result<Vec<Candidate>> {
        self.booth_candidates_on_day_of(booth, Utc::now())
    }

    /// The candidates of booth `booth` seen on the local day of `now` (or later), the
    /// latest seen first (tests inject the clock).
    pub fn booth_candidates_on_day_of(
        &self,
        booth: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Candidate>> {
        let midnight = now
            .with_timezone(&Local)
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .expect("midnight");
        let since = Local
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
        let rows = booths::candidates_since(self.store.conn(), booth, since)?;
        let keys = self.keys.verifier();
        rows.into_iter()
            .filter_map(|r| {
                let id = Uuid::parse_str(&r.registration_id).ok()?;
                let card = open_card(&keys, booth, &r.registration_id, r.card.as_deref()?)?;
                Some(self.candidate(booth, id, card.into(), r.last_seen_at))
            })
            .collect()
    }

    pub(super) fn stored_card(&self, booth: i64, reg: &str) -> Result<Card> {
        let unknown =
            || Error::Invalid(format!("candidate {reg} was not scanned at booth {booth}"));
        let row = booths::candidate(self.store.conn(), booth, reg)?.ok_or_else(unknown)?;
        let card = open_card(
            &self.keys.verifier(),
            booth,
            reg,
            row.card.as_deref().ok_or_else(unknown)?,
        )
        .ok_or_else(unknown)?;
        Ok(card.into())
    }

    /// The age on the fair's day: exact from the birth date of the sign-up when this device
    /// has it, else from the ticket's birth year (before or after the birthday).
    fn age_on_fair_day(&self, id: Uuid, birth_year: Option<u16>) -> Result<Option<Age>> {
        let fair_day = self.fair.fair.date;
        let birth = crate::store::registrations::get(self.store.conn(), id)?
            .filter(|r| r.fair_id == self.fair.fair.id)
            .and_then(|r| r.birth_date);
        if let Some(birth) = birth {
            let mut years = fair_day.year() - birth.year();
            if (fair_day.month(), fair_day.day()) < (birth.month(), birth.day()) {
                years -= 1;
            }
            let years = u16::try_from(years).unwrap_or(0);
            return Ok(Some(Age {
                low: years,
                high: years,
            }));
        }
        let fair_year = u16::try_from(fair_day.year()).unwrap_or(0);
        Ok(birth_year.map(|y| Age {
            low: fair_year.saturating_sub(y).saturating_sub(1),
            high: fair_year.saturating_sub(y),
        }))
    }

    pub(super) fn candidate(
        &self,
        booth: i64,
        id: Uuid,
        card: Card,
        seen: DateTime<Utc>,
    ) -> Result<Candidate> {
        let reg = id.to_string();
        let openings = card
            .openings
            .iter()
            .map(|&o| {
                let current = stages::current(self.store.conn(), booth, &reg, o)?;
                Ok(OpeningStage {
                    opening_id: o,
                    stage: current.as_ref().map(|c| c.stage),
                    note: current.map(|c| c.note).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Candidate {
            registration_id: id,
            age: self.age_on_fair_day(id, card.birth_year)?,
            card,
            openings,
            last_seen_at: seen,
        })
    }
}
