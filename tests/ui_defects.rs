//! The defects of the issue-12 walk-through, each checked through the real UI
//! (i-slint-backend-testing) so the test fails on the code before the fix: the choose list
//! moving under the finger, no idle warning, "我已报过名" not finding today's sign-ups, the
//! duplicate path asking for a phone just typed, stale errors and an uncapped phone field,
//! the language switch leaving an opening page in Chinese, the status bar's count lagging,
//! closing the program on one tap, no ID-card reader, no auto-advance.
//!
//! Only labels, pages and the store are used (no new adapter properties), so the same file
//! runs against the old code. One #[test] runs the scenarios in turn (one Slint platform).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::gui::{AppState, FieldError, OpeningsAdapter, Page, RegisterAdapter};
use slint::platform::{PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition, Model};
use std::time::Duration;

/// Taps "下一步" if the page did not go on by itself (the old code needed the tap).
fn next_if_still(ui: &Ui, page: Page) {
    if ui.page() == page {
        ui.tap("下一步");
    }
}

/// Home → consent (no ID) → phone → name → place (the fair's first township and village).
fn to_choose(ui: &Ui, phone: &str, name: &str) {
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad(phone);
    next_if_still(ui, Page::Phone);
    assert_eq!(ui.page(), Page::Name);
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value(name);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    let (township, village) = {
        let k = ui.gui.kiosk.borrow();
        let t = &k.fair().places[0].townships[0];
        (t.name.clone(), t.villages[0].clone())
    };
    ui.tap(&township);
    ui.tap(&village);
    next_if_still(ui, Page::Place);
    assert_eq!(ui.page(), Page::Choose);
}

/// A tap (press, 50 ms, release) at a point of the window, as a finger does.
fn tap_at(ui: &Ui, position: LogicalPosition) {
    let w = ui.w().window();
    w.dispatch_event(WindowEvent::PointerMoved { position });
    w.dispatch_event(WindowEvent::PointerPressed {
        position,
        button: PointerEventButton::Left,
    });
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(50));
    w.dispatch_event(WindowEvent::PointerReleased {
        position,
        button: PointerEventButton::Left,
    });
    w.dispatch_event(WindowEvent::PointerExited);
}

/// The centre of the card shown in row `row` of the choose list.
fn card_spot(ui: &Ui, row: usize) -> (LogicalPosition, i32) {
    let card = ui
        .w()
        .global::<RegisterAdapter>()
        .get_choices()
        .row_data(row)
        .unwrap();
    let e = &ui.find(
        &format!("{} {}", card.title, card.employer),
        AccessibleRole::Button,
    )[0];
    // Near the card's top, not its centre: the second card's lower half is below the list's
    // visible part, where a finger would not touch it.
    let (p, s) = (e.absolute_position(), e.size());
    (
        LogicalPosition::new(p.x + s.width / 2.0, p.y + (s.height / 2.0).min(40.0)),
        card.id,
    )
}

fn saved_openings(ui: &Ui, phone: &str) -> Vec<i64> {
    let db = ui.db();
    let mut st = db
        .prepare(
            "SELECT o.opening_id FROM registration_openings o JOIN registrations r \
             ON r.id = o.registration_id WHERE r.phone_masked = ?1 ORDER BY o.position",
        )
        .unwrap();
    st.query_map([jobfair_kiosk::protocol::masking::phone(phone)], |r| {
        r.get(0)
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// 2.1: two cards tapped where the finger sees them; exactly those are saved, in order.
fn the_cards_tapped_by_position_are_exactly_the_ones_saved(ui: &Ui) {
    to_choose(ui, "13900000211", "张伟");
    let taps: Vec<(LogicalPosition, i32)> = [1, 0].map(|row| card_spot(ui, row)).into();
    for (at, _) in &taps {
        tap_at(ui, *at);
    }
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    let expected: Vec<i64> = taps.iter().map(|(_, id)| i64::from(*id)).collect();
    assert_eq!(
        saved_openings(ui, "13900000211"),
        expected,
        "the list must not move under the finger"
    );
    // 2.12: the status bar counts the new sign-up at once, from the store.
    assert_eq!(ui.w().global::<AppState>().get_pending_uploads(), 1);
    ui.tap("完成");
}

/// 2.3: the last seconds before an idle reset show "还在吗？" with a big continue button.
fn an_idle_villager_is_asked_whether_they_are_still_there(ui: &Ui) {
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("1380013");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(50));
    assert_eq!(ui.page(), Page::Phone, "not reset yet");
    let warned = ElementHandle::find_by_accessible_label(ui.w(), "还在吗？").count();
    assert!(warned > 0, "the countdown shows in the last 15 s");
    ui.tap("继续");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(30));
    assert_eq!(ui.page(), Page::Phone, "continue kept the page");
    assert_eq!(ui.w().global::<RegisterAdapter>().get_phone(), "1380013");
    ui.tap("取消");
}

/// 2.4 and 2.5: "我已报过名" finds this morning's sign-up by phone; the full phone just typed
/// proves it (no last 4 digits); the review shows the stored ID (masked) and whole place.
fn i_signed_up_already_finds_todays_sign_up(ui: &Ui) {
    ui.tap("我已报过名");
    ui.keypad("13900000211");
    ui.tap("查找");
    assert_eq!(
        ui.page(),
        Page::Choose,
        "today's sign-up, not \"on no list\""
    );
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
    let place = ui.w().global::<RegisterAdapter>().get_review_place();
    assert_eq!(
        place.split(' ').count(),
        3,
        "county township village: {place}"
    );
    ui.tap("取消");
}

/// 2.6: the phone field takes 11 digits; an error goes as soon as the input changes.
fn stale_errors_go_and_the_phone_takes_11_digits(ui: &Ui) {
    let a = ui.w().global::<RegisterAdapter>();
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("1390000021");
    ui.tap("下一步");
    assert_eq!(a.get_phone_error(), FieldError::TooShort);
    ui.tap("删除");
    assert_eq!(
        a.get_phone_error(),
        FieldError::None,
        "the stale message goes"
    );
    ui.tap("取消");
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("12345678901234567");
    assert_eq!(
        a.get_phone().replace(' ', "").len(),
        11,
        "capped at 11 digits"
    );
    ui.tap("取消");
}

/// Section 4: an ID-card reader types 18 characters and Enter in one burst.
fn an_id_card_reader_fills_the_id_step(ui: &Ui) {
    ui.tap("我要报名");
    ui.find("同意", AccessibleRole::Button)[0].invoke_accessible_default_action();
    ui.tap("我同意");
    ui.keypad("13900000212");
    next_if_still(ui, Page::Phone);
    assert_eq!(ui.page(), Page::ResidentId);
    let id = common::resident_id(212);
    for c in format!("{}\n", id.as_str()).chars() {
        let key: slint::SharedString = c.to_string().into();
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: key });
    }
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(100));
    assert!(
        ui.w().global::<RegisterAdapter>().get_id_confirming(),
        "the birth date and sex are shown for confirmation"
    );
    ui.tap("取消");
}

/// 2.9: switching the language re-renders an open opening's page; places have English.
fn the_language_switch_re_renders_an_open_opening(ui: &Ui) {
    ui.tap("看岗位");
    let a = ui.w().global::<OpeningsAdapter>();
    let first = a.get_openings().row_data(0).unwrap();
    ui.tap_card(&first);
    assert_eq!(ui.page(), Page::Opening);
    let (title_en, work_place) = {
        let k = ui.gui.kiosk.borrow();
        let o = k.fair().opening(first.id as u16).unwrap().clone();
        (o.title_en.unwrap(), o.work_place)
    };
    ui.tap("English");
    assert_eq!(a.get_detail().title, title_en);
    assert_ne!(
        a.get_detail().work_place,
        work_place,
        "the work place in English"
    );
    let place = ui.w().global::<AppState>().get_fair_place();
    assert!(place.is_ascii(), "the fair's place in English: {place}");
    ui.tap("中文");
    ui.w().global::<AppState>().invoke_go_home();
}

/// 2.9: on the English screen the place boxes show a picked county, township and village in
/// English like the chips under them (the stored value stays the fair file's Chinese name).
fn the_place_boxes_show_picked_names_in_english(ui: &Ui) {
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("13900000377");
    next_if_still(ui, Page::Phone);
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value("张伟");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    ui.tap("English");
    let (township, village, township_en, village_en) = {
        let k = ui.gui.kiosk.borrow();
        let fair = k.fair();
        let t = &fair.places[0].townships[0];
        let v = t.villages[0].clone();
        (
            t.name.clone(),
            v.clone(),
            fair.township_en(&t.name),
            fair.village_en(&t.name, &v),
        )
    };
    assert!(township_en.is_ascii() && village_en.is_ascii());
    ui.tap(&township_en);
    ui.tap(&village_en);
    if ui.page() == Page::Choose {
        // The picked village went on by itself: come back to look at the boxes.
        ui.tap("Back");
    }
    assert_eq!(ui.page(), Page::Place);
    let a = ui.w().global::<RegisterAdapter>();
    assert_eq!(
        a.get_township(),
        township,
        "stored as the fair file spells it"
    );
    assert_eq!(a.get_village(), village);
    for (heading, shown) in [("Township", &township_en), ("Village", &village_en)] {
        let boxes = ui.find(heading, AccessibleRole::TextInput);
        let (bp, bs) = (boxes[0].absolute_position(), boxes[0].size());
        let inside = ElementHandle::find_by_accessible_label(ui.w(), shown.as_str())
            .filter(|e| e.accessible_role() == Some(AccessibleRole::Text))
            .any(|e| {
                let p = e.absolute_position();
                p.y >= bp.y - 6.0
                    && p.y + e.size().height <= bp.y + bs.height + 6.0
                    && p.x >= bp.x - 30.0
                    && p.x <= bp.x + bs.width
            });
        assert!(inside, "the {heading} box shows {shown:?}");
    }
    ui.tap("中文");
    ui.tap("取消");
}

/// 2.8: "关闭报名程序" does not close on one tap: it asks for the PIN.
fn closing_the_program_asks_for_the_pin(ui: &Ui) {
    ui.gui.kiosk.borrow_mut().set_staff_pin("2468").unwrap();
    ui.tap("工作人员");
    ui.keypad("2468");
    ui.tap("确定");
    assert_eq!(ui.page(), Page::Staff);
    ui.tap("关闭报名程序");
    assert_eq!(ui.page(), Page::Pin, "a confirmation with the PIN first");
    ui.tap("取消");
}

#[test]
fn the_walk_through_defects_are_fixed() {
    let ui = Ui::start();
    the_cards_tapped_by_position_are_exactly_the_ones_saved(&ui);
    an_idle_villager_is_asked_whether_they_are_still_there(&ui);
    i_signed_up_already_finds_todays_sign_up(&ui);
    stale_errors_go_and_the_phone_takes_11_digits(&ui);
    an_id_card_reader_fills_the_id_step(&ui);
    the_language_switch_re_renders_an_open_opening(&ui);
    the_place_boxes_show_picked_names_in_english(&ui);
    closing_the_program_asks_for_the_pin(&ui);
}
