//! Boarding scan to "boarded" on screen (issue 16), timed from outside like a person at the bus
//! door would see it.
//!
//! ```text
//! cargo build --release && cargo bench --bench boarding
//! ```
//!
//! The set-up is real: a registration kiosk (the embedded demo fair) signs up `N` synthetic
//! villagers and seats them on the bus `bus-gaozeng-1`, writes a boarding kit, and a second data
//! dir is set up from that kit (`install_kit`, as `fair install` does). Their signed tickets go
//! to a file. Then `bench/boarding_scan.py` starts the release binary on the boarding device's
//! data dir in a private Xvfb, taps the bus's Boarding button, and types each ticket as a
//! keyboard-wedge scanner does (XTest key events, 5 ms apart) followed by Enter. The time from the
//! Enter key's flush to the first changed pixel of the screen is one sample. After the run the
//! device's database must hold exactly the `N` boardings. See bench/README.md.
//!
//! Without `--bench` on the command line (as under `cargo test --benches`) it only does the
//! set-up with 3 villagers and checks the kit installs: no window, no figures.
//! `-- --setup-only DIR` sets up 5 villagers into DIR and keeps it (to look at the device:
//! `target/release/jobfair-kiosk --data-dir DIR/device`).

use chrono::NaiveDate;
use jobfair_kiosk::app::kit::{KitRole, install_kit};
use jobfair_kiosk::app::transport::Source;
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::domain::phone::Phone;
use jobfair_kiosk::domain::registration::{Consent, Draft, HomePlace};
use jobfair_kiosk::domain::resident_id::synthesize;
use std::path::{Path, PathBuf};
use std::process::Command;

const BUS: &str = "bus-gaozeng-1";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--setup-only DIR`: the set-up into DIR (kept), for looking at the device by hand.
    if let Some(i) = args.iter().position(|a| a == "--setup-only") {
        let dir = PathBuf::from(args.get(i + 1).expect("--setup-only DIR"));
        let (device, tickets) = setup(&dir, 5);
        println!(
            "device: {}\ntickets: {}",
            device.display(),
            tickets.display()
        );
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let villagers = if full { 50 } else { 3 };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&root).expect("create target/bench-tmp");
    let dir = tempfile::Builder::new()
        .prefix("boarding-")
        .tempdir_in(&root)
        .expect("temp dir");
    let (device, tickets) = setup(dir.path(), villagers);
    println!(
        "boarding: {villagers} villagers seated on {BUS}, boarding device set up from its kit"
    );
    if !full {
        return;
    }
    let binary = std::env::var_os("JOBFAIR_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/jobfair-kiosk")
        });
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --release` first",
        binary.display()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/boarding_scan.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg("--binary")
        .arg(&binary)
        .arg("--data-dir")
        .arg(&device)
        .arg("--tickets")
        .arg(&tickets)
        .args(
            std::env::var_os("BOARDING_SHOTS")
                .map(|d| vec!["--shots".into(), d])
                .unwrap_or_default(),
        )
        .status()
        .expect("run python3 bench/boarding_scan.py");
    assert!(status.success(), "bench/boarding_scan.py failed: {status}");
}

/// The registration kiosk signs up and seats `n` villagers and writes the boarding kit; the
/// boarding device is set up from it. Returns the device's data dir and the tickets' file.
fn setup(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let kiosk_dir = dir.join("kiosk");
    let device = dir.join("device");
    let kit = dir.join("boarding-kit.json");
    let tickets_file = dir.join("tickets.txt");
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: kiosk_dir,
        kiosk_id: Some("kiosk-bench0001".into()),
    })
    .expect("open the registration kiosk");
    let mut tickets = String::new();
    for i in 0..n {
        let issued = kiosk.register(&draft(&kiosk, i)).expect("register");
        kiosk
            .request_seat(issued.registration_id, BUS, None, Source::Kiosk)
            .expect("seat on the bus");
        tickets.push_str(&issued.ticket);
        tickets.push('\n');
    }
    kiosk
        .write_kit(KitRole::Boarding, &kit)
        .expect("write the boarding kit");
    std::fs::create_dir_all(&device).expect("device dir");
    install_kit(&device, &kit).expect("install the boarding kit");
    std::fs::write(&tickets_file, tickets).expect("write the tickets");
    (device, tickets_file)
}

/// A distinct synthetic villager (phone 1390000xxxx, resident ID on region 520000, never issued).
fn draft(kiosk: &Kiosk, n: usize) -> Draft {
    let fair = &kiosk.fair().fair;
    let birth = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Days::new(37 * n as u64);
    let openings = kiosk.fair().openings.iter().take(2).map(|o| o.id).collect();
    Draft {
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        phone: Phone::parse(&format!("1390000{:04}", n)).expect("synthetic phone"),
        resident_id: Some(synthesize("520000", birth, (n % 1000) as u16)),
        name: format!("测试{}", ["小明", "桂花", "建国", "春燕", "志强"][n % 5]),
        home: HomePlace {
            county: fair.county.clone(),
            township: fair.township.clone(),
            village: fair.village.clone(),
        },
        openings,
    }
}
