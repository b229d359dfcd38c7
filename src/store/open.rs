//! Opening the database file: permissions, pragmas, migrations.

use super::journal::Journal;
use super::{Error, Result, files, kiosk_state, migrations, signups};
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
    /// The sign-up journal ([`super::journal`]); `None` when it could not be
    /// made (a full or read-only disk): sign-ups then commit with a full sync.
    journal: Option<Journal>,
}

/// The largest journal entry a sign-up may have (its texts are bounded far below).
const MAX_ENTRY: usize = 16 * 1024;

/// `kiosk_state` key written by the full-sync commit that retires the journal's records.
const JOURNAL_EPOCH_KEY: &str = "signup_journal_retired_at";

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
        let journal_path = Journal::path_for(path);
        let journal = match Journal::open(&journal_path) {
            Ok(journal) => Some(journal),
            Err(e) => {
                eprintln!(
                    "jobfair-kiosk: sign-up journal {} unavailable ({e}); sign-ups commit with a full sync",
                    journal_path.display()
                );
                None
            }
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            journal,
        };
        let restored = store.retire_journal()?;
        if restored.restored + restored.skipped > 0 {
            eprintln!(
                "jobfair-kiosk: sign-up journal: {} sign-up(s) put back after an interruption, {} entries skipped",
                restored.restored, restored.skipped
            );
        }
        Ok(store)
    }

    /// Runs `work` in a write transaction and commits it as a sign-up: the journal
    /// entry `work` returns is made durable first (one small `fdatasync`), then
    /// SQLite commits with `synchronous=NORMAL`. Returns only when the sign-up
    /// survives a power cut. An error from `work` rolls everything back; a commit
    /// that fails takes its journal entry back. Without a journal the commit is
    /// a full sync, as every other write is.
    pub fn signup_transaction<T, E>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> std::result::Result<(T, Vec<u8>), E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        if self.journal.is_none() {
            let tx = self.transaction()?;
            let (out, _entry) = work(&tx)?;
            tx.commit().map_err(Error::from)?;
            return Ok(out);
        }
        let Store {
            conn,
            path,
            journal,
        } = self;
        let journal = journal.as_mut().expect("checked above");
        let mut locked = journal
            .lock()
            .map_err(|e| io_error(journal_path(path), e))?;
        if !locked.fits(MAX_ENTRY) {
            // No room for one more entry: retire the records first (a full-sync commit).
            drop(locked);
            self.retire_journal()?;
            return self.signup_transaction(work);
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL")
            .map_err(Error::from)?;
        let result = (|| -> std::result::Result<T, E> {
            let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
                .map_err(Error::from)?;
            let (out, entry) = work(&tx)?;
            if entry.len() > MAX_ENTRY {
                return Err(Error::Corrupt {
                    table: "signup journal",
                    column: "entry",
                    value: format!("{} bytes", entry.len()),
                }
                .into());
            }
            let slot = locked
                .append(&entry)
                .map_err(|e| io_error(journal_path(path), e))?;
            if let Err(e) = tx.commit() {
                // Not stored: the entry must not be put back later. If even this
                // fails, the next open may restore the sign-up (see SECURITY.md).
                let _ = locked.cancel(slot);
                return Err(Error::from(e).into());
            }
            Ok(out)
        })();
        let restored = conn
            .execute_batch("PRAGMA synchronous=FULL")
            .map_err(Error::from);
        let out = result?;
        restored?;
        Ok(out)
    }

    /// Makes everything the journal holds durable in SQLite, then empties it: puts
    /// back the sign-ups that are missing (after a power cut), commits with a full
    /// sync (which also syncs every earlier `NORMAL` commit in the WAL), and
    /// starts a new journal epoch.
    fn retire_journal(&mut self) -> Result<signups::Restored> {
        let Store {
            conn,
            path,
            journal,
        } = self;
        let Some(journal) = journal.as_mut() else {
            return Ok(signups::Restored::default());
        };
        let mut locked = journal
            .lock()
            .map_err(|e| io_error(journal_path(path), e))?;
        if locked.used() == 0 {
            return Ok(signups::Restored::default());
        }
        let records = locked
            .records()
            .map_err(|e| io_error(journal_path(path), e))?;
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let restored = signups::restore(&tx, &records)?;
        // A write, so that the commit syncs the WAL even when nothing was missing.
        kiosk_state::set(
            &tx,
            JOURNAL_EPOCH_KEY,
            &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )?;
        tx.commit()?;
        locked
            .reset()
            .map_err(|e| io_error(journal_path(path), e))?;
        Ok(restored)
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

    /// True when sign-ups go through the journal.
    pub fn has_journal(&self) -> bool {
        self.journal.is_some()
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

fn journal_path(db: &Path) -> PathBuf {
    Journal::path_for(db)
}

/// An I/O error of the journal; a full disk is [`Error::DiskFull`], as in SQLite.
fn io_error(path: PathBuf, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::StorageFull {
        Error::DiskFull
    } else {
        Error::Io { path, source }
    }
}
