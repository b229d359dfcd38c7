//! The kiosk's SQLite connections keep their POSIX locks on kiosk.db. POSIX advisory locks belong to
//! the process and are all dropped when *any* descriptor of the file is closed; `Store::open` touched
//! kiosk.db (open + close) before opening its second connection, which silently dropped the first
//! connection's shared lock. Another process (the CLI's `lists import`, `export`, a `sqlite3` check)
//! closing the database then believed it was the last user, checkpointed and deleted the live WAL;
//! the kiosk went on writing into the unlinked WAL and, found under Xvfb by bench/personas.py, a
//! returning villager's changed openings were gone after a restart.
#![cfg(target_os = "linux")]

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use jobfair_kiosk::store::Store;

/// Locks this process holds on `path` according to /proc/locks.
fn locks_on(path: &Path) -> usize {
    let ino = std::fs::metadata(path).unwrap().ino();
    let pid = std::process::id().to_string();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 357 fe:00:10010996 128 128"
            f.len() >= 6 && f[4] == pid && f[5].rsplit(':').next() == Some(&ino.to_string())
        })
        .count()
}

#[test]
fn an_open_store_holds_its_shared_lock_on_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let db = store.path().to_path_buf();
    store.integrity_check().unwrap();
    assert!(
        locks_on(&db) > 0,
        "an open WAL connection holds a shared lock on kiosk.db (else another process deletes the WAL)"
    );
    // Opening the file again in the same process (a second store, a reader) keeps it too.
    let again = Store::open(dir.path()).unwrap();
    again.integrity_check().unwrap();
    drop(again);
    store.integrity_check().unwrap();
    assert!(
        locks_on(&db) > 0,
        "the first store's lock survives a second open and close"
    );
}
