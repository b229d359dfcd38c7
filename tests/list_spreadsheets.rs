//! Lists as township clerks really make them: resident IDs typed into number cells (Excel
//! keeps 15 digits), phones as numbers, a title and a blank row above the header, and
//! IDs born after the fair. Files made with rust_xlsxwriter here, and with openpyxl
//! (`tests/fixtures/lists/make.py`), a writer no one here wrote.

mod common;

use common::{open_kiosk, phone, resident_id};
use jobfair_kiosk::app::lists::ListImportError;
use jobfair_kiosk::domain::lists::{ListError, ListKind, Problem};
use jobfair_kiosk::domain::resident_id::synthesize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Synthetic IDs and what Excel keeps of them in a number cell (15 significant digits):
/// every kept number still passes the check character, and the sex digit flipped.
const CHANGED_BY_EXCEL: [(&str, f64); 5] = [
    ("520000198402053518", 5.200_001_984_020_54e17),
    ("520000198402061518", 5.200_001_984_020_62e17),
    ("520000198402070019", 5.200_001_984_020_7e17),
    ("520000198402088518", 5.200_001_984_020_89e17),
    ("520000198402096518", 5.200_001_984_020_97e17),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lists")
        .join(name)
}

fn people_in(dir: &Path) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("kiosk.db")).unwrap();
    conn.query_row("SELECT COUNT(*) FROM list_people", [], |r| r.get(0))
        .unwrap()
}

fn import(dir: &Path, file: &Path) -> Output {
    common::ensure_keyring(dir);
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(["lists", "import"])
        .arg(file)
        .args(["--kind", "willing"])
        .output()
        .unwrap()
}

/// 姓名 | 手机 | 身份证号: row 2 with its ID as text, rows 3–7 with IDs typed into
/// number cells; phones are numbers everywhere.
fn ids_in_number_cells(file: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "手机", "身份证号"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "赵云").unwrap();
    sheet
        .write_number(1, 1, phone(1).as_str().parse::<f64>().unwrap())
        .unwrap();
    sheet.write_string(1, 2, resident_id(1).as_str()).unwrap();
    for (i, (_, kept)) in CHANGED_BY_EXCEL.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string(row, 0, "关羽").unwrap();
        sheet
            .write_number(row, 1, phone(row).as_str().parse::<f64>().unwrap())
            .unwrap();
        sheet.write_number(row, 2, *kept).unwrap();
    }
    book.save(file).unwrap();
}

#[test]
fn ids_typed_into_number_cells_refuse_the_whole_file_naming_the_column_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("township.xlsx");
    ids_in_number_cells(&file);
    let out = import(dir.path(), &file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a changed ID must not go in:\n{stderr}"
    );
    assert_eq!(people_in(dir.path()), 0, "all or nothing");
    for said in [
        "column (C, \"身份证号\") is stored as numbers in row(s) 3–7",
        "Excel keeps only 15 digits",
        "Format the column as Text, type the IDs again",
        "（C 列“身份证号”）存成了数字，第 3–7 行",
        "设置为“文本”格式",
    ] {
        assert!(stderr.contains(said), "{said:?} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("check character"), "misleading:\n{stderr}");
    // Never stored, never printed: neither what Excel kept nor the real number.
    for (real, kept) in CHANGED_BY_EXCEL {
        let kept = format!("{kept:.0}");
        assert!(
            !stderr.contains(real) && !stderr.contains(&kept),
            "{stderr}"
        );
    }
}

#[test]
fn the_app_refuses_number_cell_ids_as_one_error_before_judging_rows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("township.xlsx");
    ids_in_number_cells(&file);
    let mut kiosk = open_kiosk(dir.path());
    let err = kiosk
        .import_list(&file, ListKind::Willing, None)
        .unwrap_err();
    let ListImportError::List(ListError::IdsStoredAsNumbers {
        header,
        letter,
        lines,
    }) = err
    else {
        panic!("{err}");
    };
    assert_eq!((header.as_str(), letter.as_str()), ("身份证号", "C"));
    assert_eq!(lines, [3, 4, 5, 6, 7]);
}

#[test]
fn an_openpyxl_sheet_with_ids_as_numbers_under_a_title_row_is_refused_by_its_excel_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(dir.path(), &fixture("ids-as-numbers.xlsx"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("column (D, \"身份证号\") is stored as numbers in row(s) 4–6"),
        "{stderr}"
    );
    assert!(!stderr.contains("missing column"), "{stderr}");
    assert_eq!(people_in(dir.path()), 0);
}

#[test]
fn a_title_and_a_blank_row_above_the_header_are_skipped_and_number_phones_read_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(dir.path(), &fixture("title-row-ids-as-text.xlsx"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 added"));
    let kiosk = open_kiosk(dir.path());
    let people = kiosk.list_people().unwrap();
    // Stored sealed (issue 17): opened with the staff key to compare.
    let whole: Vec<_> = people
        .iter()
        .map(|p| kiosk.list_numbers(p).unwrap())
        .collect();
    let mut rows: Vec<(u32, &str, &str, Option<&str>)> = people
        .iter()
        .zip(&whole)
        .map(|(p, w)| {
            (
                p.line,
                p.name.as_str(),
                w.phone.as_str(),
                w.resident_id.as_deref(),
            )
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            (4, "张伟", "13900000101", Some("520000198402051555")),
            (5, "王芳", "13900000102", Some("520000199003122461")),
            (6, "李强", "13900000103", Some("520000197901010139")),
        ],
        "rows as Excel numbers them; phones without `.0`, IDs exactly as typed"
    );
}

#[test]
fn list_ids_born_after_the_day_of_the_fair_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let fair_date = kiosk.fair().fair.date;
    let born = |date: chrono::NaiveDate, seq| synthesize("520000", date, seq).as_str().to_string();
    let tomorrow = fair_date.succ_opt().unwrap();
    let ymd = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        format!(
            "姓名,手机,身份证号\n甲,{},{}\n乙,{},{}\n丙,{},{}\n丁,{},{}\n",
            phone(1).as_str(),
            born(fair_date, 1),
            phone(2).as_str(),
            born(tomorrow, 2),
            phone(3).as_str(),
            born(ymd(2030, 6, 1), 3),
            phone(4).as_str(),
            born(ymd(9999, 12, 31), 4),
        ),
    )
    .unwrap();
    let err = kiosk
        .import_list(&file, ListKind::Willing, None)
        .unwrap_err();
    let ListImportError::List(ListError::Rows(rows)) = err else {
        panic!("{err}");
    };
    let bad: Vec<(usize, &Problem)> = rows.iter().map(|r| (r.line, &r.problem)).collect();
    assert_eq!(
        bad,
        [
            (3, &Problem::BornAfterFair),
            (4, &Problem::BornAfterFair),
            (5, &Problem::BornAfterFair)
        ],
        "born on the day of the fair is fine, after it is not"
    );
    assert_eq!(people_in(dir.path()), 0);
}
