//! Fair kits: what another device of the same fair needs, in one signed JSON file
//! (mode 0600). The format and its checks are [`crate::domain::kit`]; here the file is
//! written and installed.
//!
//! A kiosk kit carries the fair's signing key and card key: the device can register
//! villagers and issue tickets. A booth kit carries only the verifying key and the card
//! key: the device reads tickets, checks villagers in and runs booths. A boarding kit
//! carries the same keys as a booth kit and the seat list of every departure as it stood
//! when the kit was written (signed with the rest): the device checks tickets at the bus
//! door offline and opens on the departures to board. Only a device holding the signing
//! key (a registration kiosk) can write a kit, since it signs it.

use super::keys::{self, DeviceKeys};
use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::domain::fair::FairFile;
use crate::domain::kit::{self, KitKeys, KitSeat};
use crate::store::seats::{self, SeatRow, State};
use crate::store::{Store, fairs, files, kiosk_state};
use chrono::Utc;
use std::path::Path;

pub use crate::domain::kit::{KIT_FORMAT, KitRole, fingerprint};

/// `kiosk_state` key of the role of the last kit installed (`kiosk`, `booth`, `boarding`).
const DEVICE_ROLE: &str = "device_role";

/// What `fair install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub fair_id: String,
    pub role: KitRole,
    /// [`fingerprint`] of the fair's key, to compare with the one `fair kit` printed.
    pub fingerprint: String,
}

impl Kiosk {
    /// Writes a kit for `role` to `out` (mode 0600), signed with the fair's key; a
    /// booth-only device has none and writes no kit ([`Error::BoothOnlyDevice`]).
    pub fn write_kit(&self, role: KitRole, out: &Path) -> Result<()> {
        let keys = self.signing_keys()?;
        let fair = serde_json::to_value(&self.fair).map_err(|e| Error::Kit(e.to_string()))?;
        let seats = if role == KitRole::Boarding {
            self.kit_seats()?
        } else {
            Vec::new()
        };
        let text = kit::write_with_seats(role, fair, seats, keys);
        files::write_private_atomic(out, text.as_bytes()).map_err(|source| Error::Keys {
            path: out.to_path_buf(),
            source,
        })
    }

    /// Every seat and waitlist place of the fair's departures, for a boarding kit.
    fn kit_seats(&self) -> Result<Vec<KitSeat>> {
        let conn = self.store.conn();
        let mut out = Vec::new();
        for dep in &self.fair.departures {
            for state in [State::Assigned, State::Waitlisted] {
                for row in seats::on_departure(conn, &self.fair.fair.id, &dep.id, state)? {
                    out.push(KitSeat {
                        departure: dep.id.clone(),
                        registration_id: row.registration_id.to_string(),
                        seat: row.seat,
                        queue: row.queue,
                        employer: row.employer,
                    });
                }
            }
        }
        Ok(out)
    }

    /// True on a device set up from a boarding kit: it opens on the departures to board.
    pub fn is_boarding_device(&self) -> bool {
        self.is_booth_only()
            && kiosk_state::get(self.store.conn(), DEVICE_ROLE)
                .ok()
                .flatten()
                .is_some_and(|r| r == "boarding")
    }

    /// [`fingerprint`] of this device's fair key.
    pub fn key_fingerprint(&self) -> String {
        fingerprint(&self.keys.verifier())
    }
}

/// Sets up the device in `data_dir` from the kit `file`: the fair is installed and made
/// current, and its keys are stored (0600). Nothing is changed if the kit is damaged,
/// edited, relabelled, or the device already holds different keys for that fair.
pub fn install_kit(data_dir: &Path, file: &Path) -> Result<Installed> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Keys {
        path: file.to_path_buf(),
        source,
    })?;
    let kit = kit::read(&text)?;
    let fair = FairFile::from_json(&kit.fair.to_string()).map_err(|e| Error::Kit(e.to_string()))?;
    let fingerprint = fingerprint(&kit.verifier());
    let device_keys = match kit.keys {
        KitKeys::Kiosk(k) => DeviceKeys::Fair(k),
        KitKeys::Booth(k) => DeviceKeys::Booth(k),
    };
    files::create_private_dir(data_dir).map_err(|source| Error::Keys {
        path: data_dir.to_path_buf(),
        source,
    })?;
    let mut store = Store::open(data_dir)?;
    keys::install(data_dir, &fair.fair.id, &device_keys)?;
    let tx = store.transaction()?;
    let now = Utc::now();
    fairs::install(&tx, &fair, now)?;
    fairs::set_current(&tx, &fair.fair.id)?;
    let role = match kit.role {
        KitRole::Kiosk => "kiosk",
        KitRole::Booth => "booth",
        KitRole::Boarding => "boarding",
    };
    kiosk_state::set(&tx, DEVICE_ROLE, role)?;
    if kit.role == KitRole::Boarding {
        // The newest kit's seat list replaces an older one's; none is a record of this
        // device, so none goes to the outbox (the base has them from the kiosk).
        seats::remove_from_kit(&tx, &fair.fair.id)?;
        for s in &kit.seats {
            let damaged = || Error::Kit(format!("a seat of the kit is not valid: {s:?}"));
            if fair.departure(&s.departure).is_none() {
                return Err(damaged());
            }
            let registration_id =
                uuid::Uuid::parse_str(&s.registration_id).map_err(|_| damaged())?;
            seats::insert_row(
                &tx,
                &SeatRow {
                    id: uuid::Uuid::now_v7(),
                    fair_id: fair.fair.id.clone(),
                    registration_id,
                    departure_id: Some(s.departure.clone()),
                    employer: s.employer.clone(),
                    state: if s.seat.is_some() {
                        State::Assigned
                    } else {
                        State::Waitlisted
                    },
                    seat: s.seat,
                    queue: s.queue,
                    requested_at: now,
                    updated_at: now,
                    source: "kit".into(),
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(Installed {
        fair_id: fair.fair.id,
        role: kit.role,
        fingerprint,
    })
}
