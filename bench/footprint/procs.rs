//! Memory of a process and of a process tree, read from /proc (Linux only).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// One process's memory figures, in bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mem {
    /// `VmHWM`: the peak resident set since the process started.
    pub peak_rss: u64,
    /// `VmRSS` now.
    pub rss: u64,
    /// `Pss` of smaps_rollup: resident pages, shared ones divided among their users.
    pub pss: u64,
}

impl std::ops::Add for Mem {
    type Output = Mem;
    fn add(self, o: Mem) -> Mem {
        Mem {
            peak_rss: self.peak_rss + o.peak_rss,
            rss: self.rss + o.rss,
            pss: self.pss + o.pss,
        }
    }
}

/// `12.3 MB` (decimal megabytes, as the goals are written).
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The value in kB of `key:` in a /proc file, as bytes.
fn kb_field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

/// Memory of `pid`, or `None` when it is gone (or a kernel thread).
pub fn mem(pid: u32) -> Option<Mem> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    Some(Mem {
        peak_rss: kb_field(&status, "VmHWM")?,
        rss: kb_field(&status, "VmRSS")?,
        pss: kb_field(&rollup, "Pss")?,
    })
}

/// Every live process's parent, from /proc/*/stat.
fn parents() -> HashMap<u32, u32> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name is in parentheses and may hold spaces: fields start after ") ".
        if let Some(rest) = stat.rsplit_once(") ").map(|(_, r)| r)
            && let Some(ppid) = rest.split(' ').nth(1).and_then(|p| p.parse().ok())
        {
            out.insert(pid, ppid);
        }
    }
    out
}

/// `root` and all its descendants that are alive now.
pub fn tree(root: u32) -> Vec<u32> {
    let parents = parents();
    let mut found: HashSet<u32> = HashSet::from([root]);
    // Parents can have larger pids than children (pid wrap), so repeat until stable.
    loop {
        let before = found.len();
        for (&pid, ppid) in &parents {
            if found.contains(ppid) {
                found.insert(pid);
            }
        }
        if found.len() == before {
            break;
        }
    }
    let mut pids: Vec<u32> = found.into_iter().collect();
    pids.sort_unstable();
    pids
}

/// The summed memory of `root`'s tree and how many processes it has.
pub fn tree_mem(root: u32) -> (Mem, usize) {
    let mems: Vec<Mem> = tree(root).into_iter().filter_map(mem).collect();
    let n = mems.len();
    (mems.into_iter().fold(Mem::default(), |a, b| a + b), n)
}

/// Sends `signal` (a `kill` name such as `TERM`) to each pid; errors (gone already) are ignored.
pub fn signal(pids: &[u32], signal: &str) {
    if pids.is_empty() {
        return;
    }
    let _ = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .args(pids.iter().map(u32::to_string))
        .stderr(std::process::Stdio::null())
        .status();
}

/// Ends `child` and every descendant: TERM, up to 5 s, then KILL what is left.
pub fn end_tree(child: &mut std::process::Child) {
    let pids = tree(child.id());
    signal(&pids, "TERM");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) && pids.iter().all(|p| !alive(*p)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&pids, "KILL");
    let _ = child.wait();
}

/// Whether `pid` exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(") ")
                .map(|(_, r)| !r.starts_with('Z') && !r.starts_with('X'))
        })
        .unwrap_or(false)
}
