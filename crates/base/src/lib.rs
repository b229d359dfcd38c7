//! The labor-cooperation base server: kiosks upload their records here and pull the
//! fair's openings (HTTP contract `jobfair-base/1`, documented in README "Base server").
//!
//! axum on tokio over a [`store::Store`] with two engines: SQLite (`base.db` in the data
//! dir, the default) and PostgreSQL (`--database postgres://…`). The map of arrows:
//! `cli → server → http → ingest/validate → store`; `export` and `operator` use the
//! store; everything uses `jobfair-protocol` and `jobfair-domain`, never the kiosk.

pub mod auth;
pub mod export;
mod fs;
pub mod http;
pub mod ingest;
pub mod logging;
pub mod operator;
pub mod seal_key;
pub mod server;
pub mod store;
pub mod transport;
pub mod validate;

/// The SQLite file of a base, for the kiosk's tests and benches (`db::open`).
pub mod db {
    pub use crate::store::sqlite::{DB_FILE_NAME, db_path, open_connection as open};
}

pub use server::{BaseConfig, BaseHandle, BaseServer};
pub use store::{Database, Engine, Store};

use chrono::{SecondsFormat, Utc};
use jobfair_domain::fair::{FairFile, FairFileError};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("kiosk name {0:?}: use 1 to 40 of a-z, A-Z, 0-9, '-' and '_'")]
    KioskName(String),
    #[error("no random bytes from the OS: {0}")]
    Random(String),
    #[error(transparent)]
    Fair(#[from] FairFileError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: io::Error },
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    SealKey(#[from] seal_key::SealKeyError),
    #[error("the server failed: {0}")]
    Server(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Now, as the base writes times: UTC RFC 3339 with milliseconds.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Adds a kiosk and returns its token (64 hex digits). Only the token's SHA-256 is
/// stored: this is the one time the token is seen.
pub async fn add_kiosk_to(store: &dyn Store, name: &str) -> Result<String> {
    if !auth::valid_kiosk_name(name) {
        return Err(Error::KioskName(name.to_string()));
    }
    let token = auth::new_token()?;
    store
        .add_kiosk(name, &auth::sha256_hex(token.as_bytes()), &now())
        .await?;
    Ok(token)
}

/// Validates a fair file (JSON text) and publishes it; returns its id and new revision.
pub async fn publish_fair_to(store: &dyn Store, json: &str) -> Result<(String, i64)> {
    let fair = FairFile::from_json(json)?;
    let doc = serde_json::to_string(&fair).expect("fair files serialize");
    let revision = store.publish_fair(&fair.fair.id, &doc).await?;
    Ok((fair.fair.id, revision))
}

/// Runs `f` to completion on a runtime of its own (the command line, the kiosk's tests).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

fn sqlite(data_dir: &Path) -> Database {
    Database::Sqlite {
        data_dir: data_dir.to_path_buf(),
    }
}

/// [`add_kiosk_to`] the SQLite base in `data_dir`.
pub fn add_kiosk(data_dir: &Path, name: &str) -> Result<String> {
    block_on(async { add_kiosk_to(sqlite(data_dir).open().await?.as_ref(), name).await })
}

/// [`publish_fair_to`] the SQLite base in `data_dir`.
pub fn publish_fair(data_dir: &Path, json: &str) -> Result<(String, i64)> {
    block_on(async { publish_fair_to(sqlite(data_dir).open().await?.as_ref(), json).await })
}
