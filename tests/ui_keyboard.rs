//! The on-screen keyboard in the real UI (i-slint-backend-testing): a name typed only by tapping
//! letter keys and candidates, the registration finished, the name read back from SQLite.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::gui::{KeyboardAdapter, Page, RegisterAdapter};
use slint::ComponentHandle;
use slint::platform::WindowEvent;

/// Home → register → consent (no ID) → phone on the keypad → the name page.
fn to_the_name_page(ui: &Ui, phone: &str) {
    assert_eq!(ui.page(), Page::Home);
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad(phone);
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Name);
}

/// Taps the letter keys of `pinyin`, one at a time.
fn type_letters(ui: &Ui, pinyin: &str) {
    for k in pinyin.chars() {
        ui.tap(&k.to_string());
    }
}

fn candidate_shown(ui: &Ui, text: &str) -> bool {
    ElementHandle::find_by_accessible_label(ui.w(), text)
        .any(|e| e.accessible_role() == Some(AccessibleRole::Button))
}

/// Taps the candidate `text`, turning candidate pages (at most three) until it is shown.
fn pick(ui: &Ui, text: &str) {
    for _ in 0..3 {
        if candidate_shown(ui, text) {
            break;
        }
        ui.tap("更多候选");
    }
    ui.tap(text);
}

fn name(ui: &Ui) -> String {
    ui.w().global::<RegisterAdapter>().get_name().to_string()
}

/// Place from the fair's lists, the first opening, review, confirm: the ticket shows.
fn finish_registration(ui: &Ui) {
    assert_eq!(ui.page(), Page::Place);
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township.label);
    let village = slint::Model::row_data(&a.get_villages(), 0).unwrap();
    ui.tap(&village.label);
    assert_eq!(ui.page(), Page::Choose);
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ui.tap_card(&first);
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
}

fn stored_name(ui: &Ui, phone: &str) -> String {
    ui.db()
        .query_row(
            "SELECT name FROM registrations WHERE phone_masked = ?1",
            [jobfair_kiosk::protocol::masking::phone(phone)],
            |r| r.get(0),
        )
        .unwrap()
}

fn a_name_typed_as_continuous_pinyin_is_stored() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138001");
    type_letters(&ui, "zhangwei");
    let k = ui.w().global::<KeyboardAdapter>();
    assert_eq!(k.get_pinyin(), "zhangwei", "the pinyin typed is shown");
    assert_eq!(
        slint::Model::row_data(&k.get_candidates(), 0).as_deref(),
        Some("张伟"),
        "the whole name is the first candidate"
    );
    ui.tap("张伟");
    assert_eq!(name(&ui), "张伟");
    assert_eq!(k.get_pinyin(), "", "the pinyin is used up");

    // Backspace edits the pinyin first, then the text.
    type_letters(&ui, "li");
    ui.tap("删除");
    assert_eq!((k.get_pinyin().as_str(), name(&ui).as_str()), ("l", "张伟"));
    ui.tap("删除");
    ui.tap("删除");
    assert_eq!((k.get_pinyin().as_str(), name(&ui).as_str()), ("", "张"));
    type_letters(&ui, "wei");
    pick(&ui, "伟");
    assert_eq!(name(&ui), "张伟");

    ui.tap("下一步");
    finish_registration(&ui);
    assert_eq!(stored_name(&ui, "13800138001"), "张伟");
}

fn a_name_with_a_middle_dot_is_entered_character_by_character() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138002");
    for (pinyin, character) in [("a", "阿"), ("yi", "依"), ("gu", "古"), ("li", "丽")] {
        type_letters(&ui, pinyin);
        pick(&ui, character);
    }
    ui.tap("·");
    for (pinyin, character) in [("mai", "买"), ("mai", "买"), ("ti", "提")] {
        type_letters(&ui, pinyin);
        pick(&ui, character);
    }
    assert_eq!(name(&ui), "阿依古丽·买买提");
    ui.tap("下一步");

    // The village is typed in its box: the keyboard opens under it, the fair's village first.
    assert_eq!(ui.page(), Page::Place);
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township.label);
    ui.tap("村");
    // Let the keyboard slide up (the clock is mocked).
    i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(300));
    type_letters(&ui, "xiaohuangc");
    // The keyboard's candidate (the chip of the same name in the list would pick it and go on).
    ui.find("小黄村", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    assert_eq!(a.get_village(), "小黄村");
    ui.tap("收起键盘");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Choose);
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ui.tap_card(&first);
    ui.tap("下一步");
    ui.no_ride();
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    assert_eq!(stored_name(&ui, "13800138002"), "阿依古丽·买买提");
    let village: String = ui
        .db()
        .query_row("SELECT home_village FROM registrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(village, "小黄村");
}

fn a_physical_keyboard_types_pinyin_into_the_name_field() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138003");
    for k in ["w", "a", "n", "g", " ", "f", "a", "n", "g", "1"] {
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: k.into() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: k.into() });
    }
    assert_eq!(
        name(&ui),
        "王芳",
        "space takes the first candidate, 1 the first too"
    );
    // The caret follows the taken candidates to the end: a physical Backspace removes the
    // last character (it stayed at the start and deleted nothing; found under linuxkms).
    let backspace: slint::SharedString = slint::platform::Key::Backspace.into();
    ui.w().window().dispatch_event(WindowEvent::KeyPressed {
        text: backspace.clone(),
    });
    ui.w()
        .window()
        .dispatch_event(WindowEvent::KeyReleased { text: backspace });
    assert_eq!(name(&ui), "王");
}

fn the_other_layouts_type_digits_and_latin_letters() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138004");
    ui.tap("英文键盘");
    for k in ["大写字母", "L", "大写字母", "i"] {
        ui.tap(k);
    }
    assert_eq!(name(&ui), "Li");
    ui.tap("数字键盘");
    ui.keypad("12");
    assert_eq!(name(&ui), "Li12");
    ui.tap("拼音键盘");
    ui.tap("删除");
    assert_eq!(name(&ui), "Li1");
}

fn button(ui: &Ui, label: &str) -> ElementHandle {
    ui.find(label, AccessibleRole::Button).remove(0)
}

/// Issue 12, 2.10: on the last candidate page "<" took the place of ">", so a second tap on ">"
/// went back. Each arrow keeps its own place; ">" is shown disabled on the last page.
fn the_candidate_arrows_keep_their_places() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138005");
    type_letters(&ui, "mai");
    let k = ui.w().global::<KeyboardAdapter>();
    assert!(k.get_has_next(), "mai has more than one page of candidates");
    let next_at = button(&ui, "更多候选").absolute_position();
    let back_at = button(&ui, "上一页候选").absolute_position();
    assert_ne!(next_at, back_at);
    assert_eq!(button(&ui, "上一页候选").accessible_enabled(), Some(false));
    let mut pages = 0;
    while k.get_has_next() {
        ui.tap("更多候选");
        pages += 1;
        assert!(pages < 10, "no last page");
        assert_eq!(k.get_page(), pages);
        assert_eq!(button(&ui, "更多候选").absolute_position(), next_at);
        assert_eq!(button(&ui, "上一页候选").absolute_position(), back_at);
    }
    // The last page: ">" is still where it was, disabled; tapping it again stays here.
    assert_eq!(button(&ui, "更多候选").accessible_enabled(), Some(false));
    assert_eq!(button(&ui, "上一页候选").accessible_enabled(), Some(true));
    let shown = k.get_candidates();
    ui.tap("更多候选");
    ui.tap("更多候选");
    assert_eq!(
        k.get_page(),
        pages,
        "a tap on a disabled > does not go back"
    );
    assert_eq!(
        slint::Model::row_data(&k.get_candidates(), 0),
        slint::Model::row_data(&shown, 0)
    );
    ui.tap("上一页候选");
    assert_eq!(k.get_page(), pages - 1);
}

/// Issue 12, 2.10: an emoji typed on a physical keyboard went into the name as an invisible
/// character, and "next" refused the name without showing why. It is refused as it is typed, and
/// the field says why, in the villager's language.
fn an_emoji_from_a_physical_keyboard_is_refused_with_a_visible_reason() {
    let ui = Ui::start();
    to_the_name_page(&ui, "13800138006");
    let press = |k: &str| {
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: k.into() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: k.into() });
    };
    for k in ["w", "a", "n", "g", " "] {
        press(k);
    }
    assert_eq!(name(&ui), "王");
    let why = "名字里只能有汉字、字母和间隔号 ·，不能有表情或符号";
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_none(),
        "no message before"
    );
    for k in ["😀", "★", "%"] {
        press(k);
        assert_eq!(name(&ui), "王", "{k} is not entered");
        let shown: Vec<_> = ElementHandle::find_by_accessible_label(ui.w(), why).collect();
        assert!(!shown.is_empty(), "the reason for {k} is on screen");
        assert!(shown[0].size().width > 0.0 && shown[0].size().height > 0.0);
    }
    // A tap on the on-screen keyboard takes the message away (change handlers run with the loop).
    ui.tap("x");
    i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(16));
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_none()
    );
    ui.tap("删除");
    press("★");
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_some()
    );
    // So does the next key that may be typed.
    for k in ["l", "i", " "] {
        press(k);
    }
    assert_eq!(name(&ui), "王丽");
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_none()
    );

    // A place box refuses emoji and symbols with its own words, but takes digits (三组, 3组).
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    ui.tap("村");
    let a = ui.w().global::<RegisterAdapter>();
    let why = "这里不能输入表情或符号";
    press("😀");
    assert_eq!(a.get_village(), "");
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_some()
    );
    press("3");
    assert_eq!(a.get_village(), "3");
    assert!(
        ElementHandle::find_by_accessible_label(ui.w(), why)
            .next()
            .is_none()
    );
}

#[test]
fn a_villager_types_a_name_on_the_on_screen_keyboard() {
    a_name_typed_as_continuous_pinyin_is_stored();
    a_name_with_a_middle_dot_is_entered_character_by_character();
    a_physical_keyboard_types_pinyin_into_the_name_field();
    the_other_layouts_type_digits_and_latin_letters();
    the_candidate_arrows_keep_their_places();
    an_emoji_from_a_physical_keyboard_is_refused_with_a_visible_reason();
}
