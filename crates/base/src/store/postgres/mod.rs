//! The PostgreSQL engine: tokio-postgres with a deadpool pool (README, "Engines": why
//! these crates). A request's batch is one transaction: one `INSERT … SELECT FROM
//! unnest(…) ON CONFLICT (id) DO NOTHING RETURNING id` for its new records (sorted by id,
//! so concurrent batches lock in the same order and cannot deadlock each other), one
//! lookup of the ids that were already there, and one insert of the conflicts.

mod export;
mod ingest;

use super::migrations::{self, render};
use super::{AuditEntry, Checked, Counts, Engine, Error, ExportSink, Operator, Result, Store};
use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use jobfair_protocol::RecordResult;
use std::str::FromStr;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

/// Connections kept in the pool (`--pool-size`).
pub const DEFAULT_POOL_SIZE: usize = 16;
/// Key of the advisory lock migrations take (two bases starting at once migrate once).
const MIGRATION_LOCK: i64 = 0x006a_6f62_6661_6972; // "jobfair"
/// Tries of a batch that PostgreSQL aborted to break a deadlock or a serialization clash.
const TRIES: u32 = 5;
/// Rows fetched per round trip by an export.
const EXPORT_FETCH: i32 = 2000;

/// The connection string without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = scheme_end + 3;
        if let Some(at) = out[rest..].find('@').map(|i| rest + i)
            && let Some(colon) = out[rest..at].find(':').map(|i| rest + i)
        {
            out.replace_range(colon + 1..at, "***");
        }
    }
    if let Some(start) = out.find("password=") {
        let value = start + "password=".len();
        let end = out[value..]
            .find([' ', '&'])
            .map_or(out.len(), |i| value + i);
        out.replace_range(value..end, "***");
    }
    out
}

/// The PostgreSQL engine.
pub struct PgStore {
    pool: Pool,
}

impl PgStore {
    /// Connects (a pool of [`DEFAULT_POOL_SIZE`]) and migrates to the latest schema.
    pub async fn open(url: &str) -> Result<PgStore> {
        Self::open_with(url, DEFAULT_POOL_SIZE, migrations::latest()).await
    }

    /// Connects with `pool_size` connections and migrates up to `target`.
    pub async fn open_with(url: &str, pool_size: usize, target: u32) -> Result<PgStore> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| Error::Url(redact(url), e.to_string()))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| Error::Pool(e.to_string()))?;
        let store = PgStore { pool };
        store.migrate_to(target).await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => Error::Postgres(e),
            other => Error::Pool(other.to_string()),
        })
    }

    /// Runs the migrations up to `target` in one transaction, under an advisory lock.
    pub async fn migrate_to(&self, target: u32) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            .await?;
        let found: Option<i32> = tx
            .query_opt("SELECT version FROM schema_version", &[])
            .await?
            .map(|r| r.get(0));
        if found.is_none() {
            tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])
                .await?;
        }
        let found = u32::try_from(found.unwrap_or(0)).unwrap_or(0);
        for m in migrations::pending(found)?
            .iter()
            .filter(|m| m.version <= target)
        {
            tx.batch_execute(&render(m.sql, Engine::Postgres)).await?;
            tx.execute(
                "UPDATE schema_version SET version = $1",
                &[&i32::try_from(m.version).unwrap_or(i32::MAX)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Whether PostgreSQL aborted the transaction to let another through (try again).
fn retryable(e: &Error) -> bool {
    let Error::Postgres(e) = e else {
        return false;
    };
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// Shared with SQLite (FILTER is in both).
pub(crate) const COUNTS: &str = "SELECT
    (SELECT count(*) FILTER (WHERE kind = 'registration') FROM records),
    (SELECT count(*) FILTER (WHERE kind = 'stage') FROM records),
    (SELECT count(*) FILTER (WHERE kind = 'check_in') FROM records),
    (SELECT count(*) FROM conflicts),
    (SELECT count(*) FROM fairs),
    (SELECT count(*) FROM kiosks)";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn uint(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

#[async_trait]
impl Store for PgStore {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    async fn schema_version(&self) -> Result<u32> {
        let row = self
            .client()
            .await?
            .query_one("SELECT version FROM schema_version", &[])
            .await?;
        Ok(uint(row.get(0)))
    }

    async fn ping(&self) -> Result<()> {
        self.client().await?.execute("SELECT 1", &[]).await?;
        Ok(())
    }

    async fn kiosk_hashes(&self) -> Result<Vec<(String, String)>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT name, token_sha256 FROM kiosks")
            .await?;
        let rows = client.query(&stmt, &[]).await?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn add_kiosk(&self, name: &str, token_sha256: &str, now: &str) -> Result<()> {
        let added = self
            .client()
            .await?
            .execute(
                "INSERT INTO kiosks (name, token_sha256, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO NOTHING",
                &[&name, &token_sha256, &now],
            )
            .await?;
        if added == 0 {
            return Err(Error::KioskExists(name.to_string()));
        }
        Ok(())
    }

    async fn kiosks(&self) -> Result<Vec<(String, String)>> {
        let rows = self
            .client()
            .await?
            .query("SELECT name, created_at FROM kiosks ORDER BY name", &[])
            .await?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn publish_fair(&self, fair_id: &str, doc: &str) -> Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO fairs (id, revision, doc) VALUES ($1, 1, $2)
                 ON CONFLICT (id) DO UPDATE SET revision = fairs.revision + 1, doc = excluded.doc
                 RETURNING revision",
                &[&fair_id, &doc],
            )
            .await?;
        Ok(i64::from(row.get::<_, i32>(0)))
    }

    async fn fair_revision(&self, fair_id: &str) -> Result<Option<u64>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT revision FROM fairs WHERE id = $1")
            .await?;
        let row = client.query_opt(&stmt, &[&fair_id]).await?;
        Ok(row.map(|r| u64::from(uint(r.get(0)))))
    }

    async fn fair(&self, fair_id: &str) -> Result<Option<(u64, String)>> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT revision, doc FROM fairs WHERE id = $1", &[&fair_id])
            .await?;
        Ok(row.map(|r| (u64::from(uint(r.get(0))), r.get(1))))
    }

    async fn ingest(
        &self,
        kiosk: &str,
        batch: Vec<Checked>,
        now: &str,
    ) -> Result<Vec<RecordResult>> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.ingest_once(kiosk, &batch, now).await {
                Err(e) if tries < TRIES && retryable(&e) => {
                    tracing::warn!(
                        kiosk,
                        tries,
                        "batch aborted by PostgreSQL ({e}); trying again"
                    );
                }
                other => return other,
            }
        }
    }

    async fn export(&self, sink: &mut dyn ExportSink) -> Result<()> {
        let mut client = self.client().await?;
        export::export(&mut client, sink).await
    }

    async fn counts(&self) -> Result<Counts> {
        let r = self.client().await?.query_one(COUNTS, &[]).await?;
        Ok(Counts {
            sign_ups: count(r.get(0)),
            stages: count(r.get(1)),
            check_ins: count(r.get(2)),
            conflicts: count(r.get(3)),
            fairs: count(r.get(4)),
            kiosks: count(r.get(5)),
        })
    }

    async fn transport_counts(&self) -> Result<Vec<super::TransportCount>> {
        let sql = super::transport::counts_sql(Engine::Postgres);
        let rows = self.client().await?.query(sql.as_str(), &[]).await?;
        Ok(super::transport::sorted(
            rows.into_iter()
                .map(|r| super::TransportCount {
                    fair_id: r.get(0),
                    departure_id: r.get(1),
                    employer: r.get(2),
                    requested: count(r.get(3)),
                    assigned: count(r.get(4)),
                    waitlisted: count(r.get(5)),
                    boarded: count(r.get(6)),
                })
                .collect(),
        ))
    }

    async fn operator(&self, name: &str) -> Result<Option<Operator>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT name, password_hash, failures, locked_until FROM operators WHERE name = $1",
                &[&name],
            )
            .await?;
        Ok(row.map(|r| Operator {
            name: r.get(0),
            password_hash: r.get(1),
            failures: uint(r.get(2)),
            locked_until: r.get(3),
        }))
    }

    async fn set_operator_password(&self, name: &str, hash: &str, now: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO operators (name, password_hash, failures, locked_until, updated_at)
                 VALUES ($1, $2, 0, NULL, $3)
                 ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,
                     failures = 0, locked_until = NULL, updated_at = excluded.updated_at",
                &[&name, &hash, &now],
            )
            .await?;
        Ok(())
    }

    async fn set_operator_failures(
        &self,
        name: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE operators SET failures = $2, locked_until = $3 WHERE name = $1",
                &[&name, &int(failures), &locked_until],
            )
            .await?;
        Ok(())
    }

    async fn add_audit(&self, e: &AuditEntry) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO export_audit (at, operator, os_user, file, masking, sign_ups, stages,
                                           check_ins, conflicts)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &e.at,
                    &e.operator,
                    &e.os_user,
                    &e.file,
                    &e.masking,
                    &int(e.sign_ups),
                    &int(e.stages),
                    &int(e.check_ins),
                    &int(e.conflicts),
                ],
            )
            .await?;
        Ok(())
    }

    async fn audit(&self) -> Result<Vec<AuditEntry>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT at, operator, os_user, file, masking, sign_ups, stages, check_ins, conflicts
                 FROM export_audit ORDER BY seq",
                &[],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.get(0),
                operator: r.get(1),
                os_user: r.get(2),
                file: r.get(3),
                masking: r.get(4),
                sign_ups: uint(r.get(5)),
                stages: uint(r.get(6)),
                check_ins: uint(r.get(7)),
                conflicts: uint(r.get(8)),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_password_never_reaches_the_log() {
        assert_eq!(
            redact("postgres://base:s3cret@db.local/jobfair"),
            "postgres://base:***@db.local/jobfair"
        );
        assert_eq!(
            redact("host=/run/postgresql dbname=jobfair password=s3cret user=base"),
            "host=/run/postgresql dbname=jobfair password=*** user=base"
        );
        assert_eq!(
            redact("postgresql:///jobfair?host=/tmp/pg"),
            "postgresql:///jobfair?host=/tmp/pg"
        );
    }
}
