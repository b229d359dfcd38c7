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
    ui.keypad(&phone[..10]);
    let shown = ui.value("手机号", AccessibleRole::TextInput);
    assert_eq!(
        shown.replace(' ', ""),
        phone[..10],
        "the typed digits are shown, grouped: {shown}"
    );
    ui.keypad(&phone[10..]);
    assert_eq!(ui.page(), Page::ResidentId, "11 digits go on by themselves");
    ui.keypad(id);
    ui.tap("对，是我");
    assert_eq!(ui.page(), Page::Name);
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value(name);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    // The fair's county is pre-selected; pick the first township and village listed.
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township.label);
    let village = slint::Model::row_data(&a.get_villages(), 0).unwrap();
    ui.tap(&village.label);
    assert_eq!(
        ui.page(),
        Page::Choose,
        "a village from the list completes the place"
    );
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ui.tap_card(&first);
    assert_eq!(slint::Model::row_count(&a.get_chosen()), 1);
    ui.tap("下一步");
    ui.no_ride();
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

    let (reg, name, masked, share): (String, String, String, bool) = ui
        .db()
        .query_row(
            "SELECT id, name, phone_masked, consent_share_phone FROM registrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(name, "阿依古丽·买买提");
    assert_eq!(masked, "138****8000", "the row keeps the mask");
    let whole = ui
        .gui
        .kiosk
        .borrow()
        .numbers_of(reg.parse().unwrap())
        .unwrap();
    assert_eq!(whole.phone, "13800138000", "sealed whole");
    assert_eq!(whole.resident_id.as_deref(), Some(id.as_str()));
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
    let good = synthesize(
        "520000",
        chrono::NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(),
        5,
    );
    let mut bad = good.as_str()[..17].to_string();
    let last = good.as_str().chars().last().unwrap();
    bad.push(if last == '1' { '2' } else { '1' });
    ui.keypad(&bad);
    assert_eq!(ui.page(), Page::ResidentId);
    let shown: Vec<String> = ElementHandle::find_by_accessible_label(
        ui.w(),
        "身份证号的最后一位不对，请再核对一遍号码。",
    )
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

    // The same phone typed in full again: that proves it is theirs, no last 4 digits asked.
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("13712345678");
    assert_eq!(
        ui.page(),
        Page::Choose,
        "no last 4 digits for the phone just typed"
    );
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
    let a = ui.w().global::<RegisterAdapter>();
    assert_eq!(a.get_review_id(), id.masked(), "the stored ID, masked");
    assert_eq!(
        a.get_review_place().split(' ').count(),
        3,
        "county, township and village: {}",
        a.get_review_place()
    );
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    assert!(ui.w().global::<TicketAdapter>().get_updated());
    ui.tap("完成");

    // The same ID with another phone: the last 4 digits of the phone on file are asked.
    ui.tap("我要报名");
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("我同意");
    ui.keypad("13900001111");
    ui.keypad(id.as_str());
    ui.tap("对，是我");
    assert_eq!(ui.page(), Page::Duplicate);
    ui.keypad("0000");
    assert_eq!(
        ui.page(),
        Page::Duplicate,
        "wrong last 4 digits are refused"
    );
    ui.find("这 4 位数字与登记的手机号不符。", AccessibleRole::Text);
    ui.keypad("5678");
    assert_eq!(ui.page(), Page::Choose);
    ui.tap("下一步");
    ui.no_ride();
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

fn browsing_filters_sorts_and_registers_for_an_opening() {
    use jobfair_kiosk::gui::OpeningsAdapter;
    use slint::Model;
    let ui = Ui::start();
    ui.tap("看岗位");
    assert_eq!(ui.page(), Page::Openings);
    let a = ui.w().global::<OpeningsAdapter>();
    let all = a.get_openings().row_count();
    assert!(all >= 150, "the demo fair has {all} openings");
    ui.tap("焊接");
    let welding = a.get_openings();
    assert!(welding.row_count() > 0 && welding.row_count() < all);
    assert!(welding.iter().all(|c| c.trade == 1), "only welding cards");
    ui.tap("工资从高到低");
    let wages: Vec<i32> = a.get_openings().iter().map(|c| c.wage_max).collect();
    assert!(
        wages.windows(2).all(|w| w[0] >= w[1]),
        "sorted by wage: {wages:?}"
    );
    ui.tap("包住宿");
    assert!(
        a.get_openings()
            .iter()
            .all(|c| c.trade == 1 && c.benefits.iter().any(|b| b == 1))
    );
    let first = a.get_openings().row_data(0).unwrap();
    ui.tap_card(&first);
    assert_eq!(ui.page(), Page::Opening);
    assert_eq!(a.get_detail().id, first.id);
    ui.tap("报名这个岗位");
    assert_eq!(ui.page(), Page::Consent);
    let chosen: Vec<i32> = ui
        .w()
        .global::<RegisterAdapter>()
        .get_review_openings()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(chosen, vec![first.id], "the opening is pre-selected");
    ui.tap("取消");
    assert_eq!(ui.page(), Page::Home);
}

fn the_language_switch_turns_every_label_english_and_back() {
    let ui = Ui::start();
    // An answer on the consent page survives a language switch.
    ui.tap("我要报名");
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("English");
    assert!(ui.w().global::<RegisterAdapter>().get_consent_id());
    ui.tap("中文");
    ui.tap("取消");
    ui.tap("English");
    ui.tap("Browse openings");
    ui.find("All trades", AccessibleRole::Button);
    ui.tap("Home");
    ui.tap("中文");
    ui.find("看岗位", AccessibleRole::Button);
}

#[test]
fn villager_paths_through_the_real_ui() {
    a_villager_registers_by_touch_and_the_row_is_in_sqlite();
    a_wrong_check_digit_is_explained_on_the_id_screen();
    the_same_phone_twice_gets_the_existing_ticket_back_not_a_second_row();
    idle_for_a_minute_returns_home_and_clears_the_form();
    browsing_filters_sorts_and_registers_for_an_opening();
    the_language_switch_turns_every_label_english_and_back();
}
