//! Finding an earlier sign-up at the current fair by phone, or else by resident ID (the
//! duplicate rule of registering, and the duplicate path of the wizard).

use super::Result;
use super::kiosk::{Existing, FoundBy};
use crate::store::registrations;
use rusqlite::Connection;

/// The blind indexes of the phone and the resident ID being looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Blinds {
    pub phone: Option<String>,
    pub resident_id: Option<String>,
}

pub(super) fn find_existing(
    conn: &Connection,
    fair_id: &str,
    blinds: &Blinds,
) -> Result<Option<Existing>> {
    let mut found = match &blinds.phone {
        Some(p) => {
            registrations::find_by_phone_blind(conn, fair_id, p)?.map(|r| (r, FoundBy::Phone))
        }
        None => None,
    };
    if found.is_none()
        && let Some(rid) = &blinds.resident_id
    {
        found = registrations::find_by_resident_id_blind(conn, fair_id, rid)?
            .map(|r| (r, FoundBy::ResidentId));
    }
    Ok(found.map(|(r, found_by)| Existing {
        registration_id: r.id,
        found_by,
        phone_last4: r.numbers.phone_last4(),
        phone_masked: r.numbers.phone_masked(),
        resident_id_masked: r.numbers.resident_id_masked(),
        home: r.home,
        share_phone: r.consent.share_phone,
        openings: r.openings,
        name: r.name,
    }))
}
