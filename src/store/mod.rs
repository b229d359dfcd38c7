//! The only SQL in the crate.
//!
//! [`Store::open`] opens `<data_dir>/kiosk.db` with durable pragmas and brings the
//! schema up to date ([`migrations`]). One file per table holds that table's
//! queries as free functions taking a [`rusqlite::Connection`] (a
//! [`rusqlite::Transaction`] derefs to one), so a use case can group several
//! writes in one transaction from [`Store::transaction`].

pub mod audit;
pub mod boardings;
pub mod booths;
pub mod check_ins;
pub mod export_rows;
pub mod fairs;
pub mod files;
pub mod journal;
pub mod kiosk_state;
pub mod list_people;
pub mod migrations;
mod open;
pub mod outbox;
pub mod phone_tickets;
pub mod pin;
pub mod purge;
pub mod registrations;
pub mod seats;
pub mod signups;
pub mod sources;
pub mod stages;
pub mod stats;
pub mod tickets_seen;

pub use open::{DB_FILE_NAME, Store, WriteAhead};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite reported that the disk (or the database's page limit) is full.
    #[error("the disk is full")]
    DiskFull,
    #[error(
        "this database was made by a newer jobfair-kiosk (schema {found}, this build knows {known}); upgrade the program"
    )]
    NewerSchema { found: u32, known: u32 },
    #[error("migration to schema {version} failed: {source}")]
    Migration {
        version: u32,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A stored fair document that this build cannot read.
    #[error("stored fair {fair_id} cannot be read: {source}")]
    FairDoc {
        fair_id: String,
        source: serde_json::Error,
    },
    /// After a purge the write-ahead log could not be emptied: another connection is
    /// reading. Nothing is lost; scrub again when it has finished.
    #[error(
        "the write-ahead log still holds {bytes} bytes: another connection is reading; try again"
    )]
    WalNotEmptied { bytes: u64 },
    /// A stored value that does not have the expected shape.
    #[error("corrupt value in {table}.{column}: {value}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        value: String,
    },
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            Error::DiskFull
        } else {
            Error::Sqlite(e)
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
