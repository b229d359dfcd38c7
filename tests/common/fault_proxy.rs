//! A lying network between kiosk and base: a small HTTP proxy on 127.0.0.1 that
//! does something bad to `POST /v1/records` requests, chosen by a function (a
//! script, or a seeded random pick). The same faults as `tests/upload_faults.rs`:
//! 500s, resets, stalls past the client's timeout, a hotspot's 200 HTML page, an
//! answer lost after the base committed, the base killed mid-batch and restarted.
//!
//! Included with `#[path = "common/fault_proxy.rs"] mod fault_proxy;`.
#![allow(dead_code)]

use jobfair_base::{BaseHandle, BaseServer};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does with one `POST /v1/records` (other requests pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Pass,
    Status500,
    /// Close the connection with the request unread: the kernel sends a reset.
    Reset,
    /// Hold the request longer than the client waits, then drop it.
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

/// Picks the fault for the next records request; the argument says whether the
/// base is running.
pub type Picker = Box<dyn FnMut(bool) -> Fault + Send>;

struct Base {
    handle: Option<BaseHandle>,
    addr: SocketAddr,
    dir: PathBuf,
}

pub struct Proxy {
    picker: Mutex<Picker>,
    base: Mutex<Base>,
    stall: Duration,
    /// Every fault applied, in order.
    pub seen: Mutex<Vec<Fault>>,
}

impl Proxy {
    /// Starts the proxy in front of `base`; returns it and its URL.
    pub fn start(base: BaseHandle, stall: Duration, picker: Picker) -> (Arc<Proxy>, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let proxy = Arc::new(Proxy {
            picker: Mutex::new(picker),
            base: Mutex::new(Base {
                addr: base.addr(),
                dir: base.data_dir().to_path_buf(),
                handle: Some(base),
            }),
            stall,
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

    /// How many times each fault was applied.
    pub fn tally(&self) -> BTreeMap<Fault, u64> {
        let mut t = BTreeMap::new();
        for f in self.seen.lock().unwrap().iter() {
            *t.entry(*f).or_default() += 1;
        }
        t
    }

    /// Starts the base again if a fault killed it.
    pub fn ensure_base_up(&self) {
        let mut base = self.base.lock().unwrap();
        if base.handle.is_none() {
            base.handle = Some(BaseServer::spawn(base.addr, &base.dir).unwrap());
        }
    }

    /// Stops the base (gracefully) if it runs.
    pub fn shutdown_base(&self) {
        if let Some(h) = self.base.lock().unwrap().handle.take() {
            let _ = h.shutdown();
        }
    }

    /// Serves the requests of one kept-alive client connection.
    fn serve(&self, mut client: TcpStream) {
        loop {
            let Some(head) = read_head(&mut client) else {
                return;
            };
            let is_records = head.starts_with(b"POST /v1/records");
            let fault = if is_records {
                let up = self.base.lock().unwrap().handle.is_some();
                let f = {
                    let mut pick = self.picker.lock().unwrap();
                    (*pick)(up)
                };
                self.seen.lock().unwrap().push(f);
                f
            } else {
                Fault::Pass
            };
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
                    std::thread::sleep(self.stall);
                    return;
                }
                Fault::RestartBase => {
                    self.ensure_base_up();
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
