//! Exports that never replace a file silently, say masked or unmasked in their name,
//! carry real Excel dates, and fail with one clear message; the ticket sheet PDF is as
//! private and atomic as every other output.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use common::{draft, mode, open_kiosk, phone, resident_id};
use jobfair_kiosk::app::Kiosk;
use jobfair_kiosk::app::export::{Masking, default_file_name};
use jobfair_kiosk::export::Format;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PIN: &str = "947361";

fn kiosk_with_sign_ups(dir: &Path) -> Kiosk {
    let mut kiosk = open_kiosk(dir);
    kiosk.set_staff_pin(PIN).unwrap();
    for n in 1..=2 {
        kiosk.register(&draft(&kiosk, n)).unwrap();
    }
    kiosk
}

fn no_progress() -> impl FnMut(u64, u64) {
    |_, _| {}
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn cli(data_dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    common::ensure_keyring(data_dir);
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_masked_and_an_unmasked_export_of_the_same_minute_keep_both_files_and_say_which_is_which() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    let masked = kiosk
        .export(Format::Csv, &stick, Masking::Masked, &mut no_progress())
        .unwrap();
    let full = kiosk
        .export_unmasked(PIN, "staff", Format::Csv, &stick, &mut no_progress())
        .unwrap();
    assert_ne!(masked.path, full.path);
    assert_eq!(names_in(&stick).len(), 2, "{:?}", names_in(&stick));
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name(&masked.path).ends_with("-脱敏-masked.csv"),
        "{masked:?}"
    );
    assert!(name(&full.path).ends_with("-完整-unmasked.csv"), "{full:?}");
    let masked_text = std::fs::read_to_string(&masked.path).unwrap();
    assert!(!masked_text.contains(phone(1).as_str()), "still masked");
    let full_text = std::fs::read_to_string(&full.path).unwrap();
    assert!(full_text.contains(resident_id(1).as_str()));
}

#[test]
fn an_export_whose_dated_name_is_taken_takes_a_new_name_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).unwrap();
    // The dated names of this minute and the next are taken already.
    let now = Local::now();
    let fair = kiosk.fair().fair.id.clone();
    let taken: Vec<String> = [now, now + chrono::Duration::minutes(1)]
        .into_iter()
        .map(|t| default_file_name(&fair, Format::Json, true, t))
        .collect();
    for name in &taken {
        std::fs::write(stick.join(name), "an earlier export").unwrap();
    }
    let report = kiosk
        .export(Format::Json, &stick, Masking::Masked, &mut no_progress())
        .unwrap();
    assert!(report.renamed, "{report:?}");
    let name = report
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with("-脱敏-masked-2.jsonl"), "{name}");
    assert!(!taken.contains(&name));
    for name in &taken {
        assert_eq!(
            std::fs::read_to_string(stick.join(name)).unwrap(),
            "an earlier export"
        );
    }
    assert_eq!(names_in(&stick).len(), 3);
}

#[test]
fn an_export_to_an_existing_file_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("report.csv");
    std::fs::write(&out, "staff notes, not an export\r\n").unwrap();
    let err = kiosk
        .export(Format::Csv, &out, Masking::Masked, &mut no_progress())
        .unwrap_err()
        .to_string();
    assert!(err.contains("already exists and was not replaced"), "{err}");
    assert!(err.contains("report.csv"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "staff notes, not an export\r\n"
    );
    assert_eq!(
        names_in(dir.path()),
        ["data", "report.csv"],
        "no partial left"
    );
}

#[test]
fn the_cli_names_a_missing_folder_once_without_the_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    kiosk_with_sign_ups(&data);
    let missing = dir.path().join("usb-stick");
    let out = cli(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            missing.join("x.csv").to_str().unwrap(),
        ],
        &[],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(".partial"), "{stderr}");
    assert!(!stderr.contains("No such file or directory"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("plug in the USB stick"), "{stderr}");
    assert!(stderr.contains("不存在"), "{stderr}");
    assert_eq!(
        stderr.matches(missing.to_str().unwrap()).count(),
        2,
        "the folder, once in each language:\n{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message:\n{stderr}");
}

#[test]
fn the_cli_says_one_try_left_not_one_tries() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    kiosk_with_sign_ups(&data);
    let out_file = dir.path().join("full.csv");
    let mut last = String::new();
    for _ in 0..4 {
        let out = cli(
            &data,
            &[
                "export",
                "--format",
                "csv",
                "--unmasked",
                "--out",
                out_file.to_str().unwrap(),
            ],
            &[("JOBFAIR_STAFF_PIN", "000000")],
        );
        assert!(!out.status.success());
        last = String::from_utf8_lossy(&out.stderr).into_owned();
    }
    assert!(last.contains("1 try left"), "{last}");
    assert!(!last.contains("1 tries"), "{last}");
    assert!(!out_file.exists());
}

/// Days from Excel's epoch (1899-12-30) plus the fraction of the day.
fn excel_serial(date: NaiveDate, seconds: u32) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (date - epoch).num_days() as f64 + f64::from(seconds) / 86_400.0
}

#[test]
fn xlsx_birth_dates_and_times_are_real_excel_dates_and_ids_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = kiosk_with_sign_ups(&dir.path().join("data"));
    let out = dir.path().join("full.xlsx");
    kiosk
        .export_unmasked(PIN, "staff", Format::Xlsx, &out, &mut no_progress())
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let rows: Vec<Vec<Data>> = book
        .worksheet_range("报名 Sign-ups")
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect();
    let at = |header: &str| {
        rows[0]
            .iter()
            .position(|c| *c == Data::String(header.into()))
            .unwrap_or_else(|| panic!("no column {header}"))
    };
    let (birth, registered) = (at("出生日期 Birth date"), at("登记时间 Registered at"));
    let stored: Vec<DateTime<Utc>> = {
        let conn = kiosk.store().conn();
        let mut stmt = conn
            .prepare("SELECT created_at FROM registrations ORDER BY created_at")
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|t| DateTime::parse_from_rfc3339(&t.unwrap()).unwrap().to_utc())
            .collect()
    };
    for (row, n) in rows[1..].iter().zip(1..) {
        let Data::DateTime(b) = &row[birth] else {
            panic!("birth date is {:?}", row[birth]);
        };
        assert!(b.is_datetime());
        let born = resident_id(n).birth_date();
        assert_eq!(b.as_f64(), excel_serial(born, 0));
        let Data::DateTime(r) = &row[registered] else {
            panic!("registration time is {:?}", row[registered]);
        };
        let local = stored[n as usize - 1].with_timezone(&Local).naive_local();
        let seconds = local.time().num_seconds_from_midnight();
        assert!((r.as_f64() - excel_serial(local.date(), seconds)).abs() < 1e-6);
        assert_eq!(
            row[at("身份证号 Resident ID")],
            Data::String(resident_id(n).as_str().into())
        );
        assert_eq!(
            row[at("手机 Phone")],
            Data::String(phone(n).as_str().into())
        );
    }
}

#[test]
fn the_ticket_sheet_pdf_is_0600_and_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    open_kiosk(&data);
    let list = dir.path().join("willing.csv");
    std::fs::write(
        &list,
        format!(
            "姓名,手机\n张三,{}\n李四,{}\n",
            phone(1).as_str(),
            phone(2).as_str()
        ),
    )
    .unwrap();
    let imported = cli(
        &data,
        &[
            "lists",
            "import",
            list.to_str().unwrap(),
            "--kind",
            "willing",
        ],
        &[],
    );
    assert!(imported.status.success());
    let pdf = dir.path().join("out").join("tickets.pdf");
    std::fs::create_dir(pdf.parent().unwrap()).unwrap();
    // Under umask 000 a plain write would make it 0666.
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["lists", "tickets", "--out"])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&pdf), 0o600);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert_eq!(
        names_in(pdf.parent().unwrap()),
        ["tickets.pdf"],
        "no partial left"
    );
}
