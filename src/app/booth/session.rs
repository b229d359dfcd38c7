//! A logged-in booth: made only by a right PIN, it holds the booth and its employer and
//! the candidate on screen, and refuses to record a stage for anyone or anything else —
//! a candidate not scanned (or opened) in this session, an opening of another employer.
//! The touch UI keeps one `Session` while a recruiter is logged in.

use super::{BoothInfo, Candidate, ScanOutcome};
use crate::app::kiosk::Kiosk;
use crate::app::{Error, PinCheck, Result};
use crate::domain::stage::Stage;
use uuid::Uuid;

/// A booth whose PIN was accepted, and the candidate its recruiter is looking at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub(super) booth: BoothInfo,
    pub(super) candidate: Option<Uuid>,
}

impl Session {
    /// Logs booth `booth` in with its PIN: a session, or why not (wrong, locked).
    pub fn open(
        kiosk: &mut Kiosk,
        booth: i64,
        pin: &str,
    ) -> Result<std::result::Result<Session, PinCheck>> {
        let info = kiosk
            .booths()?
            .into_iter()
            .find(|b| b.id == booth)
            .ok_or(Error::UnknownBooth(booth))?;
        Ok(match kiosk.booth_login(booth, pin)? {
            PinCheck::Ok => Ok(Session {
                booth: info,
                candidate: None,
            }),
            refused => Err(refused),
        })
    }

    /// The booth, with its employer.
    pub fn booth(&self) -> &BoothInfo {
        &self.booth
    }

    /// The candidate on screen, if any.
    pub fn candidate(&self) -> Option<Uuid> {
        self.candidate
    }

    /// A scanned ticket: the card (then that villager is the candidate on screen) or why not.
    pub fn scan(&mut self, kiosk: &mut Kiosk, scanned: &str) -> Result<ScanOutcome> {
        let outcome = kiosk.booth_scan(self.booth.id, scanned)?;
        self.note_candidate(&outcome);
        Ok(outcome)
    }

    /// A short code typed on the keypad (registration kiosks only).
    pub fn scan_short_code(&mut self, kiosk: &mut Kiosk, typed: &str) -> Result<ScanOutcome> {
        let outcome = kiosk.booth_scan_short_code(self.booth.id, typed)?;
        self.note_candidate(&outcome);
        Ok(outcome)
    }

    fn note_candidate(&mut self, outcome: &ScanOutcome) {
        if let ScanOutcome::Candidate(c) = outcome {
            self.candidate = Some(c.registration_id);
        }
    }

    /// A candidate from today's list (scanned at this booth before).
    pub fn open_candidate(&mut self, kiosk: &Kiosk, registration: Uuid) -> Result<Candidate> {
        let c = kiosk.booth_candidate(self.booth.id, registration)?;
        self.candidate = Some(registration);
        Ok(c)
    }

    /// Back to the scan page: no candidate on screen.
    pub fn leave_candidate(&mut self) {
        self.candidate = None;
    }

    /// Records `stage` (and the note, at most 60 characters) for the candidate on screen and
    /// one of their openings at this booth's employer; returns the candidate as now.
    pub fn record_stage(
        &mut self,
        kiosk: &mut Kiosk,
        registration: Uuid,
        opening: u16,
        stage: Stage,
        note: &str,
    ) -> Result<Candidate> {
        if self.candidate != Some(registration) {
            return Err(Error::NotThisCandidate);
        }
        let of_employer = kiosk
            .fair()
            .opening(opening)
            .is_some_and(|o| o.employer == self.booth.employer_id);
        if !of_employer {
            return Err(Error::NotThisEmployer);
        }
        kiosk.record_stage(self.booth.id, registration, opening, stage, note)?;
        kiosk.booth_candidate(self.booth.id, registration)
    }

    /// Today's candidates at this booth, the latest seen first.
    pub fn candidates_today(&self, kiosk: &Kiosk) -> Result<Vec<Candidate>> {
        kiosk.booth_candidates_today(self.booth.id)
    }
}
