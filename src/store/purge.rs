//! Purging a fair's personal data (issue 17, retention): the sign-ups, their openings, the
//! booth cards, the township-list people who signed up, and the outbox records about them.
//!
//! Two scopes. [`Scope::Confirmed`] (the retention rule) takes only villagers every record of
//! whom the base confirmed (`accepted` or `duplicate`): nothing the base has not got is lost.
//! [`Scope::All`] ("清除本场数据", staff PIN) takes the whole fair, records not yet sent
//! included; the caller warns and counts them first ([`unsent`]).
//!
//! Deleting is not enough for data that must not linger: the store runs with
//! `secure_delete=ON` (deleted cells and freed pages are zeroed), and after the commit
//! [`super::Store::scrub`] checkpoints the WAL and truncates it and wipes the sign-up journal.

use super::Result;
use rusqlite::{Connection, params};

/// Which villagers of the fair are purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only those whose every record the base confirmed.
    Confirmed,
    /// Everyone, records not yet confirmed included.
    All,
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub registrations: u64,
    /// Outbox rows about them (all kinds).
    pub records: u64,
    /// Of those, rows the base had not confirmed (only with [`Scope::All`]).
    pub unconfirmed: u64,
    pub list_people: u64,
    pub booth_cards: u64,
}

/// The purge's working set: the fair's registration ids in scope.
const SELECT_IN_SCOPE: &str = "
    CREATE TEMP TABLE IF NOT EXISTS purge_ids (id TEXT PRIMARY KEY NOT NULL);
    DELETE FROM purge_ids;";

/// Outbox rows of the fair's villagers the base has not confirmed.
pub fn unsent(conn: &Connection, fair_id: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM outbox o
         WHERE (o.state <> 'sent' OR o.outcome NOT IN ('accepted', 'duplicate'))
           AND json_extract(o.payload, '$.registration_id') IN
               (SELECT id FROM registrations WHERE fair_id = ?1)",
        params![fair_id],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Deletes the personal data of the fair's villagers in `scope`. Run it in a transaction
/// (with the audit row); then [`super::Store::scrub`].
pub fn purge_fair(conn: &Connection, fair_id: &str, scope: Scope) -> Result<Purged> {
    conn.execute_batch(SELECT_IN_SCOPE)?;
    match scope {
        Scope::All => conn.execute(
            "INSERT INTO purge_ids (id) SELECT id FROM registrations WHERE fair_id = ?1",
            params![fair_id],
        )?,
        // Uncorrelated IN lists: SQLite builds each once (10,000 sign-ups stay linear).
        Scope::Confirmed => conn.execute(
            "INSERT INTO purge_ids (id)
             SELECT r.id FROM registrations r
             WHERE r.fair_id = ?1
               AND r.id IN (SELECT json_extract(payload, '$.registration_id') FROM outbox)
               AND r.id NOT IN (
                   SELECT json_extract(payload, '$.registration_id') FROM outbox
                   WHERE state <> 'sent' OR outcome NOT IN ('accepted', 'duplicate'))",
            params![fair_id],
        )?,
    };
    let unconfirmed = conn.query_row(
        "SELECT count(*) FROM outbox o
         WHERE (o.state <> 'sent' OR o.outcome NOT IN ('accepted', 'duplicate'))
           AND json_extract(o.payload, '$.registration_id') IN (SELECT id FROM purge_ids)",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let records = conn.execute(
        "DELETE FROM outbox
         WHERE json_extract(payload, '$.registration_id') IN (SELECT id FROM purge_ids)",
        [],
    )? as u64;
    let booth_cards = conn.execute(
        "UPDATE booth_candidates SET card = NULL
         WHERE card IS NOT NULL AND registration_id IN (SELECT id FROM purge_ids)",
        [],
    )? as u64;
    // A recruiter's note may name the villager.
    conn.execute(
        "UPDATE stage_events SET note = '' WHERE note <> ''
           AND registration_id IN (SELECT id FROM purge_ids)",
        [],
    )?;
    let list_people = match scope {
        // The lists were imported for this fair: with the fair, all of them go.
        Scope::All => conn.execute("DELETE FROM list_people", [])?,
        Scope::Confirmed => conn.execute(
            "DELETE FROM list_people WHERE registration_id IN (SELECT id FROM purge_ids)",
            [],
        )?,
    } as u64;
    // Their openings go with them (ON DELETE CASCADE).
    let registrations = conn.execute(
        "DELETE FROM registrations WHERE id IN (SELECT id FROM purge_ids)",
        [],
    )? as u64;
    conn.execute("DELETE FROM purge_ids", [])?;
    Ok(Purged {
        registrations,
        records,
        unconfirmed,
        list_people,
        booth_cards,
    })
}
