//! The ticket a villager's phone was given, found again by the phone's session cookie after
//! the kiosk restarted (issue 15: "reopening the page later on the same phone shows the
//! ticket again"). Only the cookie's SHA-256 is stored; the ticket itself is rebuilt from the
//! sign-up, so a purged sign-up leaves nothing to show.

use super::wizard::TicketView;
use super::{Issued, Kiosk, Result};
use crate::store::phone_tickets::{self, PhoneTicket};
use crate::store::registrations;
use chrono::{DateTime, Duration, Utc};

impl Kiosk {
    /// Remembers that the phone holding session cookie `token` was given `ticket` (its
    /// language "zh" or "en"), and forgets tickets older than `keep`.
    pub fn remember_phone_ticket(
        &self,
        token: &str,
        ticket: &TicketView,
        lang: &str,
        now: DateTime<Utc>,
        keep: Duration,
    ) -> Result<()> {
        let conn = self.store.conn();
        phone_tickets::forget_before(conn, now - keep)?;
        phone_tickets::put(
            conn,
            token,
            &PhoneTicket {
                registration_id: ticket.issued.registration_id,
                created: ticket.issued.created,
                lang: lang.to_string(),
                issued_at: now,
            },
        )?;
        Ok(())
    }

    /// The ticket of the phone holding `token`, given less than `keep` ago at the current
    /// fair, rebuilt from its sign-up, with the phone's language then.
    pub fn phone_ticket(
        &self,
        token: &str,
        now: DateTime<Utc>,
        keep: Duration,
    ) -> Result<Option<(TicketView, String)>> {
        let conn = self.store.conn();
        let Some(t) = phone_tickets::get(conn, token)? else {
            return Ok(None);
        };
        if t.issued_at + keep < now {
            return Ok(None);
        }
        let Some(row) =
            registrations::get(conn, t.registration_id)?.filter(|r| r.fair_id == self.fair.fair.id)
        else {
            return Ok(None);
        };
        let view = TicketView {
            issued: Issued {
                registration_id: row.id,
                short_code: row.short_code,
                ticket: row.ticket,
                created: t.created,
            },
            name: row.name,
            openings: row.openings,
            ride: None,
        };
        Ok(Some((view, t.lang)))
    }
}
