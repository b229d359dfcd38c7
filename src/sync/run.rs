//! The worker thread's loop: upload, pull, publish, wait for a message or the backoff.

use super::backoff::{Backoff, jitter_unit};
use super::openings::{Pulled, pull_openings};
use super::status::{Failure, LastResult, SyncStatus};
use super::transport::{HttpTransport, Transport};
use super::upload::upload_pending;
use super::worker::{Message, StatusCallback, Worker};
use super::{Error, Result};
use crate::store::{Store, outbox};
use chrono::Utc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The worker thread's state.
pub(super) struct Run {
    worker: Worker,
    rx: Receiver<Message>,
    shared: Arc<Mutex<SyncStatus>>,
    status: SyncStatus,
    backoff: Backoff,
    next_pull: Instant,
    stop: bool,
}

impl Run {
    pub(super) fn new(
        worker: Worker,
        rx: Receiver<Message>,
        shared: Arc<Mutex<SyncStatus>>,
    ) -> Run {
        let backoff = Backoff::new(worker.settings.backoff_first, worker.settings.backoff_cap);
        Run {
            worker,
            rx,
            shared,
            status: SyncStatus::default(),
            backoff,
            next_pull: Instant::now(),
            stop: false,
        }
    }

    pub(super) fn run(mut self) {
        let mut store = None;
        let mut transport = self.worker.transport.take();
        while !self.stop {
            let had_failure = match self.round(&mut store, &mut transport) {
                Ok(had_failure) => had_failure,
                Err(e) => {
                    self.status.last_result = Some(failed(&e, Default::default()));
                    true
                }
            };
            let wait = if had_failure {
                self.backoff.next_delay(jitter_unit())
            } else {
                self.backoff.reset();
                self.worker.settings.idle_poll
            };
            self.status.failures_in_row = self.backoff.failures();
            self.publish();
            match self.rx.recv_timeout(wait) {
                Ok(message) => self.handle(message),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.stop = true,
            }
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::UploadNow => {
                self.backoff.reset();
                self.next_pull = Instant::now();
            }
            Message::PullOpenings => self.next_pull = Instant::now(),
            Message::Shutdown => self.stop = true,
        }
    }

    /// One round: upload everything pending, pull the openings if due. Returns
    /// whether something failed (then the next round waits for the backoff).
    fn round(
        &mut self,
        store: &mut Option<Store>,
        transport: &mut Option<Box<dyn Transport>>,
    ) -> Result<bool> {
        if store.is_none() {
            *store = Some(Store::open(&self.worker.data_dir)?);
        }
        let store = store.as_mut().expect("opened above");
        self.refresh_counts(store)?;
        if transport.is_none() {
            *transport = self.http_transport()?;
        }
        let Some(transport) = transport.as_deref() else {
            self.status.configured = false;
            self.status.last_result = Some(failed(&Error::NotConfigured, Default::default()));
            return Ok(false);
        };
        self.status.configured = true;
        let mut failed_now = false;
        if self.status.pending > 0 {
            failed_now |= self.upload(store, transport);
        }
        if Instant::now() >= self.next_pull && !self.stop {
            failed_now |= self.pull(store, transport);
        }
        self.refresh_counts(store)?;
        Ok(failed_now)
    }

    fn upload(&mut self, store: &mut Store, transport: &dyn Transport) -> bool {
        self.status.last_attempt = Some(Utc::now());
        self.publish();
        let start = self.status.clone();
        let rx = &self.rx;
        let (shared, on_status) = (&self.shared, &self.worker.on_status);
        let (mut stop, mut pull_now) = (false, false);
        let pass = upload_pending(store, transport, self.worker.settings.batch, |tally| {
            let mut now = start.clone();
            now.pending = start.pending.saturating_sub(tally.total());
            now.sent = start.sent + tally.accepted + tally.duplicate;
            now.parked = start.parked + tally.conflict + tally.rejected;
            now.base_reachable = Some(true);
            publish_to(shared, on_status, &now);
            while let Ok(message) = rx.try_recv() {
                match message {
                    Message::Shutdown => stop = true,
                    Message::PullOpenings | Message::UploadNow => pull_now = true,
                }
            }
            !stop
        });
        self.stop |= stop;
        if pull_now {
            self.next_pull = Instant::now();
        }
        let (result, reachable) = match &pass.failure {
            None => (LastResult::Sent(pass.tally), true),
            Some(e) => {
                let result = failed(e, pass.tally);
                let answered = matches!(&result, LastResult::Failed { failure, .. } if failure.base_answered());
                (result, answered)
            }
        };
        self.status.base_reachable = Some(reachable);
        self.status.last_result = Some(result);
        pass.failure.is_some()
    }

    fn pull(&mut self, store: &mut Store, transport: &dyn Transport) -> bool {
        self.next_pull = Instant::now() + self.worker.settings.openings_every;
        match pull_openings(store, transport) {
            Ok(pulled) => {
                if matches!(pulled, Pulled::Applied { .. }) {
                    self.status.openings_applied += 1;
                }
                if pulled != Pulled::NoFair {
                    self.status.base_reachable = Some(true);
                }
                self.status.openings = Some(pulled);
                self.status.openings_failure = None;
                false
            }
            Err(e) => {
                let failure = Failure::of(&e);
                self.status.base_reachable = Some(failure.base_answered());
                self.status.openings_failure = Some(failure);
                // A fair the base does not know is not worth hammering it for.
                !failure.base_answered()
            }
        }
    }

    fn http_transport(&self) -> Result<Option<Box<dyn Transport>>> {
        let s = &self.worker.settings;
        match (&s.base_url, &s.token) {
            (Some(url), Some(token)) => {
                Ok(Some(Box::new(HttpTransport::new(url, token, s.timeouts)?)))
            }
            _ => Ok(None),
        }
    }

    fn refresh_counts(&mut self, store: &Store) -> Result<()> {
        let counts = outbox::counts(store.conn())?;
        self.status.pending = counts.pending;
        self.status.sent = counts.sent;
        self.status.parked = counts.parked;
        Ok(())
    }

    fn publish(&self) {
        publish_to(&self.shared, &self.worker.on_status, &self.status);
    }
}

fn publish_to(shared: &Mutex<SyncStatus>, on_status: &Option<StatusCallback>, status: &SyncStatus) {
    *shared.lock().unwrap_or_else(|e| e.into_inner()) = status.clone();
    if let Some(f) = on_status {
        f(status);
    }
}

fn failed(e: &Error, tally: super::plan::Tally) -> LastResult {
    LastResult::Failed {
        failure: Failure::of(e),
        tally,
        detail: e.to_string(),
    }
}
