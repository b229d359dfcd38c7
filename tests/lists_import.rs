//! The two lists: import from CSV (UTF-8, GB18030) and XLSX, all or nothing, every bad
//! line named; re-import adds nobody twice; the CLI and the printable ticket sheet.

mod common;

use common::{open_kiosk, phone, resident_id};
use jobfair_kiosk::app::lists::ListImportError;
use jobfair_kiosk::domain::lists::{ListError, ListKind, ticket::qr_text};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

const HEADER: &str = "姓名,手机,身份证号,县,乡镇,村,技能";

fn row(n: u32, name: &str) -> String {
    format!(
        "{name},{},{},从江县,高增乡,小黄村,电焊",
        phone(n).as_str(),
        resident_id(n).as_str()
    )
}

fn good_csv(count: u32) -> String {
    let names = [
        "张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十",
    ];
    let mut text = format!("{HEADER}\n");
    for n in 1..=count {
        text.push_str(&row(n, names[n as usize % names.len()]));
        text.push('\n');
    }
    text
}

fn people_in(dir: &Path) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("kiosk.db")).unwrap();
    conn.query_row("SELECT COUNT(*) FROM list_people", [], |r| r.get(0))
        .unwrap()
}

fn cli(dir: &Path, args: &[&str]) -> Output {
    common::ensure_keyring(dir);
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_good_list_is_imported_and_each_person_found_by_phone_id_and_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("willing.csv");
    std::fs::write(&file, format!("\u{feff}{}", good_csv(3))).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let report = kiosk.import_list(&file, ListKind::Willing, None).unwrap();
    assert_eq!(
        (report.total, report.added, report.already_present),
        (3, 3, 0)
    );
    let by_phone = kiosk.find_on_list(phone(2).as_str()).unwrap().unwrap();
    assert_eq!(by_phone.village, "小黄村");
    assert_eq!(by_phone.line, 3, "the CSV line is kept");
    let by_id = kiosk
        .find_on_list(resident_id(2).as_str())
        .unwrap()
        .unwrap();
    assert_eq!(by_id.id, by_phone.id);
    let by_ticket = kiosk
        .find_on_list(&qr_text(&by_phone.code))
        .unwrap()
        .unwrap();
    assert_eq!(by_ticket.id, by_phone.id);
    let codes: std::collections::HashSet<String> = kiosk
        .list_people()
        .unwrap()
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(codes.len(), 3, "every person has their own code");
    assert!(kiosk.find_on_list(phone(9).as_str()).unwrap().is_none());
}

#[test]
fn re_importing_the_same_list_adds_nobody_twice() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("willing.csv");
    std::fs::write(&file, good_csv(4)).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    kiosk.import_list(&file, ListKind::Willing, None).unwrap();
    std::fs::write(&file, good_csv(5)).unwrap();
    let again = kiosk.import_list(&file, ListKind::Willing, None).unwrap();
    assert_eq!((again.added, again.already_present), (1, 4));
    assert_eq!(people_in(dir.path()), 5);
}

#[test]
fn a_gb18030_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gbk.csv");
    let utf8 = good_csv(2);
    let (bytes, _, _) = encoding_rs::GB18030.encode(&utf8);
    assert!(std::str::from_utf8(&bytes).is_err());
    std::fs::write(&file, &bytes).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    kiosk.import_list(&file, ListKind::Willing, None).unwrap();
    let p = kiosk.find_on_list(phone(1).as_str()).unwrap().unwrap();
    assert_eq!((p.county.as_str(), p.skills.as_str()), ("从江县", "电焊"));
}

#[test]
fn an_xlsx_file_is_read_and_its_bad_rows_named_as_excel_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.xlsx");
    let write = |bad: bool| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["姓名", "手机", "身份证号", "村"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..=3u32 {
            sheet.write_string(r, 0, "刘备").unwrap();
            // Excel keeps typed phone numbers as numbers.
            sheet
                .write_number(r, 1, phone(r).as_str().parse::<f64>().unwrap())
                .unwrap();
            let id = if bad && r == 3 {
                "52000019900301001".to_string()
            } else {
                resident_id(r).as_str().to_string()
            };
            sheet.write_string(r, 2, id).unwrap();
            sheet.write_string(r, 3, "占里村").unwrap();
        }
        book.save(&file).unwrap();
    };
    let mut kiosk = open_kiosk(dir.path());
    write(true);
    let e = kiosk
        .import_list(&file, ListKind::Willing, None)
        .unwrap_err();
    let ListImportError::List(ListError::Rows(rows)) = e else {
        panic!("{e}")
    };
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4]);
    write(false);
    assert_eq!(
        kiosk
            .import_list(&file, ListKind::Willing, None)
            .unwrap()
            .added,
        3
    );
    assert_eq!(
        kiosk
            .find_on_list(phone(3).as_str())
            .unwrap()
            .unwrap()
            .village,
        "占里村"
    );
}

#[test]
fn returning_staff_of_an_unknown_employer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let employer = kiosk.fair().employers[0].clone();
    let file = dir.path().join("returning.csv");
    std::fs::write(&file, good_csv(2)).unwrap();
    let e = kiosk
        .import_list(&file, ListKind::Returning, Some("没有这家厂"))
        .unwrap_err();
    assert!(matches!(e, ListImportError::UnknownEmployer(_)), "{e}");
    let e = kiosk
        .import_list(&file, ListKind::Returning, None)
        .unwrap_err();
    assert!(
        matches!(e, ListImportError::List(ListError::Rows(ref r)) if r.len() == 2),
        "{e}"
    );
    let with_column = format!(
        "姓名,手机,企业\n甲,{},{}\n乙,{},不存在\n",
        phone(1).as_str(),
        employer.name,
        phone(2).as_str()
    );
    std::fs::write(&file, with_column).unwrap();
    let e = kiosk
        .import_list(&file, ListKind::Returning, None)
        .unwrap_err();
    assert!(
        matches!(e, ListImportError::List(ListError::Rows(ref r)) if r[0].line == 3),
        "{e}"
    );
    assert_eq!(people_in(dir.path()), 0);
    let report = kiosk.import_list(
        &dir.path().join("returning.csv").with_file_name("x.csv"),
        ListKind::Returning,
        None,
    );
    assert!(report.is_err(), "a missing file is an error");
    std::fs::write(&file, good_csv(2)).unwrap();
    kiosk
        .import_list(&file, ListKind::Returning, Some(&employer.name))
        .unwrap();
    let p = kiosk.find_on_list(phone(1).as_str()).unwrap().unwrap();
    assert_eq!(
        (p.kind.as_str(), p.employer.as_deref()),
        ("returning", Some(employer.id.as_str()))
    );
}

#[test]
fn the_cli_names_every_bad_line_exits_non_zero_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    let mut text = good_csv(4);
    text = text.replace(phone(2).as_str(), "1390000"); // line 3: short phone
    text = text.replace(resident_id(4).as_str(), &resident_id(4).as_str()[..17]); // line 5
    std::fs::write(&file, text).unwrap();
    let out = cli(
        dir.path(),
        &[
            "lists",
            "import",
            file.to_str().unwrap(),
            "--kind",
            "willing",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3") && stderr.contains("line 5"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("line 2,") && !stderr.contains("line 4,"),
        "{stderr}"
    );
    assert_eq!(people_in(dir.path()), 0);

    std::fs::write(&file, good_csv(4)).unwrap();
    let out = cli(
        dir.path(),
        &[
            "lists",
            "import",
            file.to_str().unwrap(),
            "--kind",
            "willing",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 added"));
}

#[test]
fn the_ticket_sheet_is_a_pdf_with_a_page_per_twelve_people_and_readable_qr_codes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("willing.csv");
    std::fs::write(&file, good_csv(13)).unwrap();
    let out = cli(
        dir.path(),
        &[
            "lists",
            "import",
            file.to_str().unwrap(),
            "--kind",
            "willing",
        ],
    );
    assert!(out.status.success());
    let pdf_path = dir.path().join("tickets.pdf");
    let out = cli(
        dir.path(),
        &["lists", "tickets", "--out", pdf_path.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(
        text.matches("/Type /Page ").count(),
        2,
        "13 people → 2 pages"
    );

    let codes: Vec<String> = open_kiosk(dir.path())
        .list_people()
        .unwrap()
        .into_iter()
        .map(|p| p.code)
        .collect();
    let qr = first_qr(&pdf);
    assert!(codes.iter().any(|c| qr_text(c) == qr), "decoded {qr:?}");
}

/// Where `needle` first occurs in `hay` at or after `from`.
fn find(hay: &[u8], needle: &str, from: usize) -> usize {
    from + hay[from..]
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap()
}

/// Inflates the first page's image and decodes the first QR code on it.
fn first_qr(pdf: &[u8]) -> String {
    let dict = find(pdf, "/Subtype /Image", 0);
    let field = |name: &str| -> usize {
        let at = find(pdf, name, dict) + name.len();
        let digits: String = pdf[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        digits.parse().unwrap()
    };
    let (w, h, len) = (field("/Width "), field("/Height "), field("/Length "));
    let start = find(pdf, "stream\n", dict) + "stream\n".len();
    let mut rgb = Vec::new();
    flate2::read::ZlibDecoder::new(&pdf[start..start + len])
        .read_to_end(&mut rgb)
        .unwrap();
    assert_eq!(rgb.len(), w * h * 3);
    // The first ticket sits in the top-left third of the page.
    let (cw, ch) = (w / 3 + 40, h / 4 + 40);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(cw, ch, |x, y| {
        let i = (y * w + x) * 3;
        ((u16::from(rgb[i]) + u16::from(rgb[i + 1]) + u16::from(rgb[i + 2])) / 3) as u8
    });
    let grids = img.detect_grids();
    assert!(!grids.is_empty(), "a QR code is on the first ticket");
    grids[0].decode().unwrap().1
}
