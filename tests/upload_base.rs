//! Upload to a real base on 127.0.0.1: sign-ups from two kiosks, resends, a
//! conflict, nothing deleted locally, and the openings pull.

mod common;

use common::{draft, phone};
use jobfair_base::seal_key::{BaseSealKeys, SEAL_KEY_FILE};
use jobfair_base::{self as base, BaseHandle, BaseServer};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::config::Config;
use jobfair_kiosk::store::{Store, fairs, outbox};
use jobfair_kiosk::sync::{
    Error, Failure, HttpTransport, LastResult, Pulled, SyncSettings, Tally, Timeouts,
    TransportError, Worker, pull_openings, upload_pending,
};
use std::path::Path;
use std::time::{Duration, Instant};

/// A kiosk named `name` in `dir` with `n` sign-ups numbered from `first`, sealed to the
/// base's key `base_key` (hex) as well as to the staff.
fn kiosk_with_signups(dir: &Path, name: &str, first: u32, n: u32, base_key: Option<&str>) -> Kiosk {
    if let Some(key) = base_key {
        let mut config = Config::load_file(dir).unwrap();
        config.base_seal_key = Some(key.to_string());
        config.save(dir).unwrap();
    }
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: dir.to_path_buf(),
        kiosk_id: Some(name.into()),
    })
    .unwrap();
    common::unlock(&mut kiosk);
    for i in first..first + n {
        let d = draft(&kiosk, i);
        kiosk.register(&d).unwrap();
    }
    kiosk
}

fn transport(base: &BaseHandle, token: &str) -> HttpTransport {
    HttpTransport::new(&base.url(), token, Timeouts::default()).unwrap()
}

fn upload(dir: &Path, t: &HttpTransport) -> Tally {
    let mut store = Store::open(dir).unwrap();
    let pass = upload_pending(&mut store, t, 500, |_| true);
    assert!(pass.failure.is_none(), "{:?}", pass.failure);
    pass.tally
}

fn base_records(base_dir: &Path) -> i64 {
    let conn = base::db::open(base_dir).unwrap();
    conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap()
}

fn outbox_rows(dir: &Path) -> i64 {
    let store = Store::open(dir).unwrap();
    store
        .conn()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap()
}

/// Sets every outbox row of `dir` back to pending, as if the acks had been lost.
fn forget_acks(dir: &Path) {
    let store = Store::open(dir).unwrap();
    store
        .conn()
        .execute(
            "UPDATE outbox SET state = 'pending', outcome = NULL, sent_at = NULL",
            [],
        )
        .unwrap();
}

struct Setup {
    base_dir: tempfile::TempDir,
    base: BaseHandle,
    /// The base's sealing key, public half (hex): the kiosks seal to it.
    seal_public: String,
}

/// A base with these kiosks and the demo fair published (it takes records only for
/// fairs it publishes).
fn base_with(kiosks: &[&str]) -> (Setup, Vec<String>) {
    let (s, tokens) = base_without_fair(kiosks);
    common::publish_demo_fair(s.base_dir.path());
    (s, tokens)
}

fn base_without_fair(kiosks: &[&str]) -> (Setup, Vec<String>) {
    let base_dir = tempfile::tempdir().unwrap();
    let tokens = kiosks
        .iter()
        .map(|k| base::add_kiosk(base_dir.path(), k).unwrap())
        .collect();
    let keys = BaseSealKeys::init(&base_dir.path().join(SEAL_KEY_FILE)).unwrap();
    let base = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let seal_public = keys.public().to_hex();
    (
        Setup {
            base_dir,
            base,
            seal_public,
        },
        tokens,
    )
}

#[test]
fn signups_from_two_kiosks_are_counted_once_and_resends_are_duplicates() {
    let (s, tokens) = base_with(&["kiosk-a", "kiosk-b"]);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    kiosk_with_signups(a.path(), "kiosk-a", 1, 3, Some(&s.seal_public));
    kiosk_with_signups(b.path(), "kiosk-b", 100, 2, Some(&s.seal_public));

    assert_eq!(
        upload(a.path(), &transport(&s.base, &tokens[0])).accepted,
        3
    );
    assert_eq!(
        upload(b.path(), &transport(&s.base, &tokens[1])).accepted,
        2
    );
    assert_eq!(base_records(s.base_dir.path()), 5);
    // The kiosk sent its numbers sealed; the base opened them and holds them whole.
    let conn = base::db::open(s.base_dir.path()).unwrap();
    let payloads: Vec<String> = conn
        .prepare("SELECT payload FROM records ORDER BY payload")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for n in [1, 2, 3, 100, 101] {
        let whole = phone(n);
        assert_eq!(
            payloads
                .iter()
                .filter(|p| p.contains(whole.as_str()))
                .count(),
            1,
            "phone {n} whole on the base"
        );
    }
    let sent = Store::open(a.path()).unwrap();
    let outbox_text: String = sent
        .conn()
        .query_row("SELECT group_concat(payload) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert!(
        !outbox_text.contains(phone(1).as_str()),
        "sealed in the kiosk's outbox"
    );
    assert!(outbox_text.contains(&phone(1).masked()));
    drop(sent);

    forget_acks(a.path());
    let again = upload(a.path(), &transport(&s.base, &tokens[0]));
    assert_eq!((again.accepted, again.duplicate), (0, 3));
    assert_eq!(base_records(s.base_dir.path()), 5);

    let counts = outbox::counts(Store::open(a.path()).unwrap().conn()).unwrap();
    assert_eq!((counts.sent, counts.pending, counts.parked), (3, 0, 0));
    assert_eq!(outbox_rows(a.path()), 3, "sent rows are kept");
}

/// A kiosk that did not know the base's key seals to the staff only: the base cannot open
/// those sign-ups and the kiosk keeps them pending (never parked). Once the staff set
/// `base_seal_key`, the next unlock seals them again and they go in.
#[test]
fn sign_ups_sealed_before_the_base_key_was_known_wait_and_go_in_after_the_next_unlock() {
    let (s, tokens) = base_with(&["kiosk-a"]);
    let a = tempfile::tempdir().unwrap();
    drop(kiosk_with_signups(a.path(), "kiosk-a", 1, 2, None));
    let held = upload(a.path(), &transport(&s.base, &tokens[0]));
    assert_eq!((held.accepted, held.held), (0, 2));
    assert_eq!(base_records(s.base_dir.path()), 0);
    let waiting = outbox::waiting(Store::open(a.path()).unwrap().conn(), 10).unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!(
        outbox::reason_code(&waiting[0].reason),
        Some("cannot_unseal")
    );

    let mut config = Config::load_file(a.path()).unwrap();
    config.base_seal_key = Some(s.seal_public.clone());
    config.save(a.path()).unwrap();
    let mut kiosk = Kiosk::open(&KioskOptions::new(a.path())).unwrap();
    let done = kiosk
        .unlock(common::PASSPHRASE)
        .expect("the staff passphrase unlocks");
    assert_eq!((done.resealed_signups, done.sealed_records), (2, 2));
    drop(kiosk);
    let now = upload(a.path(), &transport(&s.base, &tokens[0]));
    assert_eq!(now.accepted, 2);
    assert_eq!(base_records(s.base_dir.path()), 2);
}

#[test]
fn a_conflict_is_parked_with_its_reason_and_listed_for_staff() {
    let (s, tokens) = base_with(&["kiosk-a"]);
    let a = tempfile::tempdir().unwrap();
    kiosk_with_signups(a.path(), "kiosk-a", 1, 2, Some(&s.seal_public));
    let t = transport(&s.base, &tokens[0]);
    upload(a.path(), &t);

    let store = Store::open(a.path()).unwrap();
    let (id, payload): (String, String) = store
        .conn()
        .query_row(
            "SELECT id, payload FROM outbox ORDER BY seq LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let forged = payload.replace("测试村民", "另一个人");
    assert_ne!(forged, payload);
    store
        .conn()
        .execute(
            "UPDATE outbox SET payload = ?2, sha256 = ?3, state = 'pending' WHERE id = ?1",
            rusqlite::params![id, forged, outbox::payload_sha256(&forged)],
        )
        .unwrap();

    let tally = upload(a.path(), &t);
    assert_eq!((tally.conflict, tally.total()), (1, 1));
    let parked = outbox::parked(store.conn(), 10).unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].id, id);
    assert_eq!(parked[0].outcome, outbox::Outcome::Conflict);
    assert!(!parked[0].reason.is_empty(), "the base's reason is kept");
    assert_eq!(outbox_rows(a.path()), 2, "the parked row is kept");
    assert_eq!(
        base_records(s.base_dir.path()),
        2,
        "the base keeps the first version"
    );
}

#[test]
fn the_worker_uploads_in_the_background_and_publishes_its_status() {
    let (s, tokens) = base_with(&["kiosk-a"]);
    let a = tempfile::tempdir().unwrap();
    kiosk_with_signups(a.path(), "kiosk-a", 1, 4, Some(&s.seal_public));
    let settings = SyncSettings {
        base_url: Some(s.base.url()),
        token: Some(tokens[0].clone()),
        batch: 3,
        ..SyncSettings::default()
    };
    let worker = Worker::new(a.path(), settings).start();
    let status = wait_for(|| Some(worker.status()).filter(|st| st.sent == 4));
    assert_eq!((status.pending, status.parked), (0, 0));
    assert_eq!(status.base_reachable, Some(true));
    assert!(status.configured && status.last_attempt.is_some());
    worker.shutdown();
    assert_eq!(base_records(s.base_dir.path()), 4);
}

#[test]
fn upload_now_retries_at_once_instead_of_waiting_out_the_backoff() {
    let (s, tokens) = base_with(&["kiosk-a"]);
    let (addr, url) = (s.base.addr(), s.base.url());
    s.base.kill().unwrap();
    let a = tempfile::tempdir().unwrap();
    kiosk_with_signups(a.path(), "kiosk-a", 1, 2, Some(&s.seal_public));
    let settings = SyncSettings {
        base_url: Some(url),
        token: Some(tokens[0].clone()),
        backoff_first: Duration::from_secs(3600),
        backoff_cap: Duration::from_secs(3600),
        ..SyncSettings::default()
    };
    let worker = Worker::new(a.path(), settings).start();
    let down = wait_for(|| Some(worker.status()).filter(|st| st.failures_in_row == 1));
    assert_eq!(down.base_reachable, Some(false));
    assert!(matches!(
        down.last_result,
        Some(LastResult::Failed {
            failure: Failure::Unreachable,
            ..
        })
    ));

    let _base = BaseServer::spawn(addr, s.base_dir.path()).unwrap();
    worker.upload_now();
    // The round's end (not the upload's progress, published before it) resets the count.
    let up =
        wait_for(|| Some(worker.status()).filter(|st| st.sent == 2 && st.failures_in_row == 0));
    assert_eq!((up.failures_in_row, up.base_reachable), (0, Some(true)));
    worker.shutdown();
}

#[test]
fn a_worker_without_a_base_says_so_and_sends_nothing() {
    let a = tempfile::tempdir().unwrap();
    kiosk_with_signups(a.path(), "kiosk-a", 1, 1, None);
    let worker = Worker::new(a.path(), SyncSettings::default()).start();
    let status = wait_for(|| Some(worker.status()).filter(|st| st.last_result.is_some()));
    assert!(!status.configured);
    assert_eq!(status.pending, 1);
    worker.shutdown();
}

#[test]
fn openings_pull_applies_a_newer_fair_and_keeps_the_last_good_one() {
    let (s, tokens) = base_without_fair(&["kiosk-a"]);
    let a = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_signups(a.path(), "kiosk-a", 1, 0, Some(&s.seal_public));
    let mut newer = kiosk.fair().clone();
    newer.openings.truncate(5);
    newer.openings[0].headcount = 777;
    // The departures travel inside the fair document (issue 16).
    newer.departures[0].seats = 44;
    base::publish_fair(s.base_dir.path(), &serde_json::to_string(&newer).unwrap()).unwrap();
    drop(kiosk);

    let mut store = Store::open(a.path()).unwrap();
    let t = transport(&s.base, &tokens[0]);
    let pulled = pull_openings(&mut store, &t).unwrap();
    assert!(matches!(
        pulled,
        Pulled::Applied {
            revision: 1,
            openings: 5,
            ..
        }
    ));
    assert_eq!(fairs::current(store.conn()).unwrap().unwrap(), newer);
    assert!(matches!(
        pull_openings(&mut store, &t).unwrap(),
        Pulled::Unchanged { revision: 1, .. }
    ));
    let reopened = Kiosk::open(&KioskOptions::new(a.path())).unwrap();
    assert_eq!(reopened.fair().openings[0].headcount, 777);
    assert_eq!(reopened.fair().departures[0].seats, 44);
    assert_eq!(reopened.fair().departures.len(), 11);

    // A broken file on the base changes nothing.
    let conn = base::db::open(s.base_dir.path()).unwrap();
    let broken = serde_json::to_string(&newer).unwrap().replace("777", "0");
    conn.execute("UPDATE fairs SET doc = ?1, revision = 2", [broken])
        .unwrap();
    assert!(matches!(
        pull_openings(&mut store, &t),
        Err(Error::BadFair(_))
    ));
    assert_eq!(fairs::current(store.conn()).unwrap().unwrap(), newer);

    // The base down changes nothing either.
    s.base.kill().unwrap();
    assert!(matches!(
        pull_openings(&mut store, &t),
        Err(Error::Transport(TransportError::Unreachable(_)))
    ));
    assert_eq!(fairs::current(store.conn()).unwrap().unwrap(), newer);
}

#[test]
fn the_upload_command_prints_the_counts_and_fails_when_the_base_is_down() {
    let (s, tokens) = base_with(&["kiosk-a"]);
    let a = tempfile::tempdir().unwrap();
    kiosk_with_signups(a.path(), "kiosk-a", 1, 2, Some(&s.seal_public));
    let run = |url: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
            .args(["--data-dir", a.path().to_str().unwrap(), "upload"])
            .args(["--base", url, "--token", &tokens[0]])
            .output()
            .unwrap()
    };
    let ok = run(&s.base.url());
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout.contains("accepted 2, duplicate 0, conflict 0, rejected 0"),
        "{stdout}"
    );

    let url = s.base.url();
    s.base.kill().unwrap();
    forget_acks(a.path());
    let down = run(&url);
    assert!(!down.status.success());
    assert!(String::from_utf8_lossy(&down.stderr).contains("unreachable"));
    assert_eq!(
        outbox::pending_count(Store::open(a.path()).unwrap().conn()).unwrap(),
        2
    );
}

/// Polls `f` until it gives a value (the worker runs on its own thread).
fn wait_for<T>(f: impl Fn() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "gave up waiting for the worker");
        std::thread::sleep(Duration::from_millis(20));
    }
}
