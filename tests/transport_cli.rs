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
    common::ensure_keyring(data_dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    cmd.env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
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

/// `pdftoppm` of one page of `pdf` at 50 dpi as a grey image.
fn page_png(pdf: &Path, page: u32, prefix: &Path) -> image::GrayImage {
    let status = Command::new("pdftoppm")
        .args(["-r", "50", "-png", "-gray", "-f", &page.to_string(), "-l"])
        .arg(page.to_string())
        .arg(pdf)
        .arg(prefix)
        .status()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(status.success());
    let dir = prefix.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_string_lossy().to_string();
    let png = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".png")
        })
        .expect("pdftoppm wrote a PNG");
    image::open(png).unwrap().to_luma8()
}

fn pages(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdfinfo reads {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// Dark pixels (ink) in the box of fractions `x0..x1`, `y0..y1` of the page.
fn ink(img: &image::GrayImage, x: (f32, f32), y: (f32, f32)) -> usize {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let mut n = 0;
    for py in (y.0 * h) as u32..(y.1 * h) as u32 {
        for px in (x.0 * w) as u32..(x.1 * w) as u32 {
            if img.get_pixel(px, py).0[0] < 128 {
                n += 1;
            }
        }
    }
    n
}

/// Columns of the table, as fractions of the page width (see ui/manifest_sheet.slint).
const NAME_COL: (f32, f32) = (0.098, 0.255);
const PHONE_ID_COLS: (f32, f32) = (0.260, 0.575);
/// The first two passenger rows.
const FIRST_ROWS: (f32, f32) = (0.200, 0.250);

/// Issue 16: the A4 PDF manifest of one departure (seated passengers only, masked unless
/// the staff PIN is given, audited then) and of every departure, each from a new page;
/// written atomically with mode 0600, never over an existing file; rendered with poppler.
#[test]
fn the_pdf_manifest_is_a_masked_a4_page_per_departure_and_the_full_one_needs_the_pin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let codes = setup(&data);
    for c in &codes {
        ok(&run(
            &data,
            &["transport", "request", "--code", c, "--departure", BUS],
            None,
        ));
    }
    let files = dir.path().join("out");
    std::fs::create_dir(&files).unwrap();
    let masked = files.join("bus.pdf");
    let args = |out: &Path| -> Vec<String> {
        [
            "transport",
            "manifest",
            "--departure",
            BUS,
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec()
    };
    let masked_args = args(&masked);
    let masked_args: Vec<&str> = masked_args.iter().map(String::as_str).collect();
    let text = ok(&run(&data, &masked_args, None));
    assert!(text.contains("passengers  2"), "{text}");
    assert!(text.contains("masked      yes"), "{text}");
    let pdf = std::fs::read(&masked).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert_eq!(common::mode(&masked), 0o600);
    let names: Vec<String> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bus.pdf"], "no partial file left behind");
    // Never over an existing file.
    let again = run(&data, &masked_args, None);
    assert!(!again.status.success());
    assert_eq!(std::fs::read(&masked).unwrap(), pdf, "left as it was");

    assert_eq!(pages(&masked), 1, "two passengers: one page");
    let shot = dir.path().join("masked");
    let page = page_png(&masked, 1, &shot);
    assert!(
        (413..=414).contains(&page.width()) && page.height() == 585,
        "A4 portrait at 50 dpi: {}×{}",
        page.width(),
        page.height()
    );
    // Ink in the header, in both passenger rows' name, phone and ID cells, none below
    // the second row (the third villager waits, not seated).
    assert!(ink(&page, (0.05, 0.95), (0.02, 0.06)) > 150, "the title");
    assert!(ink(&page, NAME_COL, FIRST_ROWS) > 25, "the names");
    assert!(
        ink(&page, PHONE_ID_COLS, FIRST_ROWS) > 120,
        "phones and IDs"
    );
    assert!(
        ink(&page, (0.1, 0.95), (0.256, 0.80)) < 10,
        "no third passenger row"
    );
    assert!(
        ink(&page, (0.05, 0.95), (0.88, 0.94)) > 100,
        "the signature line"
    );

    // The full list: the PIN, an audit row, and other ink only where the numbers are.
    let full = files.join("bus-full.pdf");
    let mut full_args = args(&full);
    full_args.push("--unmasked".into());
    let full_args: Vec<&str> = full_args.iter().map(String::as_str).collect();
    let wrong = run(&data, &full_args, Some("999999"));
    assert!(!wrong.status.success());
    assert!(!full.exists(), "nothing written with a wrong PIN");
    let text = ok(&run(&data, &full_args, Some(PIN)));
    assert!(text.contains("masked      NO"), "{text}");
    let full_page = page_png(&full, 1, &dir.path().join("full"));
    let diff = |x: (f32, f32), y: (f32, f32)| -> usize {
        let (w, h) = (page.width() as f32, page.height() as f32);
        let mut n = 0;
        for py in (y.0 * h) as u32..(y.1 * h) as u32 {
            for px in (x.0 * w) as u32..(x.1 * w) as u32 {
                let (a, b) = (
                    page.get_pixel(px, py).0[0],
                    full_page.get_pixel(px, py).0[0],
                );
                if a.abs_diff(b) > 64 {
                    n += 1;
                }
            }
        }
        n
    };
    assert!(diff(PHONE_ID_COLS, FIRST_ROWS) > 20, "the numbers differ");
    assert_eq!(diff(NAME_COL, FIRST_ROWS), 0, "the names do not");
    let conn = rusqlite::Connection::open(data.join("kiosk.db")).unwrap();
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit WHERE action = 'export_unmasked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        detail.contains("\"pdf\"") && detail.contains("\"manifest\"") && detail.contains(BUS),
        "{detail}"
    );

    // Every departure in one file, each from a new page (an empty one too: its driver
    // still signs a list).
    let all = files.join("all.pdf");
    let text = ok(&run(
        &data,
        &[
            "transport",
            "manifest",
            "--all",
            "--format",
            "pdf",
            "--out",
            all.to_str().unwrap(),
        ],
        None,
    ));
    assert!(text.contains("passengers  2"), "{text}");
    let departures = open_kiosk(&data).fair().departures.len() as u32;
    assert!(departures > 1);
    assert_eq!(pages(&all), departures);
    assert_eq!(common::mode(&all), 0o600);
}

/// `--all` as XLSX: one sheet, the seated of every departure.
#[test]
fn the_manifest_of_all_departures_is_one_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let codes = setup(&data);
    for (c, d) in codes.iter().zip([BUS, BUS, "bus-bingmei-1"]) {
        ok(&run(
            &data,
            &["transport", "request", "--code", c, "--departure", d],
            None,
        ));
    }
    let out = dir.path().join("all.xlsx");
    let text = ok(&run(
        &data,
        &[
            "transport",
            "manifest",
            "--all",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    ));
    assert!(text.contains("passengers  3"), "{text}");
    let rows = cells(&out);
    assert_eq!(rows.len(), 4, "a header and three passengers");
    let departures: Vec<String> = rows[1..].iter().map(|r| r[9].to_string()).collect();
    assert_eq!(departures, [BUS, BUS, "bus-bingmei-1"]);
    let none = run(&data, &["transport", "manifest", "--out", "x.xlsx"], None);
    assert!(!none.status.success(), "a departure or --all is needed");
}
