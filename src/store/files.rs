//! Private files and directories: created 0700 / 0600, written atomically.
//!
//! The one atomic writer of the program ([`AtomicFile`]): the config file, the key files,
//! kits, exports and the ticket sheet PDF all go through it. The
//! content goes to a hidden `.<name>.partial-…` file (mode 0600 from its first byte) in
//! the target's folder, is synced, and is renamed to the target only when complete, then
//! the folder is synced: a power cut or a pulled USB stick leaves the old content or the
//! new, never a half-written file that looks finished. What happens to an existing
//! target is the caller's choice ([`IfExists`]); exports never replace one.

mod atomic;
mod error;

pub use atomic::{AtomicFile, Finished, IfExists};
pub use error::WriteError;

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of directories holding private data.
pub const DIR_MODE: u32 = 0o700;
/// Mode of files holding private data.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents with mode 0700; an existing directory is left as is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)
}

/// Creates `path` empty with mode 0600 if it does not exist, and makes sure an
/// existing file has mode 0600.
///
/// An existing file is never opened: POSIX locks belong to the process and closing *any*
/// descriptor of a file drops them all, so touching a database that SQLite already has open
/// would drop its shared lock, and another process closing the database would then delete
/// the live WAL (SQLite's "How To Corrupt", section 2.2).
pub fn touch_private_file(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(FILE_MODE)
                .open(path)?;
        }
        Err(e) => return Err(e),
    }
    fs::set_permissions(path, fs::Permissions::from_mode(FILE_MODE))
}

/// Replaces `path` with `bytes` atomically; the file ends up with mode 0600.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path, IfExists::Replace).map_err(WriteError::into_io)?;
    file.writer()
        .write_all(bytes)
        .map_err(|e| file.error(e).into_io())?;
    file.finish().map(drop).map_err(WriteError::into_io)
}
