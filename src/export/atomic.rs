//! Write-then-rename: an export is written to a hidden `.<name>.partial-…` file in
//! the target folder, synced, and renamed over the target only when complete.
//! Dropped without [`Partial::finish`], the partial file is removed.

use super::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A file being written next to its final path.
#[derive(Debug)]
pub(crate) struct Partial {
    tmp: PathBuf,
    target: PathBuf,
    file: Option<BufWriter<File>>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Partial {
    /// Creates the hidden partial file (mode 0600: exports hold personal data).
    pub(crate) fn create(target: &Path) -> Result<Partial> {
        let name = target
            .file_name()
            .ok_or_else(|| Error::NoFileName {
                path: target.to_path_buf(),
            })?
            .to_string_lossy();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = target.with_file_name(format!(".{name}.partial-{}-{nanos}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io(&tmp))?;
        Ok(Partial {
            tmp,
            target: target.to_path_buf(),
            file: Some(BufWriter::with_capacity(256 * 1024, file)),
        })
    }

    /// The buffered writer.
    pub(crate) fn writer(&mut self) -> &mut BufWriter<File> {
        self.file.as_mut().expect("not finished")
    }

    /// Turns an I/O error on the partial file into an [`Error`].
    pub(crate) fn io_error(&self, source: std::io::Error) -> Error {
        io(&self.tmp)(source)
    }

    /// Flushes, syncs, renames over the target and syncs the folder. Returns the size.
    pub(crate) fn finish(mut self) -> Result<u64> {
        let buffered = self.file.take().expect("finished once");
        let done = self.complete(buffered);
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
    }

    fn complete(&self, buffered: BufWriter<File>) -> Result<u64> {
        let file = buffered
            .into_inner()
            .map_err(|e| io(&self.tmp)(e.into_error()))?;
        file.sync_all().map_err(io(&self.tmp))?;
        let bytes = file.metadata().map_err(io(&self.tmp))?.len();
        drop(file);
        std::fs::rename(&self.tmp, &self.target).map_err(io(&self.target))?;
        // Makes the rename durable; some filesystems (vfat sticks) refuse, which is fine.
        if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(bytes)
    }
}

impl Write for Partial {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
