//! Kits through the real binary: a kit is signed by the fair's key, so an edited or
//! relabelled one is refused at `fair install` with a message saying so, and nothing
//! is installed; `fair kit` and `fair install` print the same key fingerprint.

mod common;

use common::open_kiosk;
use std::path::Path;
use std::process::{Command, Output};

fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes a kit of `role` with the CLI and returns its path and what `fair kit` said.
fn kit(kiosk_dir: &Path, out_dir: &Path, role: &str) -> (std::path::PathBuf, String) {
    let path = out_dir.join(format!("{role}-kit.json"));
    let out = run(
        kiosk_dir,
        &[
            "fair",
            "kit",
            "--role",
            role,
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    (path, text(&out.stderr))
}

/// Edits the kit's JSON the way someone with a text editor would: wherever the role and
/// the fair sit (at the top, or inside a signed body kept as a string).
fn edit(path: &Path, change: impl Fn(&mut serde_json::Value)) {
    let mut kit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match kit.get("body").and_then(|b| b.as_str()) {
        Some(body) => {
            let mut body: serde_json::Value = serde_json::from_str(body).unwrap();
            change(&mut body);
            kit["body"] = body.to_string().into();
        }
        None => change(&mut kit),
    }
    std::fs::write(path, serde_json::to_string_pretty(&kit).unwrap()).unwrap();
}

fn assert_refused(device: &Path, kit: &Path, why: &str) {
    let out = run(device, &["fair", "install", kit.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "installed:\n{}", text(&out.stdout));
    assert!(stderr.contains(why), "{why:?} not in:\n{stderr}");
    assert!(stderr.contains("nothing was installed"), "{stderr}");
    assert!(!device.join("keys").exists(), "no keys stored");
}

#[test]
fn a_booth_kit_relabelled_as_a_kiosk_kit_is_refused_at_install() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, _) = kit(kiosk_dir.path(), out_dir.path(), "booth");
    edit(&path, |k| k["role"] = "kiosk".into());
    let device = tempfile::tempdir().unwrap();
    assert_refused(
        &device.path().join("data"),
        &path,
        "the kit was changed after it was written",
    );
}

#[test]
fn a_kit_whose_fair_was_edited_is_refused_at_install() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, _) = kit(kiosk_dir.path(), out_dir.path(), "kiosk");
    edit(&path, |k| {
        k["fair"]["fair"]["venue"] = "别处 somewhere else".into()
    });
    let device = tempfile::tempdir().unwrap();
    assert_refused(
        &device.path().join("data"),
        &path,
        "its signature does not match the fair's key",
    );
}

#[test]
fn an_unsigned_kit_of_the_old_format_says_to_write_a_new_one() {
    let device = tempfile::tempdir().unwrap();
    let path = device.path().join("old-kit.json");
    std::fs::write(
        &path,
        r#"{"kit": 1, "role": "booth", "fair": {}, "keys": "00"}"#,
    )
    .unwrap();
    assert_refused(&device.path().join("data"), &path, "write a new kit");
}

#[test]
fn fair_kit_and_fair_install_print_the_same_key_fingerprint() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, said) = kit(kiosk_dir.path(), out_dir.path(), "kiosk");
    let fingerprint = |s: &str| -> String {
        s.split("fingerprint: ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no fingerprint in {s}"))
            .to_string()
    };
    let written = fingerprint(&said);
    assert_eq!(written.len(), 9, "ABCD-EFGH: {written}");
    let device = tempfile::tempdir().unwrap();
    let out = run(device.path(), &["fair", "install", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("registration kiosk"), "{stdout}");
    assert_eq!(fingerprint(&stdout), written);
    let show = text(&run(device.path(), &["fair", "show"]).stdout);
    assert!(show.contains(&written), "{show}");
}

/// Issue 16: a boarding kit sets up the bus door. It carries the seat list but not the
/// signing key: the device cannot issue tickets or write kits, boards the seated villager
/// once, refuses a forged ticket and a ticket of another departure, and sends only its
/// own boardings to the base. A seat slipped into the kit's list breaks its signature.
#[test]
fn a_boarding_kit_has_no_signing_key_boards_the_seated_and_refuses_a_forged_ticket() {
    use jobfair_kiosk::app::transport::{BoardOutcome, Source};
    const BUS: &str = "bus-gaozeng-1";
    const OTHER: &str = "bus-gaozeng-2";
    let kiosk_dir = tempfile::tempdir().unwrap();
    let (seated, elsewhere, unseated, fair_id) = {
        let mut k = open_kiosk(kiosk_dir.path());
        let mut issue = |n: u32, dep: Option<&str>| {
            let d = common::draft(&k, n);
            let issued = k.register(&d).unwrap();
            if let Some(dep) = dep {
                k.request_seat(issued.registration_id, dep, None, Source::Kiosk)
                    .unwrap();
            }
            issued
        };
        let a = issue(1, Some(BUS));
        let b = issue(2, Some(OTHER));
        let c = issue(3, None);
        (a, b, c, k.fair().fair.id.clone())
    };
    let out_dir = tempfile::tempdir().unwrap();
    let (path, _) = kit(kiosk_dir.path(), out_dir.path(), "boarding");
    let seed = &std::fs::read_to_string(kiosk_dir.path().join(format!("keys/{fair_id}.key")))
        .unwrap()[..64];
    let kit_text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !kit_text.contains(seed),
        "the signing key is not in the kit"
    );

    // A seat given to the unseated villager in the kit: refused, nothing installed.
    let forged_kit = out_dir.path().join("forged-boarding-kit.json");
    std::fs::copy(&path, &forged_kit).unwrap();
    let unseated_id = unseated.registration_id.to_string();
    edit(&forged_kit, |k| {
        k["seats"].as_array_mut().unwrap().push(serde_json::json!({
            "departure": BUS, "registration_id": unseated_id, "seat": 2, "queue": 9
        }))
    });
    let refused_dir = tempfile::tempdir().unwrap();
    assert_refused(
        &refused_dir.path().join("data"),
        &forged_kit,
        "its signature does not match the fair's key",
    );

    let device = tempfile::tempdir().unwrap();
    let out = run(device.path(), &["fair", "install", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("boarding device"));
    assert!(
        !device.path().join(format!("keys/{fair_id}.key")).exists(),
        "no signing key on the device"
    );
    let show = text(&run(device.path(), &["fair", "show"]).stdout);
    assert!(show.contains("device:    boarding"), "{show}");

    let mut door = open_kiosk(device.path());
    assert!(door.is_boarding_device() && door.is_booth_only());
    assert!(matches!(
        door.register(&common::draft(&door, 9)),
        Err(jobfair_kiosk::app::Error::BoothOnlyDevice)
    ));
    assert!(matches!(
        door.write_kit(
            jobfair_kiosk::app::kit::KitRole::Kiosk,
            &out_dir.path().join("x.json")
        ),
        Err(jobfair_kiosk::app::Error::BoothOnlyDevice)
    ));
    let records = |k: &jobfair_kiosk::app::Kiosk, kind: &str| -> i64 {
        k.store()
            .conn()
            .query_row("SELECT count(*) FROM outbox WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(
        records(&door, "seat"),
        0,
        "the kit's seats are not sent again"
    );

    let mut forged: Vec<char> = seated.ticket.chars().collect();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    assert_eq!(door.board(BUS, &forged).unwrap(), BoardOutcome::Invalid);
    assert_eq!(
        door.board(BUS, &elsewhere.ticket).unwrap(),
        BoardOutcome::OtherDeparture {
            departure: OTHER.into(),
            seat: Some(1)
        }
    );
    assert_eq!(
        door.board(BUS, &unseated.ticket).unwrap(),
        BoardOutcome::NoSeat
    );
    let BoardOutcome::Boarded {
        passenger, first, ..
    } = door.board(BUS, &seated.ticket).unwrap()
    else {
        panic!("the seated villager boards");
    };
    assert_eq!((passenger.seat, first), (1, true));
    assert!(matches!(
        door.board(BUS, &seated.ticket).unwrap(),
        BoardOutcome::Boarded { first: false, .. }
    ));
    assert_eq!(records(&door, "boarding"), 1, "one boarding for the base");
}
