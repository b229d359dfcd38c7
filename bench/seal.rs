//! `seal` (issue 17): what sealing personal numbers costs.
//!
//! - unlock at the start of day: argon2id with the keyring's default costs (7 MiB, 5
//!   passes) and the unwrap, on a keyring made by `Keyring::create` (goal ≤ 1 s);
//! - per sign-up: sealing phone + ID to the staff and the base (two sealed boxes) and the
//!   two blind indexes (HMAC-SHA256) — the work a sign-up's commit gains;
//! - opening one staff box (unmasked export, per row).
//!
//! `cargo bench --bench seal` (release) or `cargo bench --profile dev --bench seal`.

use jobfair_kiosk::protocol::sealed::OpenKey;
use jobfair_kiosk::seal::{BlindKind, Kdf, Keyring, Personal, keyring_path};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A line of /proc/self/status in KiB ("VmHWM": peak RSS, "VmRSS": RSS now).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn peak_rss_kib() -> u64 {
    status_kib("VmHWM")
}

fn rss_kib() -> u64 {
    status_kib("VmRSS")
}

/// A staff PIN check (the staff panel; a booth's login takes the same path): RSS before the
/// first and after each of 5 checks, and the time of one.
fn pin_checks() {
    use jobfair_kiosk::app::{Kiosk, KioskOptions, PinCheck, set_staff_pin};
    let dir = tempfile::tempdir().expect("temp dir");
    set_staff_pin(dir.path(), "2468").expect("set pin");
    let mut kiosk = Kiosk::open(&KioskOptions::new(dir.path())).expect("open");
    let before = rss_kib();
    let mut after = Vec::new();
    let mut took = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        assert_eq!(kiosk.verify_staff_pin("2468").expect("check"), PinCheck::Ok);
        took.push(t.elapsed());
        after.push(rss_kib());
    }
    println!(
        "seal: PIN check (argon2id {} KiB, {} passes): median {:?}; RSS {before} KiB before, after each of 5: {after:?} KiB",
        Kdf::MEMORY_KIB,
        Kdf::ITERATIONS,
        median(took),
    );
}

fn main() {
    pin_checks();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = keyring_path(dir.path());
    let pass = "山里的杜鹃花开了 2026";
    let before = peak_rss_kib();
    let (keyring, _) = Keyring::create(&path, pass, Kdf::new().expect("kdf")).expect("create");
    eprintln!("  created: peak RSS {} KiB", peak_rss_kib());
    let unlocks: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            black_box(keyring.unlock(pass).expect("unlock"));
            let took = t.elapsed();
            eprintln!("  unlock: {took:?}, peak RSS {} KiB", peak_rss_kib());
            took
        })
        .collect();
    let peak = peak_rss_kib();
    println!(
        "seal: unlock (argon2id {} KiB, {} passes): median {:?}, min {:?}, max {:?}; peak RSS {} KiB -> {} KiB",
        Kdf::MEMORY_KIB,
        Kdf::ITERATIONS,
        median(unlocks.clone()),
        unlocks.iter().min().unwrap(),
        unlocks.iter().max().unwrap(),
        before,
        peak
    );

    let unlocked = keyring.unlock(pass).expect("unlock");
    let base = OpenKey::generate();
    let sealer = keyring.sealer(Some(base.seal_key())).expect("sealer");
    let personal = Personal {
        phone: "13912345678".into(),
        resident_id: Some("52000019840205155X".into()),
    };
    let n = 2000;
    let mut per_sign_up = Vec::with_capacity(n);
    let mut boxes = None;
    for _ in 0..n {
        let t = Instant::now();
        let sealed = sealer.seal(black_box(&personal)).expect("seal");
        black_box(unlocked.blind(BlindKind::Phone, &personal.phone));
        black_box(unlocked.blind(BlindKind::ResidentId, "52000019840205155X"));
        per_sign_up.push(t.elapsed());
        boxes = Some(sealed);
    }
    let boxes = boxes.expect("sealed");
    let mut opens = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        black_box(unlocked.open(&boxes).expect("open"));
        opens.push(t.elapsed());
    }
    let json = serde_json::to_string(&boxes).expect("json");
    println!(
        "seal: per sign-up (2 sealed boxes + 2 blind indexes), {n} runs: median {:?}, p99 {:?}; {} bytes of JSON",
        median(per_sign_up.clone()),
        {
            per_sign_up.sort();
            per_sign_up[n * 99 / 100]
        },
        json.len()
    );
    println!(
        "seal: open one staff box, {n} runs: median {:?}",
        median(opens)
    );
}
