//! The locked start (issue 17) through the real UI: a new kiosk asks the staff to choose the
//! passphrase (twice, 12 characters or more) before anyone registers; after a restart it opens
//! on "工作人员请解锁" until the passphrase is typed; a wrong one is refused; the booth
//! path works while locked; the page speaks English too.

mod common;

use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::app::LockState;
use jobfair_kiosk::gui::{LockAdapter, LockMessage, Page};
use slint::ComponentHandle;
use std::time::Duration;

fn lock(ui: &Ui) -> (String, String, LockMessage, bool) {
    let l = ui.w().global::<LockAdapter>();
    (
        l.get_passphrase().to_string(),
        l.get_repeat().to_string(),
        l.get_message(),
        l.get_first_time(),
    )
}

/// Lets the unlock run (it waits one frame so "Unlocking…" shows first).
fn settle() {
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(100));
}

/// Keys of a physical (USB) keyboard, pressed and released one by one.
fn physical_keys(ui: &Ui, keys: &str) {
    use slint::platform::WindowEvent;
    for c in keys.chars() {
        let text: slint::SharedString = c.to_string().into();
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text });
    }
}

fn type_keys(ui: &Ui, keys: &str) {
    for k in keys.chars() {
        ui.tap(&k.to_string());
    }
}

#[test]
fn the_staff_choose_then_type_the_passphrase_before_anyone_registers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();

    // A new kiosk: choose the passphrase.
    let ui = Ui::start_locked(dir);
    assert_eq!(ui.page(), Page::Unlock);
    assert!(lock(&ui).3, "first time: choose one");
    assert!(
        !ui.find("工作人员请设置口令", AccessibleRole::Text)
            .is_empty()
    );
    // A USB keyboard types into the focused field too.
    physical_keys(&ui, "ab");
    assert_eq!(
        lock(&ui).0,
        "ab",
        "a physical keyboard types into the field"
    );
    physical_keys(&ui, "\u{8}\u{8}");
    assert_eq!(lock(&ui).0, "");
    type_keys(&ui, "12345");
    assert_eq!(
        lock(&ui).0,
        "12345",
        "the on-screen keys type into the field"
    );
    ui.tap("保存并解锁");
    assert_eq!(lock(&ui).2, LockMessage::TooShort);
    assert!(
        !ui.find("口令至少要 12 个字。", AccessibleRole::Text)
            .is_empty()
    );
    type_keys(&ui, "6789012");
    ui.w().global::<LockAdapter>().set_field(1);
    type_keys(&ui, "123456789013");
    ui.tap("保存并解锁");
    let (_, repeat, message, _) = lock(&ui);
    assert_eq!((repeat.as_str(), message), ("", LockMessage::Differ));
    assert_eq!(ui.page(), Page::Unlock);
    assert!(
        !jobfair_kiosk::seal::keyring_path(&path).exists(),
        "nothing saved yet"
    );
    type_keys(&ui, "123456789012");
    ui.tap("保存并解锁");
    assert_eq!(lock(&ui).2, LockMessage::Busy, "unlocking… shows first");
    settle();
    assert_eq!(ui.page(), Page::Home);
    assert_eq!(ui.gui.kiosk.borrow().lock_state(), LockState::Unlocked);
    assert_eq!(lock(&ui).0, "", "nothing typed is kept");
    assert!(jobfair_kiosk::seal::keyring_path(&path).exists());
    let draft = common::draft(&ui.gui.kiosk.borrow(), 1);
    ui.gui.kiosk.borrow_mut().register(&draft).unwrap();
    let Ui { gui, dir } = ui;
    drop(gui);

    // After a restart: locked until the passphrase is typed.
    let ui = Ui::start_locked(dir);
    assert_eq!(ui.page(), Page::Unlock);
    assert!(!lock(&ui).3, "a keyring exists: type it");
    assert!(!ui.find("工作人员请解锁", AccessibleRole::Text).is_empty());
    assert_eq!(ui.gui.kiosk.borrow().lock_state(), LockState::Locked);
    // The booth path needs no unlock, and leads back to the locked page.
    ui.tap("招聘摊位");
    assert_eq!(ui.page(), Page::BoothLogin);
    ui.tap("取消");
    assert_eq!(
        ui.page(),
        Page::Unlock,
        "back to the lock, not to registering"
    );
    // A wrong passphrase.
    type_keys(&ui, "000000000000");
    ui.tap("解锁");
    settle();
    let (typed, _, message, _) = lock(&ui);
    assert_eq!((typed.as_str(), message), ("", LockMessage::Wrong));
    assert!(!ui.find("口令不对。", AccessibleRole::Text).is_empty());
    assert_eq!(ui.page(), Page::Unlock);
    // In English.
    ui.tap("English");
    assert!(
        !ui.find("Staff: please unlock", AccessibleRole::Text)
            .is_empty()
    );
    assert!(
        !ui.find("That is not the staff passphrase.", AccessibleRole::Text)
            .is_empty()
    );
    // Shown on request, dots otherwise.
    type_keys(&ui, "123456789012");
    assert_eq!(ui.value("Passphrase", AccessibleRole::TextInput), "");
    ui.tap("Show");
    assert_eq!(
        ui.value("Passphrase", AccessibleRole::TextInput),
        "123456789012"
    );
    ui.tap("Unlock");
    settle();
    assert_eq!(ui.page(), Page::Home);
    // The sign-up of before the restart is found (its blind index needs the unlock).
    let existing = ui
        .gui
        .kiosk
        .borrow()
        .lookup_existing(&common::phone(1), None)
        .unwrap();
    assert!(existing.is_some());
}
