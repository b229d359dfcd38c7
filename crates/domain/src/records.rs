//! The records a kiosk sends to the labor-cooperation base. Each is frozen as JSON
//! in the outbox in the same transaction that stores it locally, and never
//! rewritten: the base recognises a resend by its UUID and the SHA-256 of the JSON.

use super::registration::{Consent, HomePlace};
use serde::{Deserialize, Serialize};

/// Kinds of record in the outbox (the `kind` column and the base's `kind` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Registration,
    Stage,
    CheckIn,
    /// A seat request as it stands after a change (issue 16): asked, seated, waitlisted,
    /// moved or cancelled.
    Seat,
    /// A villager who got on a departure.
    Boarding,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Registration,
        RecordKind::Stage,
        RecordKind::CheckIn,
        RecordKind::Seat,
        RecordKind::Boarding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Registration => "registration",
            RecordKind::Stage => "stage",
            RecordKind::CheckIn => "check_in",
            RecordKind::Seat => "seat",
            RecordKind::Boarding => "boarding",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A sign-up as it stood when it was stored (first registration or a later change
/// of openings through the duplicate path: each is its own record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRecord {
    pub registration_id: String,
    pub fair_id: String,
    pub kiosk_id: String,
    pub short_code: String,
    /// UTC RFC 3339 of this version of the sign-up.
    pub at: String,
    pub name: String,
    /// The phone: masked (`138****5678`) when [`RegistrationRecord::sealed`] carries the
    /// numbers (kiosks since issue 17); whole in older records, which have no `sealed`.
    pub phone: String,
    /// The resident ID: masked (`520000********001X`) or whole, as [`Self::phone`].
    pub resident_id: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub home: HomePlace,
    pub consent: Consent,
    pub consent_text_version: u32,
    pub openings: Vec<u16>,
    /// The whole phone and resident ID, sealed (issue 17): absent in records made before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedNumbers>,
}

/// A villager's whole phone and resident ID as a record carries them: sealed boxes
/// (libsodium `crypto_box_seal`, hex), one for the fair's staff export key and one for the
/// base's key (absent when the kiosk knew no base key). Each box holds the JSON
/// `{"phone":"…","resident_id":"…"}` (`resident_id` absent when none was given).
/// `jobfair_protocol::sealed` makes and opens them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedNumbers {
    pub staff: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

/// A stage recorded at a booth for one candidate and one opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub registration_id: String,
    pub fair_id: String,
    pub kiosk_id: String,
    pub employer: String,
    pub opening_id: u16,
    /// interested | interviewed | offered | hired | declined
    pub stage: String,
    pub note: String,
    pub at: String,
}

/// A villager marked present at the fair by scanning their ticket at a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInRecord {
    pub registration_id: String,
    pub fair_id: String,
    pub kiosk_id: String,
    pub at: String,
}

/// The states of a seat request, as [`SeatRecord::state`] spells them.
pub const SEAT_STATES: [&str; 4] = ["requested", "assigned", "waitlisted", "cancelled"];

/// A seat request as it stands after one change (issue 16). Every change is its own
/// record: asking for a ride, getting a seat, joining or leaving a waitlist, a staff
/// move, a cancellation. The newest (`at`, then upload order) of a sign-up is its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatRecord {
    /// The UUID of the request (one per ride asked; a new one after a cancellation).
    pub request_id: String,
    pub registration_id: String,
    pub fair_id: String,
    pub kiosk_id: String,
    /// `None` while asked without a departure (or cancelled before one was chosen).
    pub departure_id: Option<String>,
    /// The employer (id) the ride is for, when known.
    pub employer: Option<String>,
    /// requested | assigned | waitlisted | cancelled (see [`SEAT_STATES`])
    pub state: String,
    /// The seat number, set exactly when `state` is `assigned`.
    pub seat: Option<u32>,
    /// Who made the change: kiosk | booth:<id> | staff | cli.
    pub source: String,
    /// UTC RFC 3339 of the change.
    pub at: String,
}

/// A villager who got on a departure, scanned at the door by a boarding device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardingRecord {
    pub registration_id: String,
    pub fair_id: String,
    /// The device that scanned the ticket.
    pub kiosk_id: String,
    pub departure_id: String,
    pub seat: Option<u32>,
    /// The employer (id) the ride is for, when the seat request named one.
    pub employer: Option<String>,
    pub at: String,
}
