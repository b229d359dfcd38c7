//! Booth mode and check-in through the real UI (i-slint-backend-testing): a scanner's keys
//! are dispatched to the window as a fast burst without Enter, then the mocked clock moves
//! past the end-of-scan gap.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::draft;
use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::gui::{
    BoothAdapter, BoothError, BoothStage, CheckIn, Page, PinState, ScanAdapter, ScanResult,
};
use slint::ComponentHandle;
use slint::platform::WindowEvent;
use std::time::Duration;

const EMPLOYER: &str = "永康市柏川园林机械有限公司";

/// Types `text` as a keyboard-wedge scanner does: every key at once, no Enter, then silence.
fn scan_burst(ui: &Ui, text: &str) {
    for c in text.chars() {
        let key: slint::SharedString = c.to_string().into();
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: key });
    }
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(150));
}

/// Types `text` like a person: one key every 400 ms.
fn type_slowly(ui: &Ui, text: &str) {
    for c in text.chars() {
        let key: slint::SharedString = c.to_string().into();
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: key });
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(400));
    }
}

fn home_screen_scans_check_the_villager_in_once(ui: &Ui, ticket: &str) {
    assert_eq!(ui.page(), Page::Home);
    let s = ui.w().global::<ScanAdapter>();
    type_slowly(ui, "JK1ABCDEFGHIJKL");
    assert_eq!(
        s.get_check_in(),
        CheckIn::None,
        "slow typing is no scan on the home screen"
    );
    scan_burst(ui, ticket);
    assert_eq!(s.get_check_in(), CheckIn::Done, "checked in");
    let banner = ui.value("签到", AccessibleRole::Text);
    assert!(
        banner.contains("测试村民") && banner.contains("已签到"),
        "{banner}"
    );
    scan_burst(ui, ticket);
    assert_eq!(s.get_check_in(), CheckIn::Already);
    let banner = ui.value("签到", AccessibleRole::Text);
    assert!(
        banner.contains("已于") && banner.contains(':'),
        "already … at HH:MM: {banner}"
    );
    let rows: i64 = ui
        .db()
        .query_row("SELECT count(*) FROM check_ins", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

fn a_recruiter_logs_in_scans_records_a_stage_and_sees_the_list(ui: &Ui, pin: &str, ticket: &str) {
    let b = ui.w().global::<BoothAdapter>();
    ui.tap("招聘摊位");
    assert_eq!(ui.page(), Page::BoothLogin);
    ui.tap(EMPLOYER);
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    ui.keypad(wrong);
    ui.tap("确定");
    assert_eq!(
        (ui.page(), b.get_pin_state(), b.get_remaining()),
        (Page::BoothLogin, PinState::Wrong, 4)
    );
    ui.keypad(pin);
    ui.tap("确定");
    assert_eq!(ui.page(), Page::BoothScan, "the right PIN opens the booth");

    // A tampered ticket: the red banner, no crash.
    let mut tampered = ticket.to_string();
    tampered.replace_range(40..41, if &ticket[40..41] == "A" { "B" } else { "A" });
    scan_burst(ui, &tampered);
    assert_eq!(
        (ui.page(), b.get_scan_result()),
        (Page::BoothScan, ScanResult::Invalid)
    );
    assert!(
        ui.value("扫码结果", AccessibleRole::Text)
            .contains("无效票")
    );

    scan_burst(ui, ticket);
    assert_eq!(ui.page(), Page::BoothCandidate);
    assert_eq!(ui.value("求职者", AccessibleRole::Text), "测试村民");
    let c = b.get_candidate();
    assert_eq!(
        slint::Model::row_count(&c.stages),
        2,
        "the two openings of this employer"
    );
    assert_eq!(c.phone, "13900000001");
    // Born 1990-03-02, the fair is on 2027-02-15: 36 on the fair's day (not 2027 − 1990).
    let line = ui.value("年龄、性别和乡镇", AccessibleRole::Text);
    assert!(line.starts_with("36岁"), "{line}");

    // The note box opens the on-screen keyboard; a note over 60 characters is refused with a
    // message and nothing is stored.
    ui.tap("备注");
    assert!(b.get_editing_note(), "the keyboard opens under the note");
    ui.find("备注", AccessibleRole::TextInput)[0].set_accessible_value("长".repeat(61));
    ui.tap("有意向");
    assert_eq!(b.get_error(), BoothError::NoteTooLong);
    ui.find(
        "备注太长：最多 60 个字。请删短后再点一次进度。",
        AccessibleRole::Text,
    );
    let rows: i64 = ui
        .db()
        .query_row("SELECT count(*) FROM stage_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "nothing stored, nothing cut");

    ui.find("备注", AccessibleRole::TextInput)[0].set_accessible_value("明天面试");
    ui.tap("有意向");
    let stage = slint::Model::row_data(&b.get_candidate().stages, 0).unwrap();
    assert_eq!(
        (stage.stage, stage.note.as_str()),
        (BoothStage::Interested, "明天面试")
    );
    // The current stage is marked (and filled): tapping it again changes nothing.
    ui.tap("✓ 有意向");
    let rows: i64 = ui
        .db()
        .query_row("SELECT count(*) FROM stage_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1, "the same stage again changes nothing");

    ui.tap("今日求职者");
    assert_eq!(ui.page(), Page::BoothList);
    assert_eq!(slint::Model::row_count(&b.get_candidates()), 1);
    let listed = slint::Model::row_data(&b.get_candidates(), 0).unwrap();
    assert_eq!(listed.name, "测试村民");
    ui.tap(&format!("{} 测试村民", listed.seen));
    assert_eq!(ui.page(), Page::BoothCandidate);

    ui.tap("扫下一位");
    the_old_ticket_of_a_villager_who_changed_openings_is_refused_on_screen(ui, ticket);
    ui.tap("退出摊位");
    assert_eq!((ui.page(), b.get_booth_id()), (Page::Home, -1));
}

/// The villager changed their openings at the kiosk (a new ticket); their old ticket
/// gets the "superseded" banner and the booth keeps the three openings.
fn the_old_ticket_of_a_villager_who_changed_openings_is_refused_on_screen(ui: &Ui, old: &str) {
    let b = ui.w().global::<BoothAdapter>();
    let new = {
        let mut kiosk = ui.gui.kiosk.borrow_mut();
        let phone = common::phone(1);
        let id = kiosk
            .lookup_existing(&phone, None)
            .unwrap()
            .unwrap()
            .registration_id;
        kiosk
            .reissue(id, &phone.as_str()[7..], &[101, 102, 103])
            .unwrap()
            .ticket
    };
    scan_burst(ui, &new);
    assert_eq!(ui.page(), Page::BoothCandidate);
    assert_eq!(slint::Model::row_count(&b.get_candidate().stages), 3);
    ui.tap("扫下一位");
    scan_burst(ui, old);
    assert_eq!(
        (ui.page(), b.get_scan_result()),
        (Page::BoothScan, ScanResult::Superseded)
    );
    assert!(
        ui.value("扫码结果", AccessibleRole::Text)
            .contains("旧票：这位村民已经换了新票，请出示最新的票。")
    );
}

/// A recruiter's booth is not reset after the villagers' 60 s: it logs out after 10 idle minutes.
fn an_idle_booth_logs_out_after_ten_minutes_not_sixty_seconds(ui: &Ui, pin: &str) {
    let b = ui.w().global::<BoothAdapter>();
    ui.tap("招聘摊位");
    ui.tap(EMPLOYER);
    ui.keypad(pin);
    ui.tap("确定");
    assert_eq!(ui.page(), Page::BoothScan);
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(ui.page(), Page::BoothScan, "still logged in after a minute");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(8 * 60));
    assert_eq!(
        ui.page(),
        Page::BoothScan,
        "still logged in after nine minutes"
    );
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(62));
    assert_eq!(
        (ui.page(), b.get_booth_id()),
        (Page::Home, -1),
        "logged out after ten idle minutes"
    );
}

fn the_booth_pin_locks_after_five_wrong_tries(ui: &Ui, pin: &str) {
    let b = ui.w().global::<BoothAdapter>();
    ui.tap("招聘摊位");
    ui.tap(EMPLOYER);
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        ui.keypad(wrong);
        ui.tap("确定");
    }
    assert_eq!(b.get_pin_state(), PinState::Locked, "locked");
    ui.keypad(pin);
    ui.tap("确定");
    assert_eq!(
        ui.page(),
        Page::BoothLogin,
        "even the right PIN waits out the lock"
    );
}

/// "1 try left", not "1 tries left": the count is a plural form (English; zh_CN has one).
fn a_wrong_pin_counts_down_in_english_with_one_try_left(ui: &Ui) {
    ui.gui.kiosk.borrow_mut().add_booth("bocheng").unwrap();
    ui.tap("取消");
    assert_eq!(ui.page(), Page::Home);
    ui.tap("English");
    ui.tap("Booth");
    ui.tap("Yongkang Bocheng Lock Co., Ltd.");
    for left in (1..=4).rev() {
        ui.keypad("000000");
        ui.tap("OK");
        let said = if left == 1 {
            "Wrong PIN. 1 try left.".to_string()
        } else {
            format!("Wrong PIN. {left} tries left.")
        };
        ui.find(&said, AccessibleRole::Text);
    }
}

#[test]
fn booth_mode_and_check_in_through_the_ui() {
    let ui = Ui::start();
    let (pin, ticket) = {
        let mut kiosk = ui.gui.kiosk.borrow_mut();
        let pin = kiosk.add_booth("baichuan").unwrap().pin;
        let villager = draft(&kiosk, 1);
        let ticket = kiosk.register(&villager).unwrap().ticket;
        (pin, ticket)
    };
    home_screen_scans_check_the_villager_in_once(&ui, &ticket);
    a_recruiter_logs_in_scans_records_a_stage_and_sees_the_list(&ui, &pin, &ticket);
    an_idle_booth_logs_out_after_ten_minutes_not_sixty_seconds(&ui, &pin);
    the_booth_pin_locks_after_five_wrong_tries(&ui, &pin);
    a_wrong_pin_counts_down_in_english_with_one_try_left(&ui);
}
