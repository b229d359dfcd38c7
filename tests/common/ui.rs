//! Helpers for UI tests: a kiosk on a fresh data dir, and element queries that FAIL when
//! they find nothing (so a build without Slint debug info cannot pass silently).

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::gui::{self, AppState, AppWindow, Gui, GuiOptions, Page};
use slint::ComponentHandle;

pub struct Ui {
    pub gui: Gui,
    pub dir: tempfile::TempDir,
}

impl Ui {
    /// A kiosk on the embedded demo fair in a fresh data dir, window shown, mocked clock.
    /// The Slint platform is per process and Slint objects stay on the thread that made
    /// them, so each UI test file has ONE #[test] that runs its scenarios in turn.
    pub fn start() -> Ui {
        static INIT: std::sync::Once = std::sync::Once::new();
        INIT.call_once(i_slint_backend_testing::init_integration_test_with_mock_time);
        let dir = tempfile::tempdir().unwrap();
        Ui::start_in(dir)
    }

    pub fn start_in(dir: tempfile::TempDir) -> Ui {
        let mut kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
        super::unlock(&mut kiosk);
        let gui = gui::build(kiosk, &GuiOptions::default()).unwrap();
        gui.window.show().unwrap();
        Ui { gui, dir }
    }

    /// Like [`Ui::start_in`], but the kiosk is left as it opens: locked, or without a
    /// keyring on a fresh data dir (issue 17).
    #[allow(dead_code)]
    pub fn start_locked(dir: tempfile::TempDir) -> Ui {
        static INIT: std::sync::Once = std::sync::Once::new();
        INIT.call_once(i_slint_backend_testing::init_integration_test_with_mock_time);
        let kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
        let gui = gui::build(kiosk, &GuiOptions::default()).unwrap();
        gui.window.show().unwrap();
        Ui { gui, dir }
    }

    pub fn w(&self) -> &AppWindow {
        &self.gui.window
    }

    pub fn page(&self) -> Page {
        self.w().global::<AppState>().get_page()
    }

    /// Every element with this accessible label and role (panics when there is none).
    pub fn find(&self, label: &str, role: AccessibleRole) -> Vec<ElementHandle> {
        let hits: Vec<_> = ElementHandle::find_by_accessible_label(self.w(), label)
            .filter(|e| e.accessible_role() == Some(role))
            .collect();
        assert!(
            !hits.is_empty(),
            "no {role:?} labelled {label:?} on page {:?}",
            self.page()
        );
        hits
    }

    /// Taps the (first) button with this label.
    pub fn tap(&self, label: &str) {
        self.find(label, AccessibleRole::Button)[0].invoke_accessible_default_action();
    }

    /// Taps an opening's card (its label is "title employer").
    pub fn tap_card(&self, card: &jobfair_kiosk::gui::OpeningCard) {
        self.tap(&format!("{} {}", card.title, card.employer));
    }

    /// Types digits (and X) on the on-screen keypad, one key at a time.
    pub fn keypad(&self, keys: &str) {
        for k in keys.chars() {
            self.tap(&k.to_string());
        }
    }

    /// The accessible value of the (first) element with this label and role.
    pub fn value(&self, label: &str, role: AccessibleRole) -> String {
        self.find(label, role)[0]
            .accessible_value()
            .unwrap_or_default()
            .to_string()
    }

    /// "No thanks" on the ride step (every demo employer is in Yongkang, which has buses).
    #[allow(dead_code)]
    pub fn no_ride(&self) {
        assert_eq!(self.page(), Page::Ride, "the ride step after the openings");
        self.tap("不需要");
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("kiosk.db")).unwrap()
    }
}
