//! What the wizard needs from the store, as a trait: the kiosk implements it; a second
//! front end (the phone form) can implement it over whatever owns the kiosk.

use crate::app::lists::ListPersonRow;
use crate::app::transport::{SeatRequest, Source};
use crate::app::{Existing, Issued, Kiosk, Proof, Result};
use crate::domain::fair::FairFile;
use crate::domain::phone::Phone;
use crate::domain::registration::Draft;
use crate::domain::resident_id::ResidentId;
use crate::seal::Personal;
use uuid::Uuid;

/// The store operations of the registration flow.
pub trait Registrar {
    /// The current fair (its date is the birth-date rule's "today").
    fn fair(&self) -> &FairFile;
    /// A sign-up at this fair with this phone, or else with this resident ID.
    fn lookup_existing(&self, phone: &Phone, id: Option<&ResidentId>) -> Result<Option<Existing>>;
    /// A sign-up at this fair with this resident ID.
    fn lookup_by_resident_id(&self, id: &ResidentId) -> Result<Option<Existing>>;
    /// Stores a new sign-up (checked again) and issues its ticket.
    fn register(&mut self, draft: &Draft) -> Result<Issued>;
    /// Replaces an earlier sign-up's openings once `proof` holds; a fresh ticket.
    fn reissue(&mut self, id: Uuid, proof: Proof, openings: &[u16]) -> Result<Issued>;
    /// Checks the last 4 digits of the phone on file (wrong tries counted, then locked).
    fn check_last4(&mut self, id: Uuid, last4: &str) -> Result<()>;
    /// The person on a township's or employer's list with this phone, ID or list code.
    fn find_on_list(&self, typed: &str) -> Result<Option<ListPersonRow>>;
    /// The whole phone and resident ID of a list person (sealed in the store; the
    /// wizard prefills them). Needs the kiosk unlocked.
    fn open_list_numbers(&self, row: &ListPersonRow) -> Result<Personal>;
    /// Links a list person to the sign-up made from their record.
    fn link_list_person(&mut self, id: i64, registration: Uuid) -> Result<()>;
    /// Asks for a seat on `departure` for the sign-up (the ride step): a seat, or the
    /// end of its waitlist ([`Kiosk::request_seat`]).
    fn request_seat(
        &mut self,
        registration: Uuid,
        departure: &str,
        employer: Option<&str>,
    ) -> Result<SeatRequest>;
}

impl Registrar for Kiosk {
    fn fair(&self) -> &FairFile {
        Kiosk::fair(self)
    }

    fn lookup_existing(&self, phone: &Phone, id: Option<&ResidentId>) -> Result<Option<Existing>> {
        Kiosk::lookup_existing(self, phone, id)
    }

    fn lookup_by_resident_id(&self, id: &ResidentId) -> Result<Option<Existing>> {
        Kiosk::lookup_by_resident_id(self, id)
    }

    fn register(&mut self, draft: &Draft) -> Result<Issued> {
        Kiosk::register(self, draft)
    }

    fn reissue(&mut self, id: Uuid, proof: Proof, openings: &[u16]) -> Result<Issued> {
        Kiosk::reissue(self, id, proof, openings)
    }

    fn check_last4(&mut self, id: Uuid, last4: &str) -> Result<()> {
        Kiosk::check_last4(self, id, last4)
    }

    fn find_on_list(&self, typed: &str) -> Result<Option<ListPersonRow>> {
        Kiosk::find_on_list(self, typed)
    }

    fn open_list_numbers(&self, row: &ListPersonRow) -> Result<Personal> {
        Kiosk::open_numbers(self, &row.numbers)
    }

    fn link_list_person(&mut self, id: i64, registration: Uuid) -> Result<()> {
        Kiosk::link_list_person(self, id, registration)
    }

    fn request_seat(
        &mut self,
        registration: Uuid,
        departure: &str,
        employer: Option<&str>,
    ) -> Result<SeatRequest> {
        let change = Kiosk::request_seat(self, registration, departure, employer, Source::Kiosk)?;
        change
            .request
            .ok_or(crate::app::Error::NoSeatRequest(registration))
    }
}
