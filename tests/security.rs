//! Security checks on the real binary: a day of CLI work (staff PIN, booth, lists,
//! sign-ups, exports, a kit, the base server and an upload to it) run as child
//! processes under `umask 000`, so no file is private by accident. Then:
//! - nothing any command printed, nor the base server's log, holds a staff or
//!   booth PIN, a kiosk token, a phone number or a resident ID number (except the
//!   one line each of `booth add` and `base kiosk add` that shows the new secret
//!   once, by design); a masked export holds no full phone or ID either, while the
//!   unmasked one does (so the values searched for are the real ones);
//! - every file in the kiosk's and the base's data dirs, every export and the kit
//!   are mode 0600, and their directories 0700.
//!
//! The other security properties are tested where they live; SECURITY.md lists them.

mod common;

use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const STAFF_PIN: &str = "739164";

/// `jobfair-kiosk --data-dir DIR ARGS` under `umask 000`, with `stdin` and `envs`;
/// `jobfair-base --data-dir DIR REST` when `args` starts with `base`.
fn cmd(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Command {
    let (program, args) = match args.split_first() {
        Some((&"base", rest)) => (common::base_bin(), rest),
        _ => (PathBuf::from(env!("CARGO_BIN_EXE_jobfair-kiosk")), args),
    };
    if program.ends_with("jobfair-kiosk") {
        common::ensure_keyring(dir);
    }
    let mut c = Command::new("sh");
    c.env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(program)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("JOBFAIR_STAFF_PIN")
        .env_remove("JOBFAIR_BASE_URL")
        .env_remove("JOBFAIR_BASE_TOKEN")
        .env("JOBFAIR_KIOSK_ID", "kiosk-sec");
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// What the commands printed, labelled by command, to be searched.
#[derive(Default)]
struct Printed(Vec<(String, String)>);

impl Printed {
    fn run(&mut self, dir: &Path, args: &[&str], envs: &[(&str, &str)], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = cmd(dir, args, envs)
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
        let out = child.wait_with_output().unwrap();
        let (so, se) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert!(out.status.success(), "{args:?}: {}\n{so}\n{se}", out.status);
        self.0.push((format!("{args:?} stdout"), so));
        self.0.push((format!("{args:?} stderr"), se));
        out
    }

    fn add(&mut self, label: &str, text: String) {
        self.0.push((label.to_string(), text));
    }

    /// Panics if any printed text holds `secret` (`what` names it).
    fn assert_absent(&self, secret: &str, what: &str) {
        for (label, text) in &self.0 {
            assert!(
                !text.contains(secret),
                "{what} {secret:?} printed by {label}:\n{text}"
            );
        }
    }
}

/// Waits for the base (started on port 0) to say where it listens; returns its URL and
/// the line it printed. The port is the one the base itself bound: nothing frees a port
/// for another process to take (no race with other tests).
fn wait_listening(child: &mut Child) -> (String, String) {
    let stderr = child.stderr.as_mut().expect("piped stderr");
    let mut reader = std::io::BufReader::new(stderr);
    let mut line = String::new();
    while line.is_empty() || !line.ends_with('\n') {
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the base exited before listening"
        );
    }
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (url, line)
}

fn column(db: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

struct Day {
    _tmp: tempfile::TempDir,
    kiosk: PathBuf,
    base: PathBuf,
    out: PathBuf,
    printed: Printed,
    booth_pin: String,
    token: String,
    /// Modes of the `-wal` / `-shm` files seen while a kiosk and the base ran.
    live_modes: Vec<(PathBuf, u32)>,
}

fn file_mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The modes of `<db>-wal` and `<db>-shm` (both must exist: the db is open).
fn wal_and_shm(db: &Path) -> Vec<(PathBuf, u32)> {
    ["-wal", "-shm"]
        .iter()
        .map(|s| {
            let mut p = db.as_os_str().to_owned();
            p.push(s);
            let p = PathBuf::from(p);
            assert!(p.exists(), "{} while the db is open", p.display());
            let m = file_mode(&p);
            (p, m)
        })
        .collect()
}

/// Runs the day; every command's output lands in `printed`.
fn a_day_of_cli_work() -> Day {
    let tmp = tempfile::tempdir().unwrap();
    let kiosk = tmp.path().join("kiosk");
    let base = tmp.path().join("base");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut p = Printed::default();
    let out_path = |name: &str| out.join(name).to_str().unwrap().to_string();

    p.run(
        &kiosk,
        &["staff", "set-pin"],
        &[],
        &format!("{STAFF_PIN}\n"),
    );
    // The base's sealing key first (its public half is no secret): the kiosk seals to it.
    let made = p.run(&base, &["base", "seal-key", "init"], &[], "");
    let seal_public = String::from_utf8_lossy(&made.stdout).trim().to_string();
    assert_eq!(seal_public.len(), 64, "seal-key init prints the public key");
    common::seal_to_base(&kiosk, &seal_public);
    let added = p.run(&kiosk, &["booth", "add", "--employer", "baichuan"], &[], "");
    let booth_pin = String::from_utf8_lossy(&added.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("PIN: "))
        .expect("booth add prints the PIN")
        .trim()
        .to_string();
    p.0.retain(|(label, _)| !label.contains("\"booth\", \"add\"") || label.ends_with("stderr"));
    p.run(&kiosk, &["booth", "list"], &[], "");
    let list = out.join("willing.csv");
    std::fs::write(
        &list,
        "姓名,手机,身份证号\n李娜,13955550001,\n王强,13955550002,\n",
    )
    .unwrap();
    p.run(
        &kiosk,
        &[
            "lists",
            "import",
            list.to_str().unwrap(),
            "--kind",
            "willing",
        ],
        &[],
        "",
    );
    p.run(&kiosk, &["dev", "register-loop", "--count", "6"], &[], "");
    p.run(&kiosk, &["fair", "show"], &[], "");
    // A kiosk registering without end: look at its open WAL files, then kill it.
    let mut live = cmd(&kiosk, &["dev", "register-loop", "--start", "500"], &[])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(live.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let mut live_modes = wal_and_shm(&kiosk.join("kiosk.db"));
    live.kill().unwrap();
    live.wait().unwrap();
    for (format, name) in [("csv", "m.csv"), ("xlsx", "m.xlsx"), ("json", "m.jsonl")] {
        p.run(
            &kiosk,
            &["export", "--format", format, "--out", &out_path(name)],
            &[],
            "",
        );
    }
    p.run(
        &kiosk,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            &out_path("full.csv"),
            "--unmasked",
        ],
        &[("JOBFAIR_STAFF_PIN", STAFF_PIN)],
        "",
    );
    p.run(
        &kiosk,
        &[
            "fair",
            "kit",
            "--role",
            "booth",
            "--out",
            &out_path("kit.json"),
        ],
        &[],
        "",
    );

    // The base: a kiosk token (printed once, by design), then the server's own log.
    let added = p.run(&base, &["base", "kiosk", "add", "kiosk-sec"], &[], "");
    let token = String::from_utf8_lossy(&added.stdout).trim().to_string();
    assert_eq!(token.len(), 64, "a token on stdout");
    p.0.retain(|(label, _)| !(label.contains("\"kiosk\", \"add\"") && label.ends_with("stdout")));
    let demo_fair = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-fair.json");
    p.run(&base, &["base", "fair", "publish", demo_fair], &[], "");
    let mut server = cmd(&base, &["base", "serve", "--listen", "127.0.0.1:0"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (url, first_line) = wait_listening(&mut server);
    // First with a wrong token: refused (401), and the error must not echo it.
    let wrong = "f".repeat(64);
    let refused = cmd(&kiosk, &["upload", "--base", &url, "--token", &wrong], &[])
        .output()
        .unwrap();
    assert!(!refused.status.success(), "a wrong token is refused");
    p.add(
        "upload with a wrong token",
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&refused.stdout),
            String::from_utf8_lossy(&refused.stderr)
        ),
    );
    p.run(
        &kiosk,
        &["upload", "--base", &url, "--token", &token],
        &[],
        "",
    );
    live_modes.extend(wal_and_shm(&base.join("base.db")));
    assert!(
        Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let log = server.wait_with_output().unwrap();
    p.add(
        "base serve stdout",
        String::from_utf8_lossy(&log.stdout).into(),
    );
    p.add(
        "base serve stderr",
        format!("{first_line}{}", String::from_utf8_lossy(&log.stderr)),
    );
    p.run(
        &base,
        &["base", "export", "--out", &out_path("base.xlsx")],
        &[],
        "",
    );
    Day {
        _tmp: tmp,
        kiosk,
        base,
        out,
        printed: p,
        booth_pin,
        token,
        live_modes,
    }
}

#[test]
fn no_pin_token_phone_or_resident_id_in_anything_the_binary_prints() {
    let day = a_day_of_cli_work();
    let db = day.kiosk.join("kiosk.db");
    // The kiosk keeps the numbers sealed; the base, which opened them, has them whole.
    let base_db = day.base.join("base.db");
    let signed = column(
        &base_db,
        "SELECT json_extract(payload, '$.phone') FROM records WHERE kind = 'registration'",
    );
    // The list's phones, as the day's CSV gave them (the kiosk keeps them sealed).
    let listed = vec!["13955550001".to_string(), "13955550002".to_string()];
    assert_eq!(
        column(
            &db,
            "SELECT phone_masked FROM list_people ORDER BY phone_masked"
        ),
        ["139****0001", "139****0002"]
    );
    let ids = column(
        &base_db,
        "SELECT json_extract(payload, '$.resident_id') FROM records
          WHERE kind = 'registration' AND json_extract(payload, '$.resident_id') IS NOT NULL",
    );
    assert!(
        signed.len() >= 7,
        "6 sign-ups and the killed loop's: {signed:?}"
    );
    assert_eq!((ids.len(), listed.len()), (signed.len(), 2));
    let on_base = column(
        &day.base.join("base.db"),
        "SELECT CAST(count(*) AS TEXT) FROM records",
    );
    assert_eq!(
        on_base,
        [signed.len().to_string()],
        "the upload reached the base"
    );
    assert_eq!(
        column(&db, "SELECT CAST(count(*) AS TEXT) FROM registrations"),
        [signed.len().to_string()],
        "every sign-up of the kiosk reached the base, whole"
    );
    let phones: Vec<String> = signed.iter().chain(&listed).cloned().collect();

    let p = &day.printed;
    p.assert_absent(STAFF_PIN, "the staff PIN");
    p.assert_absent(&day.booth_pin, "the booth PIN");
    p.assert_absent(&day.token, "the kiosk token");
    for phone in &phones {
        p.assert_absent(phone, "a phone number");
    }
    for id in &ids {
        p.assert_absent(id, "a resident ID");
        // Nor the middle digits alone (birth date and sequence) in a masked form.
        p.assert_absent(&id[6..14], "a resident ID's birth-date digits");
    }

    // Masked exports hold none of it; the unmasked one (with the PIN) holds it all.
    for name in ["m.csv", "m.jsonl"] {
        let text = std::fs::read_to_string(day.out.join(name)).unwrap();
        for secret in phones.iter().chain(&ids) {
            assert!(!text.contains(secret.as_str()), "{name} leaks {secret}");
        }
    }
    let full = std::fs::read_to_string(day.out.join("full.csv")).unwrap();
    for secret in signed.iter().chain(&ids) {
        assert!(
            full.contains(secret.as_str()),
            "unmasked export lacks {secret}"
        );
    }
}

/// Every file under `dir` (recursively) is 0600 and every directory 0700.
fn assert_private_tree(dir: &Path, files: &mut Vec<PathBuf>) {
    assert_eq!(file_mode(dir), 0o700, "{}", dir.display());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert_private_tree(&path, files);
        } else {
            assert_eq!(file_mode(&path), 0o600, "{}", path.display());
            files.push(path);
        }
    }
}

#[test]
fn every_data_file_export_and_kit_is_0600_even_under_umask_000() {
    let day = a_day_of_cli_work();
    let mut files = Vec::new();
    assert_private_tree(&day.kiosk, &mut files);
    assert_private_tree(&day.base, &mut files);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    // The checks above looked at the files that matter, not at an empty dir.
    for expected in ["kiosk.db", "config.toml", "base.db"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.ends_with(".key")), "{names:?}");
    for name in [
        "m.csv",
        "m.xlsx",
        "m.jsonl",
        "full.csv",
        "kit.json",
        "base.xlsx",
    ] {
        assert_eq!(file_mode(&day.out.join(name)), 0o600, "{name}");
    }
    // The WAL and shared-memory files, seen while the binary had the databases open.
    assert_eq!(day.live_modes.len(), 4);
    for (path, m) in &day.live_modes {
        assert_eq!(*m, 0o600, "{}", path.display());
    }
}

/// A rogue kiosk with a valid token of its own reads a villager's registration id
/// (it is in the clear part of every ticket) and uploads a "newer" sign-up under
/// it. The base keeps it apart: stored under the rogue's kiosk (from its token),
/// and the base export still shows the real kiosk's sign-up as it was.
#[test]
fn a_rogue_kiosk_cannot_replace_another_kiosks_sign_up_at_the_base() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    use jobfair_base::{self as base, BaseServer, auth::sha256_hex};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let base_dir = tempfile::tempdir().unwrap();
    let real_token = base::add_kiosk(base_dir.path(), "kiosk-sec").unwrap();
    let rogue_token = base::add_kiosk(base_dir.path(), "kiosk-rogue").unwrap();
    common::publish_demo_fair(base_dir.path());
    let seal_key = common::base_seal_key(base_dir.path());
    let server = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let kiosk = tempfile::tempdir().unwrap();
    common::seal_to_base(kiosk.path(), &seal_key);
    let mut printed = Printed::default();
    printed.run(
        kiosk.path(),
        &["dev", "register-loop", "--count", "1"],
        &[],
        "",
    );
    let url = server.url();
    let upload: [&str; 5] = ["upload", "--base", &url, "--token", &real_token];
    printed.run(kiosk.path(), &upload, &[], "");

    // The rogue's copy: the real payload with its own kiosk id, a new name, a later time.
    let real = column(&kiosk.path().join("kiosk.db"), "SELECT payload FROM outbox");
    let mut forged: serde_json::Value = serde_json::from_str(&real[0]).unwrap();
    let reg_id = forged["registration_id"].as_str().unwrap().to_string();
    forged["kiosk_id"] = "kiosk-rogue".into();
    forged["name"] = "冒名顶替".into();
    forged["at"] = "2099-01-01T00:00:00.000Z".into();
    let payload = forged.to_string();
    let body = serde_json::json!({"records": [{
        "id": uuid::Uuid::new_v4().to_string(), "kind": "registration",
        "sha256": sha256_hex(payload.as_bytes()), "payload": payload}]});
    let answer: serde_json::Value = reqwest::blocking::Client::new()
        .post(format!("{url}/v1/records"))
        .bearer_auth(&rogue_token)
        .json(&body)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(answer["results"][0]["status"], "accepted", "{answer}");
    // Writing it as the real kiosk is refused outright.
    forged["kiosk_id"] = "kiosk-sec".into();
    let payload = forged.to_string();
    let body = serde_json::json!({"records": [{
        "id": uuid::Uuid::new_v4().to_string(), "kind": "registration",
        "sha256": sha256_hex(payload.as_bytes()), "payload": payload}]});
    let answer: serde_json::Value = reqwest::blocking::Client::new()
        .post(format!("{url}/v1/records"))
        .bearer_auth(&rogue_token)
        .json(&body)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");
    assert_eq!(answer["results"][0]["reason"], "kiosk mismatch");
    let _ = server.shutdown();
    let owners = column(
        &base_dir.path().join("base.db"),
        "SELECT kiosk FROM records ORDER BY rowid",
    );
    assert_eq!(owners, ["kiosk-sec", "kiosk-rogue"], "kiosk from the token");

    let out = base_dir.path().join("export.xlsx");
    printed.run(
        base_dir.path(),
        &["base", "export", "--out", out.to_str().unwrap()],
        &[],
        "",
    );
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let rows: Vec<Vec<Data>> = book
        .worksheet_range("报名 Sign-ups")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    let cells = |r: &Vec<Data>| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let real_row = rows
        .iter()
        .map(cells)
        .find(|r| r.contains(&reg_id) && r.iter().any(|c| c == "kiosk-sec"))
        .unwrap_or_else(|| panic!("the real sign-up is exported: {rows:?}"));
    assert!(real_row.iter().any(|c| c == "测试村民"), "{real_row:?}");
    assert!(!real_row.iter().any(|c| c == "冒名顶替"), "{real_row:?}");
}
