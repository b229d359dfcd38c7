//! The kill test for transport: 120 sign-ups, then a child asks a seat on a 53-seat bus for
//! each in turn and boards the seated ones, printing `seat <id>` and `board <id>` only after
//! each call returned; the parent kills it (SIGKILL) at a random moment, 25 times in the
//! same data dir. Every acknowledged seat request and boarding must be in the store, no
//! seat number given twice, nobody boarded without a seat, and the file intact. A last run
//! to the end must leave 53 seated and boarded and 67 on the waitlist.
//!
//! Seeded: `POWER_CUT_SEED=<n> cargo test --test power_cut_transport` replays a run.

mod common;
#[path = "common/rng.rs"]
mod rng;

use jobfair_kiosk::app::transport::Seat;
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use rng::Rng;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

const BUS: &str = "bus-gaozeng-1";
const SEATS: u32 = 53;
const VILLAGERS: u32 = 120;
const ROUNDS: u64 = 25;

fn kiosk_cmd(dir: &Path, args: &[&str]) -> Command {
    common::ensure_keyring(dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    cmd.env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .stderr(Stdio::inherit());
    cmd
}

fn check(dir: &Path, seats: &[Uuid], boarded: &[Uuid], ctx: &str) {
    let kiosk = Kiosk::open(&KioskOptions::new(dir)).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    assert_eq!(kiosk.store().integrity_check().unwrap(), "ok", "{ctx}");
    for id in seats {
        let seat = kiosk.seat_of(*id).unwrap().map(|s| s.seat);
        assert!(
            matches!(&seat, Some(Seat::Assigned { departure, .. } | Seat::Waitlisted { departure, .. }) if departure == BUS),
            "{ctx}: acknowledged seat request of {id} is missing: {seat:?}"
        );
    }
    let no_shows = kiosk.no_shows(BUS).unwrap();
    for id in boarded {
        assert!(
            !no_shows.iter().any(|p| p.registration_id == *id),
            "{ctx}: acknowledged boarding of {id} is missing"
        );
    }
    let status = &kiosk.transport_status().unwrap()[0];
    assert!(status.assigned <= SEATS, "{ctx}: {status:?}");
    assert!(status.boarded <= status.assigned, "{ctx}: {status:?}");
}

#[test]
fn every_acknowledged_seat_and_boarding_survives_kills_at_random_moments() {
    let seed = Rng::seed_from_env("POWER_CUT_SEED");
    println!("power_cut_transport: seed {seed} (POWER_CUT_SEED={seed} replays this run)");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let made = kiosk_cmd(
        dir.path(),
        &["dev", "register-loop", "--count", &VILLAGERS.to_string()],
    )
    .stdout(Stdio::null())
    .status()
    .unwrap();
    assert!(made.success());
    let (mut seats, mut boarded) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let acks = rng.range(0, 8);
        let delay = Duration::from_millis(rng.range(0, 15));
        let ctx = format!("seed {seed}, round {round} ({acks} acks, then {delay:?})");
        let mut child = kiosk_cmd(dir.path(), &["dev", "transport-loop", "--departure", BUS])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut take = |line: &str| match line.split_once(' ') {
            Some(("seat", id)) => seats.push(Uuid::parse_str(id).unwrap()),
            Some(("board", id)) => boarded.push(Uuid::parse_str(id).unwrap()),
            _ => {}
        };
        for _ in 0..acks {
            match lines.next() {
                Some(line) => take(&line.unwrap()),
                None => break,
            }
        }
        std::thread::sleep(delay);
        child.kill().unwrap();
        for line in lines.map_while(Result::ok) {
            take(&line);
        }
        child.wait().unwrap();
        check(dir.path(), &seats, &boarded, &ctx);
    }
    assert!(
        !seats.is_empty() && !boarded.is_empty(),
        "seed {seed}: nothing acknowledged"
    );
    let finished = kiosk_cmd(dir.path(), &["dev", "transport-loop", "--departure", BUS])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(finished.success());
    let kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    let status = &kiosk.transport_status().unwrap()[0];
    assert_eq!(
        (status.assigned, status.waitlisted, status.boarded),
        (SEATS, VILLAGERS - SEATS, SEATS),
        "seed {seed}"
    );
    println!(
        "power_cut_transport: {ROUNDS} kills, {} seats and {} boardings acknowledged, all present",
        seats.len(),
        boarded.len()
    );
}
