//! The base's door under an attack that needs no token (issue 13, point 6): N
//! unauthenticated 31 MiB POSTs to /v1/records at once against the real `jobfair-base`
//! binary, and the process's peak memory (VmHWM) before and after. Then the same with a
//! valid token, where the shared body budget (64 MiB by default) is what bounds it.
//!
//! cargo bench -p jobfair-base --bench base_door
//! Without `--bench` it runs tiny (1 MiB bodies), as a smoke test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GOAL_MB: f64 = 150.0;

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let body_mib = if smoke { 1 } else { 31 };
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let out = base(dir.path(), &["kiosk", "add", "door-bench"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    println!("load before: {}", load());
    let mut goal = None;
    for (n, auth) in [(16, false), (40, false), (16, true)] {
        let (mut child, addr) = serve(dir.path());
        let before = mem(child.id());
        let t = Instant::now();
        let answers = attack(&addr, n, body_mib, auth.then_some(token.as_str()));
        let after = mem(child.id());
        let who = if auth {
            "authenticated"
        } else {
            "unauthenticated"
        };
        println!(
            "{n} {who} POSTs of {body_mib} MiB at once: answers {answers:?} in {:.1} s; \
             VmHWM {:.1} MB before, {:.1} MB after; VmRSS after {:.1} MB",
            t.elapsed().as_secs_f64(),
            before.0,
            after.0,
            after.1
        );
        if n == 16 && !auth {
            goal = Some(after.0);
        }
        child.kill().unwrap();
        let _ = child.wait();
    }
    let peak = goal.unwrap();
    let verdict = if peak < GOAL_MB { "met" } else { "MISSED" };
    println!(
        "goal: base_door_16_unauthenticated_31mib | VmHWM {peak:.1} MB | < {GOAL_MB} MB | {verdict}"
    );
    println!("load after: {}", load());
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn base(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jobfair-base"));
    c.arg("--data-dir").arg(dir).args(args);
    c
}

fn serve(dir: &std::path::Path) -> (Child, String) {
    let mut child = base(dir, &["serve", "--listen", "127.0.0.1:0"])
        .env("JOBFAIR_BASE_LOG", "warn,jobfair_base=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    log.read_line(&mut line).unwrap();
    // The log is read on, as journald would: a closed pipe is not what is measured.
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, addr)
}

/// (VmHWM, VmRSS) of a process, in MB.
fn mem(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb = |key: &str| -> f64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmHWM:") * 1024.0 / 1e6, kb("VmRSS:") * 1024.0 / 1e6)
}

/// `n` POSTs at once, each sending its body in 64 KiB pieces for as long as the base
/// reads it; the status of each answer (0: none).
fn attack(addr: &str, n: usize, mib: usize, token: Option<&str>) -> Vec<(u16, usize)> {
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (addr, token) = (addr.to_string(), token.map(str::to_string));
            std::thread::spawn(move || {
                let len = mib * 1024 * 1024;
                let mut s = TcpStream::connect(&addr).unwrap();
                s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
                let head = format!(
                    "POST /v1/records HTTP/1.1\r\nHost: base\r\n{auth}Content-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
                );
                s.write_all(head.as_bytes()).unwrap();
                // The answer is read on its own thread: the door may answer before the body.
                let mut reader = s.try_clone().unwrap();
                let answer = std::thread::spawn(move || {
                    let mut line = [0u8; 12];
                    match reader.read_exact(&mut line) {
                        Ok(()) => String::from_utf8_lossy(&line[9..12]).parse().unwrap_or(0),
                        Err(e) => {
                            if std::env::var_os("DOOR_DEBUG").is_some() {
                                eprintln!("read: {e}");
                            }
                            0u16
                        }
                    }
                });
                let piece = vec![b' '; 64 * 1024];
                let mut sent = 0;
                while sent < len && s.write_all(&piece[..piece.len().min(len - sent)]).is_ok() {
                    sent += piece.len().min(len - sent);
                }
                let status = answer.join().unwrap();
                (status, sent)
            })
        })
        .collect();
    let mut answers: Vec<(u16, usize)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    answers.sort();
    if std::env::var_os("DOOR_DEBUG").is_some() {
        eprintln!("{answers:?}");
    }
    let most = answers.iter().map(|a| a.1).max().unwrap_or(0);
    println!(
        "  most body bytes any client got to send: {:.1} MiB",
        most as f64 / 1048576.0
    );
    // Status → how many answers had it (0: the connection closed without one).
    let mut grouped: Vec<(u16, usize)> = Vec::new();
    for (status, _) in &answers {
        match grouped.last_mut() {
            Some((s, count)) if s == status => *count += 1,
            _ => grouped.push((*status, 1)),
        }
    }
    grouped
}
