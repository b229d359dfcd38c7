//! Faults between kiosk and base, through a small proxy: the base killed
//! mid-batch and restarted, 500s, connection resets, a stall longer than the
//! client's timeout, a hotspot's 200 HTML login page, an answer lost after the
//! base committed. In the end every record is on the base exactly once.

mod common;

use common::draft;
use jobfair_base::{self as base, BaseHandle, BaseServer};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::store::{Store, outbox};
use jobfair_kiosk::sync::{LastResult, SyncSettings, Timeouts, Worker};
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy does with one `POST /v1/records` (other requests pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    Status500,
    /// Close the connection with the request unread: the kernel sends a reset.
    Reset,
    /// Hold the request longer than the client waits.
    Stall,
    /// A hotspot's login page with status 200.
    LoginPage,
    /// Forward, let the base commit, lose the answer.
    LoseAnswer,
    /// Forward, then kill the base at once (the batch commits or not).
    KillBase,
    /// Start the base again, then forward.
    RestartBase,
}

const CLIENT_TIMEOUT: Duration = Duration::from_secs(3);
const STALL: Duration = Duration::from_secs(4);

struct Base {
    handle: Option<BaseHandle>,
    addr: SocketAddr,
    dir: PathBuf,
}

struct Proxy {
    faults: Mutex<VecDeque<Fault>>,
    base: Mutex<Base>,
    seen: Mutex<Vec<Fault>>,
}

impl Proxy {
    fn start(base: BaseHandle, faults: &[Fault]) -> (Arc<Proxy>, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let proxy = Arc::new(Proxy {
            faults: Mutex::new(faults.iter().copied().collect()),
            base: Mutex::new(Base {
                addr: base.addr(),
                dir: base.data_dir().to_path_buf(),
                handle: Some(base),
            }),
            seen: Mutex::new(Vec::new()),
        });
        let p = Arc::clone(&proxy);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let p = Arc::clone(&p);
                std::thread::spawn(move || p.serve(client));
            }
        });
        (proxy, url)
    }

    /// Serves the requests of one kept-alive client connection.
    fn serve(&self, mut client: TcpStream) {
        loop {
            let Some(head) = read_head(&mut client) else {
                return;
            };
            let is_records = head.starts_with(b"POST /v1/records");
            let fault = if is_records {
                self.faults
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Fault::Pass)
            } else {
                Fault::Pass
            };
            if is_records {
                self.seen.lock().unwrap().push(fault);
            }
            if fault == Fault::Reset {
                return; // the body is still unread: closing sends RST
            }
            let Some(request) = read_body(&mut client, head) else {
                return;
            };
            let answer = match fault {
                Fault::Status500 => Some(reply(500, "text/plain", "internal error")),
                Fault::LoginPage => Some(reply(200, "text/html", LOGIN_PAGE)),
                Fault::Stall => {
                    std::thread::sleep(STALL);
                    return;
                }
                Fault::RestartBase => {
                    let mut base = self.base.lock().unwrap();
                    if base.handle.is_none() {
                        base.handle = Some(BaseServer::spawn(base.addr, &base.dir).unwrap());
                    }
                    drop(base);
                    self.forward(&request)
                }
                Fault::KillBase => {
                    let addr = self.base.lock().unwrap().addr;
                    if let Ok(mut upstream) = TcpStream::connect(addr) {
                        let _ = upstream.write_all(&request);
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    if let Some(h) = self.base.lock().unwrap().handle.take() {
                        let _ = h.kill();
                    }
                    return;
                }
                Fault::LoseAnswer => {
                    let _ = self.forward(&request);
                    return;
                }
                Fault::Pass | Fault::Reset => self.forward(&request),
            };
            match answer {
                Some(bytes) if client.write_all(&bytes).is_ok() => {}
                _ => return,
            }
        }
    }

    /// Sends `request` to the base on a fresh connection and reads its answer.
    fn forward(&self, request: &[u8]) -> Option<Vec<u8>> {
        let addr = self.base.lock().unwrap().addr;
        let mut upstream = TcpStream::connect(addr).ok()?;
        upstream.write_all(request).ok()?;
        let head = read_head(&mut upstream)?;
        read_body(&mut upstream, head)
    }
}

const LOGIN_PAGE: &str = "<!DOCTYPE html><html><body><h1>Free Wi-Fi</h1><form action=\"/login\">\
     <input name=phone><button>Log in</button></form></body></html>";

fn reply(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads an HTTP message's head, up to and including the blank line.
fn read_head(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(head)
}

/// Reads the body announced by `head`'s content-length; returns head and body.
fn read_body(s: &mut TcpStream, mut head: Vec<u8>) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let len = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    head.extend(body);
    Some(head)
}

fn kiosk_with_signups(dir: &Path, name: &str, n: u32) {
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: dir.to_path_buf(),
        kiosk_id: Some(name.into()),
    })
    .unwrap();
    common::unlock(&mut kiosk);
    for i in 0..n {
        let d = draft(&kiosk, i);
        kiosk.register(&d).unwrap();
    }
}

fn ids(conn: &rusqlite::Connection, sql: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn every_record_reaches_the_base_exactly_once_through_every_fault() {
    use Fault::*;
    let base_dir = tempfile::tempdir().unwrap();
    let token = base::add_kiosk(base_dir.path(), "kiosk-a").unwrap();
    common::publish_demo_fair(base_dir.path());
    let seal_key = common::base_seal_key(base_dir.path());
    let base = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let script = [
        Pass,
        Status500,
        Reset,
        Stall,
        LoginPage,
        LoseAnswer,
        Pass,
        KillBase,
        Pass,
        Pass,
        RestartBase,
        Status500,
        Pass,
        LoseAnswer,
        Reset,
        Pass,
    ];
    let (proxy, url) = Proxy::start(base, &script);
    let kiosk_dir = tempfile::tempdir().unwrap();
    common::seal_to_base(kiosk_dir.path(), &seal_key);
    kiosk_with_signups(kiosk_dir.path(), "kiosk-a", 240);

    let settings = SyncSettings {
        base_url: Some(url),
        token: Some(token),
        batch: 25,
        timeouts: Timeouts {
            connect: Duration::from_secs(1),
            request: CLIENT_TIMEOUT,
        },
        backoff_first: Duration::from_millis(20),
        backoff_cap: Duration::from_millis(200),
        idle_poll: Duration::from_millis(50),
        ..SyncSettings::default()
    };
    let failures_seen = Arc::new(Mutex::new(BTreeSet::new()));
    let seen = Arc::clone(&failures_seen);
    let worker = Worker::new(kiosk_dir.path(), settings)
        .on_status(move |st| {
            if let Some(LastResult::Failed { failure, .. }) = &st.last_result {
                seen.lock().unwrap().insert(format!("{failure:?}"));
            }
        })
        .start();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !(worker.status().sent == 240 && proxy.faults.lock().unwrap().is_empty()) {
        assert!(Instant::now() < deadline, "stuck: {:?}", worker.status());
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = worker.status();
    worker.shutdown();

    assert_eq!((status.pending, status.parked), (0, 0));
    let applied = proxy.seen.lock().unwrap().clone();
    assert_eq!(
        applied[..script.len()],
        script,
        "every fault was applied in turn"
    );
    let failures = failures_seen.lock().unwrap().clone();
    for expected in ["Unreachable", "NotBase", "BaseError"] {
        assert!(
            failures.contains(expected),
            "{expected} not seen in {failures:?}"
        );
    }

    let kiosk = Store::open(kiosk_dir.path()).unwrap();
    let local = ids(kiosk.conn(), "SELECT id FROM outbox");
    let base_conn = base::db::open(base_dir.path()).unwrap();
    let on_base = ids(&base_conn, "SELECT id FROM records");
    assert_eq!(local.len(), 240, "nothing deleted locally");
    assert_eq!(on_base, local, "every record on the base");
    let rows: i64 = base_conn
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    let conflicts: i64 = base_conn
        .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!((rows, conflicts), (240, 0), "exactly once, no conflict");
    let duplicates: i64 = kiosk
        .conn()
        .query_row(
            "SELECT count(*) FROM outbox WHERE outcome = 'duplicate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        duplicates >= 25,
        "a lost answer makes its batch come back as duplicates"
    );
    assert_eq!(outbox::counts(kiosk.conn()).unwrap().sent, 240);
}
