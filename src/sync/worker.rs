//! The upload worker: a std thread with its own store connection, driven by
//! [`Message`]s, retrying forever with backoff, publishing a [`SyncStatus`].
//! It never runs on the UI thread and never touches Slint objects.

use super::run::Run;
use super::settings::SyncSettings;
use super::status::SyncStatus;
use super::transport::Transport;
use crate::config::Config;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What the UI (or a test) asks of the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    /// Upload and pull now, forgetting the backoff.
    UploadNow,
    /// Pull the openings at the next chance.
    PullOpenings,
    /// Finish the current batch and stop.
    Shutdown,
}

pub(super) type StatusCallback = Box<dyn Fn(&SyncStatus) + Send>;

/// A worker not started yet ([`Worker::spawn`] for the usual case).
pub struct Worker {
    pub(super) data_dir: PathBuf,
    pub(super) settings: SyncSettings,
    pub(super) transport: Option<Box<dyn Transport>>,
    pub(super) on_status: Option<StatusCallback>,
}

/// The running worker. Dropping it asks the worker to stop without waiting.
#[derive(Debug)]
pub struct WorkerHandle {
    tx: Sender<Message>,
    status: Arc<Mutex<SyncStatus>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker for the store in `data_dir` with the base of `config`.
    pub fn spawn(data_dir: &Path, config: &Config) -> WorkerHandle {
        Worker::new(data_dir, SyncSettings::from_config(config)).start()
    }

    pub fn new(data_dir: &Path, settings: SyncSettings) -> Worker {
        Worker {
            data_dir: data_dir.to_path_buf(),
            settings,
            transport: None,
            on_status: None,
        }
    }

    /// Uses `transport` instead of HTTP to the configured base.
    pub fn transport(mut self, transport: Box<dyn Transport>) -> Worker {
        self.transport = Some(transport);
        self
    }

    /// Calls `f` on the worker thread after each change of the status (the GUI
    /// forwards it with `upgrade_in_event_loop`).
    pub fn on_status(mut self, f: impl Fn(&SyncStatus) + Send + 'static) -> Worker {
        self.on_status = Some(Box::new(f));
        self
    }

    pub fn start(self) -> WorkerHandle {
        let (tx, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(SyncStatus::default()));
        let shared = Arc::clone(&status);
        let thread = std::thread::Builder::new()
            .name("upload".into())
            .spawn(move || Run::new(self, rx, shared).run())
            .expect("spawn the upload thread");
        WorkerHandle {
            tx,
            status,
            thread: Some(thread),
        }
    }
}

impl WorkerHandle {
    /// Upload and pull now, resetting the backoff.
    pub fn upload_now(&self) {
        let _ = self.tx.send(Message::UploadNow);
    }

    /// Sends any message.
    pub fn send(&self, message: Message) {
        let _ = self.tx.send(message);
    }

    /// The latest status.
    pub fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Stops the worker and waits for it (it finishes the batch in flight).
    pub fn shutdown(mut self) {
        let _ = self.tx.send(Message::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        let _ = self.tx.send(Message::Shutdown);
    }
}
