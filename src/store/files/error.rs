//! [`WriteError`]: why a file was not written, in words for the person who asked.

use std::io;
use std::path::{Path, PathBuf};

/// Why a file was not written. Names the file the user asked for, never the hidden
/// partial file; `Display` is bilingual (Chinese, English) with what to do.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "文件夹 {} 不存在 the folder {} does not exist: plug in the USB stick or create the folder, then try again",
        .dir.display(), .dir.display()
    )]
    NoFolder { dir: PathBuf },
    #[error(
        "{} 已存在，没有覆盖 already exists and was not replaced: choose another file name, or move the old file away first",
        .path.display()
    )]
    Exists { path: PathBuf },
    #[error(
        "{} 是文件夹 is a folder: give a file name, or a folder that exists to get a dated file in it",
        .path.display()
    )]
    IsFolder { path: PathBuf },
    #[error(
        "没有权限写入 {} no permission to write in {}: choose another folder",
        .dir.display(), .dir.display()
    )]
    NoPermission { dir: PathBuf },
    #[error(
        "存储空间已满，没有写入 {} the disk or USB stick is full, {} was not written: free some space or use another stick",
        .path.display(), .path.display()
    )]
    Full { path: PathBuf },
    #[error("无法写入 cannot write {}: {error}", .path.display())]
    Io { path: PathBuf, error: io::Error },
}

impl WriteError {
    /// Classifies an I/O error on the way to `target`.
    pub fn of(target: &Path, e: io::Error) -> WriteError {
        let path = target.to_path_buf();
        match e.kind() {
            io::ErrorKind::NotFound => WriteError::NoFolder {
                dir: folder(target),
            },
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                WriteError::NoPermission {
                    dir: folder(target),
                }
            }
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => WriteError::Full { path },
            io::ErrorKind::IsADirectory => WriteError::IsFolder { path },
            io::ErrorKind::AlreadyExists => WriteError::Exists { path },
            _ => WriteError::Io { path, error: e },
        }
    }

    /// As an `io::Error` of the matching kind, for [`write_private_atomic`]'s callers.
    pub fn into_io(self) -> io::Error {
        let kind = match &self {
            WriteError::NoFolder { .. } => io::ErrorKind::NotFound,
            WriteError::Exists { .. } => io::ErrorKind::AlreadyExists,
            WriteError::IsFolder { .. } => io::ErrorKind::IsADirectory,
            WriteError::NoPermission { .. } => io::ErrorKind::PermissionDenied,
            WriteError::Full { .. } => io::ErrorKind::StorageFull,
            WriteError::Io { error, .. } => error.kind(),
        };
        io::Error::new(kind, self.to_string())
    }
}

/// The folder of `path` (`.` for a bare file name).
pub(super) fn folder(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}
