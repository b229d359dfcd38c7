//! `jobfair-kiosk openings import FILE`, run as the real binary: a good CSV goes
//! in, a CSV with a bad line or a JSON with a bad value changes nothing and says
//! where the problem is.

mod common;

use jobfair_kiosk::app::kiosk::demo_fair;
use jobfair_kiosk::app::{Error, ImportError};
use jobfair_kiosk::store::{Store, fairs};
use std::path::Path;
use std::process::{Command, Output};

const HEADER: &str = "id,employer,employer_city,employer_industry,title,title_en,trade,headcount,wage_min,wage_max,benefits,age_min,age_max,skills,work_place,shift";

fn row(id: u16, employer: &str, trade: &str) -> String {
    format!(
        "{id},{employer},东莞,电子,普工,Operator,{trade},50,4500,6000,dormitory|meals,18,45,,东莞市,two_shifts"
    )
}

fn csv(rows: &[String]) -> String {
    let mut text = HEADER.to_string();
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text
}

fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .output()
        .expect("the binary runs")
}

fn import(data_dir: &Path, file: &Path) -> Output {
    run(data_dir, &["openings", "import", file.to_str().unwrap()])
}

fn installed_opening_ids(data_dir: &Path) -> Vec<u16> {
    let store = Store::open(data_dir).unwrap();
    let fair = fairs::current(store.conn())
        .unwrap()
        .expect("a fair is installed");
    fair.openings.iter().map(|o| o.id).collect()
}

/// A data dir with the demo fair installed (as after the first start).
fn data_dir_with_demo_fair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(common::open_kiosk(dir.path()));
    dir
}

#[test]
fn a_good_csv_replaces_the_openings_and_says_how_many() {
    let dir = data_dir_with_demo_fair();
    let file = dir.path().join("openings.csv");
    std::fs::write(
        &file,
        csv(&[
            row(1, "甲厂", "assembly"),
            row(2, "乙厂", "welding"),
            row(3, "甲厂", "cnc"),
        ]),
    )
    .unwrap();
    let out = import(dir.path(), &file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2 employers, 3 openings"), "{stdout}");
    // The demo fair's buses go to 浙江永康, where none of the new employers is.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("departures dropped") && stderr.contains("bus-gaozeng-1"),
        "{stderr}"
    );
    let store = Store::open(dir.path()).unwrap();
    let fair = fairs::current(store.conn()).unwrap().unwrap();
    assert!(fair.departures.is_empty());
    assert_eq!(installed_opening_ids(dir.path()), [1, 2, 3]);
    let shown = run(dir.path(), &["fair", "show"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("openings:  3"));
}

#[test]
fn a_csv_with_a_bad_line_4_changes_nothing_and_names_line_4() {
    let dir = data_dir_with_demo_fair();
    let before = installed_opening_ids(dir.path());
    let file = dir.path().join("openings.csv");
    let rows = [
        row(1, "甲厂", "assembly"),
        row(2, "乙厂", "welding"),
        row(3, "甲厂", "juggling"),
    ];
    std::fs::write(&file, csv(&rows)).unwrap();
    let out = import(dir.path(), &file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(installed_opening_ids(dir.path()), before);
}

#[test]
fn a_json_fair_file_with_a_bad_enum_changes_nothing_and_names_the_path() {
    let dir = data_dir_with_demo_fair();
    let before = installed_opening_ids(dir.path());
    let mut doc: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&demo_fair().unwrap()).unwrap()).unwrap();
    doc["openings"][2]["trade"] = "juggling".into();
    let file = dir.path().join("fair.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = import(dir.path(), &file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("openings[2].trade"), "{stderr}");
    assert_eq!(installed_opening_ids(dir.path()), before);
}

#[test]
fn a_json_fair_file_installs_a_new_fair_in_an_empty_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut fair = demo_fair().unwrap();
    fair.fair.id = "test-fair-2027".into();
    fair.openings.truncate(4);
    let file = dir.path().join("fair.json");
    std::fs::write(&file, serde_json::to_string(&fair).unwrap()).unwrap();
    let out = import(dir.path(), &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 openings"));
    assert_eq!(
        common::open_kiosk(dir.path()).fair().fair.id,
        "test-fair-2027"
    );
}

#[test]
fn a_json_file_of_another_fair_is_refused_once_a_real_fair_is_installed() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    let mut fair = demo_fair().unwrap();
    fair.fair.id = "test-fair-a".into();
    let file = dir.path().join("a.json");
    std::fs::write(&file, serde_json::to_string(&fair).unwrap()).unwrap();
    let report = kiosk.import_openings(&file).unwrap();
    assert!(report.new_fair, "the demo fair may be replaced");
    assert_eq!(kiosk.fair().fair.id, "test-fair-a");

    fair.fair.id = "test-fair-b".into();
    std::fs::write(&file, serde_json::to_string(&fair).unwrap()).unwrap();
    let err = kiosk.import_openings(&file).unwrap_err();
    assert!(
        matches!(err, Error::Import(ImportError::OtherFair { .. })),
        "{err:?}"
    );
    assert_eq!(kiosk.fair().fair.id, "test-fair-a");
}

#[test]
fn dropping_an_opening_that_sign_ups_chose_is_reported_as_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = common::open_kiosk(dir.path());
    let chosen = common::draft(&kiosk, 1);
    kiosk.register(&chosen).unwrap();
    let keep: Vec<u16> = kiosk
        .fair()
        .openings
        .iter()
        .skip(2)
        .take(3)
        .map(|o| o.id)
        .collect();
    let mut fair = kiosk.fair().clone();
    fair.openings.retain(|o| keep.contains(&o.id));
    let file = dir.path().join("fewer.json");
    std::fs::write(&file, serde_json::to_string(&fair).unwrap()).unwrap();
    drop(kiosk);

    let out = import(dir.path(), &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning"), "{stderr}");
    for id in &chosen.openings {
        assert!(stderr.contains(&id.to_string()), "{stderr}");
    }
    assert_eq!(installed_opening_ids(dir.path()), keep);
}

#[test]
fn a_csv_of_employers_in_the_departures_city_keeps_the_departures() {
    let dir = data_dir_with_demo_fair();
    let file = dir.path().join("openings.csv");
    let rows: Vec<String> = [row(1, "甲厂", "assembly"), row(2, "乙厂", "welding")]
        .iter()
        .map(|r| r.replace(",东莞,", ",浙江永康,"))
        .collect();
    std::fs::write(&file, csv(&rows)).unwrap();
    let out = import(dir.path(), &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("departures dropped"));
    let store = Store::open(dir.path()).unwrap();
    let fair = fairs::current(store.conn()).unwrap().unwrap();
    assert_eq!(fair.departures, demo_fair().unwrap().departures);
}
