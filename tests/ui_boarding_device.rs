//! A boarding device through the real UI (issue 16): set up from a boarding kit, it opens
//! on the departures with only their Boarding buttons (no staff panel, no passenger lists),
//! boards the seated villager by scanner and refuses a forged ticket; after a reset it is
//! back on its departures. Synthetic data only.
//!
//! One #[test] (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::app::kit::{KitRole, install_kit};
use jobfair_kiosk::app::transport::Source;
use jobfair_kiosk::gui::{AppState, BoardResult, BoardingAdapter, DeparturesAdapter, Page};
use slint::ComponentHandle;
use slint::platform::WindowEvent;
use std::time::Duration;

const BUS: &str = "bus-gaozeng-1";
const BUS_ZH: &str = "2月16日 周二 07:00 高增乡政府门口";

fn scan(ui: &Ui, text: &str) {
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

#[test]
fn a_boarding_device_opens_on_its_departures_and_boards_offline() {
    // The registration kiosk: a villager seated on the bus, the boarding kit written.
    let kiosk_dir = tempfile::tempdir().unwrap();
    let kits = tempfile::tempdir().unwrap();
    let kit = kits.path().join("boarding.json");
    let ticket = {
        let mut k = common::open_kiosk(kiosk_dir.path());
        let d = common::draft(&k, 1);
        let issued = k.register(&d).unwrap();
        k.request_seat(issued.registration_id, BUS, None, Source::Kiosk)
            .unwrap();
        k.write_kit(KitRole::Boarding, &kit).unwrap();
        issued.ticket
    };
    let device = tempfile::tempdir().unwrap();
    install_kit(device.path(), &kit).unwrap();

    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(i_slint_backend_testing::init_integration_test_with_mock_time);
    let ui = Ui::start_in(device);
    assert_eq!(
        ui.page(),
        Page::Departures,
        "a boarding device opens on its departures"
    );
    let d = ui.w().global::<DeparturesAdapter>();
    assert!(d.get_door_only());
    let count = |label: &str| ElementHandle::find_by_accessible_label(ui.w(), label).count();
    assert_eq!(count("返回管理面板"), 0, "no way to the staff panel");
    assert_eq!(
        count(&format!("乘车名单 {BUS_ZH}")),
        0,
        "no passenger lists"
    );
    assert_eq!(count(&format!("座位 {BUS_ZH}")), 0, "no moves");

    ui.tap(&format!("检票上车 {BUS_ZH}"));
    assert_eq!(ui.page(), Page::Boarding);
    let b = ui.w().global::<BoardingAdapter>();
    assert!(!b.get_codes_available(), "no sign-ups here: scanner only");
    let mut forged: Vec<char> = ticket.chars().collect();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == 'A' { 'B' } else { 'A' };
    scan(&ui, &forged.into_iter().collect::<String>());
    assert_eq!(
        b.get_result(),
        BoardResult::Invalid,
        "a forged ticket is refused"
    );
    scan(&ui, &ticket);
    assert_eq!(b.get_result(), BoardResult::Boarded);
    assert_eq!(b.get_seat(), 1);
    assert_eq!(b.get_name(), "测**民", "masked");
    let shown = ui
        .find("检票结果", AccessibleRole::Text)
        .iter()
        .filter_map(|e| e.accessible_value())
        .map(|v| v.to_string())
        .find(|v| !v.is_empty())
        .unwrap();
    assert!(shown.starts_with("已上车"), "{shown}");

    ui.w().global::<AppState>().invoke_go_home();
    assert_eq!(ui.page(), Page::Departures, "home is the departures here");
    assert_eq!(d.get_boarded(), 1);
}
