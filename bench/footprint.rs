//! `footprint`: the kiosk beside headless Chromium, in the same run — memory while showing the
//! openings page with 2,000 openings, and start-up to the first frame. See bench/README.md.
//!
//! ```text
//! cargo bench --bench footprint      # needs xvfb, xdotool, imagemagick and Debian's chromium
//! ```
//!
//! Without `--bench` (as under `cargo test --benches`) it only builds and checks the HTML page
//! and the fair file; no process is started.

#[path = "footprint/page.rs"]
mod page;
#[path = "footprint/procs.rs"]
mod procs;
#[path = "footprint/report.rs"]
mod report;
#[path = "footprint/x.rs"]
mod x;

use jobfair_kiosk::domain::opening_filter::synthetic_fair;
use procs::Mem;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const OPENINGS: usize = 2_000;
const RUNS: usize = 10;
/// Time given to a page after it shows, before its memory is read (the same for both).
const SETTLE: Duration = Duration::from_secs(2);
/// The home page's "browse openings" button (1280×800, as in docs/screenshots/shoot.py).
const BROWSE: (u32, u32) = (330, 470);
/// The unlock page's passphrase field at 1280×800.
const PASSPHRASE_FIELD: (u32, u32) = (400, 230);
/// The staff passphrase of the bench's kiosk (synthetic).
const PASSPHRASE: &str = "footprint passphrase 1234";
const KIOSK: &str = env!("CARGO_BIN_EXE_jobfair-kiosk");
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,800",
    "--hide-scrollbars",
];

/// One start of a program: time to its first frame and its memory while showing the page.
struct Run {
    startup: Duration,
    mem: Mem,
    processes: usize,
}

fn main() {
    let smoke = !std::env::args().any(|a| a == "--bench");
    let fair = synthetic_fair(OPENINGS, 1);
    let html = page::html(&fair);
    assert_eq!(html.matches("<div class=card>").count(), OPENINGS);
    println!("footprint: kiosk vs headless Chromium, openings page with {OPENINGS} openings");
    println!(
        "  fair: synthetic_fair({OPENINGS}, 1); HTML page {} bytes",
        html.len()
    );
    if smoke {
        println!("  smoke run (no --bench): page built, no process started\n");
        return;
    }
    if let Err(e) = link_order().and_then(|()| run(&fair, html)) {
        eprintln!("footprint: {e}");
        std::process::exit(1);
    }
}

fn run(fair: &jobfair_kiosk::domain::fair::FairFile, html: String) -> Result<(), String> {
    let work = tempfile::Builder::new()
        .prefix("footprint-")
        .tempdir_in(bench_dir())
        .map_err(|e| e.to_string())?;
    let data_dir = work.path().join("kiosk");
    let fair_json = work.path().join("fair.json");
    let json = serde_json::to_string(fair).map_err(|e| e.to_string())?;
    std::fs::write(&fair_json, json).map_err(|e| e.to_string())?;
    let out = Command::new(KIOSK)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["openings", "import"])
        .arg(&fair_json)
        .output()
        .map_err(|e| format!("{KIOSK}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "openings import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    print!("  kiosk: {KIOSK} --data-dir DIR; DIR set up by `openings import fair.json`: ");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    // The staff passphrase (issue 17): every run opens locked and is unlocked as the staff
    // do it, with the default argon2 costs (7 MiB, 5 passes), before the openings are shown.
    let mut set = Command::new(KIOSK)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["staff", "set-passphrase"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{KIOSK}: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = set.stdin.take().ok_or("no stdin")?;
        writeln!(stdin, "{PASSPHRASE}").map_err(|e| e.to_string())?;
    }
    if !set.wait().map_err(|e| e.to_string())?.success() {
        return Err("staff set-passphrase failed".into());
    }
    println!("  staff passphrase set; each run types it on the unlock page (default argon2 costs)");
    let font = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(FONT))
        .map_err(|e| format!("{FONT}: {e}"))?;
    let server = page::Server::start(html, font).map_err(|e| e.to_string())?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    println!("  chromium: {}", chromium_version());
    println!(
        "  chromium command: chromium {} --user-data-dir=<fresh temp dir> {url}",
        CHROMIUM_FLAGS.join(" ")
    );
    let xvfb = x::Xvfb::start()?;
    let xvfb_before = procs::mem(xvfb.pid()).unwrap_or_default();
    println!(
        "  Xvfb {} {}x{}x24; disk cache warm (page caches cannot be dropped here)",
        xvfb.display,
        x::WIDTH,
        x::HEIGHT
    );

    // Interleaved, so that background load on this shared machine hits both alike.
    let mut kiosk_runs = Vec::new();
    let mut chromium_runs = Vec::new();
    for i in 0..RUNS {
        let shot = (i == 0).then(|| bench_dir().join("footprint-kiosk-openings.png"));
        kiosk_runs.push(kiosk_run(&xvfb, &data_dir, work.path(), shot.as_deref())?);
        let profile = work.path().join(format!("chromium-profile-{i}"));
        chromium_runs.push(chromium_run(&server, &url, &profile, work.path())?);
    }
    let xvfb_after = procs::mem(xvfb.pid()).unwrap_or_default();
    report::report(&kiosk_runs, &chromium_runs, xvfb_before, xvfb_after);
    Ok(())
}

const FONT: &str = "assets/fonts/NotoSansSC-Kiosk.otf";

/// The binary measured must be laid out as the release build lays it out (build.rs): its symbol
/// names must be those of assets/link-order.txt. They are not if `cargo bench` built the kiosk
/// with other dependency features than `cargo build --release` (Cargo.toml pins them), or if the
/// order is stale (bench/footprint/link_order.py writes it again).
fn link_order() -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/link-order.txt");
    let order = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let nm = Command::new("nm")
        .args(["--defined-only", KIOSK])
        .output()
        .map_err(|e| format!("nm: {e}"))?;
    let names: std::collections::HashSet<&str> = std::str::from_utf8(&nm.stdout)
        .map_err(|e| e.to_string())?
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let listed: Vec<&str> = order.lines().filter(|l| !l.is_empty()).collect();
    let found = listed.iter().filter(|n| names.contains(*n)).count();
    println!(
        "  link order: {found} of {} names of assets/link-order.txt are in the binary",
        listed.len()
    );
    if found * 10 < listed.len() * 9 {
        return Err(format!(
            "only {found} of {} names of the link order are in {KIOSK}: it is not laid out as \
             the release build (dependency features differ, or the order is stale: run \
             bench/footprint/link_order.py)",
            listed.len()
        ));
    }
    Ok(())
}

/// Starts the kiosk, times exec → first frame, taps "browse openings", reads its memory.
fn kiosk_run(
    xvfb: &x::Xvfb,
    data_dir: &Path,
    work: &Path,
    shot: Option<&Path>,
) -> Result<Run, String> {
    wait_black(xvfb)?;
    let log = std::fs::File::create(work.join("kiosk.log")).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(KIOSK)
        .arg("--data-dir")
        .arg(data_dir)
        .env("DISPLAY", &xvfb.display)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("{KIOSK}: {e}"))?;
    let result = kiosk_measure(xvfb, &mut child, start, shot);
    procs::end_tree(&mut child);
    result.map_err(|e| format!("{e} (kiosk log: {})", work.join("kiosk.log").display()))
}

fn kiosk_measure(
    xvfb: &x::Xvfb,
    child: &mut Child,
    start: Instant,
    shot: Option<&Path>,
) -> Result<Run, String> {
    let first = xvfb
        .wait_first_frame(Duration::from_secs(60))
        .ok_or("the kiosk drew no frame in 60 s")?;
    let startup = first - start;
    // The unlock page: its field, the passphrase, Return; then the home page.
    let locked = xvfb.screen_hash();
    xvfb.tap(PASSPHRASE_FIELD.0, PASSPHRASE_FIELD.1)?;
    xvfb.type_line(PASSPHRASE)?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while xvfb.screen_hash() == locked {
        if Instant::now() > deadline {
            return Err("typing the passphrase did not unlock the kiosk".to_string());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(SETTLE);
    let home = xvfb.screen_hash();
    xvfb.tap(BROWSE.0, BROWSE.1)?;
    std::thread::sleep(SETTLE);
    if xvfb.screen_hash() == home {
        return Err("tapping \"browse openings\" did not change the screen".to_string());
    }
    let mem = still_running(child)?;
    if let Some(path) = shot {
        xvfb.screenshot(path)?;
        println!(
            "  screenshot of the kiosk's openings page: {}",
            path.display()
        );
    }
    Ok(Run {
        startup,
        mem,
        processes: 1,
    })
}

fn still_running(child: &mut Child) -> Result<Mem, String> {
    if let Ok(Some(status)) = child.try_wait() {
        return Err(format!("the kiosk exited: {status}"));
    }
    procs::mem(child.id()).ok_or_else(|| "cannot read the kiosk's /proc files".to_string())
}

/// Waits until the previous window has gone (the screen is back to the black root).
fn wait_black(xvfb: &x::Xvfb) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while xvfb.top_colours() > 1 {
        if Instant::now() > deadline {
            return Err("the screen did not clear in 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Starts Chromium on the page with a fresh profile; exec → the page's report that it has
/// loaded, its fonts are ready and two animation frames have passed; then its memory.
fn chromium_run(
    server: &page::Server,
    url: &str,
    profile: &Path,
    work: &Path,
) -> Result<Run, String> {
    server.drain();
    let log = std::fs::File::create(work.join("chromium.log")).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new("chromium")
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .env_remove("DISPLAY")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("chromium: {e} (apt-get install -y chromium)"))?;
    let result = chromium_measure(server, &mut child, start);
    procs::end_tree(&mut child);
    let _ = std::fs::remove_dir_all(profile);
    result.map_err(|e| {
        format!(
            "{e} (chromium log: {})",
            work.join("chromium.log").display()
        )
    })
}

fn chromium_measure(
    server: &page::Server,
    child: &mut Child,
    start: Instant,
) -> Result<Run, String> {
    let drawn = server
        .wait_drawn(Duration::from_secs(60))
        .ok_or("Chromium did not report the page drawn in 60 s")?;
    if drawn.cards != OPENINGS {
        return Err(format!("the page reported {} cards", drawn.cards));
    }
    let startup = drawn.at - start;
    std::thread::sleep(SETTLE);
    if let Ok(Some(status)) = child.try_wait() {
        return Err(format!("Chromium exited: {status}"));
    }
    let (mem, processes) = procs::tree_mem(child.id());
    Ok(Run {
        startup,
        mem,
        processes,
    })
}

fn chromium_version() -> String {
    Command::new("chromium")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|e| format!("not found ({e})"))
}

/// `$KIOSK_BENCH_DIR`, else `target/bench-tmp` (the project's own disk).
fn bench_dir() -> PathBuf {
    let dir = std::env::var_os("KIOSK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp"));
    let _ = std::fs::create_dir_all(&dir);
    dir
}
