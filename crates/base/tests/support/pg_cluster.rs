//! A throwaway PostgreSQL cluster for one test binary (or bench): `initdb` and `pg_ctl`
//! from Debian's `postgresql` package on a temporary directory, listening only on a
//! unix socket there, run as the `postgres` user when the tests run as root (PostgreSQL
//! refuses root). Started on first use, shared by the binary's tests (each gets a
//! database of its own), and stopped when the process exits — by an `atexit` hook, and
//! by a small watchdog that also stops it if the process is killed.
//!
//! `JOBFAIR_TEST_POSTGRES_URL` (e.g. `host=/run/postgresql user=postgres`) uses a server
//! of yours instead. Where PostgreSQL is absent the tests fail, saying how to install it,
//! unless `JOBFAIR_SKIP_POSTGRES=1`, which skips them with a visible line (CI never sets it).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub const INSTALL: &str = "apt-get install -y postgresql";

/// How durable the cluster is: tests trade durability for speed, benches do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync off: a crash of the machine may lose it (it is thrown away anyway).
    Throwaway,
    /// PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on).
    Durable,
}

/// A running cluster (or a server given by `JOBFAIR_TEST_POSTGRES_URL`).
#[derive(Debug)]
pub struct Cluster {
    /// `host=… user=…` without a database name.
    admin: String,
    /// The temporary directory (data, socket, log); `None` for a given server.
    root: Option<PathBuf>,
    bin: PathBuf,
    run_as: Option<String>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(1);

/// The binary's cluster, started on first call. `None` only when the tests were told
/// to skip PostgreSQL (`JOBFAIR_SKIP_POSTGRES=1`); absent PostgreSQL otherwise panics.
pub fn cluster() -> Option<&'static Cluster> {
    CLUSTER
        .get_or_init(|| start(Durability::Throwaway))
        .as_ref()
}

/// A fresh, empty database on the binary's cluster: its connection string.
pub fn fresh_database() -> Option<String> {
    let c = cluster()?;
    Some(c.create_database())
}

/// Where `initdb` and `pg_ctl` are: `$JOBFAIR_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("JOBFAIR_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn skip_requested() -> bool {
    std::env::var("JOBFAIR_SKIP_POSTGRES").is_ok_and(|v| v == "1")
}

/// Starts a cluster of its own (benches call this for a durable one).
pub fn start(durability: Durability) -> Option<Cluster> {
    if let Ok(url) = std::env::var("JOBFAIR_TEST_POSTGRES_URL") {
        return Some(Cluster {
            admin: url,
            root: None,
            bin: bin_dir().unwrap_or_default(),
            run_as: None,
        });
    }
    let Some(bin) = bin_dir() else {
        if skip_requested() {
            // Straight to the file descriptor: the test harness captures eprintln!, and
            // this line must show even when every test passes.
            use std::io::Write;
            let _ = std::io::stderr().write_all(
                b"SKIPPED: PostgreSQL (not installed; JOBFAIR_SKIP_POSTGRES=1): the postgres:: tests of this binary ran nothing\n",
            );
            return None;
        }
        panic!(
            "PostgreSQL is not installed: the base's tests run on both engines. Install it with \
             `{INSTALL}` (Debian), or point JOBFAIR_TEST_POSTGRES_URL at a server, or set \
             JOBFAIR_SKIP_POSTGRES=1 to skip those tests on this machine (CI never does)."
        );
    };
    let root_user = unsafe { libc::geteuid() } == 0;
    let run_as = root_user.then(|| "postgres".to_string());
    let root = tempfile::Builder::new()
        .prefix("jobfair-pg-")
        .tempdir()
        .expect("a temporary directory")
        .keep();
    if root_user {
        chown_to_postgres(&root);
    }
    let cluster = Cluster {
        admin: format!("host={} user=postgres", root.display()),
        root: Some(root.clone()),
        bin,
        run_as,
    };
    let data = root.join("data");
    cluster.run(
        "initdb",
        &[
            "-D",
            data.to_str().unwrap(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        ],
    );
    let mut options = format!(
        "-k {} -c listen_addresses='' -c max_connections=300 -c shared_buffers=128MB",
        root.display()
    );
    if durability == Durability::Throwaway {
        options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    cluster.run(
        "pg_ctl",
        &[
            "-D",
            data.to_str().unwrap(),
            "-l",
            root.join("log").to_str().unwrap(),
            "-w",
            "-o",
            &options,
            "start",
        ],
    );
    cluster.watch();
    extern "C" fn stop_at_exit() {
        if let Some(Some(c)) = CLUSTER.get() {
            c.stop();
        }
    }
    if durability == Durability::Throwaway {
        unsafe { libc::atexit(stop_at_exit) };
    }
    Some(cluster)
}

fn chown_to_postgres(dir: &Path) {
    let name = std::ffi::CString::new("postgres").unwrap();
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(
        !pw.is_null(),
        "running as root, PostgreSQL needs the `postgres` user (made by `{INSTALL}`)"
    );
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    let path = std::ffi::CString::new(dir.to_str().unwrap()).unwrap();
    assert_eq!(
        unsafe { libc::chown(path.as_ptr(), uid, gid) },
        0,
        "chown {}",
        dir.display()
    );
}

impl Cluster {
    /// Runs a PostgreSQL program (as `postgres` when we are root); panics on failure.
    fn run(&self, program: &str, args: &[&str]) {
        let out = self
            .command(program, args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe).args(args);
                c
            }
            None => {
                let mut c = Command::new(exe);
                c.args(args);
                c
            }
        }
    }

    /// A watchdog that stops the cluster and removes its directory once this process
    /// is gone, however it ended.
    fn watch(&self) {
        let Some(root) = &self.root else { return };
        let stop = self.stop_command();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{root}'",
            pid = std::process::id(),
            root = root.display()
        );
        use std::os::unix::process::CommandExt;
        // Never waited for: it outlives this process by design (init reaps it).
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("the cluster's watchdog");
    }

    fn stop_command(&self) -> String {
        let root = self.root.as_ref().expect("a cluster of our own");
        let pg_ctl = self.bin.join("pg_ctl");
        let run_as = self
            .run_as
            .as_ref()
            .map_or(String::new(), |u| format!("runuser -u {u} -- "));
        format!(
            "{run_as}{} -D '{}' -m immediate stop",
            pg_ctl.display(),
            root.join("data").display()
        )
    }

    /// Stops the cluster (immediately: it is thrown away) and removes its directory.
    pub fn stop(&self) {
        let Some(root) = &self.root else { return };
        let _ = Command::new("sh")
            .args(["-c", &self.stop_command()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(root);
    }

    /// The connection string of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("{} dbname={name}", self.admin)
    }

    /// The socket directory (for `postgresql:///db?host=DIR` URLs).
    pub fn socket_dir(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Creates an empty database and returns its connection string.
    pub fn create_database(&self) -> String {
        let name = format!(
            "jobfair_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        let admin = self.url("postgres");
        let sql = format!("CREATE DATABASE {name}");
        jobfair_base::block_on(async move {
            let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("connecting to the test cluster ({admin}): {e}"));
            let task = tokio::spawn(conn);
            client.batch_execute(&sql).await.expect("CREATE DATABASE");
            drop(client);
            let _ = task.await;
        });
        self.url(&name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}
