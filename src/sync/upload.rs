//! One upload pass: send every pending record in batches until none is left or a
//! batch fails. The worker and `jobfair-kiosk upload` both run it.

use super::plan::{self, Tally};
use super::transport::Transport;
use super::{Error, Result};
use crate::store::{Store, outbox};
use chrono::Utc;

/// Default records per request (the base takes up to 1000).
pub const DEFAULT_BATCH: usize = 500;

/// What a pass did. `failure` is set when a batch did not get an acknowledgement;
/// that batch and everything after it stay pending.
#[derive(Debug, Default)]
pub struct Pass {
    pub tally: Tally,
    /// Requests that got an acknowledgement.
    pub batches: u64,
    pub failure: Option<Error>,
    /// `progress` asked to stop before everything was sent.
    pub stopped: bool,
}

impl Pass {
    pub fn succeeded(&self) -> bool {
        self.failure.is_none()
    }
}

/// Sends the pending records of `store`, oldest first, `batch` at a time (1 to 1000).
/// Each answered batch is recorded in one transaction: accepted and duplicate rows
/// become sent, conflict and rejected rows are parked with the base's reason.
/// `progress` gets the running tally after each answered batch and returns whether
/// to go on (false stops the pass between batches). Nothing is deleted.
pub fn upload_pending(
    store: &mut Store,
    transport: &dyn Transport,
    batch: usize,
    mut progress: impl FnMut(&Tally) -> bool,
) -> Pass {
    let batch = batch.clamp(1, super::wire::MAX_RECORDS_PER_REQUEST);
    let mut pass = Pass::default();
    let mut after = 0i64;
    loop {
        match send_one_batch(store, transport, batch, after) {
            Ok(None) => return pass,
            Ok(Some((last_seq, tally))) => {
                after = last_seq;
                pass.tally.merge(tally);
                pass.batches += 1;
                if !progress(&pass.tally) {
                    pass.stopped = true;
                    return pass;
                }
            }
            Err(e) => {
                pass.failure = Some(e);
                return pass;
            }
        }
    }
}

/// Sends the next batch after `after`; `None` when nothing is pending.
fn send_one_batch(
    store: &mut Store,
    transport: &dyn Transport,
    batch: usize,
    after: i64,
) -> Result<Option<(i64, Tally)>> {
    let pending = outbox::next_pending(store.conn(), after, batch)?;
    let Some(last) = pending.last() else {
        return Ok(None);
    };
    let last_seq = last.seq;
    let records = plan::next_batch(&pending, batch);
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let answer = transport.post_records(&records);
    let now = Utc::now();
    let tx = store.transaction()?;
    let verdicts = match answer {
        Ok(verdicts) => verdicts,
        Err(e) => {
            outbox::bump_attempts(&tx, &ids)?;
            tx.commit()?;
            return Err(Error::Transport(e));
        }
    };
    // The usual answer is all accepted (or duplicates of an earlier, unacknowledged
    // try): two set-wise updates. Parked records are few and go one by one.
    for outcome in [outbox::Outcome::Accepted, outbox::Outcome::Duplicate] {
        let sent: Vec<&str> = verdicts
            .iter()
            .filter(|v| v.outcome == outcome)
            .map(|v| v.id.as_str())
            .collect();
        outbox::record_sent(&tx, &sent, outcome, now)?;
    }
    let parked: Vec<&str> = verdicts
        .iter()
        .filter(|v| !v.outcome.is_sent())
        .map(|v| v.id.as_str())
        .collect();
    outbox::bump_attempts(&tx, &parked)?;
    for v in verdicts.iter().filter(|v| !v.outcome.is_sent()) {
        let reason = (!v.reason.is_empty()).then_some(v.reason.as_str());
        outbox::record_outcome(&tx, &v.id, v.outcome, reason, now)?;
    }
    tx.commit()?;
    Ok(Some((last_seq, Tally::of(&verdicts))))
}
