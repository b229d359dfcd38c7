//! What the base's tests share: a base on either engine (a real server on 127.0.0.1:0
//! over a real SQLite file or a real PostgreSQL database), synthetic records, and the
//! real `jobfair-base` binary. Every test of behaviour is written once, as a function of
//! the engine, and run on both by [`on_both_engines!`].

#![allow(dead_code)]

pub mod pg_cluster;

use chrono::NaiveDate;
use jobfair_base::auth::sha256_hex;
use jobfair_base::store::Counts;
use jobfair_base::{BaseConfig, BaseHandle, BaseServer, Database, Engine, Store};
use jobfair_domain::records::{CheckInRecord, RegistrationRecord, StageRecord};
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_domain::resident_id::synthesize;
use jobfair_protocol::{Record, RecordResult, RecordStatus, RecordsAck};
use reqwest::blocking::{Client, Response};
use serde_json::json;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

pub const FAIR: &str = "qdn-congjiang-2027-02-15";
pub const DEMO_FAIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo-fair.json");

/// Runs each named `fn(Engine)` as two tests, `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(jobfair_base::Engine::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                if $crate::support::skip(jobfair_base::Engine::Postgres) { return; }
                super::$name(jobfair_base::Engine::Postgres)
            } )*
        }
    };
}

/// Whether to skip a test on `engine` (only PostgreSQL, only when asked to).
pub fn skip(engine: Engine) -> bool {
    engine == Engine::Postgres && pg_cluster::cluster().is_none()
}

/// An empty database of `engine`, and a folder for files (SQLite's data dir too).
pub struct TestDb {
    pub database: Database,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new(engine: Engine) -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let database = match engine {
            Engine::Sqlite => Database::Sqlite {
                data_dir: dir.path().join("data"),
            },
            Engine::Postgres => Database::Postgres {
                url: pg_cluster::fresh_database().expect("PostgreSQL for this test"),
            },
        };
        TestDb { database, dir }
    }

    /// The store, opened (and migrated) for the test's own use.
    pub fn store(&self) -> Arc<dyn Store> {
        jobfair_base::block_on(self.database.open()).unwrap()
    }

    pub fn counts(&self) -> Counts {
        let store = self.store();
        jobfair_base::block_on(async move { store.counts().await }).unwrap()
    }

    pub fn add_kiosk(&self, name: &str) -> String {
        let store = self.store();
        jobfair_base::block_on(
            async move { jobfair_base::add_kiosk_to(store.as_ref(), name).await },
        )
        .unwrap()
    }

    pub fn publish(&self, json: &str) -> i64 {
        let store = self.store();
        jobfair_base::block_on(
            async move { jobfair_base::publish_fair_to(store.as_ref(), json).await },
        )
        .unwrap()
        .1
    }

    pub fn publish_demo_fair(&self) -> i64 {
        self.publish(&std::fs::read_to_string(DEMO_FAIR).unwrap())
    }

    /// The arguments that point the binary at this database.
    pub fn args(&self) -> Vec<String> {
        match &self.database {
            Database::Sqlite { data_dir } => {
                vec!["--data-dir".into(), data_dir.display().to_string()]
            }
            Database::Postgres { url } => vec!["--database".into(), url.clone()],
        }
    }

    /// Runs `jobfair-base` on this database with `args` and `stdin`; its output.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
            .args(self.args())
            .args(args)
            .env_remove("JOBFAIR_BASE_DATABASE")
            .env_remove("JOBFAIR_BASE_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// [`TestDb::run`] that must succeed.
    pub fn bin(&self, args: &[&str]) -> Output {
        let out = self.run(args, "");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// A running base over a fresh database, with a kiosk `k1` and the demo fair published.
pub struct Base {
    pub server: BaseHandle,
    pub db: TestDb,
    pub http: Client,
    pub token: String,
}

impl Base {
    pub fn start(engine: Engine) -> Base {
        Self::start_with(engine, |_| {})
    }

    pub fn start_with(engine: Engine, tune: impl FnOnce(&mut BaseConfig)) -> Base {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let db = TestDb::new(engine);
        let token = db.add_kiosk("k1");
        db.publish_demo_fair();
        let mut config = BaseConfig::for_tests(db.database.clone());
        tune(&mut config);
        let server = BaseServer::spawn_with(config).unwrap();
        Base {
            server,
            db,
            http: Client::new(),
            token,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub fn upload(&self, token: &str, records: &[Record]) -> Response {
        self.http
            .post(self.url("/v1/records"))
            .bearer_auth(token)
            .json(&json!({ "records": records }))
            .send()
            .unwrap()
    }

    /// Uploads and returns each record's answer, checking the answer is a full ack.
    pub fn results(&self, token: &str, records: &[Record]) -> Vec<RecordResult> {
        let answer = self.upload(token, records);
        assert_eq!(answer.status(), 200);
        let ack: RecordsAck = answer.json().unwrap();
        assert_eq!(ack.ack, "jobfair-base/1");
        let ids: Vec<&str> = ack.results.iter().map(|r| r.id.as_str()).collect();
        let sent: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, sent);
        ack.results
    }

    pub fn statuses(&self, token: &str, records: &[Record]) -> Vec<RecordStatus> {
        self.results(token, records)
            .into_iter()
            .map(|r| r.status)
            .collect()
    }

    pub fn openings(&self, token: &str, fair: &str, since: i64) -> Response {
        let url = self.url(&format!("/v1/openings?fair_id={fair}&since={since}"));
        self.http.get(url).bearer_auth(token).send().unwrap()
    }

    pub fn counts(&self) -> Counts {
        self.db.counts()
    }
}

pub fn record(id: u32, kind: &str, payload: String) -> Record {
    Record {
        id: format!("0192f3a4-5b6c-7d8e-9f00-{id:012}"),
        kind: kind.into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}

/// A valid sign-up of synthetic villager `n` (born 1990-03-01 + n days, male).
pub fn registration(kiosk: &str, n: u32, at: &str, openings: &[u16]) -> RegistrationRecord {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    RegistrationRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        short_code: "K7MX-4QPD".into(),
        at: at.into(),
        name: "测试村民".into(),
        phone: format!("139{n:08}"),
        resident_id: Some(
            synthesize("520000", birth, (n % 400 * 2 + 1) as u16)
                .as_str()
                .to_string(),
        ),
        birth_date: Some(birth.to_string()),
        sex: Some("male".into()),
        home: HomePlace {
            county: "从江县".into(),
            township: "高增乡".into(),
            village: "小黄村".into(),
        },
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        consent_text_version: 1,
        openings: openings.to_vec(),
        sealed: None,
    }
}

pub fn sign_up(id: u32, kiosk: &str, n: u32, at: &str, openings: &[u16]) -> Record {
    let r = registration(kiosk, n, at, openings);
    record(id, "registration", serde_json::to_string(&r).unwrap())
}

pub fn check_in(id: u32, kiosk: &str, n: u32) -> Record {
    let r = CheckInRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        at: "2027-02-15T02:00:00Z".into(),
    };
    record(id, "check_in", serde_json::to_string(&r).unwrap())
}

pub fn stage(id: u32, kiosk: &str, n: u32, opening_id: u16, employer: &str) -> Record {
    let r = StageRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        employer: employer.into(),
        opening_id,
        stage: "interviewed".into(),
        note: "会焊接".into(),
        at: "2027-02-15T04:00:00Z".into(),
    };
    record(id, "stage", serde_json::to_string(&r).unwrap())
}

/// The token with its last hex digit changed (never equal to the real one).
pub fn wrong(token: &str) -> String {
    let last = if token.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &token[..63])
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}
