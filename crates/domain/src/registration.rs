//! A sign-up as the villager confirms it on the review screen.

use super::phone::Phone;
use super::resident_id::ResidentId;
use serde::{Deserialize, Serialize};

/// Most openings one villager may choose.
pub const MAX_CHOSEN_OPENINGS: usize = 5;

/// Version of the consent text shown on the consent screen; stored with each sign-up.
pub const CONSENT_TEXT_VERSION: u32 = 1;

/// What the villager agreed to on the consent screen (PIPL: separate consents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consent {
    /// Collection of name, phone and home place for this fair (required to register).
    pub personal_data: bool,
    /// Collection of the resident ID number (optional; declining still allows registering).
    pub resident_id: bool,
    /// Showing the phone number to the chosen employers on the ticket card (optional).
    pub share_phone: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HomePlace {
    pub county: String,
    pub township: String,
    pub village: String,
}

/// Everything the review screen shows, already validated field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub consent: Consent,
    pub phone: Phone,
    /// Only present when `consent.resident_id` is true.
    pub resident_id: Option<ResidentId>,
    pub name: String,
    pub home: HomePlace,
    /// Opening ids in the order chosen, 1 to [`MAX_CHOSEN_OPENINGS`].
    pub openings: Vec<u16>,
}
