//! One request's batch and one export on SQLite (blocking; run in the blocking pool).

use crate::ingest::settle;
use crate::store::{Checked, Error, ExportRow, ExportSink, Result, Stored};
use jobfair_protocol::{RecordResult, RecordStatus};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub(super) fn ingest(
    conn: &mut Connection,
    kiosk: &str,
    batch: Vec<Checked>,
    now: &str,
) -> Result<Vec<RecordResult>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO records (id, kind, kiosk, fair_id, sha256, payload, received_at,
                                  registration_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
        )?;
        let mut lookup = tx.prepare_cached("SELECT kind, sha256 FROM records WHERE id = ?1")?;
        let mut park = tx.prepare_cached(
            "INSERT INTO conflicts (id, kiosk, sha256, payload, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id, sha256) DO NOTHING",
        )?;
        for checked in batch {
            let r = match checked {
                Checked::Refused(answer) => {
                    results.push(answer);
                    continue;
                }
                Checked::New(r) => r,
            };
            // Most records are new: insert first, look up only when the id is taken.
            let row = params![
                r.id,
                r.kind.as_str(),
                kiosk,
                r.fair_id,
                r.sha256,
                r.payload,
                now,
                r.registration_id,
                r.at
            ];
            if insert.execute(row)? == 1 {
                results.push(RecordResult::ok(r.id, RecordStatus::Accepted));
                continue;
            }
            let stored = lookup
                .query_row([&r.id], |row| {
                    Ok(Stored {
                        kind: row.get(0)?,
                        sha256: row.get(1)?,
                    })
                })
                .optional()?
                .ok_or_else(|| Error::Corrupt(format!("record {} vanished", r.id)))?;
            let answer = settle(&r, &stored);
            if answer.status == RecordStatus::Conflict {
                park.execute(params![r.id, kiosk, r.sha256, r.payload, now])?;
            }
            results.push(answer);
        }
    }
    tx.commit()?;
    Ok(results)
}

/// Latest version of each sign-up: greatest `at`, then the last received. Versions
/// are grouped per kiosk (the one of the token that uploaded them): a sign-up is only
/// ever changed at the kiosk that made it, and a registration id is readable on any
/// ticket, so another kiosk's record under the same id must not replace it.
const SIGN_UPS: &str = "
SELECT payload FROM (
    SELECT payload, fair_id, at, rowid AS seq, row_number() OVER (
        PARTITION BY kiosk, registration_id ORDER BY at DESC, received_at DESC, rowid DESC) AS n
    FROM records WHERE kind = 'registration')
WHERE n = 1 ORDER BY fair_id, at, seq";
const BY_KIND: &str = "SELECT payload FROM records WHERE kind = ?1 ORDER BY fair_id, at, rowid";
const CONFLICTS: &str = "SELECT id, kiosk, received_at, payload FROM conflicts ORDER BY seq";

pub(super) fn export(conn: &Connection, sink: &mut dyn ExportSink) -> Result<()> {
    let stop = |e: String| Error::Worker(format!("export stopped: {e}"));
    let text = |row: &rusqlite::Row<'_>, i: usize| -> Result<String> { Ok(row.get(i)?) };
    let mut stmt = conn.prepare(SIGN_UPS)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        sink.row(ExportRow::SignUp(&text(row, 0)?)).map_err(stop)?;
    }
    for kind in ["stage", "check_in"] {
        let mut stmt = conn.prepare(BY_KIND)?;
        let mut rows = stmt.query([kind])?;
        while let Some(row) = rows.next()? {
            let payload = text(row, 0)?;
            let row = if kind == "stage" {
                ExportRow::Stage(&payload)
            } else {
                ExportRow::CheckIn(&payload)
            };
            sink.row(row).map_err(stop)?;
        }
    }
    let mut stmt = conn.prepare(CONFLICTS)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, kiosk, received_at, payload) =
            (text(row, 0)?, text(row, 1)?, text(row, 2)?, text(row, 3)?);
        sink.row(ExportRow::Conflict {
            id: &id,
            kiosk: &kiosk,
            received_at: &received_at,
            payload: &payload,
        })
        .map_err(stop)?;
    }
    Ok(())
}
