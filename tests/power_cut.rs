//! The kill test: a child process registers sign-ups as fast as it can and prints
//! each id only after `register` returned; the parent kills it (SIGKILL) at a
//! random moment, 50 times in the same data dir. Every acknowledged sign-up must be
//! in the store, the file must pass `PRAGMA integrity_check`, and every sign-up must
//! have its outbox row (and no outbox row may lack its sign-up).
//!
//! The moments are random but seeded: the seed is printed and named in every
//! failure message; `POWER_CUT_SEED=<n> cargo test --test power_cut` replays a run.

mod common;
#[path = "common/rng.rs"]
mod rng;

use jobfair_kiosk::store::{Store, registrations};
use rng::Rng;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

/// Kill rounds, each in the same data dir (so later rounds reopen killed files).
const ROUNDS: u64 = 50;
/// Most acknowledgements read before a kill; 0 kills the child while it opens the store.
const MAX_ACKS: u64 = 12;
/// Longest wait after the last read acknowledgement, so the kill lands anywhere in
/// the next sign-up: building it, signing the ticket, or mid-commit.
const MAX_DELAY_MS: u64 = 20;
/// Villager numbers per round: the child numbers phones and IDs from its `--start`.
const NUMBERS_PER_ROUND: u64 = 10_000;

fn spawn_child(dir: &std::path::Path, round: u64) -> Child {
    common::ensure_keyring(dir);
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(dir)
        .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .args(["dev", "register-loop", "--start"])
        .arg((round * NUMBERS_PER_ROUND).to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts")
}

/// Checks the store after a kill; `acknowledged` is every id printed so far.
fn check_store(dir: &std::path::Path, acknowledged: &[Uuid], ctx: &str) {
    let store = Store::open(dir).unwrap_or_else(|e| panic!("{ctx}: store reopens: {e}"));
    assert_eq!(store.integrity_check().unwrap(), "ok", "{ctx}");
    for id in acknowledged {
        assert!(
            registrations::get(store.conn(), *id).unwrap().is_some(),
            "{ctx}: acknowledged sign-up {id} is missing"
        );
    }
    // The sign-up and its upload record are one transaction: neither without the other.
    let (without_outbox, without_sign_up): (i64, i64) = store
        .conn()
        .query_row(
            "SELECT
               (SELECT count(*) FROM registrations r WHERE NOT EXISTS
                  (SELECT 1 FROM outbox o WHERE o.kind = 'registration'
                     AND json_extract(o.payload, '$.registration_id') = r.id)),
               (SELECT count(*) FROM outbox o WHERE o.kind = 'registration' AND NOT EXISTS
                  (SELECT 1 FROM registrations r
                     WHERE r.id = json_extract(o.payload, '$.registration_id')))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (without_outbox, without_sign_up),
        (0, 0),
        "{ctx}: (sign-ups without outbox row, outbox rows without sign-up)"
    );
}

#[test]
fn every_acknowledged_sign_up_survives_fifty_kills_at_random_moments() {
    let seed = Rng::seed_from_env("POWER_CUT_SEED");
    println!("power_cut: seed {seed} (POWER_CUT_SEED={seed} replays this run)");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = Vec::new();
    for round in 0..ROUNDS {
        let acks = if rng.chance(10) {
            0
        } else {
            rng.range(1, MAX_ACKS)
        };
        let delay = Duration::from_millis(rng.range(0, MAX_DELAY_MS));
        let ctx = format!("seed {seed}, round {round} ({acks} acks, then {delay:?})");
        let mut child = spawn_child(dir.path(), round);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for _ in 0..acks {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("{ctx}: the child stopped acknowledging"))
                .unwrap();
            acknowledged.push(Uuid::parse_str(&line).expect("a registration id"));
        }
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on unix
        // Ids already in the pipe were acknowledged too; a torn last line is not.
        for line in lines.map_while(Result::ok) {
            if let Ok(id) = Uuid::parse_str(&line) {
                acknowledged.push(id);
            }
        }
        let status = child.wait().unwrap();
        // Killed by the signal, not exited on its own (an error would exit with 1).
        assert!(status.code().is_none(), "{ctx}: the child exited: {status}");
        check_store(dir.path(), &acknowledged, &ctx);
    }
    assert!(
        acknowledged.len() as u64 >= ROUNDS,
        "seed {seed}: only {} sign-ups acknowledged in {ROUNDS} rounds",
        acknowledged.len()
    );
    println!(
        "power_cut: {ROUNDS} kills, {} acknowledged sign-ups, all present",
        acknowledged.len()
    );
}
