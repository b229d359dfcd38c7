//! [`AtomicFile`]: a hidden partial file next to its target, renamed when complete.

use super::FILE_MODE;
use super::error::{WriteError, folder};
use std::ffi::CString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Names tried by [`IfExists::NewName`] (`x.csv`, `x-2.csv`, … `x-99.csv`).
const MAX_NEW_NAMES: u32 = 99;

/// What [`AtomicFile::finish`] does when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Replace it (config, keys, kits: the newest content is the right one).
    Replace,
    /// Leave it and fail with [`WriteError::Exists`].
    Refuse,
    /// Leave it and take the first free name of `x-2.csv`, `x-3.csv`, …
    NewName,
}

/// What [`AtomicFile::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The final path: the target, or the new name [`IfExists::NewName`] took.
    pub path: PathBuf,
    pub bytes: u64,
    /// True when [`IfExists::NewName`] had to take another name than the target.
    pub renamed: bool,
}

/// A file being written under a hidden name next to its target. Dropped without
/// [`AtomicFile::finish`], the partial file is removed.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    if_exists: IfExists,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the hidden partial file (mode 0600 from the first byte). Checks first that
    /// the target's folder exists, that the target is no folder, and (unless replacing)
    /// that it does not exist yet, so a long export fails before it starts.
    pub fn create(target: &Path, if_exists: IfExists) -> Result<AtomicFile, WriteError> {
        let dir = folder(target);
        let Some(name) = target.file_name().filter(|_| !ends_with_slash(target)) else {
            // `out/` or `/`: meant as a folder.
            return Err(if target.is_dir() {
                WriteError::IsFolder {
                    path: target.to_path_buf(),
                }
            } else {
                WriteError::NoFolder {
                    dir: target.to_path_buf(),
                }
            });
        };
        if !dir.is_dir() {
            return Err(WriteError::NoFolder { dir });
        }
        if target.is_dir() {
            return Err(WriteError::IsFolder {
                path: target.to_path_buf(),
            });
        }
        if if_exists == IfExists::Refuse && target.symlink_metadata().is_ok() {
            return Err(WriteError::Exists {
                path: target.to_path_buf(),
            });
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".partial-{}-{nanos}", std::process::id()));
        let tmp = dir.join(tmp_name);
        let file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&tmp)
            .map_err(|e| WriteError::of(target, e))?;
        // The umask may have taken bits from `mode` but never adds any; 0600 exactly.
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))
            .map_err(|e| WriteError::of(target, e))?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            if_exists,
            file: Some(BufWriter::with_capacity(256 * 1024, file)),
        })
    }

    /// The buffered writer of the partial file.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.file.as_mut().expect("not finished")
    }

    /// An I/O error while writing, as a [`WriteError`] naming the target.
    pub fn error(&self, e: io::Error) -> WriteError {
        WriteError::of(&self.target, e)
    }

    /// Flushes, syncs, renames to the target (see [`IfExists`]) and syncs the folder.
    pub fn finish(mut self) -> Result<Finished, WriteError> {
        let buffered = self.file.take().expect("finished once");
        let done = self.complete(buffered);
        if done.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        done
    }

    fn complete(&self, buffered: BufWriter<File>) -> Result<Finished, WriteError> {
        let file = buffered
            .into_inner()
            .map_err(|e| self.error(e.into_error()))?;
        file.sync_all().map_err(|e| self.error(e))?;
        let bytes = file.metadata().map_err(|e| self.error(e))?.len();
        drop(file);
        let path = match self.if_exists {
            IfExists::Replace => {
                fs::rename(&self.tmp, &self.target).map_err(|e| self.error(e))?;
                self.target.clone()
            }
            IfExists::Refuse => {
                rename_no_replace(&self.tmp, &self.target).map_err(|e| self.error(e))?;
                self.target.clone()
            }
            IfExists::NewName => self.rename_to_free_name()?,
        };
        // Makes the rename durable; some filesystems (vfat sticks) refuse, which is fine.
        if let Ok(dir) = File::open(folder(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(Finished {
            renamed: path != self.target,
            path,
            bytes,
        })
    }

    fn rename_to_free_name(&self) -> Result<PathBuf, WriteError> {
        for n in 1..=MAX_NEW_NAMES {
            let candidate = numbered(&self.target, n);
            match rename_no_replace(&self.tmp, &candidate) {
                Ok(()) => return Ok(candidate),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(self.error(e)),
            }
        }
        Err(WriteError::Exists {
            path: numbered(&self.target, MAX_NEW_NAMES),
        })
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// `x.csv` for 1, `x-2.csv` for 2, …
fn numbered(target: &Path, n: u32) -> PathBuf {
    if n == 1 {
        return target.to_path_buf();
    }
    let stem = target.file_stem().unwrap_or_default().to_string_lossy();
    let name = match target.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    target.with_file_name(name)
}

fn ends_with_slash(path: &Path) -> bool {
    path.as_os_str().as_bytes().ends_with(b"/")
}

/// Renames `from` to `to` unless `to` exists (`AlreadyExists` then), atomically where the
/// filesystem supports `RENAME_NOREPLACE` (ext4, tmpfs, vfat, …); elsewhere checked just
/// before the rename.
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"))
    };
    let (old, new) = (c(from)?, c(to)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            old.as_ptr(),
            libc::AT_FDCWD,
            new.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => {
            if to.symlink_metadata().is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            fs::rename(from, to)
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::write_private_atomic;
    use super::*;
    use std::io::Write;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write(path: &Path, if_exists: IfExists, bytes: &[u8]) -> Result<Finished, WriteError> {
        let mut f = AtomicFile::create(path, if_exists)?;
        f.writer().write_all(bytes).unwrap();
        f.finish()
    }

    #[test]
    fn atomic_write_replaces_content_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_private_atomic(&path, b"one").unwrap();
        write_private_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(names(dir.path()), ["a.txt"], "no temp file left");
    }

    #[test]
    fn refuse_leaves_an_existing_file_alone_and_new_name_takes_the_next_free_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        fs::write(&path, b"old").unwrap();
        let err = write(&path, IfExists::Refuse, b"new").unwrap_err();
        assert!(
            matches!(&err, WriteError::Exists { path: p } if *p == path),
            "{err:?}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"old");
        fs::write(dir.path().join("x-2.csv"), b"old 2").unwrap();
        let done = write(&path, IfExists::NewName, b"new").unwrap();
        assert_eq!(done.path, dir.path().join("x-3.csv"));
        assert!(done.renamed);
        assert_eq!(fs::read(&done.path).unwrap(), b"new");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["x-2.csv", "x-3.csv", "x.csv"]);
    }

    #[test]
    fn a_missing_folder_is_named_once_and_the_partial_file_never() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone").join("x.csv");
        let err = AtomicFile::create(&path, IfExists::Refuse).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, WriteError::NoFolder { .. }), "{err:?}");
        assert!(!text.contains("partial"), "{text}");
        assert_eq!(text.matches("gone").count(), 2, "once per language: {text}");
        assert!(text.contains("create the folder"), "{text}");
    }

    #[test]
    fn dropping_an_unfinished_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.csv"), IfExists::Refuse).unwrap();
        f.writer().write_all(b"half").unwrap();
        drop(f);
        assert!(names(dir.path()).is_empty());
    }
}
