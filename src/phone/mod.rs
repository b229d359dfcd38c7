//! The phone form (issue 15): villagers register on their own phones over the kiosk's
//! Wi-Fi. Server-rendered HTML over `app::wizard` — the same flow, rules, consent and
//! signed ticket as the touch screen, one flow with two front ends. Glue only, like
//! `gui/`: arrows `phone → app → store → domain`; no Slint here.
//!
//! [`PhoneServer::spawn`] binds the address and serves on its own thread and tokio
//! runtime; every store write goes through one writer thread ([`desk`]). Dropping the
//! [`PhoneHandle`] (or [`PhoneHandle::stop`]) unbinds it: the server is bound only while
//! the staff have the form on.

pub mod desk;
pub mod html;
pub mod http;
pub mod i18n;
pub mod limits;
pub mod pages;
pub mod qr;
pub mod session;
pub mod settings;

use crate::app::{Kiosk, KioskOptions};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

pub use limits::RateLimit;

/// The default address: every interface, port 8080 (`--listen` / `phone_listen`).
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8080";

/// How the phone server runs.
#[derive(Debug, Clone)]
pub struct PhoneConfig {
    pub listen: String,
    pub rate: RateLimit,
    /// Phone sessions kept at once (the longest idle is forgotten first).
    pub max_sessions: usize,
    /// Connections open at once; more are closed at once.
    pub max_connections: usize,
    /// Connections open at once from one client address (a phone's browser opens a few);
    /// more from it are closed at once, so that one client holding connections open
    /// (slowloris) cannot take the slots of the others.
    pub max_connections_per_client: usize,
    /// A request's head must arrive within this (slowloris).
    pub header_timeout: Duration,
    /// A connection is closed after this, whatever it does (slow bodies, idle keep-alive).
    pub connection_lifetime: Duration,
}

impl PhoneConfig {
    pub fn new(listen: impl Into<String>) -> PhoneConfig {
        PhoneConfig {
            listen: listen.into(),
            rate: RateLimit::default(),
            max_sessions: 10_000,
            max_connections: 512,
            max_connections_per_client: 16,
            header_timeout: Duration::from_secs(10),
            connection_lifetime: Duration::from_secs(60),
        }
    }
}

/// Errors starting the phone server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("phone form: cannot listen on {listen}: {source}")]
    Bind {
        listen: String,
        source: std::io::Error,
    },
    #[error("phone form: {0}")]
    Io(#[from] std::io::Error),
    #[error("phone form: {0}")]
    App(#[from] crate::app::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

pub struct PhoneServer;

impl PhoneServer {
    /// Opens the kiosk in `data_dir` for the server's writer thread and starts serving.
    pub fn spawn(data_dir: &Path, config: PhoneConfig) -> Result<PhoneHandle> {
        let kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
        Self::spawn_with(kiosk, config)
    }

    /// Serves the form over `kiosk` (moved to the writer thread).
    pub fn spawn_with(kiosk: Kiosk, config: PhoneConfig) -> Result<PhoneHandle> {
        let listener = TcpListener::bind(&config.listen).map_err(|source| Error::Bind {
            listen: config.listen.clone(),
            source,
        })?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let desk = desk::DeskHandle::spawn(kiosk, config.max_sessions)?;
        let app = Arc::new(http::App {
            desk,
            limiter: limits::Limiter::new(config.rate),
        });
        let router = http::router(app);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("phone-http")
            .enable_all()
            .build()?;
        let (stop_tx, stop_rx) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("phone-server".into())
            .spawn(move || {
                rt.block_on(accept_loop(listener, router, config, stop_rx));
                rt.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(PhoneHandle {
            addr,
            stop: stop_tx,
            thread: Some(thread),
        })
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: axum::Router,
    config: PhoneConfig,
    mut stop: watch::Receiver<bool>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let per_client = Arc::new(limits::ConnectionCount::new(
        config.max_connections_per_client,
    ));
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    // Out of file descriptors and the like: wait a little.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.wait_for(|s| *s) => return,
        };
        let Some(client) = per_client.open(remote.ip()) else {
            drop(stream);
            continue;
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        let peer = http::Peer { remote, local };
        let router = router.clone();
        let svc =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(peer);
                router.clone().oneshot(req)
            });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout)
            .max_buf_size(16 * 1024);
        let lifetime = config.connection_lifetime;
        tokio::spawn(async move {
            let conn = builder.serve_connection(TokioIo::new(stream), svc);
            let _ = tokio::time::timeout(lifetime, conn).await;
            drop(permit);
            drop(client);
        });
    }
}

/// A running phone server; dropping it stops it and frees the port.
pub struct PhoneHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PhoneHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and waits until the port is free.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for PhoneHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}
