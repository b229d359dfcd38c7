//! Opening the database file: permissions, pragmas, migrations.

use super::{Error, Result, files, migrations};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside the data dir.
pub const DB_FILE_NAME: &str = "kiosk.db";

/// How long a writer waits for another process (the CLI while the GUI runs).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open, migrated database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/kiosk.db`. The data dir is created
    /// with mode 0700.
    pub fn open(data_dir: &Path) -> Result<Store> {
        files::create_private_dir(data_dir).map_err(|source| Error::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Self::open_file(&data_dir.join(DB_FILE_NAME))
    }

    /// Opens the database file at `path` and migrates it to the latest schema.
    ///
    /// The file is created with mode 0600 before SQLite sees it. SQLite's unix VFS
    /// gives the `-wal` and `-shm` files the mode of the database file, so they are
    /// 0600 as well, whatever the process umask.
    pub fn open_file(path: &Path) -> Result<Store> {
        let mut conn = Self::open_unmigrated(path)?;
        migrations::to_latest(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens with the pragmas set but without migrating (tests build old schemas with it).
    pub fn open_unmigrated(path: &Path) -> Result<Connection> {
        files::touch_private_file(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt {
                table: "pragma",
                column: "journal_mode",
                value: mode,
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(conn)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`): checks made inside it see
    /// no concurrent writer. Dropping it without `commit` rolls back.
    pub fn transaction(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        migrations::schema_version(&self.conn)
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        let lines: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines.join("\n"))
    }

    /// Caps the database size (`PRAGMA max_page_count`). Past the cap SQLite
    /// answers `SQLITE_FULL` exactly as on a full disk, which tests use to check
    /// that nothing is half-written. Returns the cap in effect.
    #[doc(hidden)]
    pub fn limit_pages(&self, pages: u32) -> Result<u32> {
        Ok(self
            .conn
            .query_row(&format!("PRAGMA max_page_count={pages}"), [], |r| r.get(0))?)
    }
}
