//! The base's private files: written 0600 and atomically (temporary file in the same
//! folder, fsync, rename, fsync of the folder), so a crash leaves the old file or the
//! new one and nobody else on the machine can read what holds personal data.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of files holding personal data.
pub const FILE_MODE: u32 = 0o600;

/// Why an output path cannot be written, said once with the fix.
#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error(
        "{0} is a folder; give a file name in it, e.g. --out {1}\n{0} 是文件夹；请给出文件名，例如 --out {1}"
    )]
    IsFolder(String, String),
    #[error(
        "the folder {0} does not exist; create it (mkdir -p {0}) or choose another --out\n文件夹 {0} 不存在；请先创建（mkdir -p {0}）或换一个 --out 路径"
    )]
    NoFolder(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Checks `out` can be written before any work is done: not a folder, and its folder
/// exists. The messages name the path and the fix, in English and Chinese.
pub fn check_out(out: &Path, example_name: &str) -> Result<(), OutError> {
    if out.is_dir() {
        let example = out.join(example_name);
        return Err(OutError::IsFolder(
            out.display().to_string(),
            example.display().to_string(),
        ));
    }
    let dir = folder_of(out);
    if !dir.is_dir() {
        return Err(OutError::NoFolder(dir.display().to_string()));
    }
    Ok(())
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Writes `path` atomically through `write`, which gets the 0600 temporary file.
pub fn write_private_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<T>,
) -> io::Result<T> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&tmp)?;
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
        let out = write(&mut file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        File::open(&dir)?.sync_all()?;
        Ok(out)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Replaces `path` with `bytes` atomically; the file ends up with mode 0600.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    write_private_atomic_with(path, |f| f.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_with_mode_0600_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        write_private_atomic(&path, b"one").unwrap();
        write_private_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, FILE_MODE);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_or_a_missing_folder_is_named_once_with_its_fix() {
        let dir = tempfile::tempdir().unwrap();
        let folder = check_out(dir.path(), "x.xlsx").unwrap_err().to_string();
        assert!(
            folder.contains("is a folder") && folder.contains("x.xlsx"),
            "{folder}"
        );
        let missing = dir.path().join("nope/out.xlsx");
        let msg = check_out(&missing, "x.xlsx").unwrap_err().to_string();
        assert!(msg.contains("mkdir -p") && msg.contains("nope"), "{msg}");
        assert!(
            !msg.contains(".tmp-") && !msg.contains("No such file"),
            "{msg}"
        );
        assert!(check_out(&dir.path().join("out.xlsx"), "x.xlsx").is_ok());
    }
}
