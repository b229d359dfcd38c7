//! The kill test: a child process registers sign-ups as fast as it can and prints
//! each id only after `register` returned; the parent kills it (SIGKILL) right
//! after an acknowledgement. Every acknowledged sign-up must be in the store and
//! the file must pass `PRAGMA integrity_check`.

use jobfair_kiosk::store::{Store, registrations};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use uuid::Uuid;

/// Kill rounds, each in the same data dir (so later rounds reopen killed files).
const ROUNDS: u32 = 5;

#[test]
fn every_acknowledged_sign_up_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = Vec::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["dev", "register-loop", "--start"])
            .arg((round * 1_000_000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let kill_after = 5 + round * 7;
        for _ in 0..kill_after {
            let line = lines.next().expect("the child acknowledges").unwrap();
            acknowledged.push(Uuid::parse_str(&line).expect("a registration id"));
        }
        child.kill().unwrap(); // SIGKILL on unix, mid-way through the next sign-up
        // Ids already in the pipe were acknowledged too; a torn last line is not.
        for line in lines.map_while(Result::ok) {
            if let Ok(id) = Uuid::parse_str(&line) {
                acknowledged.push(id);
            }
        }
        child.wait().unwrap();

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        for id in &acknowledged {
            assert!(
                registrations::get(store.conn(), *id).unwrap().is_some(),
                "round {round}: acknowledged sign-up {id} is missing"
            );
        }
        // Each stored sign-up has its upload record, enqueued in the same transaction.
        let (regs, queued): (i64, i64) = store
            .conn()
            .query_row(
                "SELECT (SELECT count(*) FROM registrations),
                        (SELECT count(DISTINCT json_extract(payload, '$.registration_id'))
                         FROM outbox WHERE kind = 'registration')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            regs, queued,
            "round {round}: a sign-up without its outbox record"
        );
    }
    assert!(acknowledged.len() >= (5..5 + ROUNDS * 7).step_by(7).sum::<u32>() as usize);
}
