//! Running a base: the real binary's graceful stop, its logs, and upgrades of the
//! database from the first base's schema, on both engines.

mod support;

use jobfair_base::store::postgres::PgStore;
use jobfair_base::store::sqlite as sqlite_store;
use jobfair_base::{Database, Engine};
use jobfair_protocol::{RecordStatus as Status, RecordsAck};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use support::*;

on_both_engines!(
    sigterm_during_a_batch_finishes_it_and_the_retry_gets_duplicate,
    the_log_shows_requests_but_no_token_or_personal_data,
    a_schema_1_database_is_migrated_with_its_rows,
    a_database_newer_than_this_build_is_refused,
);

/// `jobfair-base serve` on 127.0.0.1:0 with JSON logs; its address and its log lines.
struct Served {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

fn serve(db: &TestDb) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .args(db.args())
        .args(["--log-format", "json", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, log) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break; // nobody listens: the pipe closes
            }
        }
    });
    let first = log
        .recv_timeout(Duration::from_secs(30))
        .expect("a first log line");
    let line: serde_json::Value = serde_json::from_str(&first).expect("JSON log lines");
    let message = line["message"].as_str().unwrap_or_default();
    let addr = message
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("not listening: {first}"))
        .to_string();
    Served { child, addr, log }
}

impl Served {
    fn term(&self) {
        assert_eq!(
            unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) },
            0
        );
    }

    fn wait(mut self) -> (bool, Vec<String>) {
        let ok = self.child.wait().unwrap().success();
        (ok, self.log.try_iter().collect())
    }
}

impl Drop for Served {
    /// A test that fails half-way leaves no base running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn ack_of(raw: &[u8]) -> RecordsAck {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The kiosk's batch is half sent when the base gets SIGTERM: the base stops taking
/// connections but reads the rest of the batch, stores it and answers it, then exits
/// 0. The kiosk's retry of the same batch, to the restarted base, is all `duplicate`.
fn sigterm_during_a_batch_finishes_it_and_the_retry_gets_duplicate(engine: Engine) {
    let db = TestDb::new(engine);
    let token = db.add_kiosk("k1");
    db.publish_demo_fair();
    let records: Vec<_> = (1..=1000).map(|n| check_in(n, "k1", n)).collect();
    let body = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
    let served = serve(&db);
    let mut s = TcpStream::connect(&served.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "POST /v1/records HTTP/1.1\r\nHost: base\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let half = body.len() / 2;
    s.write_all(&body[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    served.term();
    std::thread::sleep(Duration::from_millis(500));
    // The listener is closed: no new kiosk gets in while the base stops.
    assert!(
        TcpStream::connect(&served.addr).is_err(),
        "still accepting after SIGTERM"
    );
    s.write_all(&body[half..]).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let ack = ack_of(&raw);
    assert_eq!(ack.results.len(), 1000);
    assert!(ack.results.iter().all(|r| r.status == Status::Accepted));
    let (exited_cleanly, log) = served.wait();
    assert!(exited_cleanly, "{log:#?}");
    assert!(
        log.iter()
            .any(|l| l.contains("finishing the requests in flight")),
        "{log:#?}"
    );

    let served = serve(&db);
    let base_url = format!("http://{}", served.addr);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let retry: RecordsAck = reqwest::blocking::Client::new()
        .post(format!("{base_url}/v1/records"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(retry.results.iter().all(|r| r.status == Status::Duplicate));
    served.term();
    assert!(served.wait().0);
    assert_eq!(db.counts().check_ins, 1000, "nothing lost, nothing twice");
}

fn the_log_shows_requests_but_no_token_or_personal_data(engine: Engine) {
    let db = TestDb::new(engine);
    let token = db.add_kiosk("k1");
    db.publish_demo_fair();
    let served = serve(&db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::blocking::Client::new();
    let url = format!("http://{}", served.addr);
    let villager = registration("k1", 7, "2027-02-15T01:00:00Z", &[101]);
    let records = [sign_up(1, "k1", 7, "2027-02-15T01:00:00Z", &[101])];
    for t in [token.as_str(), &wrong(&token)] {
        http.post(format!("{url}/v1/records"))
            .bearer_auth(t)
            .json(&serde_json::json!({ "records": records }))
            .send()
            .unwrap();
    }
    http.get(format!("{url}/v1/openings?fair_id={FAIR}&since=0"))
        .bearer_auth(&token)
        .send()
        .unwrap();
    served.term();
    let (_, log) = served.wait();
    let all = log.join("\n");
    for line in &log {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
    }
    assert!(
        all.contains("\"status\":200") && all.contains("\"status\":401"),
        "{all}"
    );
    assert!(all.contains("\"kiosk\":\"k1\""), "{all}");
    let resident_id = villager.resident_id.unwrap();
    for secret in [
        token.as_str(),
        &wrong(&token),
        &villager.phone,
        &resident_id,
        &villager.name,
        &villager.registration_id,
    ] {
        assert!(!all.contains(secret), "the log holds {secret:?}");
    }
    assert!(!all.contains("since=0"), "no query strings in the log");
}

/// A database at schema 1 — as the first base left it — with its rows, is migrated to
/// the latest schema; every row is kept and the export (which uses the new columns)
/// shows them.
fn a_schema_1_database_is_migrated_with_its_rows(engine: Engine) {
    let db = TestDb::new(engine);
    let sign_up_at = |n: u32, at: &str| {
        let r = registration("k1", 1, at, &[101 + n as u16]);
        record(n, "registration", serde_json::to_string(&r).unwrap())
    };
    let rows = [
        sign_up_at(1, "2027-02-15T01:00:00Z"),
        sign_up_at(2, "2027-02-15T03:00:00Z"),
    ];
    let insert_v1 = "INSERT INTO records (id, kind, kiosk, fair_id, sha256, payload, received_at)
                     VALUES ($1, 'registration', 'k1', $2, $3, $4, 'then')";
    match &db.database {
        Database::Sqlite { data_dir } => {
            std::fs::create_dir_all(data_dir).unwrap();
            let mut conn = rusqlite::Connection::open(sqlite_store::db_path(data_dir)).unwrap();
            sqlite_store::migrate_to(&mut conn, 1).unwrap();
            for r in &rows {
                conn.execute(
                    &insert_v1.replace('$', "?"),
                    (&r.id, FAIR, &r.sha256, &r.payload),
                )
                .unwrap();
            }
        }
        Database::Postgres { url } => jobfair_base::block_on(async {
            PgStore::open_with(url, 1, 1).await.unwrap();
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            for r in &rows {
                client
                    .execute(insert_v1, &[&r.id, &FAIR, &r.sha256, &r.payload])
                    .await
                    .unwrap();
            }
        }),
    }
    let store = db.store();
    let version = jobfair_base::block_on(async { store.schema_version().await }).unwrap();
    assert_eq!(version, jobfair_base::store::migrations::latest());
    assert_eq!(db.counts().sign_ups, 2);
    let out = db.dir.path().join("after.xlsx");
    let printed = db.bin(&["export", "--out", out.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&printed.stdout).contains("1 sign-ups"),
        "the two versions of one sign-up, the latest kept"
    );
}

fn a_database_newer_than_this_build_is_refused(engine: Engine) {
    let db = TestDb::new(engine);
    drop(db.store());
    match &db.database {
        Database::Sqlite { data_dir } => {
            let conn = rusqlite::Connection::open(sqlite_store::db_path(data_dir)).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        Database::Postgres { url } => jobfair_base::block_on(async {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
                .execute("UPDATE schema_version SET version = 99", &[])
                .await
                .unwrap();
        }),
    }
    let out = db.run(&["status"], "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("schema version 99, newer than this build knows"),
        "{err}"
    );
}

/// The file the first base wrote (tests/fixtures/base-v1.db, schema 1) opens in this
/// build with every row; its kiosk's token still works; the export lists its sign-ups.
#[test]
fn a_base_db_written_by_the_first_base_keeps_every_row() {
    let db = TestDb::new(Engine::Sqlite);
    let Database::Sqlite { data_dir } = &db.database else {
        unreachable!()
    };
    std::fs::create_dir_all(data_dir).unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/base-v1.db");
    std::fs::copy(fixture, sqlite_store::db_path(data_dir)).unwrap();
    let c = db.counts();
    assert_eq!(
        (
            c.sign_ups,
            c.stages,
            c.check_ins,
            c.conflicts,
            c.fairs,
            c.kiosks
        ),
        (3, 1, 1, 1, 1, 1)
    );
    let out = db.dir.path().join("old.xlsx");
    let printed = db.bin(&["export", "--out", out.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&printed.stdout)
            .contains("3 sign-ups, 1 stages, 1 check-ins, 1 conflicts"),
        "{}",
        String::from_utf8_lossy(&printed.stdout)
    );
    let token = "b117c4c65af953ad1de7482369f3be3325560943ecbf483327262d089ee824eb";
    let server = jobfair_base::BaseServer::spawn_with(jobfair_base::BaseConfig::for_tests(
        db.database.clone(),
    ))
    .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let answer = reqwest::blocking::Client::new()
        .get(format!(
            "{}/v1/openings?fair_id={FAIR}&since=0",
            server.url()
        ))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
}

/// A base whose log reader went away (a closed pipe: the terminal closed, a log shipper
/// restarted) goes on answering; the first build dropped every answer then.
#[test]
fn a_closed_log_pipe_does_not_stop_the_base_answering() {
    let db = TestDb::new(Engine::Sqlite);
    let mut served = serve(&db);
    drop(std::mem::replace(&mut served.log, mpsc::channel().1));
    // The reader thread ends at its next line; the pipe is then closed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::blocking::Client::new();
    let url = format!("http://{}/healthz", served.addr);
    for _ in 0..5 {
        let answer = http.get(&url).send().expect("an answer");
        assert_eq!(answer.status(), 200);
        std::thread::sleep(Duration::from_millis(100));
    }
    served.term();
    served.wait();
}
