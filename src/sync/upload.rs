//! One upload pass: send every pending record in batches until none is left or a
//! batch fails. The worker and `jobfair-kiosk upload` both run it.

use super::plan::{Tally, Verdict};
use super::transport::Transport;
use super::{Error, Result};
use crate::protocol::Record;
use crate::store::{Store, outbox};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Default records per request (the base takes up to 1000). Kept at 500 for village
/// networks: a request that dies on a flaky link is resent whole, so a bounded batch
/// (a few hundred KB) bounds what a drop costs.
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
///
/// The store and the network work side by side: while one batch is on the wire, a
/// second thread commits the answer of the batch before it and reads the batch after
/// it. A batch is sent only once `progress` has seen the answer before it, and every
/// answer is committed before the pass returns; a crash before that commit leaves the
/// batch pending, so it is sent again and the base answers `duplicate`.
pub fn upload_pending(
    store: &mut Store,
    transport: &dyn Transport,
    batch: usize,
    mut progress: impl FnMut(&Tally) -> bool,
) -> Pass {
    let batch = batch.clamp(1, crate::protocol::MAX_RECORDS_PER_REQUEST);
    let mut pass = Pass::default();
    // The tally `progress` sees: it counts an answer as soon as it arrives, while
    // `pass.tally` counts it once its commit is done.
    let mut running = Tally::default();
    let mut to_send = match read_batch(store, 0, batch) {
        Ok(Some(b)) => b,
        Ok(None) => return pass,
        Err(e) => {
            pass.failure = Some(e);
            return pass;
        }
    };
    let mut to_record: Option<Answered> = None;
    loop {
        let after = to_send.last_seq;
        let previous = to_record.take();
        let (answer, (recorded, next)) = std::thread::scope(|s| {
            let store = &mut *store;
            let worker = s.spawn(move || {
                let recorded = previous.map(|a| record_answer(store, a)).transpose();
                // Nothing more is read once the last answer could not be recorded.
                let next = match &recorded {
                    Ok(_) => read_batch(store, after, batch),
                    Err(_) => Ok(None),
                };
                (recorded, next)
            });
            let answer = transport.post_records(&to_send.records);
            let answered_at = Utc::now();
            let done = worker.join().expect("the outbox thread does not panic");
            ((answer, answered_at), done)
        });
        match recorded {
            Ok(Some(tally)) => pass.tally.merge(tally),
            Ok(None) => {}
            Err(e) => {
                // `to_send` was answered but not recorded: it stays pending and is
                // sent again (answered `duplicate`) on the next pass.
                pass.failure = Some(e);
                return pass;
            }
        }
        let (answer, answered_at) = answer;
        let verdicts = match answer {
            Ok(verdicts) => verdicts,
            Err(e) => {
                let bumped = store.transaction().map_err(Error::from).and_then(|tx| {
                    outbox::bump_attempts(&tx, &to_send.seqs)?;
                    Ok(tx.commit()?)
                });
                pass.failure = Some(match bumped {
                    Ok(()) => Error::Transport(e),
                    Err(db) => db,
                });
                return pass;
            }
        };
        pass.batches += 1;
        let answered = Answered {
            verdicts,
            at: answered_at,
            seqs: to_send.seq_of(),
        };
        let next = match next {
            Ok(next) => next,
            Err(e) => {
                pass.failure = Some(e);
                None
            }
        };
        let Some(next) = next else {
            // The last batch: recorded before `progress` sees it, as the pass ends.
            match record_answer(store, answered) {
                Ok(tally) => {
                    pass.tally.merge(tally);
                    running.merge(tally);
                    pass.stopped = !progress(&running);
                }
                Err(e) => pass.failure = Some(e),
            }
            return pass;
        };
        running.merge(Tally::of(&answered.verdicts));
        if !progress(&running) {
            pass.stopped = true;
            match record_answer(store, answered) {
                Ok(tally) => pass.tally.merge(tally),
                Err(e) => pass.failure = Some(e),
            }
            return pass;
        }
        to_send = next;
        to_record = Some(answered);
    }
}

/// A batch read from the outbox, ready to send.
struct Batch {
    /// The seq of its last record: the next batch starts after it.
    last_seq: i64,
    records: Vec<Record>,
    /// The outbox seq of each record, in the same order.
    seqs: Vec<i64>,
}

impl Batch {
    /// Record id to outbox seq: answers name records by id, the outbox finds them by seq.
    fn seq_of(&self) -> HashMap<String, i64> {
        self.records
            .iter()
            .zip(&self.seqs)
            .map(|(r, &seq)| (r.id.clone(), seq))
            .collect()
    }
}

/// The base's answer to a batch, not yet recorded in the outbox.
struct Answered {
    verdicts: Vec<Verdict>,
    at: DateTime<Utc>,
    /// The batch's records by id ([`Batch::seq_of`]).
    seqs: HashMap<String, i64>,
}

/// The next `batch` pending records after `after`; `None` when nothing is pending.
fn read_batch(store: &Store, after: i64, batch: usize) -> Result<Option<Batch>> {
    let pending = outbox::next_pending(store.conn(), after, batch)?;
    let Some(last) = pending.last() else {
        return Ok(None);
    };
    let last_seq = last.seq;
    let seqs = pending.iter().map(|r| r.seq).collect();
    // Moved, not copied: the payloads are the bulk of a batch.
    let records = pending
        .into_iter()
        .map(|r| Record::new(r.id, r.kind, r.sha256, r.payload))
        .collect();
    Ok(Some(Batch {
        last_seq,
        records,
        seqs,
    }))
}

/// Records an answered batch in one transaction; returns its tally.
fn record_answer(store: &mut Store, answered: Answered) -> Result<Tally> {
    let Answered { verdicts, at, seqs } = answered;
    // An answer for a record that was not in the batch changes nothing.
    let seq = |v: &Verdict| seqs.get(&v.id).copied();
    let tx = store.transaction()?;
    // The usual answer is all accepted (or duplicates of an earlier, unacknowledged
    // try): two set-wise updates. Parked records are few and go one by one.
    for outcome in [outbox::Outcome::Accepted, outbox::Outcome::Duplicate] {
        let sent: Vec<i64> = verdicts
            .iter()
            .filter(|v| v.outcome == outcome)
            .filter_map(seq)
            .collect();
        outbox::record_sent(&tx, &sent, outcome, at)?;
    }
    let refused: Vec<(i64, &Verdict)> = verdicts
        .iter()
        .filter(|v| !v.outcome.is_sent())
        .filter_map(|v| Some((seq(v)?, v)))
        .collect();
    let refused_seqs: Vec<i64> = refused.iter().map(|&(seq, _)| seq).collect();
    outbox::bump_attempts(&tx, &refused_seqs)?;
    for (seq, v) in refused {
        let reason = outbox::coded_reason(v.code.map(|c| c.as_str()), &v.reason);
        if v.held() {
            // Pending still, with the reason staff see while it waits.
            outbox::note_waiting(&tx, seq, &reason)?;
        } else {
            outbox::record_outcome(&tx, seq, v.outcome, Some(&reason), at)?;
        }
    }
    tx.commit()?;
    Ok(Tally::of(&verdicts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{CheckInRecord, RecordKind};
    use crate::protocol::OpeningsAck;
    use crate::store::outbox::Outcome;
    use crate::sync::transport::TransportError;
    use std::sync::Mutex;

    /// Accepts every record, but for the request numbered `fail_at` (from 0), which
    /// is answered by nothing at all.
    struct Fake {
        requests: Mutex<Vec<usize>>,
        fail_at: Option<usize>,
        unknown: Mutex<bool>,
    }

    impl Transport for Fake {
        fn post_records(
            &self,
            records: &[Record],
        ) -> std::result::Result<Vec<Verdict>, TransportError> {
            let mut requests = self.requests.lock().unwrap();
            let n = requests.len();
            requests.push(records.len());
            if self.fail_at == Some(n) {
                return Err(TransportError::Unreachable("cable pulled".into()));
            }
            Ok(records
                .iter()
                .map(|r| {
                    // Check-ins of the fair "unpublished" are refused as unknown_fair
                    // while `unknown` is set, like a base whose operator forgot it.
                    let held = *self.unknown.lock().unwrap() && r.payload.contains("unpublished");
                    Verdict {
                        id: r.id.clone(),
                        outcome: if held {
                            Outcome::Rejected
                        } else {
                            Outcome::Accepted
                        },
                        reason: if held {
                            "fair not published".into()
                        } else {
                            String::new()
                        },
                        code: held.then_some(crate::protocol::RejectCode::UnknownFair),
                    }
                })
                .collect())
        }

        fn get_openings(
            &self,
            _: &str,
            _: u64,
        ) -> std::result::Result<OpeningsAck, TransportError> {
            unreachable!("an upload pass pulls nothing")
        }
    }

    fn fake(fail_at: Option<usize>) -> Fake {
        Fake {
            requests: Mutex::new(Vec::new()),
            fail_at,
            unknown: Mutex::new(false),
        }
    }

    fn store_with(n: usize) -> (tempfile::TempDir, Store) {
        store_of(n, |_| "fair")
    }

    fn store_of(n: usize, fair: impl Fn(usize) -> &'static str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let tx = store.transaction().unwrap();
        for i in 0..n {
            let record = CheckInRecord {
                registration_id: format!("reg-{i}"),
                fair_id: fair(i).into(),
                kiosk_id: "k1".into(),
                at: "2027-02-15T09:00:00Z".into(),
            };
            let id = uuid::Uuid::now_v7();
            outbox::enqueue(&tx, id, RecordKind::CheckIn, &record, Utc::now()).unwrap();
        }
        tx.commit().unwrap();
        (dir, store)
    }

    #[test]
    fn every_batch_is_sent_once_and_recorded() {
        let (_dir, mut store) = store_with(10);
        let t = fake(None);
        let mut seen = Vec::new();
        let pass = upload_pending(&mut store, &t, 3, |tally| {
            seen.push(tally.accepted);
            true
        });
        assert!(pass.succeeded() && !pass.stopped);
        assert_eq!((pass.tally.accepted, pass.batches), (10, 4));
        assert_eq!(seen, [3, 6, 9, 10]);
        assert_eq!(*t.requests.lock().unwrap(), [3, 3, 3, 1]);
        let counts = outbox::counts(store.conn()).unwrap();
        assert_eq!((counts.pending, counts.sent), (0, 10));
    }

    #[test]
    fn a_stop_sends_nothing_more_and_records_what_was_answered() {
        let (_dir, mut store) = store_with(10);
        let t = fake(None);
        let pass = upload_pending(&mut store, &t, 3, |tally| tally.accepted < 6);
        assert!(pass.succeeded() && pass.stopped);
        assert_eq!((pass.tally.accepted, pass.batches), (6, 2));
        assert_eq!(t.requests.lock().unwrap().len(), 2);
        let counts = outbox::counts(store.conn()).unwrap();
        assert_eq!((counts.pending, counts.sent), (4, 6));
    }

    #[test]
    fn a_failed_batch_stays_pending_after_the_answered_ones_are_recorded() {
        let (_dir, mut store) = store_with(10);
        let t = fake(Some(2));
        let pass = upload_pending(&mut store, &t, 3, |_| true);
        assert!(matches!(pass.failure, Some(Error::Transport(_))));
        assert_eq!((pass.tally.accepted, pass.batches), (6, 2));
        let counts = outbox::counts(store.conn()).unwrap();
        assert_eq!((counts.pending, counts.sent), (4, 6));
        let tried: Vec<u32> = outbox::next_pending(store.conn(), 0, 10)
            .unwrap()
            .iter()
            .map(|r| r.attempts)
            .collect();
        assert_eq!(tried, [1, 1, 1, 0], "the failed batch counts one attempt");
    }

    #[test]
    fn records_of_a_fair_the_base_has_not_published_wait_pending_with_the_reason_and_go_later() {
        let (_dir, mut store) = store_of(6, |i| if i % 2 == 0 { "unpublished" } else { "fair" });
        let t = fake(None);
        *t.unknown.lock().unwrap() = true;
        let pass = upload_pending(&mut store, &t, 10, |_| true);
        assert!(pass.succeeded());
        assert_eq!(
            (pass.tally.accepted, pass.tally.held, pass.tally.rejected),
            (3, 3, 0)
        );
        let counts = outbox::counts(store.conn()).unwrap();
        assert_eq!(
            (counts.pending, counts.sent, counts.parked),
            (3, 3, 0),
            "nothing parked"
        );
        let waiting = outbox::waiting(store.conn(), 10).unwrap();
        assert_eq!(waiting.len(), 3);
        assert_eq!(
            outbox::reason_code(&waiting[0].reason),
            Some("unknown_fair")
        );
        assert_eq!(waiting[0].attempts, 1);
        // The operator publishes the fair: the next pass sends them.
        *t.unknown.lock().unwrap() = false;
        let pass = upload_pending(&mut store, &t, 10, |_| true);
        assert_eq!((pass.tally.accepted, pass.tally.held), (3, 0));
        let counts = outbox::counts(store.conn()).unwrap();
        assert_eq!((counts.pending, counts.sent), (0, 6));
        assert!(outbox::waiting(store.conn(), 10).unwrap().is_empty());
    }
}
