//! The labor-cooperation base server: kiosks upload their records here and pull the
//! fair's openings (HTTP contract `jobfair-base/1`, documented in README "Base server").
//!
//! axum on tokio with its own SQLite file (`base.db`, see [`db`]). [`BaseServer::serve`]
//! runs in the foreground until Ctrl-C or SIGTERM; [`BaseServer::spawn`] runs it on its
//! own thread and runtime and returns a [`BaseHandle`] to stop or restart it (tests and
//! benches use [`BaseServer::spawn_for_tests`]).

pub mod auth;
pub mod db;
pub mod export;
mod fs;
pub mod ingest;
pub mod routes;

use chrono::{SecondsFormat, Utc};
use jobfair_domain::fair::{FairFile, FairFileError};
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("base database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("base.db has schema version {found}, newer than this build knows ({known})")]
    NewerSchema { found: u32, known: u32 },
    #[error("SQLite refused WAL mode (journal_mode={0})")]
    Pragma(String),
    #[error("a kiosk named {0:?} already exists")]
    KioskExists(String),
    #[error("kiosk name {0:?}: use 1 to 40 of a-z, A-Z, 0-9, '-' and '_'")]
    KioskName(String),
    #[error("no random bytes from the OS: {0}")]
    Random(String),
    #[error(transparent)]
    Fair(#[from] FairFileError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: io::Error },
    #[error("export: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("the server failed: {0}")]
    Server(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// How long a graceful stop waits for requests in flight before dropping them.
const GRACE: Duration = Duration::from_secs(10);
/// How long a (re)start waits for the port to be free again.
const BIND_WAIT: Duration = Duration::from_secs(10);

/// Adds a kiosk to the base and returns its token (64 hex digits). Only the token's
/// SHA-256 is stored: this is the one time the token is seen.
pub fn add_kiosk(data_dir: &Path, name: &str) -> Result<String> {
    if !auth::valid_kiosk_name(name) {
        return Err(Error::KioskName(name.to_string()));
    }
    let conn = db::open(data_dir)?;
    let token = auth::new_token()?;
    db::insert_kiosk(&conn, name, &auth::sha256_hex(token.as_bytes()), &now())?;
    Ok(token)
}

/// Validates a fair file (JSON text) and publishes it; returns its id and new revision.
pub fn publish_fair(data_dir: &Path, json: &str) -> Result<(String, i64)> {
    let fair = FairFile::from_json(json)?;
    let doc = serde_json::to_string(&fair).expect("fair files serialize");
    let mut conn = db::open(data_dir)?;
    let revision = db::publish_fair(&mut conn, &fair.fair.id, &doc)?;
    Ok((fair.fair.id, revision))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Entry points of the server.
pub struct BaseServer;

impl BaseServer {
    /// Serves on `listen` in the foreground until Ctrl-C or SIGTERM, then stops gracefully.
    pub fn serve(listen: &str, data_dir: &Path) -> Result<()> {
        let app = routes::router(db::open(data_dir)?);
        let listener = bind(listen, Duration::ZERO)?;
        let addr = local_addr(&listener, listen)?;
        eprintln!(
            "base: listening on http://{addr} (data in {})",
            data_dir.display()
        );
        runtime()?.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| Error::Server(e.to_string()))?;
            axum::serve(listener, app)
                .with_graceful_shutdown(stop_signal())
                .await
                .map_err(|e| Error::Server(e.to_string()))
        })?;
        eprintln!("base: stopped");
        Ok(())
    }

    /// Starts the server on `listen` (port 0 picks one) on its own thread and runtime.
    /// Waits up to 10 s for the port if it is still held (a restart on the same port).
    pub fn spawn(listen: SocketAddr, data_dir: &Path) -> Result<BaseHandle> {
        let app = routes::router(db::open(data_dir)?);
        let listener = bind(&listen.to_string(), BIND_WAIT)?;
        let addr = local_addr(&listener, &listen.to_string())?;
        let (stop_tx, stop_rx) = watch::channel(Stop::Run);
        let rt = runtime()?;
        let thread = std::thread::Builder::new()
            .name(format!("base-{addr}"))
            .spawn(move || {
                let result = rt.block_on(run_until_stopped(listener, app, stop_rx));
                rt.shutdown_timeout(Duration::from_secs(5));
                result
            })
            .map_err(|e| Error::Server(e.to_string()))?;
        Ok(BaseHandle {
            addr,
            data_dir: data_dir.to_path_buf(),
            stop: stop_tx,
            thread: Some(thread),
        })
    }

    /// [`BaseServer::spawn`] on `127.0.0.1:0`.
    pub fn spawn_for_tests(data_dir: &Path) -> Result<BaseHandle> {
        Self::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), data_dir)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Run,
    Graceful,
    Kill,
}

async fn run_until_stopped(
    listener: TcpListener,
    app: axum::Router,
    stop: watch::Receiver<Stop>,
) -> Result<()> {
    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| Error::Server(e.to_string()))?;
    let mut graceful = stop.clone();
    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = graceful.wait_for(|s| *s != Stop::Run).await;
    });
    let mut hard = stop;
    let deadline = async move {
        let _ = hard.wait_for(|s| *s != Stop::Run).await;
        let kill = *hard.borrow() == Stop::Kill;
        if !kill {
            tokio::time::sleep(GRACE).await;
        }
    };
    tokio::select! {
        served = serve => served.map_err(|e| Error::Server(e.to_string())),
        () = deadline => Ok(()),
    }
}

/// A server started by [`BaseServer::spawn`]. Dropping it kills the server.
pub struct BaseHandle {
    addr: SocketAddr,
    data_dir: PathBuf,
    stop: watch::Sender<Stop>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl BaseHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, the base URL a kiosk is configured with.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Stops taking connections, lets requests in flight finish (at most 10 s), and waits.
    pub fn shutdown(mut self) -> Result<()> {
        self.stop_with(Stop::Graceful)
    }

    /// Stops at once: connections are dropped mid-request, answers in flight are lost
    /// (a transaction is either committed or rolled back, as when the process dies).
    pub fn kill(mut self) -> Result<()> {
        self.stop_with(Stop::Kill)
    }

    /// Stops gracefully and starts again on the same address and data dir.
    pub fn restart(self) -> Result<BaseHandle> {
        let (addr, dir) = (self.addr, self.data_dir.clone());
        self.shutdown()?;
        BaseServer::spawn(addr, &dir)
    }

    fn stop_with(&mut self, how: Stop) -> Result<()> {
        let _ = self.stop.send(how);
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::Server("the server thread panicked".into())),
        }
    }
}

impl Drop for BaseHandle {
    fn drop(&mut self) {
        let _ = self.stop_with(Stop::Kill);
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("base-worker")
        .build()
        .map_err(|e| Error::Server(e.to_string()))
}

/// Binds `addr`, retrying while the port is still in use for up to `wait`.
fn bind(addr: &str, wait: Duration) -> Result<TcpListener> {
    let started = Instant::now();
    loop {
        match TcpListener::bind(addr) {
            Ok(l) => {
                l.set_nonblocking(true)
                    .map_err(|source| listen_err(addr, source))?;
                return Ok(l);
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(source) => return Err(listen_err(addr, source)),
        }
    }
}

fn local_addr(l: &TcpListener, addr: &str) -> Result<SocketAddr> {
    l.local_addr().map_err(|source| listen_err(addr, source))
}

fn listen_err(addr: &str, source: io::Error) -> Error {
    Error::Listen {
        addr: addr.to_string(),
        source,
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}
