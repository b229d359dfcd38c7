//! Finding an earlier sign-up at the current fair by phone, or else by resident ID (the
//! duplicate rule of registering, and the duplicate path of the wizard).

use super::Result;
use super::kiosk::{Existing, FoundBy};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::store::registrations;
use rusqlite::Connection;

pub(super) fn find_existing(
    conn: &Connection,
    fair_id: &str,
    phone: Option<&Phone>,
    resident_id: Option<&ResidentId>,
) -> Result<Option<Existing>> {
    let mut found = match phone {
        Some(p) => {
            registrations::find_by_phone(conn, fair_id, p.as_str())?.map(|r| (r, FoundBy::Phone))
        }
        None => None,
    };
    if found.is_none()
        && let Some(rid) = resident_id
    {
        found = registrations::find_by_resident_id(conn, fair_id, rid.as_str())?
            .map(|r| (r, FoundBy::ResidentId));
    }
    Ok(found.map(|(r, found_by)| Existing {
        registration_id: r.id,
        found_by,
        phone_last4: r.phone[r.phone.len().saturating_sub(4)..].to_string(),
        phone_masked: Phone::parse(&r.phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
        resident_id_masked: r
            .resident_id
            .as_deref()
            .and_then(|id| ResidentId::parse(id).ok())
            .map(|id| id.masked()),
        home: r.home,
        share_phone: r.consent.share_phone,
        openings: r.openings,
        name: r.name,
    }))
}
