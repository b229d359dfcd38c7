//! Raw durable writes, the baselines `commit` compares a sign-up with.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How a baseline writes its record and makes it durable.
#[derive(Clone, Copy)]
pub enum Mode {
    /// Append, then `fsync` (data and metadata).
    AppendSyncAll,
    /// Append, then `fdatasync` (the size change still has to be journalled).
    AppendSyncData,
    /// Overwrite the same bytes at offset 0, then `fdatasync`: no metadata to write.
    OverwriteSyncData,
}

/// One open file written by one [`Mode`].
pub struct RawSync {
    label: String,
    file: File,
    record: Vec<u8>,
    mode: Mode,
}

impl RawSync {
    /// Creates (truncating) `path`; each write will be `bytes` long.
    pub fn create(path: &Path, label: impl Into<String>, bytes: usize, mode: Mode) -> RawSync {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .expect("create raw file");
        let mut raw = RawSync {
            label: label.into(),
            file,
            record: vec![b'x'; bytes.max(1)],
            mode,
        };
        if let Mode::OverwriteSyncData = mode {
            // The file already has its size on disk before the first timed write.
            raw.file.write_all(&raw.record).expect("write");
            raw.file.sync_all().expect("sync");
        }
        raw
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Writes one record and makes it durable; returns how long that took.
    pub fn once(&mut self) -> Duration {
        let start = Instant::now();
        if let Mode::OverwriteSyncData = self.mode {
            self.file.seek(SeekFrom::Start(0)).expect("seek");
        }
        self.file.write_all(&self.record).expect("write");
        match self.mode {
            Mode::AppendSyncAll => self.file.sync_all(),
            Mode::AppendSyncData | Mode::OverwriteSyncData => self.file.sync_data(),
        }
        .expect("sync");
        start.elapsed()
    }
}
