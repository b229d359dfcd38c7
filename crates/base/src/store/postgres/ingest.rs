//! One request's batch on PostgreSQL: one transaction, sorted inserts, one lookup.

use super::PgStore;
use crate::ingest::settle;
use crate::store::{Checked, Error, NewRecord, Result, Stored};
use jobfair_protocol::{RecordResult, RecordStatus};
use std::collections::{HashMap, HashSet};

impl PgStore {
    pub(super) async fn ingest_once(
        &self,
        kiosk: &str,
        batch: &[Checked],
        now: &str,
    ) -> Result<Vec<RecordResult>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The first occurrence of each id, sorted by id (the lock order).
        let mut firsts: Vec<&NewRecord> = Vec::new();
        let mut seen = HashSet::new();
        for c in batch {
            if let Checked::New(r) = c
                && seen.insert(r.id.as_str())
            {
                firsts.push(r);
            }
        }
        firsts.sort_by(|a, b| a.id.cmp(&b.id));
        let col = |f: fn(&NewRecord) -> &str| firsts.iter().map(|r| f(r)).collect::<Vec<&str>>();
        let inserted: HashSet<String> = if firsts.is_empty() {
            HashSet::new()
        } else {
            let stmt = tx
                .prepare_cached(
                    "INSERT INTO records (id, kind, kiosk, fair_id, sha256, payload, received_at,
                                          registration_id, at)
                     SELECT u.id, u.kind, $8, u.fair_id, u.sha256, u.payload, $9,
                            u.registration_id, u.at
                     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                 $6::text[], $7::text[])
                          AS u(id, kind, fair_id, sha256, payload, registration_id, at)
                     ORDER BY u.id
                     ON CONFLICT (id) DO NOTHING RETURNING id",
                )
                .await?;
            tx.query(
                &stmt,
                &[
                    &col(|r| &r.id),
                    &col(|r| r.kind.as_str()),
                    &col(|r| &r.fair_id),
                    &col(|r| &r.sha256),
                    &col(|r| &r.payload),
                    &col(|r| &r.registration_id),
                    &col(|r| &r.at),
                    &kiosk,
                    &now,
                ],
            )
            .await?
            .into_iter()
            .map(|row| row.get(0))
            .collect()
        };
        // What is stored under every id that was not inserted now (or repeats).
        let mut taken: Vec<&str> = Vec::new();
        let mut answered = HashSet::new();
        for c in batch {
            if let Checked::New(r) = c
                && (!inserted.contains(&r.id) || !answered.insert(r.id.as_str()))
            {
                taken.push(&r.id);
            }
        }
        let stored: HashMap<String, Stored> = if taken.is_empty() {
            HashMap::new()
        } else {
            let stmt = tx
                .prepare_cached("SELECT id, kind, sha256 FROM records WHERE id = ANY($1)")
                .await?;
            tx.query(&stmt, &[&taken])
                .await?
                .into_iter()
                .map(|row| {
                    let stored = Stored {
                        kind: row.get(1),
                        sha256: row.get(2),
                    };
                    (row.get::<_, String>(0), stored)
                })
                .collect()
        };
        let mut results = Vec::with_capacity(batch.len());
        let mut conflicts: Vec<&NewRecord> = Vec::new();
        let mut accepted = HashSet::new();
        for c in batch {
            let r = match c {
                Checked::Refused(answer) => {
                    results.push(answer.clone());
                    continue;
                }
                Checked::New(r) => r,
            };
            if inserted.contains(&r.id) && accepted.insert(r.id.as_str()) {
                results.push(RecordResult::ok(r.id.clone(), RecordStatus::Accepted));
                continue;
            }
            let s = stored
                .get(&r.id)
                .ok_or_else(|| Error::Corrupt(format!("record {} vanished", r.id)))?;
            let answer = settle(r, s);
            if answer.status == RecordStatus::Conflict {
                conflicts.push(r);
            }
            results.push(answer);
        }
        if !conflicts.is_empty() {
            conflicts.sort_by(|a, b| (&a.id, &a.sha256).cmp(&(&b.id, &b.sha256)));
            let col =
                |f: fn(&NewRecord) -> &str| conflicts.iter().map(|r| f(r)).collect::<Vec<&str>>();
            tx.execute(
                "INSERT INTO conflicts (id, kiosk, sha256, payload, received_at)
                 SELECT u.id, $4, u.sha256, u.payload, $5
                 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, sha256, payload)
                 ORDER BY u.id, u.sha256
                 ON CONFLICT (id, sha256) DO NOTHING",
                &[
                    &col(|r| &r.id),
                    &col(|r| &r.sha256),
                    &col(|r| &r.payload),
                    &kiosk,
                    &now,
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(results)
    }
}
