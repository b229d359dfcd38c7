//! The base's store: one async trait, [`Store`], with two engines behind it —
//! [`sqlite`] (rusqlite, `base.db` in the data dir: the zero-configuration default) and
//! [`postgres`] (tokio-postgres with a deadpool pool: `--database postgres://…`).
//! Both run the same migrations ([`migrations`]) and give the same answers; the base's
//! test suite runs against each.
//!
//! The rules (what is new, a duplicate, a conflict, or refused) are decided outside the
//! store, in [`crate::ingest`]; an engine only stores and looks up, one transaction per
//! request.

pub mod migrations;
pub mod postgres;
pub mod sqlite;
mod transport;

pub use transport::TransportCount;

use async_trait::async_trait;
use jobfair_protocol::RecordResult;
use jobfair_protocol::records::RecordKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("base database (SQLite): {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("base database (PostgreSQL): {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("base database (PostgreSQL): no connection from the pool: {0}")]
    Pool(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database has schema version {found}, newer than this build knows ({known})")]
    NewerSchema { found: u32, known: u32 },
    #[error("SQLite refused WAL mode (journal_mode={0})")]
    Pragma(String),
    #[error("a kiosk named {0:?} already exists")]
    KioskExists(String),
    #[error("--database {0:?}: {1}")]
    Url(String, String),
    #[error("the database worker stopped: {0}")]
    Worker(String),
    #[error("a stored value is unreadable: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Where the base keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// `base.db` in this data dir.
    Sqlite { data_dir: PathBuf },
    /// A PostgreSQL connection string: `postgres://user@host/db`,
    /// `postgresql:///db?host=/run/postgresql` (unix socket) or `host=… dbname=…`.
    Postgres { url: String },
}

impl Database {
    /// `--database` when given (a `postgres://` or `postgresql://` URL), else SQLite in
    /// `data_dir`.
    pub fn choose(data_dir: Option<&Path>, database: Option<&str>) -> Option<Database> {
        match database {
            Some(url) => Some(Database::Postgres {
                url: url.to_string(),
            }),
            None => data_dir.map(|d| Database::Sqlite {
                data_dir: d.to_path_buf(),
            }),
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Database::Sqlite { .. } => Engine::Sqlite,
            Database::Postgres { .. } => Engine::Postgres,
        }
    }

    /// Opens the store, migrated to the latest schema.
    pub async fn open(&self) -> Result<Arc<dyn Store>> {
        Ok(match self {
            Database::Sqlite { data_dir } => Arc::new(sqlite::SqliteStore::open(data_dir).await?),
            Database::Postgres { url } => Arc::new(postgres::PgStore::open(url).await?),
        })
    }

    /// For logs: the data dir, or the connection string without its password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite { data_dir } => format!("SQLite in {}", data_dir.display()),
            Database::Postgres { url } => format!("PostgreSQL {}", postgres::redact(url)),
        }
    }
}

/// A record that passed every rule and is ready to be stored (or found stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    pub id: String,
    pub kind: RecordKind,
    pub fair_id: String,
    pub registration_id: String,
    pub at: String,
    /// Lowercase hex.
    pub sha256: String,
    pub payload: String,
}

/// One record of a request, after the rules: new, or refused with its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    New(NewRecord),
    Refused(RecordResult),
}

/// What the base already holds under a record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub kind: String,
    pub sha256: String,
}

/// Rows in the store, for `status` and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub sign_ups: u64,
    pub stages: u64,
    pub check_ins: u64,
    pub conflicts: u64,
    pub fairs: u64,
    pub kiosks: u64,
}

/// One row streamed to an export: the stored payloads (the JSON the kiosk froze).
#[derive(Debug, Clone, Copy)]
pub enum ExportRow<'a> {
    /// The latest version of a sign-up (per kiosk and registration id).
    SignUp(&'a str),
    Stage(&'a str),
    CheckIn(&'a str),
    Conflict {
        id: &'a str,
        kiosk: &'a str,
        received_at: &'a str,
        payload: &'a str,
    },
}

/// Where an export's rows go, one at a time, in sheet order (sign-ups, stages,
/// check-ins, conflicts; each by fair and time). An error stops the export.
pub trait ExportSink: Send {
    fn row(&mut self, row: ExportRow<'_>) -> std::result::Result<(), String>;
}

/// An operator who may make unmasked exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub failures: u32,
    /// UTC RFC 3339, while locked.
    pub locked_until: Option<String>,
}

/// One export, as the audit keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub operator: String,
    pub os_user: String,
    pub file: String,
    pub masking: String,
    pub sign_ups: u32,
    pub stages: u32,
    pub check_ins: u32,
    pub conflicts: u32,
}

/// The store of a base. Every method is one transaction (or one read).
#[async_trait]
pub trait Store: Send + Sync {
    fn engine(&self) -> Engine;
    /// The schema version of the database.
    async fn schema_version(&self) -> Result<u32>;
    /// A round trip to the database (`/readyz`).
    async fn ping(&self) -> Result<()>;

    /// Every kiosk's name and token hash (few rows; compared in constant time by `auth`).
    async fn kiosk_hashes(&self) -> Result<Vec<(String, String)>>;
    /// Adds a kiosk; an existing name is refused ([`Error::KioskExists`]).
    async fn add_kiosk(&self, name: &str, token_sha256: &str, now: &str) -> Result<()>;
    /// Every kiosk's name and when it was added, by name.
    async fn kiosks(&self) -> Result<Vec<(String, String)>>;

    /// Stores a (validated) fair file, bumping its revision; returns the new revision.
    async fn publish_fair(&self, fair_id: &str, doc: &str) -> Result<i64>;
    /// The fair's revision, if it was ever published.
    async fn fair_revision(&self, fair_id: &str) -> Result<Option<u64>>;
    /// The fair's revision and document, if it was ever published.
    async fn fair(&self, fair_id: &str) -> Result<Option<(u64, String)>>;

    /// Stores the new records of one request from `kiosk` in one transaction,
    /// committed before it returns, and answers every record in request order: an id
    /// already stored (or repeated earlier in the request) is a duplicate when its kind
    /// and hash match, else a conflict kept aside. Concurrent requests never store an
    /// id twice.
    async fn ingest(
        &self,
        kiosk: &str,
        batch: Vec<Checked>,
        now: &str,
    ) -> Result<Vec<RecordResult>>;

    /// Streams every row of an export into `sink`, in bounded memory.
    async fn export(&self, sink: &mut dyn ExportSink) -> Result<()>;
    async fn counts(&self) -> Result<Counts>;
    /// Seats requested, assigned, waitlisted and boarded per fair, departure and employer
    /// (issue 16), from the seat and boarding records.
    async fn transport_counts(&self) -> Result<Vec<TransportCount>>;

    async fn operator(&self, name: &str) -> Result<Option<Operator>>;
    /// Sets (or replaces) an operator's password hash; clears failures and lock.
    async fn set_operator_password(&self, name: &str, hash: &str, now: &str) -> Result<()>;
    /// Records an operator's failures in a row and lock.
    async fn set_operator_failures(
        &self,
        name: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()>;
    async fn add_audit(&self, entry: &AuditEntry) -> Result<()>;
    /// The audit, oldest first.
    async fn audit(&self) -> Result<Vec<AuditEntry>>;
}

/// Lowercase hex SHA-256 of text, for comparing a record with the stored one.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}
