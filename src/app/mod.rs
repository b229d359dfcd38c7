//! Use cases: what the kiosk does, in terms of the domain and the store. No slint here.
//!
//! CONTRACT (the GUI and CLI code against these signatures):
//!
//! ```text
//! let mut kiosk = Kiosk::open(&KioskOptions { data_dir, kiosk_id: None })?;
//! kiosk.fair()                       // -> &FairFile (installs the embedded demo fair on first run)
//! kiosk.lookup_existing(&phone, id)  // -> Option<Existing>: same phone or resident ID at this fair
//! kiosk.register(&draft)             // -> Issued, committed durably (fsync) before it returns
//! kiosk.reissue(reg_id, "5678", &openings) // duplicate path: last 4 digits of the phone on file
//! kiosk.ticket_for(reg_id)           // -> Issued: the stored ticket again
//! kiosk.verify_staff_pin("123456")   // -> PinCheck (5 wrong → locked 5 minutes, kept in the store)
//! kiosk.registration_count()         // -> u64 at the current fair
//! kiosk.import_openings(path)        // -> ImportReport (.json fair file or .csv openings)
//! kiosk.export(Format::Xlsx, out, Masking::Masked, &mut |done, total| ..) // -> ExportReport
//! kiosk.export_unmasked(pin, "staff", format, out, &mut progress) // PIN again, then an audit row
//! set_staff_pin(data_dir, "1234")    // argon2 hash into config.toml
//! ```

pub mod booth;
mod booth_stages;
pub mod check_in;
pub mod export;
pub mod idle;
pub mod keys;
pub mod kiosk;
pub mod kit;
mod last4;
pub mod lists;
pub mod lock;
mod lookup;
pub mod media;
pub mod openings_import;
mod phone_ticket;
pub mod pin;
pub mod purge;
mod register;
pub mod stats;
pub mod transport;
pub mod wizard;

pub use kiosk::{Existing, FoundBy, Issued, Kiosk, KioskOptions, Proof};
pub use last4::{LAST4_LOCKOUT_MINUTES, MAX_LAST4_FAILURES};
pub use lock::{LockState, SharedUnlock, Unlocking};
pub use openings_import::{ImportError, ImportReport, import_openings};
pub use pin::{PinCheck, set_staff_pin};

/// Errors of the use cases. The GUI maps each variant to a translated message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(crate::store::Error),
    #[error("ticket: {0}")]
    Ticket(#[from] crate::domain::ticket::TicketError),
    #[error("key file {path}: {source}")]
    Keys {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("this phone or resident ID is already registered at this fair")]
    AlreadyRegistered(Box<Existing>),
    #[error("the last 4 digits do not match the phone on file")]
    WrongLast4,
    /// A full phone number given as proof is not the one on file.
    #[error("that phone number is not the one on file")]
    NotTheOwner,
    #[error("home place: {0}")]
    BadHomePlace(#[from] crate::domain::registration::PlaceError),
    #[error("too many wrong tries for this sign-up; try again later or ask the staff")]
    TooManyTries,
    #[error("unknown registration {0}")]
    UnknownRegistration(uuid::Uuid),
    #[error("choose between 1 and 5 openings of this fair")]
    BadOpenings,
    #[error("the disk is full; the sign-up was not saved")]
    DiskFull,
    #[error("{0}")]
    Invalid(String),
    /// The villager did not agree to the collection of personal data.
    #[error("registering needs consent to the collection of personal data")]
    ConsentRequired,
    /// A resident ID came without the consent to collect it.
    #[error("a resident ID may only be stored with consent")]
    ResidentIdWithoutConsent,
    #[error("name: {0}")]
    BadName(#[from] crate::domain::person_name::NameError),
    /// The resident ID's birth date breaks the rule of every entry path
    /// ([`crate::domain::birth_date::check`]).
    #[error("resident ID: {0}")]
    BirthDate(#[from] crate::domain::birth_date::BirthDateError),
    #[error("config: {0}")]
    Config(#[from] crate::config::ConfigError),
    /// `set_staff_pin` got something other than 4 to 8 digits.
    #[error("a staff PIN has 4 to 8 digits")]
    BadPin,
    /// `staff_pin_hash` in config.toml is not an argon2 PHC string.
    #[error("the staff PIN hash in config.toml is damaged; set the PIN again")]
    PinHash,
    #[error("the operating system gave no random numbers: {0}")]
    Random(getrandom::Error),
    #[error(transparent)]
    Import(#[from] ImportError),
    /// This device was set up from a booth kit: it reads tickets but cannot issue them.
    #[error("this is a booth-only device (booth kit): it cannot register villagers")]
    BoothOnlyDevice,
    /// `booth add` for an employer that is not in the current fair.
    #[error("no employer {0:?} in the current fair (give its id or its exact name)")]
    UnknownEmployer(String),
    /// `booth add` for an employer that already has a booth.
    #[error("employer {employer} already has booth {booth}")]
    BoothExists { employer: String, booth: i64 },
    #[error("unknown booth {0}")]
    UnknownBooth(i64),
    /// A stage for someone who is not the candidate on the booth's screen.
    #[error("that villager is not the candidate shown at this booth")]
    NotThisCandidate,
    /// A stage for an opening of another employer than the booth's.
    #[error("that opening is not one of this booth's employer")]
    NotThisEmployer,
    /// A booth note longer than the limit (it is refused, never cut).
    #[error("a note has at most {max} characters")]
    NoteTooLong { max: usize },
    /// A kit file that cannot be read or does not match this program.
    #[error("kit: {0}")]
    Kit(String),
    /// A kit refused by its checks: damaged, edited, relabelled, unsigned.
    #[error(transparent)]
    KitRefused(#[from] crate::domain::kit::KitError),
    /// An unmasked export was asked with a PIN that was wrong, locked or not set.
    #[error("the staff PIN was not accepted ({0:?})")]
    StaffPin(PinCheck),
    /// A whole-fair purge found more unconfirmed records than the staff agreed to lose.
    #[error(
        "{unconfirmed} records are not confirmed by the base (the staff agreed to lose {accepted}); nothing purged"
    )]
    MoreUnconfirmed { unconfirmed: u64, accepted: u64 },
    /// Registering and finding sign-ups need the keyring unlocked (issue 17).
    #[error("工作人员请解锁 / the kiosk is locked: staff unlock it with the staff passphrase")]
    Locked,
    /// The keyring: no passphrase yet, a wrong one, a damaged file, sealing.
    #[error(transparent)]
    Seal(#[from] crate::seal::Error),
    /// A departure id that the current fair does not list.
    #[error("no departure {0:?} in the current fair (see `transport status`)")]
    UnknownDeparture(String),
    /// A booth offered a ride before recording an offer (录用) for the candidate.
    #[error("a booth offers a ride only after it recorded an offer for the candidate")]
    NoOfferRecorded,
    /// A booth offered a departure that does not serve its employer.
    #[error("departure {0:?} does not serve this booth's employer")]
    NotThisEmployersDeparture(String),
    /// A staff move of a villager who already boarded their departure.
    #[error("that villager already boarded departure {0:?}; they stay on it")]
    AlreadyBoarded(String),
    /// A seat move or manifest for a villager who asked for no seat.
    #[error("sign-up {0} has no seat request")]
    NoSeatRequest(uuid::Uuid),
    /// Its message names the file (never the hidden partial one) and what to do.
    #[error(transparent)]
    Export(#[from] crate::export::Error),
}

impl From<crate::store::Error> for Error {
    /// A full disk gets its own variant; everything else stays a store error.
    fn from(e: crate::store::Error) -> Self {
        match e {
            crate::store::Error::DiskFull => Error::DiskFull,
            e => Error::Store(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        crate::store::Error::from(e).into()
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Fresh random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(Error::Random)?;
    Ok(bytes)
}
