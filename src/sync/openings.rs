//! Pulling the fair's openings from the base: a revision cursor per fair in
//! `kiosk_state`, every rule of the fair file checked, applied in one transaction.
//! An unreachable base or a bad file leaves the last good set in place.

use super::transport::Transport;
use super::{Error, Result};
use crate::domain::fair::FairFile;
use crate::store::{Store, fairs, kiosk_state};
use chrono::Utc;

/// `kiosk_state` key of the last applied revision of fair `fair_id`.
pub fn cursor_key(fair_id: &str) -> String {
    format!("openings_revision:{fair_id}")
}

/// What a pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pulled {
    /// No fair is current; nothing to ask for.
    NoFair,
    /// The base has nothing newer than our revision.
    Unchanged { fair_id: String, revision: u64 },
    /// A newer fair file was stored; the kiosk shows it after reloading its fair.
    Applied {
        fair_id: String,
        revision: u64,
        openings: usize,
    },
}

/// The last applied revision of `fair_id` (0 when none).
pub fn revision(store: &Store, fair_id: &str) -> Result<u64> {
    Ok(kiosk_state::get(store.conn(), &cursor_key(fair_id))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Asks the base for the current fair's openings changed since our cursor and
/// applies a newer, valid fair file atomically (document and cursor together).
/// A file that breaks a rule, or is for another fair, changes nothing.
pub fn pull_openings(store: &mut Store, transport: &dyn Transport) -> Result<Pulled> {
    let Some(fair_id) = fairs::current_id(store.conn())? else {
        return Ok(Pulled::NoFair);
    };
    let since = revision(store, &fair_id)?;
    let answer = transport.get_openings(&fair_id, since)?;
    let Some(doc) = answer.fair.filter(|_| answer.revision > since) else {
        return Ok(Pulled::Unchanged {
            fair_id,
            revision: since,
        });
    };
    let fair = FairFile::from_json(&doc.to_string()).map_err(Error::BadFair)?;
    if fair.fair.id != fair_id {
        return Err(Error::OtherFair {
            expected: fair_id,
            got: fair.fair.id,
        });
    }
    let tx = store.transaction()?;
    fairs::install(&tx, &fair, Utc::now())?;
    kiosk_state::set(&tx, &cursor_key(&fair_id), &answer.revision.to_string())?;
    tx.commit()?;
    Ok(Pulled::Applied {
        fair_id,
        revision: answer.revision,
        openings: fair.openings.len(),
    })
}
