//! "清除本场数据" through the real UI (issue 17): the staff panel's button opens a warning with
//! the counts; records the base has not confirmed need their own tick; a wrong PIN and a
//! sign-up that arrives while the dialog is open clear nothing; the right PIN clears the fair
//! (audited), the panel's counts follow, and in English the same dialog reads in English.
//! Synthetic data only.
//!
//! One #[test] (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::gui::{AppState, Page, PurgeState, StaffDialog, StaffPanel};
use jobfair_kiosk::store::audit;
use slint::ComponentHandle;
use std::time::Duration;

const CLEAR: &str = "清除数据";

fn register(ui: &Ui, ns: std::ops::RangeInclusive<u32>) {
    let mut kiosk = ui.gui.kiosk.borrow_mut();
    for n in ns {
        let draft = common::draft(&kiosk, n);
        kiosk.register(&draft).unwrap();
    }
}

fn count(ui: &Ui) -> u64 {
    ui.gui.kiosk.borrow().registration_count().unwrap()
}

fn enabled(ui: &Ui, label: &str) -> bool {
    ui.find(label, AccessibleRole::Button)
        .last()
        .unwrap()
        .accessible_enabled()
        .unwrap()
}

fn tap_last(ui: &Ui, label: &str) {
    ui.find(label, AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
}

#[test]
fn staff_clear_the_fairs_data_with_warning_tick_and_pin() {
    let ui = Ui::start();
    ui.gui.kiosk.borrow_mut().set_staff_pin("2468").unwrap();
    register(&ui, 1..=3);
    let p = ui.w().global::<StaffPanel>();

    ui.tap("工作人员");
    ui.keypad("2468");
    ui.tap("确定");
    assert_eq!(ui.page(), Page::Staff);
    assert_eq!(ui.value("本次招聘会报名人数", AccessibleRole::Text), "3");

    // The button opens a warning, not a purge.
    ui.tap("清除本场数据");
    assert_eq!(p.get_dialog(), StaffDialog::Purge);
    assert_eq!(count(&ui), 3, "one tap clears nothing");
    ui.find(
        "从这台报名机上删除本场的个人信息：3 人的报名（姓名、手机号、身份证号、所选岗位），以及展位记录和导入的名单。删除后无法恢复。已经上传到基地的记录在基地保留。",
        AccessibleRole::Text,
    );
    // Nothing was uploaded: the three sign-ups would be lost, and the dialog says so.
    ui.find(
        "还有 3 条记录没有被基地确认。请先点“立即上传”。如果仍然清除，这些记录将永久丢失。",
        AccessibleRole::Text,
    );
    let tick = "仍然清除：我知道这 3 条记录会丢失";
    ui.find(tick, AccessibleRole::Checkbox);

    // Without the tick there is no way on while records are unconfirmed.
    assert!(!enabled(&ui, "继续"), "no tick, no way to the PIN");
    tap_last(&ui, "继续");
    assert!(!p.get_purge_pin_stage());
    assert_eq!(count(&ui), 3);

    // The tick, then the PIN stage, which says what is at stake.
    ui.find(tick, AccessibleRole::Checkbox)[0].invoke_accessible_default_action();
    assert!(enabled(&ui, "继续"));
    tap_last(&ui, "继续");
    assert!(p.get_purge_pin_stage());
    ui.find(
        "要清除的报名：3 人。将丢失的未确认记录：3 条。请输入工作人员密码。",
        AccessibleRole::Text,
    );
    assert!(!enabled(&ui, CLEAR), "no PIN yet");

    // A wrong PIN: nothing cleared, the tries left are said, the PIN is not kept.
    ui.keypad("1111");
    assert!(enabled(&ui, CLEAR));
    tap_last(&ui, CLEAR);
    assert_eq!(p.get_purge_state(), PurgeState::WrongPin);
    assert_eq!(
        ui.value("清除结果", AccessibleRole::Text),
        "密码错误，没有清除。还可以试 4 次。"
    );
    assert_eq!(count(&ui), 3);
    assert_eq!(p.get_purge_pin(), "", "the PIN is not kept after a try");

    // A sign-up arrives (a phone) while the dialog is open: the tick was for 3, now 4 are at
    // stake, so nothing is cleared and the warning comes back with the new counts, tick undone.
    register(&ui, 4..=4);
    ui.keypad("2468");
    tap_last(&ui, CLEAR);
    assert_eq!(p.get_purge_state(), PurgeState::MoreUnconfirmed);
    assert!(!p.get_purge_pin_stage(), "back to the warning");
    assert_eq!(
        ui.value("清除结果", AccessibleRole::Text),
        "刚才又有新的记录进来，没有清除。请重新看一下数量。"
    );
    assert_eq!(count(&ui), 4);
    assert_eq!(p.get_purge_people(), 4);
    assert_eq!(p.get_purge_unconfirmed(), 4);
    assert!(!p.get_purge_accept_loss(), "the tick must be given again");

    // Tick, Continue, PIN, clear.
    ui.find(
        "仍然清除：我知道这 4 条记录会丢失",
        AccessibleRole::Checkbox,
    )[0]
    .invoke_accessible_default_action();
    tap_last(&ui, "继续");
    ui.keypad("2468");
    tap_last(&ui, CLEAR);
    assert_eq!(p.get_purge_state(), PurgeState::Done);
    assert_eq!(
        ui.value("清除结果", AccessibleRole::Text),
        "已清除：本场 4 人的个人信息已从这台报名机上删除。"
    );
    assert_eq!(count(&ui), 0);
    assert_eq!(ui.value("本次招聘会报名人数", AccessibleRole::Text), "0");
    assert_eq!(ui.value("待上传", AccessibleRole::Text), "0");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(2_100));
    assert_eq!(
        ui.w().global::<AppState>().get_pending_uploads(),
        0,
        "the status bar follows"
    );
    let rows = audit::all(ui.gui.kiosk.borrow().store().conn()).unwrap();
    let purge: Vec<_> = rows.iter().filter(|r| r.action == "purge").collect();
    assert_eq!(purge.len(), 1, "{rows:?}");
    assert_eq!(purge[0].actor, "staff");
    assert!(
        purge[0].detail.contains("\"sign_ups\":4"),
        "{}",
        purge[0].detail
    );
    tap_last(&ui, "关闭");
    assert_eq!(p.get_dialog(), StaffDialog::None);

    // Opened again: there is nothing left to clear, and no Clear button.
    ui.tap("清除本场数据");
    ui.find("这台报名机上没有本场的个人信息。", AccessibleRole::Text);
    assert!(
        no_button(&ui, CLEAR),
        "no Clear button when there is nothing"
    );
    tap_last(&ui, "关闭");

    // In English: one new sign-up, the same dialog in English with the singular.
    register(&ui, 5..=5);
    ui.tap("English");
    ui.tap("Clear this fair's data");
    ui.find("Clear this fair's data", AccessibleRole::Text);
    ui.find(
        "Deletes from this kiosk the personal data of this fair: 1 sign-up with its name, phone, resident ID and openings, the booth records and the imported lists. It cannot be undone. What the base has received stays at the base.",
        AccessibleRole::Text,
    );
    ui.find(
        "1 record has not reached the base yet. Tap Upload now first. If you clear anyway, it is lost for good.",
        AccessibleRole::Text,
    );
    ui.find(
        "Clear anyway: I accept losing this 1 record",
        AccessibleRole::Checkbox,
    );
    assert!(!enabled(&ui, "Continue"));
    ui.find(
        "Clear anyway: I accept losing this 1 record",
        AccessibleRole::Checkbox,
    )[0]
    .invoke_accessible_default_action();
    tap_last(&ui, "Continue");
    ui.find(
        "Sign-ups to clear: 1. Records lost (not confirmed by the base): 1. Enter the staff PIN.",
        AccessibleRole::Text,
    );
    tap_last(&ui, "Back");
    assert!(!p.get_purge_pin_stage());
    tap_last(&ui, "Cancel");
    assert_eq!(count(&ui), 1, "Cancel clears nothing");

    // Walking away: the idle reset closes the dialog and forgets a half-typed PIN.
    ui.tap("Clear this fair's data");
    ui.find(
        "Clear anyway: I accept losing this 1 record",
        AccessibleRole::Checkbox,
    )[0]
    .invoke_accessible_default_action();
    tap_last(&ui, "Continue");
    ui.keypad("24");
    assert_eq!(p.get_purge_pin(), "24");
    for _ in 0..10 {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(30));
    }
    assert_eq!(ui.page(), Page::Home, "the idle reset");
    assert_eq!(p.get_dialog(), StaffDialog::None);
    assert_eq!(
        p.get_purge_pin(),
        "",
        "a half-typed PIN does not wait for the next person"
    );
}

fn no_button(ui: &Ui, label: &str) -> bool {
    i_slint_backend_testing::ElementHandle::find_by_accessible_label(ui.w(), label)
        .all(|e| e.accessible_role() != Some(AccessibleRole::Button))
}
