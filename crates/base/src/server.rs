//! Running the server: [`BaseServer::serve`] in the foreground until SIGTERM or Ctrl-C;
//! [`BaseServer::spawn_with`] on its own thread and runtime, returning a [`BaseHandle`]
//! to stop or restart it (tests and benches). A stop is graceful: no new connections,
//! requests in flight — a batch being stored — finish and are answered (at most
//! [`GRACE`]), then the process ends.
//!
//! At every (re)start the base reads its sealing keys ([`crate::seal_key`], issue 17) from
//! [`BaseConfig::seal_key`]: a missing file is a warning (the base serves, and refuses
//! sign-ups with sealed numbers one by one); a file that is there but cannot be used (too
//! open, unreadable, not a key file) stops the start with [`SealKeyError`]'s message.

use super::http::{self, AppState, BodyBudget, FairCache};
use super::seal_key::{BaseSealKeys, SEAL_KEY_FILE, SealKeyError};
use super::store::Database;
use super::{Error, Result};
use jobfair_protocol::MAX_BODY_BYTES;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long a graceful stop waits for requests in flight before dropping them.
pub const GRACE: Duration = Duration::from_secs(20);
/// How long a (re)start waits for the port to be free again.
const BIND_WAIT: Duration = Duration::from_secs(10);
/// Default budget of request bodies in flight together: two full-size bodies.
pub const DEFAULT_BODY_BUDGET: usize = 2 * MAX_BODY_BYTES;
/// How long a request waits for its share of the budget before `503`.
pub const DEFAULT_BODY_WAIT: Duration = Duration::from_secs(5);
/// How long a body may take to arrive.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(120);

/// How a base runs.
#[derive(Debug, Clone)]
pub struct BaseConfig {
    pub database: Database,
    pub listen: String,
    /// Bytes of request bodies held at once, all requests together (≥ one full body).
    pub body_budget: usize,
    pub body_wait: Duration,
    /// The sealing key file (`seal-key init`), read at every start: by default
    /// `base-seal.key` in a SQLite base's data dir; `None` (PostgreSQL without
    /// `--seal-key` or `--data-dir`) is the same as a missing file.
    pub seal_key: Option<PathBuf>,
}

impl BaseConfig {
    pub fn new(database: Database, listen: impl Into<String>) -> BaseConfig {
        let seal_key = match &database {
            Database::Sqlite { data_dir } => Some(data_dir.join(SEAL_KEY_FILE)),
            Database::Postgres { .. } => None,
        };
        BaseConfig {
            database,
            listen: listen.into(),
            body_budget: DEFAULT_BODY_BUDGET,
            body_wait: DEFAULT_BODY_WAIT,
            seal_key,
        }
    }

    /// SQLite in `data_dir`, on 127.0.0.1 and a free port.
    pub fn for_tests(database: Database) -> BaseConfig {
        BaseConfig::new(database, "127.0.0.1:0")
    }
}

/// Entry points of the server.
pub struct BaseServer;

impl BaseServer {
    /// Serves in the foreground until Ctrl-C or SIGTERM, then stops gracefully.
    pub fn serve(config: BaseConfig) -> Result<()> {
        let rt = runtime()?;
        let listener = bind(&config.listen, Duration::ZERO)?;
        let addr = local_addr(&listener, &config.listen)?;
        let (app, _, keys) = rt.block_on(app(&config))?;
        tracing::info!(database = %config.database.describe(), "listening on http://{addr}");
        log_seal_keys(config.seal_key.as_deref(), keys.as_deref());
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| Error::Server(e.to_string()))?;
            let stopping = async {
                stop_signal().await;
                tracing::info!("stopping: finishing the requests in flight");
            };
            let serve = axum::serve(listener, app).with_graceful_shutdown(stopping);
            serve.await.map_err(|e| Error::Server(e.to_string()))
        })?;
        rt.shutdown_timeout(GRACE);
        tracing::info!("stopped");
        Ok(())
    }

    /// Starts the server on its own thread and runtime. Waits up to 10 s for the port
    /// if it is still held (a restart on the same port).
    pub fn spawn_with(config: BaseConfig) -> Result<BaseHandle> {
        let rt = runtime()?;
        let (app, budget, keys) = rt.block_on(app(&config))?;
        log_seal_keys(config.seal_key.as_deref(), keys.as_deref());
        let listener = bind(&config.listen, BIND_WAIT)?;
        let addr = local_addr(&listener, &config.listen)?;
        let (stop_tx, stop_rx) = watch::channel(Stop::Run);
        let thread = std::thread::Builder::new()
            .name(format!("base-{addr}"))
            .spawn(move || {
                let result = rt.block_on(run_until_stopped(listener, app, stop_rx));
                rt.shutdown_timeout(Duration::from_secs(5));
                result
            })
            .map_err(|e| Error::Server(e.to_string()))?;
        let mut config = config;
        config.listen = addr.to_string();
        Ok(BaseHandle {
            addr,
            config,
            budget,
            stop: stop_tx,
            thread: Some(thread),
        })
    }

    /// A base with SQLite in `data_dir` on `listen` (port 0 picks one).
    pub fn spawn(listen: SocketAddr, data_dir: &Path) -> Result<BaseHandle> {
        let database = Database::Sqlite {
            data_dir: data_dir.to_path_buf(),
        };
        Self::spawn_with(BaseConfig::new(database, listen.to_string()))
    }

    /// [`BaseServer::spawn`] on `127.0.0.1:0`.
    pub fn spawn_for_tests(data_dir: &Path) -> Result<BaseHandle> {
        Self::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), data_dir)
    }
}

type SealKeys = Option<Arc<BaseSealKeys>>;

async fn app(config: &BaseConfig) -> Result<(axum::Router, Arc<BodyBudget>, SealKeys)> {
    if config.body_budget < MAX_BODY_BYTES {
        return Err(Error::Config(format!(
            "the body budget ({} bytes) must hold at least one full request ({MAX_BODY_BYTES} bytes)",
            config.body_budget
        )));
    }
    let seal_keys = load_seal_keys(config.seal_key.as_deref())?;
    let store = config.database.open().await?;
    let budget = BodyBudget::new(config.body_budget, config.body_wait, BODY_READ_TIMEOUT);
    let state = Arc::new(AppState {
        store,
        budget: budget.clone(),
        fairs: FairCache::default(),
        seal_keys: seal_keys.clone(),
    });
    Ok((http::router(state), budget, seal_keys))
}

/// The base's sealing keys from `path`; `None` when there is no file (or no path).
fn load_seal_keys(path: Option<&Path>) -> Result<SealKeys> {
    let Some(path) = path else {
        return Ok(None);
    };
    match BaseSealKeys::load(path) {
        Ok(keys) => Ok(Some(Arc::new(keys))),
        Err(SealKeyError::Missing(_)) => Ok(None),
        Err(e) => Err(Error::SealKey(e)),
    }
}

/// Says which key opens sealed numbers, or warns that none does. Logged after the
/// "listening on" line (the first line of a start, which scripts wait for).
fn log_seal_keys(path: Option<&Path>, keys: Option<&BaseSealKeys>) {
    match (keys, path) {
        (Some(keys), _) => tracing::info!(
            public_key = %keys.public().to_hex(),
            previous = keys.previous_public().len(),
            "基地密钥已载入 / base sealing key loaded"
        ),
        (None, Some(path)) => tracing::warn!(
            file = %path.display(),
            "没有基地密钥文件：带密封号码的报名记录将被逐条拒收；请用 `jobfair-base seal-key init` \
             生成 / no base sealing key file: sign-ups with sealed numbers are refused; make \
             one with `jobfair-base seal-key init`"
        ),
        (None, None) => tracing::warn!(
            "没有配置基地密钥文件（--seal-key）：带密封号码的报名记录将被逐条拒收 / no base \
             sealing key file (--seal-key): sign-ups with sealed numbers are refused"
        ),
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

/// A server started by [`BaseServer::spawn_with`]. Dropping it kills the server.
pub struct BaseHandle {
    addr: SocketAddr,
    config: BaseConfig,
    budget: Arc<BodyBudget>,
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

    /// The data dir of a SQLite base (empty for PostgreSQL).
    pub fn data_dir(&self) -> &Path {
        match &self.config.database {
            Database::Sqlite { data_dir } => data_dir,
            Database::Postgres { .. } => Path::new(""),
        }
    }

    pub fn database(&self) -> &Database {
        &self.config.database
    }

    /// The most bytes of request bodies held at once so far, and the budget.
    pub fn body_budget_peak(&self) -> (usize, usize) {
        (self.budget.peak(), self.budget.capacity())
    }

    /// Stops taking connections, lets requests in flight finish, and waits.
    pub fn shutdown(mut self) -> Result<()> {
        self.stop_with(Stop::Graceful)
    }

    /// Stops at once: connections are dropped mid-request, answers in flight are lost
    /// (a transaction is either committed or rolled back, as when the process dies).
    pub fn kill(mut self) -> Result<()> {
        self.stop_with(Stop::Kill)
    }

    /// Stops gracefully and starts again on the same address and database.
    pub fn restart(mut self) -> Result<BaseHandle> {
        let config = self.config.clone();
        self.stop_with(Stop::Graceful)?;
        BaseServer::spawn_with(config)
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
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let term = async {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
