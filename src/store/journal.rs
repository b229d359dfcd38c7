//! The sign-up journal: a small, pre-written file that makes a sign-up durable
//! with one short `fdatasync`, before SQLite's WAL is.
//!
//! A sign-up's SQLite commit writes 8 pages to the WAL (its row, four index
//! entries, its openings, the outbox row and its pending index): with
//! `synchronous=FULL` the fsync of those ~33 KB is most of what a villager waits
//! for. So a sign-up is first written here as one record of ~0.8 KB into space
//! that was written (zeros) and synced when the file was made — an overwrite, so
//! `fdatasync` has no file size or block allocation to flush — and SQLite then
//! commits with `synchronous=NORMAL`. In WAL mode NORMAL is consistent but may
//! lose the last commits on a power cut (recovery keeps a prefix of the commits);
//! those are in this journal, and opening the store puts back any that are
//! missing ([`super::signups`]). Once a `synchronous=FULL` commit has made the WAL
//! durable, the records are no longer needed: [`Journal::reset`] bumps the
//! epoch in the header, which invalidates them all with one small write.
//!
//! [`Locked::write`] starts the record's way to the disk (`sync_file_range`)
//! without waiting, so the store inserts the sign-up's rows while the disk
//! writes; [`Locked::sync`] then mostly waits for the disk's cache flush. The
//! SQLite commit comes only after `sync`: nothing of a sign-up is visible to
//! another connection before it is durable.
//!
//! Layout (little-endian): a header block `MAGIC, epoch: u64, check: [u8; 8]`,
//! then records from [`DATA_START`]: `len: u32, epoch: u64, check: [u8; 8],
//! payload: [u8; len]`, where `check` is the start of the SHA-256 of epoch, len
//! and payload. Reading stops at the first record that is empty (zeros), of
//! another epoch, or does not check: a torn write is never taken for a record.
//!
//! Several processes may open the same journal (the kiosk and the CLI): every
//! use happens under an exclusive `flock` ([`Journal::lock`]), which also
//! re-reads where the records end if another process wrote meanwhile.

use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Size of the journal file, written ahead when it is made.
pub const JOURNAL_BYTES: u64 = 1 << 20;
/// Where records start (the header has a block of its own).
pub const DATA_START: u64 = 4096;

const MAGIC: &[u8; 8] = b"JFKJRNL1";
const HEADER_LEN: usize = 8 + 8 + 8;
const RECORD_HEAD: usize = 4 + 8 + 8;

/// The journal file of one database.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
    epoch: u64,
    /// Offset where the next record goes.
    end: u64,
}

/// Where [`Journal::append`] wrote a record, for [`Journal::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    offset: u64,
}

/// Holds the journal's `flock` until dropped.
#[must_use]
pub struct Locked<'a> {
    journal: &'a mut Journal,
}

impl Journal {
    /// The journal next to the database file `db_path` (`kiosk.db-signups`).
    pub fn path_for(db_path: &Path) -> PathBuf {
        let mut name = db_path.as_os_str().to_owned();
        name.push("-signups");
        PathBuf::from(name)
    }

    /// Opens the journal at `path`, making it (0600, written ahead, synced) when it
    /// does not exist or is shorter than [`JOURNAL_BYTES`].
    pub fn open(path: &Path) -> io::Result<Journal> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(super::files::FILE_MODE)
            .open(path)?;
        let mut journal = Journal {
            file,
            path: path.to_path_buf(),
            epoch: 0,
            end: DATA_START,
        };
        {
            let _lock = journal.lock()?;
        }
        Ok(journal)
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the exclusive lock and brings the in-memory state up to date with
    /// the file (another process may have appended or reset). A missing or
    /// short file is (re)made here.
    pub fn lock(&mut self) -> io::Result<Locked<'_>> {
        self.file.lock()?;
        let locked = Locked { journal: self };
        locked.journal.refresh()?;
        Ok(locked)
    }

    fn refresh(&mut self) -> io::Result<()> {
        if self.file.metadata()?.len() < JOURNAL_BYTES {
            return self.make();
        }
        let epoch = self.read_header()?;
        match epoch {
            None => {
                // A torn header: it is only written by `reset`, after the WAL was
                // made durable, so no record is needed. Start an epoch that no old
                // record can have: the old epochs are unknown now.
                let mut bytes = [0u8; 8];
                getrandom::fill(&mut bytes).map_err(io::Error::other)?;
                self.epoch = u64::from_le_bytes(bytes) | 1 << 63;
                self.end = DATA_START;
                self.write_header()
            }
            Some(epoch) if epoch == self.epoch && self.read_record(self.end)?.is_none() => Ok(()),
            Some(epoch) => {
                self.epoch = epoch;
                self.end = DATA_START;
                while let Some(payload) = self.read_record(self.end)? {
                    self.end += (RECORD_HEAD + payload.len()) as u64;
                }
                Ok(())
            }
        }
    }

    /// Writes the whole file with zeros and a header of epoch 1, and syncs it and
    /// its directory.
    fn make(&mut self) -> io::Result<()> {
        let zeros = vec![0u8; 64 * 1024];
        let mut at = 0;
        while at < JOURNAL_BYTES {
            self.file.write_all_at(&zeros, at)?;
            at += zeros.len() as u64;
        }
        self.epoch = 1;
        self.end = DATA_START;
        self.write_header()?;
        self.file.sync_all()?;
        if let Some(dir) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    fn read_header(&self) -> io::Result<Option<u64>> {
        let mut buf = [0u8; HEADER_LEN];
        self.file.read_exact_at(&mut buf, 0)?;
        let epoch = u64::from_le_bytes(buf[8..16].try_into().expect("8 bytes"));
        let ok = &buf[..8] == MAGIC && buf[16..24] == check(epoch, 0, MAGIC);
        Ok(ok.then_some(epoch))
    }

    fn write_header(&self) -> io::Result<()> {
        let mut buf = [0u8; HEADER_LEN];
        buf[..8].copy_from_slice(MAGIC);
        buf[8..16].copy_from_slice(&self.epoch.to_le_bytes());
        buf[16..24].copy_from_slice(&check(self.epoch, 0, MAGIC));
        self.file.write_all_at(&buf, 0)?;
        self.file.sync_data()
    }

    /// The payload of the record at `offset`, if a valid one of this epoch is there.
    fn read_record(&self, offset: u64) -> io::Result<Option<Vec<u8>>> {
        if offset + RECORD_HEAD as u64 > JOURNAL_BYTES {
            return Ok(None);
        }
        let mut head = [0u8; RECORD_HEAD];
        self.file.read_exact_at(&mut head, offset)?;
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes"));
        let epoch = u64::from_le_bytes(head[4..12].try_into().expect("8 bytes"));
        let body = offset + RECORD_HEAD as u64;
        if len == 0 || epoch != self.epoch || body + u64::from(len) > JOURNAL_BYTES {
            return Ok(None);
        }
        let mut payload = vec![0u8; len as usize];
        self.file.read_exact_at(&mut payload, body)?;
        Ok((head[12..20] == check(epoch, len, &payload)).then_some(payload))
    }
}

impl Locked<'_> {
    /// The payloads of this epoch's records, oldest first.
    pub fn records(&self) -> io::Result<Vec<Vec<u8>>> {
        let journal = &*self.journal;
        let mut out = Vec::new();
        let mut at = DATA_START;
        while let Some(payload) = journal.read_record(at)? {
            at += (RECORD_HEAD + payload.len()) as u64;
            out.push(payload);
        }
        Ok(out)
    }

    /// True when a record of `len` bytes still fits.
    pub fn fits(&self, len: usize) -> bool {
        self.journal.end + (RECORD_HEAD + len) as u64 <= JOURNAL_BYTES
    }

    /// Writes one record and makes it durable (`fdatasync`). Call [`Self::fits`]
    /// first; a record that does not fit is an error.
    pub fn append(&mut self, payload: &[u8]) -> io::Result<Slot> {
        let slot = self.write(payload)?;
        self.sync()?;
        Ok(slot)
    }

    /// Writes one record and asks the kernel to start writing it to the disk,
    /// without waiting: the caller does other work meanwhile and then calls
    /// [`Self::sync`], which then mostly waits for the disk's cache flush. The
    /// record is not durable before `sync` returns. Call [`Self::fits`] first; a
    /// record that does not fit is an error.
    pub fn write(&mut self, payload: &[u8]) -> io::Result<Slot> {
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|&len| len > 0 && self.fits(len as usize))
            .ok_or_else(|| io::Error::other("journal record does not fit"))?;
        let journal = &mut *self.journal;
        let mut buf = Vec::with_capacity(RECORD_HEAD + payload.len());
        buf.extend_from_slice(&len.to_le_bytes());
        buf.extend_from_slice(&journal.epoch.to_le_bytes());
        buf.extend_from_slice(&check(journal.epoch, len, payload));
        buf.extend_from_slice(payload);
        let slot = Slot {
            offset: journal.end,
        };
        journal.file.write_all_at(&buf, slot.offset)?;
        start_writeback(&journal.file, slot.offset, buf.len());
        journal.end += buf.len() as u64;
        Ok(slot)
    }

    /// Makes every record written so far durable (`fdatasync`).
    pub fn sync(&mut self) -> io::Result<()> {
        self.journal.file.sync_data()
    }

    /// Takes back the record written at `slot` (its commit failed): zeroes its
    /// length and syncs, so it is never read again.
    pub fn cancel(&mut self, slot: Slot) -> io::Result<()> {
        let journal = &mut *self.journal;
        journal.file.write_all_at(&[0u8; 4], slot.offset)?;
        journal.file.sync_data()?;
        journal.end = slot.offset;
        Ok(())
    }

    /// Starts a new epoch: every record so far is dropped. Only call it once what
    /// the records hold is durable elsewhere.
    pub fn reset(&mut self) -> io::Result<()> {
        let journal = &mut *self.journal;
        journal.epoch += 1;
        journal.end = DATA_START;
        journal.write_header()
    }

    /// Overwrites every record, of this epoch and of older ones, with zeros and syncs,
    /// then starts a new epoch: no sign-up is left in the file. Only call it once what
    /// the records hold is durable elsewhere (or was purged).
    pub fn wipe(&mut self) -> io::Result<()> {
        let zeros = vec![0u8; 64 * 1024];
        let mut at = DATA_START;
        while at < JOURNAL_BYTES {
            let n = (JOURNAL_BYTES - at).min(zeros.len() as u64) as usize;
            self.journal.file.write_all_at(&zeros[..n], at)?;
            at += n as u64;
        }
        self.journal.file.sync_data()?;
        self.reset()
    }

    /// Bytes of records in this epoch.
    pub fn used(&self) -> u64 {
        self.journal.end - DATA_START
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        let _ = self.journal.file.unlock();
    }
}

/// Starts writing `len` bytes at `offset` to the disk without waiting for it
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`), so that the `fdatasync` after it
/// finds the data on its way. Only a head start: errors are left for the
/// `fdatasync` to report.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: usize) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: a plain syscall on a file descriptor this `File` owns; no memory is passed.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: usize) {}

fn check(epoch: u64, len: u32, payload: &[u8]) -> [u8; 8] {
    let mut hash = Sha256::new();
    hash.update(epoch.to_le_bytes());
    hash.update(len.to_le_bytes());
    hash.update(payload);
    hash.finalize()[..8].try_into().expect("8 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn fresh() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db-signups");
        (dir, path)
    }

    #[test]
    fn a_new_journal_is_written_ahead_private_and_empty() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.len(), JOURNAL_BYTES);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert!(journal.lock().unwrap().records().unwrap().is_empty());
    }

    #[test]
    fn records_come_back_in_order_after_reopening() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        {
            let mut locked = journal.lock().unwrap();
            locked.append(b"one").unwrap();
            locked.append("二 two".as_bytes()).unwrap();
        }
        drop(journal);
        let mut journal = Journal::open(&path).unwrap();
        let locked = journal.lock().unwrap();
        assert_eq!(
            locked.records().unwrap(),
            vec![b"one".to_vec(), "二 two".as_bytes().to_vec()]
        );
        assert_eq!(
            locked.used(),
            (2 * RECORD_HEAD + "one".len() + "二 two".len()) as u64
        );
    }

    #[test]
    fn a_torn_record_ends_the_journal_and_is_overwritten_next() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        journal.lock().unwrap().append(b"kept").unwrap();
        let second = journal.lock().unwrap().append(b"torn record").unwrap();
        // Power cut in the middle of the second record: its last bytes never arrived.
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all_at(b"\0\0\0", second.offset + RECORD_HEAD as u64 + 8)
            .unwrap();
        drop(journal);
        let mut journal = Journal::open(&path).unwrap();
        let mut locked = journal.lock().unwrap();
        assert_eq!(locked.records().unwrap(), vec![b"kept".to_vec()]);
        locked.append(b"next").unwrap();
        assert_eq!(
            locked.records().unwrap(),
            vec![b"kept".to_vec(), b"next".to_vec()]
        );
    }

    #[test]
    fn reset_drops_every_record_and_old_ones_are_not_read_again() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        {
            let mut locked = journal.lock().unwrap();
            locked.append(b"old one, a long record").unwrap();
            locked.append(b"old two").unwrap();
            locked.reset().unwrap();
            assert!(locked.records().unwrap().is_empty());
            // Shorter than the old first record: the old second one lies behind it.
            locked.append(b"new").unwrap();
        }
        drop(journal);
        let mut journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.lock().unwrap().records().unwrap(),
            vec![b"new".to_vec()]
        );
    }

    #[test]
    fn a_written_record_is_read_back_once_synced_and_after_reopening() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        {
            let mut locked = journal.lock().unwrap();
            locked.write(b"first").unwrap();
            locked.write(b"second").unwrap();
            locked.sync().unwrap();
            assert_eq!(
                locked.records().unwrap(),
                [b"first".to_vec(), b"second".to_vec()]
            );
        }
        let mut again = Journal::open(&path).unwrap();
        let locked = again.lock().unwrap();
        assert_eq!(locked.records().unwrap().len(), 2);
        assert_eq!(locked.used(), 2 * RECORD_HEAD as u64 + 11);
    }

    #[test]
    fn a_cancelled_record_is_gone_and_its_place_reused() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        let mut locked = journal.lock().unwrap();
        locked.append(b"a").unwrap();
        let slot = locked.append(b"b").unwrap();
        locked.cancel(slot).unwrap();
        assert_eq!(locked.records().unwrap(), vec![b"a".to_vec()]);
        locked.append(b"c").unwrap();
        assert_eq!(
            locked.records().unwrap(),
            vec![b"a".to_vec(), b"c".to_vec()]
        );
    }

    #[test]
    fn two_handles_see_each_others_appends_and_resets() {
        let (_dir, path) = fresh();
        let mut a = Journal::open(&path).unwrap();
        let mut b = Journal::open(&path).unwrap();
        a.lock().unwrap().append(b"from a").unwrap();
        b.lock().unwrap().append(b"from b").unwrap();
        assert_eq!(
            a.lock().unwrap().records().unwrap(),
            vec![b"from a".to_vec(), b"from b".to_vec()]
        );
        b.lock().unwrap().reset().unwrap();
        a.lock().unwrap().append(b"after reset").unwrap();
        assert_eq!(
            b.lock().unwrap().records().unwrap(),
            vec![b"after reset".to_vec()]
        );
    }

    #[test]
    fn a_full_journal_says_so_and_refuses_more() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        let mut locked = journal.lock().unwrap();
        let record = vec![7u8; 60_000];
        let mut n = 0;
        while locked.fits(record.len()) {
            locked.append(&record).unwrap();
            n += 1;
        }
        assert_eq!(n, ((JOURNAL_BYTES - DATA_START) / (60_000 + 20)) as usize);
        assert!(locked.append(&record).is_err());
        assert_eq!(locked.records().unwrap().len(), n);
    }

    #[test]
    fn a_torn_header_starts_a_new_epoch_without_the_old_records() {
        let (_dir, path) = fresh();
        let mut journal = Journal::open(&path).unwrap();
        journal
            .lock()
            .unwrap()
            .append(b"made durable before")
            .unwrap();
        drop(journal);
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all_at(&[0xff; 4], 10).unwrap();
        let mut journal = Journal::open(&path).unwrap();
        assert!(journal.lock().unwrap().records().unwrap().is_empty());
    }
}
