//! The phone form on the kiosk's screens: off by default; the staff tile turns it on (the
//! server answers over real HTTP and the home page shows the QR code with its URL); the
//! choice survives a restart; off unbinds the port. Synthetic data only.

mod common;

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::gui::{self, AppState, Gui, GuiOptions, Page, StaffDialog, StaffPanel};
use jobfair_kiosk::store::sources::Source;
use slint::{ComponentHandle, Model};
use std::path::Path;

fn start(dir: &Path) -> Gui {
    let mut kiosk = Kiosk::open(&KioskOptions::new(dir)).unwrap();
    common::unlock(&mut kiosk);
    let opts = GuiOptions {
        upload_worker: false,
        listen: Some("127.0.0.1:0".into()),
        ..GuiOptions::default()
    };
    let gui = gui::build(kiosk, &opts).unwrap();
    gui.window.show().unwrap();
    gui
}

fn get(url: &str) -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::get(url).unwrap().status().as_u16()
}

#[test]
fn staff_turn_the_phone_form_on_and_off_and_it_survives_a_restart() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let dir = tempfile::tempdir().unwrap();
    let gui = start(dir.path());
    let app = gui.window.global::<AppState>();
    let panel = gui.window.global::<StaffPanel>();
    assert_eq!(app.get_phone_url(), "", "off by default");
    assert!(!panel.get_phone_form_on());

    panel.invoke_toggle_phone_form();
    let url = app.get_phone_url().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(panel.get_phone_form_on());
    assert_eq!(get(&url), 200, "the form answers");
    let qr = app.get_phone_qr().size();
    assert!(qr.width >= 200, "a QR code is shown: {qr:?}");
    let hits = i_slint_backend_testing::ElementHandle::find_by_accessible_label(
        &gui.window,
        "用手机扫码报名",
    )
    .count();
    assert!(hits >= 1, "the home page shows the phone QR");

    // The staff panel's phone tile offers the poster while the form is on; it opens the
    // export dialog (folders) in poster mode, without the sign-ups' format and masking.
    app.set_page(Page::Staff);
    let poster_buttons = |w: &gui::AppWindow| -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(w, "打印海报")
            .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
            .collect()
    };
    let buttons = poster_buttons(&gui.window);
    assert_eq!(
        buttons.len(),
        1,
        "one Print poster button on the phone tile"
    );
    buttons[0].invoke_accessible_default_action();
    assert_eq!(panel.get_dialog(), StaffDialog::Export);
    assert!(panel.get_export_poster());
    assert!(
        panel.get_folders().row_count() >= 1,
        "the kiosk's own folder at least"
    );
    let save = ElementHandle::find_by_accessible_label(&gui.window, "保存海报")
        .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .count();
    assert_eq!(save, 1, "the dialog saves the poster");
    let masking = ElementHandle::find_by_accessible_label(
        &gui.window,
        "完整身份证号和手机号（需要工作人员密码）",
    )
    .count();
    assert_eq!(masking, 0, "no masking choice for a poster");
    // The sign-ups' Export opens the same dialog for sign-ups again.
    panel.invoke_open_export();
    assert!(!panel.get_export_poster());
    let masking = ElementHandle::find_by_accessible_label(
        &gui.window,
        "完整身份证号和手机号（需要工作人员密码）",
    )
    .count();
    assert_eq!(masking, 1, "the sign-ups' export has its masking choice");
    panel.set_dialog(StaffDialog::None);
    app.set_page(Page::Home);

    // A phone sign-up is counted on the tile.
    {
        let mut k = common::open_kiosk(dir.path());
        let draft = common::draft(&k, 3);
        k.register_from(&draft, Source::Phone).unwrap();
    }
    panel.invoke_refresh();
    assert_eq!(panel.get_phone_signups(), 1);
    drop(gui);

    // A restart: the form is on again (on another free port here).
    let gui = start(dir.path());
    let app = gui.window.global::<AppState>();
    let panel = gui.window.global::<StaffPanel>();
    let url = app.get_phone_url().to_string();
    assert!(!url.is_empty(), "the choice survived the restart");
    assert_eq!(get(&url), 200);
    panel.invoke_toggle_phone_form();
    assert_eq!(app.get_phone_url(), "");
    app.set_page(Page::Staff);
    assert_eq!(
        ElementHandle::find_by_accessible_label(&gui.window, "打印海报").count(),
        0,
        "no poster without the form: it has no address"
    );
    app.set_page(Page::Home);
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "unbound when off"
    );
    drop(gui);
    let kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    assert!(!kiosk.phone_form_on().unwrap());
}
