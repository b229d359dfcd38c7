//! The base's command line through the real binary, on both engines: kiosks, export
//! (masked by default; unmasked only with an operator's password, audited), messages
//! for a wrong output path, and the connection string forms.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use jobfair_base::Engine;
use jobfair_base::auth::sha256_hex;
use jobfair_base::operator::{self, Check};
use jobfair_domain::resident_id::synthesize;
use jobfair_protocol::RecordStatus as Status;
use std::path::Path;
use support::*;

on_both_engines!(
    base_export_merges_kiosks_keeps_the_latest_sign_up_and_masks_by_default,
    an_unmasked_export_needs_an_operators_password_and_is_audited,
    five_wrong_passwords_lock_the_operator_for_five_minutes,
    export_into_a_folder_or_a_missing_folder_names_the_path_and_the_fix,
    a_kiosk_added_by_the_cli_gets_a_working_token_and_only_its_hash_is_stored,
);

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected a text cell, got {other:?}"),
    }
}

/// The sign-up row of synthetic villager 1 (rows are sorted by time, not by villager).
fn villager_1(rows: &[Vec<Data>]) -> &[Data] {
    rows.iter()
        .find(|r| text(&r[1]).ends_with("000000000001"))
        .expect("villager 1 is exported")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Two kiosks' records on a running base.
fn base_with_records(engine: Engine) -> Base {
    let base = Base::start(engine);
    let t2 = base.db.add_kiosk("k2");
    let old = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101]);
    let changed = sign_up(2, "k1", 1, "2027-02-15T03:00:00Z", &[101, 102]);
    base.statuses(&base.token, &[changed, old]);
    let more = [
        sign_up(3, "k2", 2, "2027-02-15T02:00:00Z", &[103]),
        check_in(4, "k2", 1),
        stage(5, "k2", 1, 101, "baichuan"),
    ];
    assert!(
        base.statuses(&t2, &more)
            .iter()
            .all(|s| *s == Status::Accepted)
    );
    base
}

fn base_export_merges_kiosks_keeps_the_latest_sign_up_and_masks_by_default(engine: Engine) {
    let base = base_with_records(engine);
    let masked = base.db.dir.path().join("masked.xlsx");
    let out = base.db.bin(&["export", "--out", masked.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("2 sign-ups, 1 stages, 1 check-ins"),
        "{}",
        stdout(&out)
    );
    let rows = sheet(&masked, "报名 Sign-ups");
    assert_eq!(rows.len(), 3, "header + one row per registration id");
    let first = villager_1(&rows);
    assert_eq!(
        (text(&first[3]), text(&first[5]), text(&first[13])),
        ("k1", "测试村民", "101;102")
    );
    assert_eq!(text(&first[6]), "139****0001");
    assert!(text(&first[7]).starts_with("520000********"));
    assert_eq!(
        text(&sheet(&masked, "摊位进度 Booth stages")[1][6]),
        "会焊接"
    );
    assert_eq!(text(&sheet(&masked, "签到 Check-ins")[1][2]), "k2");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&masked).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let audit = stdout(&base.db.bin(&["audit"]));
    assert!(
        audit.contains("\t-\t") && audit.contains("masked\t2\t1\t1\t0"),
        "{audit}"
    );
}

fn an_unmasked_export_needs_an_operators_password_and_is_audited(engine: Engine) {
    let base = base_with_records(engine);
    let full = base.db.dir.path().join("full.xlsx");
    let full_arg = full.to_str().unwrap();
    let bare = base
        .db
        .run(&["export", "--out", full_arg, "--unmasked"], "");
    assert!(!bare.status.success());
    assert!(stderr(&bare).contains("--operator"), "{}", stderr(&bare));
    let unknown = base.db.run(
        &[
            "export",
            "--out",
            full_arg,
            "--unmasked",
            "--operator",
            "wang",
        ],
        "a password long enough\n",
    );
    assert!(
        stderr(&unknown).contains("operator set-password wang"),
        "{}",
        stderr(&unknown)
    );
    let short = base
        .db
        .run(&["operator", "set-password", "wang"], "short\n");
    assert!(stderr(&short).contains("at least 12"), "{}", stderr(&short));
    let set = base.db.run(
        &["operator", "set-password", "wang"],
        "correct horse battery\n",
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let wrong = base.db.run(
        &[
            "export",
            "--out",
            full_arg,
            "--unmasked",
            "--operator",
            "wang",
        ],
        "wrong horse battery\n",
    );
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("4 tries left"),
        "{}",
        stderr(&wrong)
    );
    assert!(!full.exists(), "nothing written after a wrong password");
    let ok = base.db.run(
        &[
            "export",
            "--out",
            full_arg,
            "--unmasked",
            "--operator",
            "wang",
        ],
        "correct horse battery\n",
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let rows = sheet(&full, "报名 Sign-ups");
    let first = villager_1(&rows);
    assert_eq!(text(&first[6]), "13900000001");
    let birth = NaiveDate::from_ymd_opt(1990, 3, 2).unwrap();
    assert_eq!(
        text(&first[7]),
        synthesize("520000", birth, 3).as_str(),
        "18 digits intact as text"
    );
    let store = base.db.store();
    let audit = jobfair_base::block_on(async { store.audit().await }).unwrap();
    let last = audit.last().expect("an audit row");
    assert_eq!(
        (
            last.operator.as_str(),
            last.masking.as_str(),
            last.sign_ups,
            last.stages
        ),
        ("wang", "unmasked", 2, 1)
    );
    assert!(last.file.ends_with("full.xlsx") && !last.os_user.is_empty());
    assert!(chrono::DateTime::parse_from_rfc3339(&last.at).is_ok());
    // The password is nowhere in the store.
    let op = jobfair_base::block_on(async { store.operator("wang").await })
        .unwrap()
        .unwrap();
    assert!(op.password_hash.starts_with("$argon2id$") && !op.password_hash.contains("horse"));
}

fn five_wrong_passwords_lock_the_operator_for_five_minutes(engine: Engine) {
    let db = TestDb::new(engine);
    let store = db.store();
    let s = store.as_ref();
    let t0 = chrono::Utc::now();
    let at = |secs| t0 + chrono::Duration::seconds(secs);
    let checks = jobfair_base::block_on(async {
        operator::set_password(s, "li", "right password 1")
            .await
            .unwrap();
        let mut checks = Vec::new();
        for i in 0..5 {
            checks.push(operator::verify(s, "li", "wrong", at(i)).await.unwrap());
        }
        // Locked: even the right password is refused, until five minutes have passed.
        checks.push(
            operator::verify(s, "li", "right password 1", at(10))
                .await
                .unwrap(),
        );
        checks.push(
            operator::verify(s, "li", "right password 1", at(305))
                .await
                .unwrap(),
        );
        checks
    });
    assert_eq!(
        checks,
        [
            Check::Wrong { remaining: 4 },
            Check::Wrong { remaining: 3 },
            Check::Wrong { remaining: 2 },
            Check::Wrong { remaining: 1 },
            Check::Locked { seconds_left: 300 },
            Check::Locked { seconds_left: 294 },
            Check::Ok,
        ]
    );
    assert!(
        Check::Wrong { remaining: 1 }
            .message("li")
            .contains("1 try left")
    );
    // The count lives in the store: a new process sees the lock.
    jobfair_base::block_on(async {
        for _ in 0..5 {
            operator::verify(s, "li", "wrong", chrono::Utc::now())
                .await
                .unwrap();
        }
    });
    let out = db.run(
        &[
            "export",
            "--out",
            db.dir.path().join("x.xlsx").to_str().unwrap(),
            "--unmasked",
            "--operator",
            "li",
        ],
        "right password 1\n",
    );
    assert!(
        stderr(&out).contains("is locked after 5 wrong passwords"),
        "{}",
        stderr(&out)
    );
}

fn export_into_a_folder_or_a_missing_folder_names_the_path_and_the_fix(engine: Engine) {
    let base = base_with_records(engine);
    let folder = base.db.dir.path().to_path_buf();
    let out = base
        .db
        .run(&["export", "--out", folder.to_str().unwrap()], "");
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains(&format!("{} is a folder", folder.display())),
        "{err}"
    );
    assert!(
        err.contains("base-export.xlsx") && err.contains("是文件夹"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(!err.contains("Is a directory"), "{err}");
    let missing = folder.join("no-such-folder/out.xlsx");
    let out = base
        .db
        .run(&["export", "--out", missing.to_str().unwrap()], "");
    let err = stderr(&out);
    assert!(
        err.contains("mkdir -p") && err.contains("no-such-folder"),
        "{err}"
    );
    assert!(
        !err.contains(".tmp-") && !err.contains("No such file or directory"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

fn a_kiosk_added_by_the_cli_gets_a_working_token_and_only_its_hash_is_stored(engine: Engine) {
    let base = Base::start(engine);
    let out = base.db.bin(&["kiosk", "add", "kiosk-07"]);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 64);
    assert_eq!(
        base.statuses(&token, &[check_in(1, "kiosk-07", 1)]),
        [Status::Accepted]
    );
    let store = base.db.store();
    let hashes = jobfair_base::block_on(async { store.kiosk_hashes().await }).unwrap();
    assert!(hashes.contains(&("kiosk-07".into(), sha256_hex(token.as_bytes()))));
    let listed = stdout(&base.db.bin(&["kiosk", "list"]));
    assert!(listed.contains("kiosk-07") && !listed.contains(&token));
    if let jobfair_base::Database::Sqlite { data_dir } = &base.db.database {
        for file in ["base.db", "base.db-wal"] {
            if let Ok(bytes) = std::fs::read(data_dir.join(file)) {
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(&token),
                    "{file} holds the token"
                );
            }
        }
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data_dir.join("base.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_postgres_url_may_name_a_unix_socket_directory() {
    let Some(cluster) = support::pg_cluster::cluster() else {
        return;
    };
    let Some(socket) = cluster.socket_dir() else {
        return; // a server given by JOBFAIR_TEST_POSTGRES_URL
    };
    let conninfo = cluster.create_database();
    let db = conninfo.rsplit("dbname=").next().unwrap();
    let url = format!("postgresql:///{db}?host={}&user=postgres", socket.display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .args(["--database", &url, "status"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("engine postgres schema ")
            && stdout(&out).contains(": 0 sign-ups"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn without_a_data_dir_or_a_database_the_binary_says_what_to_give() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .arg("status")
        .env_remove("JOBFAIR_BASE_DATABASE")
        .env_remove("JOBFAIR_BASE_DATA_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--data-dir DIR") && stderr(&out).contains("--database"));
}
