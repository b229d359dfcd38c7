//! One phone's registration: its wizard, CSRF token and language, and the form posts
//! turned into the wizard's methods. The rules are all `app::wizard`'s and the kiosk's
//! (`Kiosk::register` checks everything again); sign-ups are stored with source `phone`.

use super::i18n::Lang;
use crate::app::lists::ListPersonRow;
use crate::app::transport::SeatRequest;
use crate::app::wizard::{Registrar, Step, TicketView, Wizard};
use crate::app::{Existing, Issued, Kiosk, Proof, Result};
use crate::domain::fair::{FairFile, Trade};
use crate::domain::phone::Phone;
use crate::domain::registration::{Draft, PlaceField};
use crate::domain::resident_id::ResidentId;
use crate::store::sources::Source;
use std::time::Instant;
use uuid::Uuid;

/// The longest text taken from any one form field (the wizard checks the real limits).
pub const MAX_FIELD_CHARS: usize = 64;

/// One phone's session (kept in the server's memory only).
#[derive(Debug, Clone)]
pub struct Session {
    pub wizard: Wizard,
    /// The token every form of this session carries.
    pub csrf: String,
    pub lang: Lang,
    pub last_seen: Instant,
    /// The last ticket issued to this phone (shown again on reopening).
    pub last_ticket: Option<TicketView>,
    /// The start page's "show my ticket again" was pressed.
    pub showing_ticket: bool,
    /// The page of the openings list shown (0-based).
    pub openings_page: usize,
}

impl Session {
    pub fn new(csrf: String, lang: Lang) -> Session {
        Session {
            wizard: Wizard::new(),
            csrf,
            lang,
            last_seen: Instant::now(),
            last_ticket: None,
            showing_ticket: false,
            openings_page: 0,
        }
    }

    /// Applies one form post (`action` is the button pressed, `field` reads the inputs).
    pub fn apply(&mut self, kiosk: &mut Kiosk, action: &str, field: &dyn Fn(&str) -> String) {
        // The fair is borrowed from the kiosk where a step reads it, never copied: this runs
        // for every form post of every phone.
        let w = &mut self.wizard;
        let (verb, arg) = action.split_once(':').unwrap_or((action, ""));
        self.showing_ticket = false;
        match verb {
            "start" | "new" => *w = Wizard::start(kiosk.fair(), None),
            "show_ticket" => self.showing_ticket = self.last_ticket.is_some(),
            "back" => {
                w.back();
            }
            "consent" => {
                w.accept_consent(
                    &mut PhoneRegistrar(kiosk),
                    field("id_consent") == "yes",
                    field("share_phone") == "yes",
                );
            }
            "phone" => {
                w.type_phone(&mut PhoneRegistrar(kiosk), &field("phone"));
                if w.step() == Step::Phone && w.error(crate::app::wizard::Field::Phone).is_none() {
                    w.submit_phone(&mut PhoneRegistrar(kiosk));
                }
            }
            "id" => {
                w.type_id(&field("resident_id"));
                if w.step() == Step::ResidentId && !w.id_confirming() {
                    w.submit_id();
                }
            }
            "id_yes" => {
                w.confirm_id(&mut PhoneRegistrar(kiosk));
            }
            "id_no" => {
                w.edit_id();
            }
            "id_skip" => {
                w.skip_id();
            }
            "name" => {
                w.type_name(&field("name"));
                w.submit_name();
            }
            "county" => {
                w.pick_county(arg);
            }
            "township" => {
                w.type_place(PlaceField::County, &field("county"));
                w.pick_township(arg);
            }
            "village" => {
                w.type_place(PlaceField::County, &field("county"));
                w.type_place(PlaceField::Township, &field("township"));
                w.pick_village(arg);
            }
            "place" => {
                for (f, key) in [
                    (PlaceField::County, "county"),
                    (PlaceField::Township, "township"),
                    (PlaceField::Village, "village"),
                ] {
                    w.type_place(f, &field(key));
                }
                w.submit_place();
            }
            "trade" => {
                w.filter_trade(Trade::parse(arg));
                self.openings_page = 0;
            }
            "page" => self.openings_page = arg.parse().unwrap_or(0),
            "toggle" => {
                if let Ok(id) = arg.parse::<u16>() {
                    w.toggle_opening(kiosk.fair(), id);
                }
            }
            "choose" => {
                w.submit_choices();
            }
            "ride" => {
                if arg.is_empty() {
                    w.decline_ride();
                } else {
                    w.choose_departure(kiosk.fair(), arg);
                }
            }
            "confirm" => {
                w.confirm(&mut PhoneRegistrar(kiosk));
                if let Some(t) = w.ticket() {
                    self.last_ticket = Some(t.clone());
                }
            }
            "last4" => {
                w.type_last4(&mut PhoneRegistrar(kiosk), &field("last4"));
                if w.step() == Step::Duplicate && w.entries().last4.len() < 4 {
                    w.submit_last4(&mut PhoneRegistrar(kiosk));
                }
            }
            _ => {}
        }
        if let Some(failure) = w.take_failure() {
            // The failure names no person: a store error, never the typed data.
            eprintln!("phone form: {failure}");
        }
    }
}

/// The kiosk as the wizard's store, with sign-ups stored as made on a phone.
pub struct PhoneRegistrar<'k>(pub &'k mut Kiosk);

impl Registrar for PhoneRegistrar<'_> {
    fn fair(&self) -> &FairFile {
        self.0.fair()
    }
    fn lookup_existing(&self, phone: &Phone, id: Option<&ResidentId>) -> Result<Option<Existing>> {
        self.0.lookup_existing(phone, id)
    }
    fn lookup_by_resident_id(&self, id: &ResidentId) -> Result<Option<Existing>> {
        self.0.lookup_by_resident_id(id)
    }
    fn register(&mut self, draft: &Draft) -> Result<Issued> {
        self.0.register_from(draft, Source::Phone)
    }
    fn reissue(&mut self, id: Uuid, proof: Proof, openings: &[u16]) -> Result<Issued> {
        self.0.reissue(id, proof, openings)
    }
    fn request_seat(
        &mut self,
        registration: Uuid,
        departure: &str,
        employer: Option<&str>,
    ) -> Result<SeatRequest> {
        let change = self.0.request_seat(
            registration,
            departure,
            employer,
            crate::app::transport::Source::Phone,
        )?;
        change
            .request
            .ok_or(crate::app::Error::NoSeatRequest(registration))
    }
    fn check_last4(&mut self, id: Uuid, last4: &str) -> Result<()> {
        self.0.check_last4(id, last4)
    }
    fn find_on_list(&self, typed: &str) -> Result<Option<ListPersonRow>> {
        self.0.find_on_list(typed)
    }

    fn open_list_numbers(&self, row: &ListPersonRow) -> Result<crate::seal::Personal> {
        self.0.open_list_numbers(row)
    }
    fn link_list_person(&mut self, id: i64, registration: Uuid) -> Result<()> {
        self.0.link_list_person(id, registration)
    }
}
