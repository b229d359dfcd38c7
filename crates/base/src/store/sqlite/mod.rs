//! The SQLite engine: `base.db` in the data dir (mode 0600, WAL, `synchronous=FULL`).
//! One writer connection behind a mutex and a few reader connections (WAL lets them
//! read while a batch commits); rusqlite is blocking, so every call runs in tokio's
//! blocking pool.

mod batch;

use super::migrations::{self, render};
use super::{AuditEntry, Checked, Counts, Engine, Error, ExportSink, Operator, Result, Store};
use async_trait::async_trait;
use batch::{export, ingest};
use jobfair_protocol::RecordResult;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The database file inside the base's data dir.
pub const DB_FILE_NAME: &str = "base.db";

/// How long a writer waits for another connection (the CLI while the server runs).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Reader connections kept open.
const READERS: usize = 4;

/// `<data_dir>/base.db`.
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE_NAME)
}

/// Opens (creating if needed) `<data_dir>/base.db`, migrated to the latest schema.
/// The data dir is made 0700 and the file 0600 before SQLite sees it.
pub fn open_connection(data_dir: &Path) -> Result<Connection> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(data_dir)
        .map_err(io(data_dir))?;
    let path = db_path(data_dir);
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(io(&path))?;
    std::fs::set_permissions(&path, Permissions::from_mode(0o600)).map_err(io(&path))?;
    let mut conn = Connection::open(&path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Pragma(mode));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Runs the missing migrations, each in its own transaction with its version bump.
/// A file newer than this build is refused, never touched.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, migrations::latest())
}

/// [`migrate`], stopping at `target` (the upgrade tests build old schemas with it).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for m in migrations::pending(found)?
        .iter()
        .filter(|m| m.version <= target)
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the lock.
        let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now < m.version {
            tx.execute_batch(&render(m.sql, Engine::Sqlite))?;
            tx.pragma_update(None, "user_version", m.version)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Every table's columns (`table.column type`), sorted: the schema tests compare them.
pub fn columns(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.name || '.' || p.name || ' ' || p.type FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQLite engine.
pub struct SqliteStore {
    data_dir: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

impl SqliteStore {
    /// Opens `<data_dir>/base.db`, migrated.
    pub async fn open(data_dir: &Path) -> Result<SqliteStore> {
        let dir = data_dir.to_path_buf();
        let writer = blocking(move || open_connection(&dir)).await?;
        Ok(SqliteStore {
            data_dir: data_dir.to_path_buf(),
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// Runs `f` on the writer connection, in the blocking pool.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let writer = self.writer.clone();
        blocking(move || {
            let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn)
        })
        .await
    }

    /// Runs `f` on a reader connection (opened on first need, kept for the next).
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (readers, path) = (self.readers.clone(), db_path(&self.data_dir));
        blocking(move || {
            let taken = readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let conn = match taken {
                Some(c) => c,
                None => {
                    let c = Connection::open(&path)?;
                    c.busy_timeout(BUSY_TIMEOUT)?;
                    c
                }
            };
            let out = f(&conn);
            let mut pool = readers.lock().unwrap_or_else(|p| p.into_inner());
            if pool.len() < READERS {
                pool.push(conn);
            }
            out
        })
        .await
    }
}

async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Worker(e.to_string()))?
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        at: r.get(0)?,
        operator: r.get(1)?,
        os_user: r.get(2)?,
        file: r.get(3)?,
        masking: r.get(4)?,
        sign_ups: r.get(5)?,
        stages: r.get(6)?,
        check_ins: r.get(7)?,
        conflicts: r.get(8)?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    async fn schema_version(&self) -> Result<u32> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
            .await
    }

    async fn ping(&self) -> Result<()> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM fairs", [], |_| Ok(()))?))
            .await
    }

    async fn kiosk_hashes(&self) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT name, token_sha256 FROM kiosks")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn add_kiosk(&self, name: &str, token_sha256: &str, now: &str) -> Result<()> {
        let (name, hash, now) = (name.to_string(), token_sha256.to_string(), now.to_string());
        self.write(move |c| {
            let added = c.execute(
                "INSERT INTO kiosks (name, token_sha256, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO NOTHING",
                params![name, hash, now],
            )?;
            if added == 0 {
                return Err(Error::KioskExists(name));
            }
            Ok(())
        })
        .await
    }

    async fn kiosks(&self) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT name, created_at FROM kiosks ORDER BY name")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn publish_fair(&self, fair_id: &str, doc: &str) -> Result<i64> {
        let (id, doc) = (fair_id.to_string(), doc.to_string());
        self.write(move |c| {
            Ok(c.query_row(
                "INSERT INTO fairs (id, revision, doc) VALUES (?1, 1, ?2)
                 ON CONFLICT (id) DO UPDATE SET revision = fairs.revision + 1, doc = excluded.doc
                 RETURNING revision",
                params![id, doc],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn fair_revision(&self, fair_id: &str) -> Result<Option<u64>> {
        let id = fair_id.to_string();
        self.read(move |c| {
            let rev: Option<i64> = c
                .prepare_cached("SELECT revision FROM fairs WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            Ok(rev.map(|r| u64::try_from(r).unwrap_or(0)))
        })
        .await
    }

    async fn fair(&self, fair_id: &str) -> Result<Option<(u64, String)>> {
        let id = fair_id.to_string();
        self.read(move |c| {
            Ok(
                c.prepare_cached("SELECT revision, doc FROM fairs WHERE id = ?1")?
                    .query_row([id], |r| {
                        let revision: i64 = r.get(0)?;
                        Ok((u64::try_from(revision).unwrap_or(0), r.get(1)?))
                    })
                    .optional()?,
            )
        })
        .await
    }

    async fn ingest(
        &self,
        kiosk: &str,
        batch: Vec<Checked>,
        now: &str,
    ) -> Result<Vec<RecordResult>> {
        let (kiosk, now) = (kiosk.to_string(), now.to_string());
        self.write(move |c| ingest(c, &kiosk, batch, &now)).await
    }

    async fn export(&self, sink: &mut dyn ExportSink) -> Result<()> {
        // The sink is borrowed, so this read runs here, not in the blocking pool: an
        // export is a command of its own, not a request among others.
        let conn = Connection::open(db_path(&self.data_dir))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let flavor = tokio::runtime::Handle::current().runtime_flavor();
        if flavor == tokio::runtime::RuntimeFlavor::MultiThread {
            tokio::task::block_in_place(|| export(&conn, sink))
        } else {
            export(&conn, sink)
        }
    }

    async fn counts(&self) -> Result<Counts> {
        self.read(|c| {
            Ok(c.query_row(super::postgres::COUNTS, [], |r| {
                let n = |i: usize| -> rusqlite::Result<u64> {
                    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                };
                Ok(Counts {
                    sign_ups: n(0)?,
                    stages: n(1)?,
                    check_ins: n(2)?,
                    conflicts: n(3)?,
                    fairs: n(4)?,
                    kiosks: n(5)?,
                })
            })?)
        })
        .await
    }

    async fn transport_counts(&self) -> Result<Vec<super::TransportCount>> {
        self.read(|c| {
            let mut stmt = c.prepare(&super::transport::counts_sql(Engine::Sqlite))?;
            let rows = stmt.query_map([], |r| {
                let n = |i: usize| -> rusqlite::Result<u64> {
                    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                };
                Ok(super::TransportCount {
                    fair_id: r.get(0)?,
                    departure_id: r.get(1)?,
                    employer: r.get(2)?,
                    requested: n(3)?,
                    assigned: n(4)?,
                    waitlisted: n(5)?,
                    boarded: n(6)?,
                })
            })?;
            Ok(super::transport::sorted(
                rows.collect::<rusqlite::Result<_>>()?,
            ))
        })
        .await
    }

    async fn operator(&self, name: &str) -> Result<Option<Operator>> {
        let name = name.to_string();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT name, password_hash, failures, locked_until FROM operators WHERE name = ?1",
                [name],
                |r| {
                    Ok(Operator {
                        name: r.get(0)?,
                        password_hash: r.get(1)?,
                        failures: r.get(2)?,
                        locked_until: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn set_operator_password(&self, name: &str, hash: &str, now: &str) -> Result<()> {
        let (name, hash, now) = (name.to_string(), hash.to_string(), now.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO operators (name, password_hash, failures, locked_until, updated_at)
                 VALUES (?1, ?2, 0, NULL, ?3)
                 ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,
                     failures = 0, locked_until = NULL, updated_at = excluded.updated_at",
                params![name, hash, now],
            )?;
            Ok(())
        })
        .await
    }

    async fn set_operator_failures(
        &self,
        name: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()> {
        let (name, until) = (name.to_string(), locked_until.map(str::to_string));
        self.write(move |c| {
            c.execute(
                "UPDATE operators SET failures = ?2, locked_until = ?3 WHERE name = ?1",
                params![name, failures, until],
            )?;
            Ok(())
        })
        .await
    }

    async fn add_audit(&self, e: &AuditEntry) -> Result<()> {
        let e = e.clone();
        self.write(move |c| {
            c.execute(
                "INSERT INTO export_audit (at, operator, os_user, file, masking, sign_ups, stages,
                                           check_ins, conflicts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    e.at,
                    e.operator,
                    e.os_user,
                    e.file,
                    e.masking,
                    e.sign_ups,
                    e.stages,
                    e.check_ins,
                    e.conflicts
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit(&self) -> Result<Vec<AuditEntry>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT at, operator, os_user, file, masking, sign_ups, stages, check_ins, conflicts
                 FROM export_audit ORDER BY seq",
            )?;
            let rows = stmt.query_map([], audit_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}
