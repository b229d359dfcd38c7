//! The lying network, run long: while a kiosk registers thousands of sign-ups, its
//! upload worker sends them through a proxy that picks a fault at random (seeded)
//! for each batch: 500s, resets, stalls past the timeout, a hotspot's login page,
//! lost answers, the base killed mid-batch and restarted. Then the network is put
//! right, and every record must be on the base exactly once.
//!
//! Ignored in `cargo test` (it runs for minutes); `bench/lying_network.sh` runs it:
//! `LYING_NETWORK_SECS` (default 300), `LYING_NETWORK_RECORDS` (default 3000),
//! `LYING_NETWORK_SEED` (printed; replays the same fault sequence for the same
//! request sequence). The results of a run are in `bench/reliability.md`.

mod common;
#[path = "common/fault_proxy.rs"]
mod fault_proxy;
#[path = "common/rng.rs"]
mod rng;

use fault_proxy::{Fault, Proxy};
use jobfair_base::{self as base, BaseServer};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::store::Store;
use jobfair_kiosk::sync::{SyncSettings, Timeouts, Worker};
use rng::Rng;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map_or(default, |v| v.parse().expect("a number"))
}

/// A seeded random fault; `Pass` once the network is put right.
fn picker(seed: u64, lying: Arc<AtomicBool>) -> fault_proxy::Picker {
    let mut rng = Rng::new(seed);
    Box::new(move |base_up| {
        if !lying.load(Ordering::SeqCst) {
            return Fault::Pass;
        }
        if !base_up && rng.chance(50) {
            return Fault::RestartBase;
        }
        match rng.range(0, 99) {
            0..=49 => Fault::Pass,
            50..=58 => Fault::Status500,
            59..=67 => Fault::Reset,
            68..=70 => Fault::Stall,
            71..=79 => Fault::LoginPage,
            80..=91 => Fault::LoseAnswer,
            _ => Fault::KillBase,
        }
    })
}

fn ids(conn: &rusqlite::Connection, sql: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
#[ignore = "minutes long: run bench/lying_network.sh"]
fn a_long_random_lying_network_still_delivers_every_record_exactly_once() {
    let secs = env_u64("LYING_NETWORK_SECS", 300);
    let records = env_u64("LYING_NETWORK_RECORDS", 3000) as u32;
    let seed = Rng::seed_from_env("LYING_NETWORK_SEED");
    println!("lying_network: seed {seed}, {secs} s, {records} records");
    let started = Instant::now();

    let base_dir = tempfile::tempdir().unwrap();
    let token = base::add_kiosk(base_dir.path(), "kiosk-lying").unwrap();
    common::publish_demo_fair(base_dir.path());
    let base = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let lying = Arc::new(AtomicBool::new(true));
    let (proxy, url) = Proxy::start(
        base,
        Duration::from_secs(4),
        picker(seed, Arc::clone(&lying)),
    );

    let kiosk_dir = tempfile::tempdir().unwrap();
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: kiosk_dir.path().to_path_buf(),
        kiosk_id: Some("kiosk-lying".into()),
    })
    .unwrap();
    common::unlock(&mut kiosk);
    let settings = SyncSettings {
        base_url: Some(url),
        token: Some(token),
        batch: 50,
        timeouts: Timeouts {
            connect: Duration::from_secs(1),
            request: Duration::from_secs(3),
        },
        backoff_first: Duration::from_millis(20),
        backoff_cap: Duration::from_millis(500),
        idle_poll: Duration::from_millis(50),
        ..SyncSettings::default()
    };
    let worker = Worker::new(kiosk_dir.path(), settings).start();

    // Sign-ups spread over the run, so uploads and faults interleave with them.
    let run = Duration::from_secs(secs);
    for n in 0..records {
        kiosk.register(&common::draft(&kiosk, n)).unwrap();
        let due = run.mul_f64(f64::from(n + 1) / f64::from(records));
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
    }
    while started.elapsed() < run {
        std::thread::sleep(Duration::from_millis(100));
    }
    let lying_for = started.elapsed();
    let faulted = proxy.seen.lock().unwrap().len();

    // The network is put right: everything must drain.
    lying.store(false, Ordering::SeqCst);
    proxy.ensure_base_up();
    worker.upload_now();
    let total = u64::from(records);
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let st = worker.status();
        if st.sent == total && st.pending == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "seed {seed}: stuck at {st:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = worker.status();
    worker.shutdown();
    drop(kiosk);
    proxy.shutdown_base();

    let store = Store::open(kiosk_dir.path()).unwrap();
    let local = ids(store.conn(), "SELECT id FROM outbox");
    let base_conn = base::db::open(base_dir.path()).unwrap();
    let on_base = ids(&base_conn, "SELECT id FROM records");
    let count = |conn: &rusqlite::Connection, sql: &str| -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let rows = count(&base_conn, "SELECT count(*) FROM records");
    let conflicts = count(&base_conn, "SELECT count(*) FROM conflicts");
    let duplicates = count(
        store.conn(),
        "SELECT count(*) FROM outbox WHERE outcome = 'duplicate'",
    );
    assert_eq!(
        local.len() as u64,
        total,
        "seed {seed}: one outbox row each"
    );
    assert_eq!(on_base, local, "seed {seed}: every record on the base");
    assert_eq!(
        (rows, conflicts, status.parked),
        (i64::from(records), 0, 0),
        "seed {seed}: exactly once, no conflict, nothing parked"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");

    let tally = proxy.tally();
    let lies: u64 = tally
        .iter()
        .filter(|(f, _)| **f != Fault::Pass)
        .map(|(_, n)| n)
        .sum();
    assert!(lies > 0, "seed {seed}: no fault was injected");
    println!("lying_network: RESULT seed {seed}");
    println!("  records registered and uploaded: {records}");
    println!(
        "  lying for {:.1} s, drained after {:.1} s, total {:.1} s",
        lying_for.as_secs_f64(),
        (started.elapsed() - lying_for).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "  record requests while lying: {faulted}; faults injected: {lies}; all requests: {}",
        tally.values().sum::<u64>()
    );
    for (fault, n) in &tally {
        println!("    {fault:?}: {n}");
    }
    println!("  answered duplicate (resent after a lost answer or a kill): {duplicates}");
    println!(
        "  base rows {rows}, distinct ids {}, conflicts {conflicts}, parked {}: exactly once",
        on_base.len(),
        status.parked
    );
}
