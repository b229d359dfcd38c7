//! Exports written as real files in a temp dir from a real kiosk (sign-ups made
//! through `Kiosk::register`, booth stages inserted as rows), then read back:
//! the XLSX with calamine, the CSV byte by byte and with a CSV reader, the JSON
//! lines with serde_json; the unmasked export's PIN and audit row. The command
//! line is tested in `cli_export.rs`.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{draft, open_kiosk, phone, resident_id};
use jobfair_kiosk::app::export::Masking;
use jobfair_kiosk::app::{Error, Kiosk, PinCheck};
use jobfair_kiosk::export::Format;
use jobfair_kiosk::store::audit;
use std::path::Path;

const PIN: &str = "947361";
const NAMES: [&str; 3] = ["王小明", "李娟", "阿依古丽·买买提"];

/// A kiosk with a staff PIN, three sign-ups with Chinese names and two booth
/// stages for the first sign-up on the fair's first opening.
fn kiosk_with_sign_ups(dir: &Path) -> Kiosk {
    let mut kiosk = open_kiosk(dir);
    kiosk.set_staff_pin(PIN).unwrap();
    let mut first = None;
    for (n, name) in (1..).zip(NAMES) {
        let mut d = draft(&kiosk, n);
        d.name = name.into();
        let issued = kiosk.register(&d).unwrap();
        first.get_or_insert(issued.registration_id);
    }
    let opening = &kiosk.fair().openings[0];
    let conn = kiosk.store().conn();
    conn.execute(
        "INSERT INTO booths (id, fair_id, employer, pin_hash, created_at)
         VALUES (1, ?1, ?2, 'x', '2027-02-15T01:00:00.000Z')",
        [kiosk.fair().fair.id.as_str(), opening.employer.as_str()],
    )
    .unwrap();
    for (i, stage) in ["interested", "interviewed"].into_iter().enumerate() {
        conn.execute(
            "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, note, at)
             VALUES (?1, 1, ?2, ?3, ?4, '带身份证', ?5)",
            rusqlite::params![
                uuid::Uuid::now_v7().to_string(),
                first.unwrap().to_string(),
                opening.id,
                stage,
                format!("2027-02-15T02:0{i}:00.000Z"),
            ],
        )
        .unwrap();
    }
    kiosk
}

fn no_progress() -> impl FnMut(u64, u64) {
    |_, _| {}
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// The cells of the column whose header is `header`, below the header.
fn column(rows: &[Vec<Data>], header: &str) -> Vec<Data> {
    let i = rows[0]
        .iter()
        .position(|c| *c == Data::String(header.into()))
        .unwrap_or_else(|| panic!("no column {header}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

fn strings<S: ToString>(cells: impl IntoIterator<Item = S>) -> Vec<Data> {
    cells
        .into_iter()
        .map(|s| Data::String(s.to_string()))
        .collect()
}

#[test]
fn unmasked_xlsx_keeps_ids_and_phones_as_text_and_chinese_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("full.xlsx");
    let report = kiosk
        .export_unmasked(PIN, "staff", Format::Xlsx, &out, &mut no_progress())
        .unwrap();
    let counts = (report.sign_ups, report.stages, report.masked);
    assert_eq!(counts, (3, 2, false));

    let book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "报名 Sign-ups",
            "摊位进度 Booth stages",
            "岗位汇总 Per opening"
        ]
    );
    let rows = sheet(&out, "报名 Sign-ups");
    assert_eq!(rows.len(), 4, "header and three sign-ups");
    let ids = (1..=3).map(|n| resident_id(n).as_str().to_string());
    assert_eq!(column(&rows, "身份证号 Resident ID"), strings(ids));
    let phones = (1..=3).map(|n| phone(n).as_str().to_string());
    assert_eq!(column(&rows, "手机 Phone"), strings(phones));
    assert_eq!(column(&rows, "姓名 Name"), strings(NAMES));
    let first = &kiosk.fair().openings[0];
    let employer = kiosk.fair().employer(&first.employer).unwrap().name.clone();
    let employers = column(&rows, "企业 Employers")[0].to_string();
    assert!(employers.starts_with(&employer));

    let stages = sheet(&out, "摊位进度 Booth stages");
    assert_eq!(column(&stages, "阶段 Stage"), strings(["有意向", "已面试"]));
    assert_eq!(
        column(&stages, "姓名 Name")[0],
        Data::String(NAMES[0].into())
    );
    assert_eq!(column(&stages, "企业 Employer")[0], Data::String(employer));

    let per_opening = sheet(&out, "岗位汇总 Per opening");
    assert_eq!(per_opening.len(), kiosk.fair().openings.len() + 1);
    let row = &per_opening[1];
    assert_eq!(row[0], Data::Float(f64::from(first.id)));
    assert_eq!(
        row[4..10],
        [3.0, 1.0, 1.0, 0.0, 0.0, 0.0].map(Data::Float),
        "3 sign-ups, one candidate interested and interviewed"
    );
}

#[test]
fn xlsx_is_masked_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("masked.xlsx");
    let report = kiosk
        .export(Format::Xlsx, &out, Masking::Masked, &mut no_progress())
        .unwrap();
    assert!(report.masked);
    let rows = sheet(&out, "报名 Sign-ups");
    assert_eq!(
        column(&rows, "手机 Phone")[0],
        Data::String(phone(1).masked())
    );
    assert_eq!(
        column(&rows, "身份证号 Resident ID")[0],
        Data::String(resident_id(1).masked())
    );
    assert!(phone(1).masked().contains("****"));
    for row in &rows {
        for cell in row {
            let text = cell.to_string();
            assert!(!text.contains(phone(1).as_str()) && !text.contains(resident_id(1).as_str()));
        }
    }
}

/// Three sign-ups, renamed in the store to names a villager cannot type but a
/// spreadsheet must survive.
fn kiosk_with_awkward_names(dir: &Path) -> Kiosk {
    let kiosk = kiosk_with_sign_ups(dir);
    let awkward = [
        (NAMES[0], "=HYPERLINK(\"http://x\",\"y\")"),
        (NAMES[1], "张,三"),
        (NAMES[2], "李\"四\"\n王五"),
    ];
    for (old, new) in awkward {
        kiosk
            .store()
            .conn()
            .execute(
                "UPDATE registrations SET name = ?2 WHERE name = ?1",
                [old, new],
            )
            .unwrap();
    }
    kiosk
}

#[test]
fn csv_has_a_bom_crlf_rfc4180_quoting_and_guards_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_awkward_names(&dir.path().join("data"));
    let out = dir.path().join("sign-ups.csv");
    let report = kiosk
        .export(Format::Csv, &out, Masking::Masked, &mut no_progress())
        .unwrap();
    assert_eq!(report.sign_ups, 3);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.starts_with("登记码 Code,登记时间 Registered at,姓名 Name,"));
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count(), 4, "header and three records");
    assert_eq!(text.matches('\n').count(), 5, "and a LF in a name");
    assert!(text.contains(r#","'=HYPERLINK(""http://x"",""y"")","#));
    assert!(text.contains(",\"张,三\","));
    assert!(text.contains(",\"李\"\"四\"\"\n王五\","));

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[2].into()).collect();
    assert_eq!(
        names,
        ["'=HYPERLINK(\"http://x\",\"y\")", "张,三", "李\"四\"\n王五"]
    );
}

#[test]
fn json_lines_are_one_object_per_line_for_every_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_awkward_names(&dir.path().join("data"));
    let out = dir.path().join("export.jsonl");
    let mut calls = Vec::new();
    let report = kiosk
        .export(Format::Json, &out, Masking::Masked, &mut |done, total| {
            calls.push((done, total))
        })
        .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let count = |record: &str| lines.iter().filter(|l| l["record"] == record).count();
    let openings = kiosk.fair().openings.len();
    assert_eq!(
        (count("sign_up"), count("stage"), count("opening")),
        (3, 2, openings)
    );
    assert_eq!(report.openings as usize, openings);
    let first = &lines[0];
    assert_eq!(first["name"], "=HYPERLINK(\"http://x\",\"y\")", "no guard");
    assert_eq!(first["phone"], phone(1).masked());
    assert_eq!(first["sex"], "male");
    assert_eq!(lines[3]["stage"], "interested");
    let all = (3 + 2 + openings) as u64;
    assert_eq!(calls.last(), Some(&(all, all)), "progress ends complete");
}

#[test]
fn unmasked_export_with_a_wrong_pin_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("full.csv");
    let err = kiosk
        .export_unmasked("9999", "staff", Format::Csv, &out, &mut no_progress())
        .unwrap_err();
    assert!(matches!(
        err,
        Error::StaffPin(PinCheck::Wrong { remaining: 4 })
    ));
    assert!(!out.exists());
    assert!(audit::all(kiosk.store().conn()).unwrap().is_empty());
}

#[test]
fn unmasked_export_with_the_right_pin_leaves_an_audit_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("full.csv");
    kiosk
        .export_unmasked(PIN, "staff", Format::Csv, &out, &mut no_progress())
        .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(phone(2).as_str()));
    let rows = audit::all(kiosk.store().conn()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].actor.as_str(), rows[0].action.as_str()),
        ("staff", "export_unmasked")
    );
    let detail: serde_json::Value = serde_json::from_str(&rows[0].detail).unwrap();
    assert_eq!(detail["format"], "csv");
    assert_eq!(detail["rows"], 3);
    assert_eq!(detail["path"], out.to_str().unwrap());
}

#[test]
fn export_into_a_folder_gets_a_dated_name_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let report = kiosk
        .export(Format::Xlsx, &stick, Masking::Masked, &mut no_progress())
        .unwrap();
    let files: Vec<String> = std::fs::read_dir(&stick)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let prefix = format!("报名-{}-", kiosk.fair().fair.id);
    assert_eq!(files.len(), 1, "only the finished file: {files:?}");
    assert!(files[0].starts_with(&prefix) && files[0].ends_with(".xlsx"));
    assert_eq!(report.path, stick.join(&files[0]));
}
