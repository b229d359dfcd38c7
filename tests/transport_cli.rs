//! `transport request|status|manifest|board`, run as the real binary on a real store:
//! seats in order then the waitlist, the passenger list read back with calamine (phones and
//! ID numbers as text, masked unless the staff PIN is given; the full list is audited), and
//! boarding by short code counted in the status.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{draft, open_kiosk, phone, resident_id};
use std::path::Path;
use std::process::{Command, Output};

const PIN: &str = "246810";
const BUS: &str = "bus-gaozeng-1";

fn run(data_dir: &Path, args: &[&str], pin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .env_remove("JOBFAIR_STAFF_PIN")
        .stdin(std::process::Stdio::null());
    if let Some(pin) = pin {
        cmd.env("JOBFAIR_STAFF_PIN", pin);
    }
    cmd.output().expect("the binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Three sign-ups (short codes in order) in a fresh data dir whose first bus has 2 seats.
fn setup(data: &Path) -> Vec<String> {
    let mut kiosk = open_kiosk(data);
    kiosk.set_staff_pin(PIN).unwrap();
    let codes = (1..=3)
        .map(|n| kiosk.register(&draft(&kiosk, n)).unwrap().short_code)
        .collect();
    // Install the demo fair with the first bus cut down to two seats.
    let mut fair = kiosk.fair().clone();
    assert_eq!(fair.departures[0].id, BUS);
    fair.departures[0].seats = 2;
    let file = data.join("fair-small-bus.json");
    std::fs::write(&file, serde_json::to_string(&fair).unwrap()).unwrap();
    kiosk.import_openings(&file).unwrap();
    codes
}

fn cells(path: &Path) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range("乘车名单 Passenger list").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn seats_go_in_order_then_the_waitlist_and_the_manifest_lists_the_seated_masked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let codes = setup(&data);
    let said: Vec<String> = codes
        .iter()
        .map(|c| {
            ok(&run(
                &data,
                &["transport", "request", "--code", c, "--departure", BUS],
                None,
            ))
        })
        .collect();
    assert_eq!(said[0].trim(), format!("assigned    {BUS} seat 1"));
    assert_eq!(said[1].trim(), format!("assigned    {BUS} seat 2"));
    assert_eq!(said[2].trim(), format!("waitlisted  {BUS} place 1"));

    let status = ok(&run(&data, &["transport", "status"], None));
    let line = status.lines().find(|l| l.starts_with(BUS)).unwrap();
    let numbers: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&numbers[4..8], ["2", "2", "1", "0"], "{line}");

    let out = dir.path().join("manifest.xlsx");
    let text = ok(&run(
        &data,
        &[
            "transport",
            "manifest",
            "--departure",
            BUS,
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    ));
    assert!(
        text.contains("passengers  2") && text.contains("masked      yes"),
        "{text}"
    );
    let rows = cells(&out);
    assert_eq!(rows[0][0], Data::String("座位 Seat".into()));
    assert_eq!(
        rows.len(),
        3,
        "header and the two seated, not the waitlisted"
    );
    assert_eq!(rows[1][0], Data::Float(1.0));
    assert_eq!(rows[1][1], Data::String("测试村民".into()));
    assert_eq!(rows[1][2], Data::String(phone(1).masked()));
    assert_eq!(rows[1][3], Data::String(resident_id(1).masked()));
    assert_eq!(rows[1][6], Data::String("高增乡政府门口".into()));
    assert_eq!(rows[2][8], Data::String(codes[1].replace('-', "")));
    let again = run(
        &data,
        &[
            "transport",
            "manifest",
            "--departure",
            BUS,
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        !again.status.success(),
        "an existing file is never replaced"
    );
}

#[test]
fn the_full_manifest_needs_the_staff_pin_keeps_ids_as_text_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let codes = setup(&data);
    ok(&run(
        &data,
        &[
            "transport",
            "request",
            "--code",
            &codes[0],
            "--departure",
            BUS,
        ],
        None,
    ));
    let out = dir.path().join("full.xlsx");
    let args = [
        "transport",
        "manifest",
        "--departure",
        BUS,
        "--out",
        out.to_str().unwrap(),
        "--unmasked",
    ];
    let wrong = run(&data, &args, Some("999999"));
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong staff PIN"));
    assert!(!out.exists(), "nothing written with a wrong PIN");

    let text = ok(&run(&data, &args, Some(PIN)));
    assert!(text.contains("masked      NO"), "{text}");
    let rows = cells(&out);
    assert_eq!(rows[1][2], Data::String(phone(1).as_str().into()));
    assert_eq!(
        rows[1][3],
        Data::String(resident_id(1).as_str().into()),
        "text, not 5.2E+17"
    );
    let conn = rusqlite::Connection::open(data.join("kiosk.db")).unwrap();
    let (actor, detail): (String, String) = conn
        .query_row(
            "SELECT actor, detail FROM audit WHERE action = 'export_unmasked'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(actor, "cli");
    assert!(
        detail.contains("\"manifest\"") && detail.contains(BUS),
        "{detail}"
    );
}

#[test]
fn boarding_by_short_code_is_counted_once_and_another_bus_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let codes = setup(&data);
    ok(&run(
        &data,
        &[
            "transport",
            "request",
            "--code",
            &codes[0],
            "--departure",
            BUS,
        ],
        None,
    ));
    let second = [
        "transport",
        "request",
        "--code",
        &codes[1],
        "--departure",
        BUS,
    ];
    ok(&run(&data, &second, None));
    let first = ok(&run(
        &data,
        &["transport", "board", "--departure", BUS, &codes[0]],
        None,
    ));
    assert!(first.starts_with("boarded  seat 1  测试村民"), "{first}");
    let again = ok(&run(
        &data,
        &["transport", "board", "--departure", BUS, &codes[0]],
        None,
    ));
    assert!(again.starts_with("already boarded"), "{again}");
    let wrong_bus = run(
        &data,
        &[
            "transport",
            "board",
            "--departure",
            "bus-gaozeng-2",
            &codes[0],
        ],
        None,
    );
    assert!(!wrong_bus.status.success());
    assert!(String::from_utf8_lossy(&wrong_bus.stderr).contains("not this departure"));
    let status = ok(&run(&data, &["transport", "status"], None));
    let line = status.lines().find(|l| l.starts_with(BUS)).unwrap();
    assert_eq!(line.split_whitespace().nth(7), Some("1"), "{line}");
    let no_shows = ok(&run(
        &data,
        &["transport", "no-shows", "--departure", BUS],
        None,
    ));
    assert_eq!(no_shows, "seat   2  测试村民\n1 not boarded\n");
    let unknown = run(&data, &["transport", "status", "--departure", "x"], None);
    assert!(!unknown.status.success());
}
