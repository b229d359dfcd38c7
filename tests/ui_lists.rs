//! "I am on a list / 我已报过名" through the real UI (i-slint-backend-testing): a returning
//! worker types their phone on the keypad, sees their record (phone masked), confirms,
//! gives consent, gets their employer's openings preselected, and leaves with a ticket;
//! the sign-up in SQLite is linked to the list person.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use common::{phone, resident_id};
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::domain::lists::ListKind;
use jobfair_kiosk::gui::{ListLookupError, ListsAdapter, Page, RegisterAdapter};
use slint::ComponentHandle;
use slint::platform::WindowEvent;
use std::time::Duration;

fn import_returning(ui: &Ui) -> (String, Vec<u16>) {
    let file = ui.dir.path().join("returning.csv");
    let (employer, openings) = {
        let kiosk = ui.gui.kiosk.borrow();
        let e = kiosk.fair().employers[0].clone();
        let o: Vec<u16> = kiosk
            .fair()
            .openings
            .iter()
            .filter(|o| o.employer == e.id)
            .map(|o| o.id)
            .collect();
        (e, o)
    };
    let csv = format!(
        "姓名,手机,身份证号,县,乡镇,村,企业\n\
         黄小梅,{},{},从江县,高增乡,小黄村,{}\n",
        phone(71).as_str(),
        resident_id(71).as_str(),
        employer.name
    );
    std::fs::write(&file, csv).unwrap();
    ui.gui
        .kiosk
        .borrow_mut()
        .import_list(&file, ListKind::Returning, None)
        .unwrap();
    (employer.id, openings)
}

/// The non-empty values of the texts labelled `label` (a field's caption has none).
fn shown(ui: &Ui, label: &str) -> Vec<String> {
    ui.find(label, AccessibleRole::Text)
        .iter()
        .filter_map(|e| e.accessible_value())
        .map(|v| v.to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn a_returning_worker_on_a_list_gets_a_ticket_without_retyping(ui: &Ui) {
    let (_, employer_openings) = import_returning(ui);
    assert_eq!(ui.page(), Page::Home);
    ui.tap("我已报过名");
    assert_eq!(ui.page(), Page::ListLookup);

    // A number on no list says so and stays on the page.
    ui.keypad(phone(72).as_str());
    ui.tap("查找");
    assert_eq!(ui.page(), Page::ListLookup);
    assert_eq!(
        ui.w().global::<ListsAdapter>().get_error(),
        ListLookupError::NotFound
    );

    ui.keypad(phone(71).as_str());
    assert_eq!(
        ui.value("手机号或身份证号", AccessibleRole::TextInput)
            .replace(' ', ""),
        phone(71).as_str()
    );
    ui.tap("查找");
    assert_eq!(ui.page(), Page::ListFound);
    assert_eq!(shown(ui, "姓名"), ["黄小梅"]);
    assert_eq!(
        shown(ui, "手机号"),
        [phone(71).masked()],
        "the phone is masked"
    );
    assert_eq!(shown(ui, "家乡"), ["从江县 高增乡 小黄村"]);

    ui.tap("是我，信息无误");
    assert_eq!(ui.page(), Page::Consent, "consent is asked again");
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("我同意");
    assert_eq!(
        ui.page(),
        Page::Choose,
        "phone, ID, name and place come from the list"
    );
    let a = ui.w().global::<RegisterAdapter>();
    let preselected = employer_openings.len().min(5);
    let chosen = a.get_chosen();
    assert_eq!(
        slint::Model::row_count(&chosen),
        preselected,
        "the employer's openings are preselected"
    );
    assert!(
        slint::Model::iter(&chosen).all(|c| employer_openings.contains(&(c.id as u16))),
        "and shown on the chosen strip"
    );
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);

    let db = ui.db();
    let (reg_id, name, id_number): (String, String, Option<String>) = db
        .query_row(
            "SELECT id, name, resident_id_masked FROM registrations WHERE phone_masked = ?1",
            [phone(71).masked()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(name, "黄小梅");
    assert_eq!(
        id_number.as_deref(),
        Some(resident_id(71).masked().as_str()),
        "the ID consent was given"
    );
    let linked: Option<String> = db
        .query_row(
            "SELECT registration_id FROM list_people WHERE phone_masked = ?1",
            [phone(71).masked()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        linked,
        Some(reg_id),
        "the list person is linked to the sign-up"
    );
    let chosen: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM registration_openings WHERE registration_id = ?1",
            [linked.unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(chosen as usize, preselected);
}

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

fn a_pre_printed_ticket_scanned_at_home_opens_the_record(ui: &Ui) {
    ui.tap("完成");
    assert_eq!(ui.page(), Page::Home);
    let file = ui.dir.path().join("willing.csv");
    std::fs::write(
        &file,
        format!(
            "姓名,手机,县,乡镇,村\n杨阿妹,{},从江县,高增乡,小黄村\n",
            phone(73).as_str()
        ),
    )
    .unwrap();
    ui.gui
        .kiosk
        .borrow_mut()
        .import_list(&file, ListKind::Willing, None)
        .unwrap();
    let code: String = ui
        .db()
        .query_row(
            "SELECT code FROM list_people WHERE phone_masked = ?1",
            [phone(73).masked()],
            |r| r.get(0),
        )
        .unwrap();
    scan_burst(ui, &jobfair_kiosk::domain::lists::ticket::qr_text(&code));
    assert_eq!(ui.page(), Page::ListFound, "the scan found the list person");
    assert_eq!(shown(ui, "姓名"), ["杨阿妹"]);
    assert_eq!(
        shown(ui, "手机号"),
        [phone(73).masked()],
        "the phone is masked"
    );
}

#[test]
fn the_list_path_through_the_ui() {
    let ui = Ui::start();
    a_returning_worker_on_a_list_gets_a_ticket_without_retyping(&ui);
    a_pre_printed_ticket_scanned_at_home_opens_the_record(&ui);
}
