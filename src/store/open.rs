//! Opening the database file: permissions, pragmas, migrations.

use super::journal::{Journal, Locked, Slot};
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
    /// The sign-up journal ([`super::journal`]) and the connection sign-ups are
    /// written with (`synchronous=NORMAL`); `None` when the journal could not be
    /// made (a full or read-only disk): sign-ups then commit with a full sync.
    signup_writer: Option<SignupWriter>,
}

/// What sign-ups are written with when the journal is there.
#[derive(Debug)]
struct SignupWriter {
    journal: Journal,
    /// A second connection to the same file, kept at `synchronous=NORMAL`. Switching
    /// one connection back and forth cost more than the pragmas: each
    /// `PRAGMA synchronous=` expires every prepared statement, so a sign-up
    /// re-compiled all of its SQL (~7 % of its CPU time).
    conn: Connection,
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
        let signup_writer = match Journal::open(&journal_path) {
            Ok(journal) => {
                let conn = Self::open_unmigrated(path)?;
                run_cached(&conn, "PRAGMA synchronous=NORMAL")?;
                Some(SignupWriter { journal, conn })
            }
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
            signup_writer,
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

    /// Runs `work` in a write transaction and commits it as a sign-up. `work`
    /// hands the sign-up's journal entry to [`WriteAhead::write`] once it has it and
    /// before its inserts: the entry's write to the disk starts then and runs while
    /// the rows are inserted; it is made durable (`fdatasync`) before SQLite
    /// commits with `synchronous=NORMAL` (on a connection of its own, which `work`
    /// is given). Returns only when the sign-up survives a power cut; nothing of it
    /// is visible to other connections before. An error from `work` rolls
    /// everything back and takes the entry back; so does a failed commit. Without
    /// a journal the commit is a full sync, as every other write is.
    pub fn signup_transaction<T, E>(
        &mut self,
        work: impl FnOnce(&Connection, &mut WriteAhead<'_, '_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        let Store {
            path,
            signup_writer,
            ..
        } = self;
        let Some(SignupWriter { journal, conn }) = signup_writer else {
            let tx = self.transaction()?;
            let out = work(&tx, &mut WriteAhead::none())?;
            tx.commit().map_err(Error::from)?;
            return Ok(out);
        };
        let mut locked = journal
            .lock()
            .map_err(|e| io_error(journal_path(path), e))?;
        if !locked.fits(MAX_ENTRY) {
            // No room for one more entry: retire the records first (a full-sync commit).
            drop(locked);
            self.retire_journal()?;
            return self.signup_transaction(work);
        }
        let journal_file = journal_path(path);
        let tx = CachedTransaction::begin(conn)?;
        let mut ahead = WriteAhead {
            journal: Some((&mut locked, &journal_file)),
            slot: None,
        };
        let out = work(conn, &mut ahead)?;
        if ahead.slot.is_none() {
            return Err(Error::Corrupt {
                table: "signup journal",
                column: "entry",
                value: "none written".into(),
            }
            .into());
        }
        let (locked, journal_file) = ahead.journal.as_mut().expect("set above");
        locked
            .sync()
            .map_err(|e| io_error(journal_file.to_path_buf(), e))?;
        tx.commit()?;
        // Stored: the entry stays until the journal is retired.
        ahead.slot = None;
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
            signup_writer,
        } = self;
        let Some(SignupWriter { journal, .. }) = signup_writer.as_mut() else {
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

    /// Makes every sign-up the journal holds durable in SQLite and empties the journal
    /// (the records' bytes stay until [`Self::scrub`]). Call it before deleting sign-ups:
    /// else a later retirement would put back what was deleted.
    pub fn retire_signup_journal(&mut self) -> Result<()> {
        self.retire_journal().map(|_| ())
    }

    /// Leaves no copy of deleted data beside the database file: makes the journal's
    /// sign-ups durable in SQLite and overwrites the journal with zeros, then checkpoints
    /// the WAL into the database and truncates it. Run after a purge. Fails (and should
    /// be retried) when another connection's read keeps the WAL from being truncated.
    pub fn scrub(&mut self) -> Result<()> {
        self.retire_journal()?;
        let Store {
            conn,
            path,
            signup_writer,
        } = self;
        if let Some(SignupWriter { journal, .. }) = signup_writer.as_mut() {
            let mut locked = journal
                .lock()
                .map_err(|e| io_error(journal_path(path), e))?;
            locked.wipe().map_err(|e| io_error(journal_path(path), e))?;
        }
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let left = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if busy != 0 || left != 0 {
            return Err(Error::WalNotEmptied { bytes: left });
        }
        Ok(())
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
        // Deleted personal data must not linger in the file: deleted cells and freed
        // pages are overwritten with zeros ([`super::purge`]).
        conn.pragma_update(None, "secure_delete", "ON")?;
        Ok(conn)
    }

    /// True when sign-ups go through the journal.
    pub fn has_journal(&self) -> bool {
        self.signup_writer.is_some()
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
        let sql = format!("PRAGMA max_page_count={pages}");
        if let Some(writer) = &self.signup_writer {
            writer.conn.query_row(&sql, [], |r| r.get::<_, u32>(0))?;
        }
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }
}

/// Where a sign-up's journal entry goes ([`Store::signup_transaction`]).
pub struct WriteAhead<'l, 'j> {
    journal: Option<(&'l mut Locked<'j>, &'l Path)>,
    slot: Option<Slot>,
}

impl WriteAhead<'_, '_> {
    fn none() -> Self {
        WriteAhead {
            journal: None,
            slot: None,
        }
    }

    /// Writes the sign-up's journal entry and starts its way to the disk. Call it
    /// once, after the checks that may refuse the sign-up and before the inserts.
    pub fn write(&mut self, entry: &[u8]) -> Result<()> {
        let Some((locked, path)) = self.journal.as_mut() else {
            return Ok(());
        };
        if entry.len() > MAX_ENTRY || self.slot.is_some() {
            return Err(Error::Corrupt {
                table: "signup journal",
                column: "entry",
                value: format!(
                    "{} bytes, second entry: {}",
                    entry.len(),
                    self.slot.is_some()
                ),
            });
        }
        let slot = locked
            .write(entry)
            .map_err(|e| io_error(path.to_path_buf(), e))?;
        self.slot = Some(slot);
        Ok(())
    }
}

/// An entry written for a sign-up that was not stored (an error, or a panic in
/// `work`) is taken back, so that opening the store never puts it back. If even
/// that fails, the next open may restore it (see SECURITY.md).
impl Drop for WriteAhead<'_, '_> {
    fn drop(&mut self) {
        if let (Some(slot), Some((locked, _))) = (self.slot.take(), self.journal.as_mut()) {
            let _ = locked.cancel(slot);
        }
    }
}

/// Runs a statement without parameters or rows through the statement cache.
fn run_cached(conn: &Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)?.raw_execute()?;
    Ok(())
}

/// A `BEGIN IMMEDIATE` transaction run with cached statements; rolled back when
/// dropped without [`CachedTransaction::commit`] (an error or a panic in between).
struct CachedTransaction<'a> {
    conn: &'a Connection,
}

impl<'a> CachedTransaction<'a> {
    fn begin(conn: &'a Connection) -> Result<Self> {
        run_cached(conn, "BEGIN IMMEDIATE")?;
        Ok(CachedTransaction { conn })
    }

    fn commit(self) -> Result<()> {
        let conn = self.conn;
        // On success the guard has nothing left to do; on failure it rolls back
        // whatever SQLite left open.
        let result = run_cached(conn, "COMMIT");
        drop(self);
        result
    }
}

impl Drop for CachedTransaction<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = run_cached(self.conn, "ROLLBACK");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_records(store: &mut Store) -> usize {
        let writer = store.signup_writer.as_mut().expect("a journal");
        writer.journal.lock().unwrap().records().unwrap().len()
    }

    fn state_rows(store: &Store) -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM kiosk_state WHERE key = 'k'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn insert_state(conn: &Connection) -> Result<()> {
        conn.execute("INSERT INTO kiosk_state (key, value) VALUES ('k', 'v')", [])?;
        Ok(())
    }

    #[test]
    fn a_sign_up_is_journalled_then_committed_and_visible_to_the_main_connection() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store
            .signup_transaction(|conn, ahead| {
                ahead.write(b"entry")?;
                insert_state(conn)
            })
            .unwrap();
        assert_eq!(state_rows(&store), 1);
        assert_eq!(journal_records(&mut store), 1);
        // The sign-up connection stays at NORMAL, the main one at FULL.
        let sync = |conn: &Connection| -> i64 {
            conn.query_row("PRAGMA synchronous", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(sync(store.conn()), 2);
        assert_eq!(sync(&store.signup_writer.as_ref().unwrap().conn), 1);
    }

    #[test]
    fn work_that_writes_no_journal_entry_is_refused_and_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let err = store
            .signup_transaction(|conn, _ahead| insert_state(conn))
            .unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
        assert_eq!(state_rows(&store), 0);
        assert_eq!(journal_records(&mut store), 0);
    }

    #[test]
    fn a_panic_after_the_entry_was_written_takes_it_back_too() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = store.signup_transaction(|conn, ahead| -> Result<()> {
                ahead.write(b"entry")?;
                insert_state(conn)?;
                panic!("a bug in the inserts");
            });
        }));
        assert!(panicked.is_err());
        assert_eq!(state_rows(&store), 0);
        assert_eq!(journal_records(&mut store), 0);
        drop(store);
        // Nothing is put back on reopening, and sign-ups go on.
        let mut store = Store::open(dir.path()).unwrap();
        assert_eq!(state_rows(&store), 0);
        store
            .signup_transaction(|conn, ahead| {
                ahead.write(b"entry")?;
                insert_state(conn)
            })
            .unwrap();
        assert_eq!(state_rows(&store), 1);
    }

    #[test]
    fn an_error_after_the_entry_was_written_takes_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let err = store
            .signup_transaction(|conn, ahead| -> Result<()> {
                ahead.write(b"entry")?;
                insert_state(conn)?;
                // A second insert of the same key fails after the entry is on its way.
                insert_state(conn)
            })
            .unwrap_err();
        assert!(matches!(err, Error::Sqlite(_)), "{err:?}");
        assert_eq!(state_rows(&store), 0);
        assert_eq!(journal_records(&mut store), 0);
        // A second entry in one sign-up is refused too.
        let err = store
            .signup_transaction(|_conn, ahead| -> Result<()> {
                ahead.write(b"one")?;
                ahead.write(b"two")
            })
            .unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
        assert_eq!(journal_records(&mut store), 0);
        // And the store goes on working.
        store
            .signup_transaction(|conn, ahead| {
                ahead.write(b"entry")?;
                insert_state(conn)
            })
            .unwrap();
        assert_eq!((state_rows(&store), journal_records(&mut store)), (1, 1));
    }
}
