//! The villager's path through the real UI (i-slint-backend-testing), by accessible labels,
//! ending with the row in SQLite; the duplicate path; the idle reset.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::domain::resident_id::synthesize;
use jobfair_kiosk::gui::{Page, RegisterAdapter, TicketAdapter};
use slint::ComponentHandle;
use std::time::Duration;

/// Home → register → consent (ID yes, share phone no) → phone → ID → name → place → openings → review → ticket.
fn register_through_ui(ui: &Ui, phone: &str, id: &str, name: &str) {
    assert_eq!(ui.page(), Page::Home);
    ui.tap("我要报名");
    assert_eq!(ui.page(), Page::Consent);
    // The ID consent is its own question; answer yes to the first "同意" chip (ID number).
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("我同意");
    assert_eq!(ui.page(), Page::Phone);
    ui.keypad(phone);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::ResidentId, "phone accepted");
    ui.keypad(id);
    ui.tap("下一步");
    ui.tap("对，是我");
    assert_eq!(ui.page(), Page::Name);
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value(name);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    // The fair's county is pre-selected; pick the first township and village listed.
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township);
    let village = slint::Model::row_data(&a.get_villages(), 0).unwrap();
    ui.tap(&village);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Choose);
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ElementHandle::find_by_accessible_label(ui.w(), &format!("{} {}", first.title, first.employer))
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .expect("the first opening card")
        .invoke_accessible_default_action();
    assert_eq!(a.get_chosen_count(), 1);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Review);
    ui.tap("确认并领取凭证");
}

fn a_villager_registers_by_touch_and_the_row_is_in_sqlite() {
    let ui = Ui::start();
    let id = synthesize(
        "520000",
        chrono::NaiveDate::from_ymd_opt(1992, 3, 14).unwrap(),
        17,
    );
    register_through_ui(&ui, "13800138000", id.as_str(), "阿依古丽·买买提");
    assert_eq!(ui.page(), Page::Ticket);
    let code = ui.value("凭证码", AccessibleRole::Text);
    assert_eq!(code.len(), 9, "short code shown as ABCD-EFGH: {code}");
    let qr = ui.w().global::<TicketAdapter>().get_qr();
    assert!(qr.size().width >= 400, "a QR image is drawn");

    let (name, phone, rid, share): (String, String, Option<String>, bool) = ui
        .db()
        .query_row(
            "SELECT name, phone, resident_id, consent_share_phone FROM registrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(name, "阿依古丽·买买提");
    assert_eq!(phone, "13800138000");
    assert_eq!(rid.as_deref(), Some(id.as_str()));
    assert!(!share);

    ui.tap("完成");
    assert_eq!(ui.page(), Page::Home);
    assert_eq!(
        ui.w().global::<TicketAdapter>().get_code(),
        "",
        "ticket cleared"
    );
}

fn a_wrong_check_digit_is_explained_on_the_id_screen() {
    let ui = Ui::start();
    ui.tap("我要报名");
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("我同意");
    ui.keypad("13900139000");
    ui.tap("下一步");
    let good = synthesize(
        "520000",
        chrono::NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(),
        5,
    );
    let mut bad = good.as_str()[..17].to_string();
    let last = good.as_str().chars().last().unwrap();
    bad.push(if last == '1' { '2' } else { '1' });
    ui.keypad(&bad);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::ResidentId);
    let shown: Vec<String> =
        ElementHandle::find_by_accessible_label(ui.w(), "身份证号的校验位不对，请再核对一遍号码。")
            .map(|e| e.accessible_label().unwrap().to_string())
            .collect();
    assert!(!shown.is_empty(), "the check-digit message is on screen");
}

fn the_same_phone_twice_gets_the_existing_ticket_back_not_a_second_row() {
    let ui = Ui::start();
    let id = synthesize(
        "520000",
        chrono::NaiveDate::from_ymd_opt(1988, 8, 8).unwrap(),
        3,
    );
    register_through_ui(&ui, "13712345678", id.as_str(), "张伟");
    ui.tap("完成");

    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("13712345678");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Duplicate);
    ui.keypad("0000");
    ui.tap("下一步");
    assert_eq!(
        ui.page(),
        Page::Duplicate,
        "wrong last 4 digits are refused"
    );
    ui.keypad("5678");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Choose);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Review);
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    assert!(ui.w().global::<TicketAdapter>().get_updated());
    let rows: i64 = ui
        .db()
        .query_row("SELECT count(*) FROM registrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

fn idle_for_a_minute_returns_home_and_clears_the_form() {
    let ui = Ui::start();
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("1380013");
    assert_eq!(ui.w().global::<RegisterAdapter>().get_phone(), "1380013");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(30));
    assert_eq!(ui.page(), Page::Phone, "still there after 30 s");
    ui.keypad("8");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(59));
    assert_eq!(ui.page(), Page::Phone, "a touch restarted the timer");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(2));
    assert_eq!(ui.page(), Page::Home);
    assert_eq!(
        ui.w().global::<RegisterAdapter>().get_phone(),
        "",
        "half-filled form cleared"
    );
}

#[test]
fn villager_paths_through_the_real_ui() {
    a_villager_registers_by_touch_and_the_row_is_in_sqlite();
    a_wrong_check_digit_is_explained_on_the_id_screen();
    the_same_phone_twice_gets_the_existing_ticket_back_not_a_second_row();
    idle_for_a_minute_returns_home_and_clears_the_form();
}
