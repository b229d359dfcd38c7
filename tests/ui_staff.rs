//! The staff panel through the real UI (i-slint-backend-testing): the PIN, today's
//! counts, the upload status, and an export to a "USB stick" folder — masked, then
//! full with the PIN again (wrong PIN first), read back from the files and the audit log.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::app::export::default_file_name;
use jobfair_kiosk::export::Format;
use jobfair_kiosk::gui::{
    AppState, BaseState, ExportFailure, ExportState, ImportFailure, ImportState, Page,
    StaffAdapter, StaffDialog, StaffPanel, UploadState,
};
use slint::ComponentHandle;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs the event loop until everything queued so far (by worker threads too) ran.
fn pump() {
    slint::invoke_from_event_loop(|| {
        let _ = slint::quit_event_loop();
    })
    .unwrap();
    slint::run_event_loop().unwrap();
}

/// Pumps until the export leaves the "running" state; returns the final state.
fn wait_for_export(ui: &Ui) -> ExportState {
    let p = ui.w().global::<StaffPanel>();
    let start = Instant::now();
    loop {
        pump();
        let state = p.get_export_state();
        if state != ExportState::Running {
            return state;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "export never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

/// Taps the LAST button with this label (a dialog's button sits above the page's).
fn tap_last(ui: &Ui, label: &str) {
    let hits = ui.find(label, AccessibleRole::Button);
    hits.last().unwrap().invoke_accessible_default_action();
}

fn open_panel(ui: &Ui) {
    ui.tap("工作人员");
    assert_eq!(ui.page(), Page::Pin);
    ui.keypad("2468");
    ui.tap("确定");
    assert_eq!(
        ui.page(),
        Page::Staff,
        "the right PIN opens the staff panel"
    );
}

#[test]
fn staff_panel_counts_and_exports() {
    let usb = tempfile::tempdir().unwrap();
    let stick = usb.path().join("KINGSTON");
    std::fs::create_dir(&stick).unwrap();
    // SAFETY: set before any other thread of this test binary reads the environment.
    unsafe { std::env::set_var("JOBFAIR_USB_ROOTS", usb.path()) };

    let ui = Ui::start();
    {
        let mut kiosk = ui.gui.kiosk.borrow_mut();
        kiosk.set_staff_pin("2468").unwrap();
        for n in 1..=3 {
            let draft = common::draft(&kiosk, n);
            kiosk.register(&draft).unwrap();
        }
    }
    // The status bar shows the three sign-ups waiting; no base is configured here.
    let p = ui.w().global::<StaffPanel>();
    let app = ui.w().global::<AppState>();
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(2_100));
    assert_eq!(app.get_pending_uploads(), 3);
    assert_eq!(
        app.get_base_state(),
        BaseState::NoBase,
        "no base configured"
    );

    open_panel(&ui);
    assert_eq!(ui.value("今日报名", AccessibleRole::Text), "3");
    assert_eq!(ui.value("待上传", AccessibleRole::Text), "3");
    let per_hour: i32 = slint::Model::iter(&p.get_per_hour()).sum();
    assert_eq!(per_hour, 3, "the hourly chart adds up to today's sign-ups");
    assert_eq!(slint::Model::row_count(&p.get_per_hour()), 24);
    let top = slint::Model::row_data(&p.get_per_opening(), 0).unwrap();
    assert_eq!(top.count, 3, "every draft chose the fair's first openings");
    let village = slint::Model::row_data(&p.get_per_village(), 0).unwrap();
    assert_eq!(village.label, "高增乡 小黄村");
    assert_eq!(village.count, 3);
    // In English the rows are named in English (the fair file's names_en, else pinyin), at once.
    ui.tap("English");
    let village = slint::Model::row_data(&p.get_per_village(), 0).unwrap();
    assert_eq!(village.label, "Gaozeng Township, Xiaohuang Village");
    let top = slint::Model::row_data(&p.get_per_opening(), 0).unwrap();
    assert!(
        top.label.starts_with("Assembly line worker"),
        "{}",
        top.label
    );
    ui.tap("中文");
    assert_eq!(
        p.get_last_upload_state(),
        UploadState::NoBase,
        "the panel says no base is set"
    );

    // Masked CSV export to the USB stick.
    ui.tap("导出");
    assert_eq!(
        p.get_dialog(),
        StaffDialog::Export,
        "the export dialog is open"
    );
    let first = slint::Model::row_data(&p.get_folders(), 0).unwrap();
    assert_eq!(
        Path::new(first.path.as_str()),
        stick,
        "the USB stick is offered first"
    );
    assert!(first.removable);
    assert_eq!(p.get_folder_index(), 0, "the only stick is preselected");
    ui.tap("CSV");
    tap_last(&ui, "导出");
    assert_eq!(
        wait_for_export(&ui),
        ExportState::Done,
        "export done: {:?}",
        p.get_export_failure()
    );
    assert_eq!(p.get_export_rows(), 3);
    let files = files_in(&stick);
    assert_eq!(files.len(), 1, "one file on the stick: {files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV starts with the BOM"
    );
    let text = String::from_utf8(bytes).unwrap();
    let phone = common::phone(1).as_str().to_string();
    assert!(!text.contains(&phone), "the default export is masked");
    assert!(text.contains(&format!("{}****{}", &phone[..3], &phone[7..])));

    // Full export: a wrong PIN exports nothing, the right one writes the numbers and an audit row.
    ui.tap("JSON");
    ui.find(
        "完整身份证号和手机号（需要工作人员密码）",
        AccessibleRole::Checkbox,
    )[0]
    .invoke_accessible_default_action();
    assert!(p.get_export_unmasked());
    ui.keypad("1111");
    tap_last(&ui, "导出");
    assert_eq!(
        wait_for_export(&ui),
        ExportState::WrongPin,
        "a wrong PIN is refused"
    );
    assert_eq!(
        files_in(&stick).len(),
        1,
        "nothing written with a wrong PIN"
    );
    ui.keypad("2468");
    tap_last(&ui, "导出");
    assert_eq!(
        wait_for_export(&ui),
        ExportState::Done,
        "export done: {:?}",
        p.get_export_failure()
    );
    let files = files_in(&stick);
    assert_eq!(files.len(), 2, "the JSON file is there too: {files:?}");
    let json = files
        .iter()
        .find(|f| f.extension().unwrap() == "jsonl" || f.extension().unwrap() == "json")
        .unwrap();
    let text = std::fs::read_to_string(json).unwrap();
    assert!(text.contains(&phone), "the full export has the full phone");
    let audits: i64 = ui
        .db()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'export_unmasked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1, "one audit row for the one full export");

    // The stick is pulled out: one translated message naming its folder, which is not
    // made again on the kiosk's own disk.
    std::fs::remove_dir_all(&stick).unwrap();
    p.set_export_unmasked(false);
    ui.tap("CSV");
    tap_last(&ui, "导出");
    assert_eq!(wait_for_export(&ui), ExportState::Failed);
    assert_eq!(p.get_export_failure(), ExportFailure::NoFolder);
    ui.find(
        &format!(
            "文件夹 {} 不存在，没有导出。请重新插入U盘，或选择其他位置。",
            stick.display()
        ),
        AccessibleRole::Text,
    );
    assert!(!stick.exists(), "a pulled stick's folder is not made");

    // Back in, with files of this minute's (and the next minute's) dated name on it:
    // the export takes a new name, keeps the old files and says so.
    std::fs::create_dir(&stick).unwrap();
    let fair_id = ui.gui.kiosk.borrow().fair().fair.id.clone();
    let now = chrono::Local::now();
    for t in [now, now + chrono::Duration::minutes(1)] {
        let name = default_file_name(&fair_id, Format::Csv, true, t);
        std::fs::write(stick.join(name), "an earlier export").unwrap();
    }
    tap_last(&ui, "导出");
    assert_eq!(wait_for_export(&ui), ExportState::DoneRenamed);
    let path = p.get_export_path().to_string();
    assert!(path.ends_with("-脱敏-masked-2.csv"), "{path}");
    ui.find(
        &format!("已保存 3 行到 {path}（同名文件已存在，已保留原文件）。"),
        AccessibleRole::Text,
    );
    assert_eq!(files_in(&stick).len(), 3);

    tap_last(&ui, "关闭");
    assert_eq!(p.get_dialog(), StaffDialog::None);

    // Import openings from the stick: a broken file imports nothing and says why; a good one
    // replaces the openings the villagers browse.
    std::fs::write(stick.join("bad.csv"), "this is not an openings table\n").unwrap();
    let mut fair: serde_json::Value =
        serde_json::from_str(include_str!("../assets/demo-fair.json")).unwrap();
    fair["openings"][0]["title"] = "测试新岗位".into();
    std::fs::write(stick.join("fair.json"), fair.to_string()).unwrap();
    ui.tap("导入岗位");
    assert_eq!(p.get_dialog(), StaffDialog::Import);
    let listed: Vec<String> = slint::Model::iter(&p.get_import_files())
        .map(|f| f.to_string())
        .collect();
    assert!(listed.iter().any(|f| f.ends_with("bad.csv")), "{listed:?}");
    assert!(
        listed.iter().any(|f| f.ends_with("fair.json")),
        "{listed:?}"
    );
    let bad = listed.iter().find(|f| f.ends_with("bad.csv")).unwrap();
    ui.tap(bad);
    assert_eq!(
        p.get_import_state(),
        ImportState::Failed,
        "a broken file is refused"
    );
    assert_eq!(p.get_import_failure(), ImportFailure::BadFile);
    let said = ui.value("导入结果", AccessibleRole::Text);
    assert!(
        said.contains("bad.csv") && said.contains("第 1 行") && !said.contains("header"),
        "the reason, in Chinese, naming the file and the line: {said}"
    );
    let before = ui.gui.kiosk.borrow().fair().openings[0].title.clone();
    assert_ne!(before, "测试新岗位");
    let good = listed.iter().find(|f| f.ends_with("fair.json")).unwrap();
    ui.tap(good);
    assert_eq!(
        p.get_import_state(),
        ImportState::Done,
        "imported: {:?}",
        p.get_import_failure()
    );
    assert_eq!(ui.gui.kiosk.borrow().fair().openings[0].title, "测试新岗位");
    let shown = ui
        .w()
        .global::<jobfair_kiosk::gui::OpeningsAdapter>()
        .get_openings();
    assert!(
        slint::Model::iter(&shown).any(|c| c.title == "测试新岗位"),
        "the openings list shows the imported title"
    );
    tap_last(&ui, "关闭");

    // Upload now without a base: nothing breaks, the panel still says no base is set.
    ui.tap("立即上传");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(2_100));
    assert_eq!(p.get_last_upload_state(), UploadState::NoBase);
    assert_eq!(app.get_pending_uploads(), 3, "nothing was lost or sent");

    // Closing the program asks for confirmation and the PIN; Cancel goes back to the panel.
    ui.tap("关闭报名程序");
    assert_eq!(ui.page(), Page::Pin, "one tap does not close the program");
    assert!(ui.w().global::<StaffAdapter>().get_exit_intent());
    ui.find("关闭报名程序？", AccessibleRole::Text);
    ui.tap("取消");
    assert_eq!(ui.page(), Page::Staff);

    // Going home clears the panel.
    ui.tap("返回报名机");
    assert_eq!(ui.page(), Page::Home);

    // A PIN changed from the command line while the kiosk runs counts at once.
    jobfair_kiosk::app::set_staff_pin(ui.dir.path(), "1357").unwrap();
    ui.tap("工作人员");
    ui.keypad("1357");
    ui.tap("确定");
    assert_eq!(ui.page(), Page::Staff, "the new PIN opens the panel");
}
