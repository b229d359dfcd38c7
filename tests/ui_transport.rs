//! Buses and trains through the real UI (issue 16, i-slint-backend-testing), by accessible
//! labels: a villager asks for a seat on the ride step in Chinese and another, in English,
//! lands on the waitlist of the now full bus; the ticket page shows seat and waitlist
//! place; the staff open the departures, board at the bus door by scanner (with and
//! without Enter) and by typed short code, in both languages, with rescans, a forged
//! ticket, a waitlisted villager and a ticket of another departure refused; the no-show
//! list; the passenger list exported masked. Synthetic data only.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::app::transport::{Seat, Source};
use jobfair_kiosk::gui::{
    AppState, BoardResult, BoardingAdapter, DeparturesAdapter, ExportState, Page, RegisterAdapter,
    RideAdapter, RideState, StaffPanel,
};
use slint::ComponentHandle;
use slint::platform::WindowEvent;
use std::time::Duration;

/// The demo fair's first bus: 53 seats, 2027-02-16 (a Tuesday) 07:00 (first in the lists,
/// so its rows are on screen).
const BUS: &str = "bus-gaozeng-1";
const BUS_ZH: &str = "2月16日 周二 07:00 高增乡政府门口";
const BUS_EN: &str = "Tue 16 Feb, 07:00 Gaozeng Township Government Gate";
/// Another departure from the same place a day later, for "not this departure".
const OTHER: &str = "bus-gaozeng-2";

/// Types a scanner burst (keys at once), then lets the end-of-scan gap pass.
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

/// Villagers registered and seated through the app (filling the bus), returning tickets.
fn seat_others(ui: &Ui, from: u32, n: u32, departure: &str) -> Vec<(uuid::Uuid, String)> {
    let mut k = ui.gui.kiosk.borrow_mut();
    (from..from + n)
        .map(|i| {
            let draft = common::draft(&k, i);
            let issued = k.register(&draft).unwrap();
            let change = k
                .request_seat(issued.registration_id, departure, None, Source::Cli)
                .unwrap();
            assert!(matches!(
                change.request.unwrap().seat,
                Seat::Assigned { .. }
            ));
            (issued.registration_id, issued.ticket)
        })
        .collect()
}

/// Home → register (no ID) → phone → name → place → the first opening → Next, in the
/// language shown (`zh`: Chinese labels).
fn to_ride_step(ui: &Ui, zh: bool, phone: &str, name: &str) {
    let t = |zh_label: &'static str, en_label: &'static str| if zh { zh_label } else { en_label };
    assert_eq!(ui.page(), Page::Home);
    ui.tap(t("我要报名", "Register"));
    ui.tap(t("我同意", "I agree"));
    assert_eq!(ui.page(), Page::Phone);
    ui.keypad(phone);
    assert_eq!(
        ui.page(),
        Page::Name,
        "no ID consent: the ID step is skipped"
    );
    ui.find(t("姓名", "Name"), AccessibleRole::TextInput)[0].set_accessible_value(name);
    ui.tap(t("下一步", "Next"));
    assert_eq!(ui.page(), Page::Place);
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township.label);
    let village = slint::Model::row_data(&a.get_villages(), 0).unwrap();
    ui.tap(&village.label);
    assert_eq!(ui.page(), Page::Choose);
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ui.tap_card(&first);
    ui.tap(t("下一步", "Next"));
    assert_eq!(
        ui.page(),
        Page::Ride,
        "the employer is in Yongkang, which has buses"
    );
}

/// The accessible value of the element with this label and role that has one (a Text's
/// own label is its text, so a plain word on the page has the same label and no value).
fn shown_value(ui: &Ui, label: &str, role: AccessibleRole) -> String {
    ui.find(label, role)
        .iter()
        .filter_map(|e| e.accessible_value())
        .map(|v| v.to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

fn departure_card(ui: &Ui, id: &str) -> jobfair_kiosk::gui::DepartureCard {
    slint::Model::iter(&ui.w().global::<RideAdapter>().get_departures())
        .find(|d| d.id == id)
        .unwrap()
}

/// The ticket just shown, from the store (newest sign-up).
fn newest_ticket(ui: &Ui) -> (String, String) {
    ui.db()
        .query_row(
            "SELECT ticket, short_code FROM registrations ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn asking_for_a_seat_in_chinese_then_in_english(ui: &Ui) -> (String, String) {
    // 52 of the bus's 53 seats are taken already.
    seat_others(ui, 500, 52, BUS);
    to_ride_step(ui, true, "13900000601", "王小明");
    let r = ui.w().global::<RideAdapter>();
    assert_eq!(r.get_destination(), "浙江永康");
    let card = departure_card(ui, BUS);
    assert_eq!((card.seats, card.assigned, card.waitlisted), (53, 52, 0));
    ui.tap(BUS_ZH);
    assert_eq!(ui.page(), Page::Review);
    let ride = shown_value(ui, "乘车", AccessibleRole::Text);
    assert!(
        ride.contains("高增乡政府门口") && ride.contains("2月16日"),
        "{ride}"
    );
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    let shown = shown_value(ui, "您的乘车", AccessibleRole::Text);
    assert!(shown.contains("座位 53 号"), "{shown}");
    assert!(shown.contains("高增乡政府门口"), "{shown}");
    let zh_ticket = newest_ticket(ui).0;
    let stored: (String, Option<i64>, String) = ui
        .db()
        .query_row(
            "SELECT s.state, s.seat, s.departure_id FROM seat_requests s \
             JOIN registrations r ON r.id = s.registration_id WHERE r.ticket = ?1",
            [&zh_ticket],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(stored, ("assigned".into(), Some(53), BUS.to_string()));
    ui.tap("完成");

    // English: the same bus is full now; the card says so and the villager waits.
    ui.w().global::<AppState>().invoke_set_language("en".into());
    to_ride_step(ui, false, "13900000602", "Li Na");
    assert_eq!(r.get_destination(), "Yongkang, Zhejiang");
    let card = departure_card(ui, BUS);
    assert_eq!((card.assigned, card.waitlisted), (53, 0));
    ui.tap(BUS_EN);
    assert_eq!(ui.page(), Page::Review);
    ui.tap("Confirm and get my ticket");
    assert_eq!(ui.page(), Page::Ticket);
    let shown = shown_value(ui, "Your ride", AccessibleRole::Text);
    assert!(
        shown.contains("number 1 on the waitlist") && shown.contains("Gaozeng"),
        "{shown}"
    );
    let en_ticket = newest_ticket(ui).0;
    ui.tap("Done");

    // A third villager says "No thanks": signed up, no seat asked.
    to_ride_step(ui, false, "13900000603", "Zhang Wei");
    ui.tap("No thanks");
    assert_eq!(ui.page(), Page::Review);
    ui.tap("Confirm and get my ticket");
    assert_eq!(ui.page(), Page::Ticket);
    assert_eq!(
        ui.w().global::<RideAdapter>().get_ticket_state(),
        RideState::None,
        "no ride on the ticket"
    );
    let seats: i64 = ui
        .db()
        .query_row("SELECT count(*) FROM seat_requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seats, 52 + 2, "no seat for No thanks");
    ui.tap("Done");
    ui.w()
        .global::<AppState>()
        .invoke_set_language("zh_CN".into());
    (zh_ticket, en_ticket)
}

fn result(ui: &Ui) -> BoardResult {
    ui.w().global::<BoardingAdapter>().get_result()
}

fn boarding_at_the_bus_door(ui: &Ui, zh_ticket: &str, en_ticket: &str) {
    ui.gui.kiosk.borrow_mut().set_staff_pin("2468").unwrap();
    ui.tap("工作人员");
    ui.keypad("2468");
    ui.tap("确定");
    assert_eq!(ui.page(), Page::Staff);
    let d = ui.w().global::<DeparturesAdapter>();
    assert!(d.get_any());
    assert_eq!(d.get_assigned(), 53);
    ui.tap("已分座");
    assert_eq!(ui.page(), Page::Departures);
    let row = shown_value(ui, BUS_ZH, AccessibleRole::Text);
    assert_eq!(row, "53/53 1 0", "seats filled, waitlist, boarded");
    ui.tap(&format!("检票上车 {BUS_ZH}"));
    assert_eq!(ui.page(), Page::Boarding);
    assert_eq!(shown_value(ui, "已上车", AccessibleRole::Text), "0/53");

    // A scanner that types the ticket without Enter.
    scan(ui, zh_ticket);
    assert_eq!(result(ui), BoardResult::Boarded);
    let shown = shown_value(ui, "检票结果", AccessibleRole::Text);
    assert!(shown.starts_with("已上车"), "{shown}");
    assert_eq!(
        shown_value(ui, "乘客", AccessibleRole::Text),
        "王*明",
        "masked"
    );
    assert_eq!(ui.w().global::<BoardingAdapter>().get_seat(), 53);
    assert_eq!(shown_value(ui, "已上车", AccessibleRole::Text), "1/53");
    // The same ticket again, with Enter: nothing changes.
    scan(ui, &format!("{zh_ticket}\n"));
    assert_eq!(result(ui), BoardResult::Again);
    assert!(shown_value(ui, "检票结果", AccessibleRole::Text).contains("已上车过"));
    assert_eq!(shown_value(ui, "已上车", AccessibleRole::Text), "1/53");

    // A forged ticket: one character of the signed body changed.
    let mut forged: Vec<char> = zh_ticket.chars().collect();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    scan(ui, &forged);
    assert_eq!(result(ui), BoardResult::Invalid);
    let shown = shown_value(ui, "检票结果", AccessibleRole::Text);
    assert!(
        shown.contains("无效票") && shown.contains("不要让其上车"),
        "{shown}"
    );
    // The waitlisted villager: no seat yet.
    scan(ui, en_ticket);
    assert_eq!(result(ui), BoardResult::Waitlisted);
    assert!(shown_value(ui, "检票结果", AccessibleRole::Text).contains("候补第 1 位"));
    // A villager seated on another bus.
    let other = seat_others(ui, 700, 1, OTHER).remove(0).1;
    scan(ui, &other);
    assert_eq!(result(ui), BoardResult::OtherDeparture);
    let shown = shown_value(ui, "检票结果", AccessibleRole::Text);
    assert!(
        shown.contains("不是这趟车") && shown.contains("2月17日"),
        "{shown}"
    );
    assert_eq!(
        shown_value(ui, "已上车", AccessibleRole::Text),
        "1/53",
        "refusals board nobody"
    );

    // The short code typed on the keypad (a ticket whose QR code is torn).
    let code: String = ui
        .db()
        .query_row(
            "SELECT r.short_code FROM registrations r JOIN seat_requests s \
             ON s.registration_id = r.id WHERE s.departure_id = ?1 AND s.seat = 1",
            [BUS],
            |r| r.get(0),
        )
        .unwrap();
    ui.keypad(&code);
    ui.tap("查找");
    assert_eq!(result(ui), BoardResult::Boarded);
    assert_eq!(ui.w().global::<BoardingAdapter>().get_seat(), 1);
    assert_eq!(shown_value(ui, "已上车", AccessibleRole::Text), "2/53");

    // The no-show list: the 51 seated who have not boarded, by seat, names masked.
    ui.tap("谁还没上车？");
    let list = ui.w().global::<BoardingAdapter>().get_no_shows();
    assert_eq!(slint::Model::row_count(&list), 51);
    let first = slint::Model::row_data(&list, 0).unwrap();
    assert_eq!((first.seat, first.name.as_str()), (2, "测**民"));
    ui.tap("返回扫码");

    // English at the same door.
    ui.w().global::<AppState>().invoke_set_language("en".into());
    scan(ui, &format!("{zh_ticket}\n"));
    assert!(
        shown_value(ui, "Boarding result", AccessibleRole::Text).starts_with("Already boarded at"),
    );
    scan(ui, &forged);
    assert!(
        shown_value(ui, "Boarding result", AccessibleRole::Text).contains("Do not let them on")
    );
    scan(ui, "not a ticket at all");
    assert_eq!(result(ui), BoardResult::Invalid);
    scan(ui, &other);
    let shown = shown_value(ui, "Boarding result", AccessibleRole::Text);
    assert!(
        shown.contains("Not this departure") && shown.contains("17 Feb"),
        "{shown}"
    );
    assert_eq!(shown_value(ui, "Boarded", AccessibleRole::Text), "2/53");
    ui.tap("Other departures");
    assert_eq!(ui.page(), Page::Departures);
    assert_eq!(shown_value(ui, BUS_EN, AccessibleRole::Text), "53/53 1 2");
    ui.w()
        .global::<AppState>()
        .invoke_set_language("zh_CN".into());
}

fn exporting_the_passenger_list_masked(ui: &Ui) {
    assert_eq!(ui.page(), Page::Departures);
    ui.tap(&format!("乘车名单 {BUS_ZH}"));
    let p = ui.w().global::<StaffPanel>();
    assert!(
        p.get_folder_index() >= 0,
        "the kiosk's own folder is offered"
    );
    let export = ui.find("导出", AccessibleRole::Button);
    export.last().unwrap().invoke_accessible_default_action();
    assert_eq!(p.get_export_state(), ExportState::Done);
    assert_eq!(p.get_export_rows(), 53);
    let path = std::path::PathBuf::from(p.get_export_path().as_str());
    assert!(path.is_file(), "{}", path.display());
    assert!(path.to_string_lossy().contains("masked"));
    // Masked: no full phone number of a passenger in the sheet.
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let text: String = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("王小明"), "{text}");
    assert!(!text.contains("13900000601"), "the phone is masked");
    ui.tap("关闭");
    ui.tap("返回管理面板");
    assert_eq!(ui.page(), Page::Staff);
}

fn pdf_pages(pdf: &std::path::Path) -> u32 {
    let out = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    assert!(out.status.success(), "pdfinfo reads {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// The passenger list as an A4 PDF from the staff panel: masked by default (no audit
/// row); the full one only after the staff PIN (a wrong one writes nothing), audited.
fn exporting_the_passenger_list_as_a_pdf(ui: &Ui) {
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(ui.page(), Page::Staff);
    ui.tap("已分座");
    ui.tap(&format!("乘车名单 {BUS_ZH}"));
    let p = ui.w().global::<StaffPanel>();
    let d = ui.w().global::<DeparturesAdapter>();
    assert!(!d.get_manifest_pdf(), "XLSX unless PDF is chosen");
    assert!(!p.get_export_unmasked(), "masked unless asked");
    ui.tap("打印用 PDF（A4）");
    assert!(d.get_manifest_pdf());
    let export = |ui: &Ui| {
        ui.find("导出", AccessibleRole::Button)
            .last()
            .unwrap()
            .invoke_accessible_default_action();
    };
    let audits = |detail: &str| -> i64 {
        ui.db()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'export_unmasked' AND detail LIKE ?1",
                [format!("%{detail}%")],
                |r| r.get(0),
            )
            .unwrap()
    };
    export(ui);
    assert_eq!(
        p.get_export_state(),
        ExportState::Done,
        "{:?}",
        p.get_export_failure()
    );
    assert_eq!(p.get_export_rows(), 53);
    let masked = std::path::PathBuf::from(p.get_export_path().as_str());
    assert!(
        masked.to_string_lossy().ends_with("-masked.pdf"),
        "{}",
        masked.display()
    );
    assert!(std::fs::read(&masked).unwrap().starts_with(b"%PDF-1.4"));
    assert_eq!(
        std::fs::metadata(&masked).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(pdf_pages(&masked), 3, "53 passengers, 26 a page");
    assert_eq!(audits("\"pdf\""), 0, "a masked list is not audited");
    let folder = masked.parent().unwrap().to_path_buf();
    let files = || std::fs::read_dir(&folder).unwrap().count();
    let before = files();

    ui.find(
        "完整身份证号和手机号（需要工作人员密码）",
        AccessibleRole::Checkbox,
    )[0]
    .invoke_accessible_default_action();
    ui.keypad("1111");
    export(ui);
    assert_eq!(p.get_export_state(), ExportState::WrongPin);
    assert_eq!(files(), before, "nothing written with a wrong PIN");
    ui.keypad("2468");
    export(ui);
    assert_eq!(p.get_export_state(), ExportState::Done);
    let full = std::path::PathBuf::from(p.get_export_path().as_str());
    assert!(
        full.to_string_lossy().ends_with(".pdf") && !full.to_string_lossy().contains("masked"),
        "{}",
        full.display()
    );
    assert_eq!(pdf_pages(&full), 3);
    assert_ne!(
        std::fs::read(&full).unwrap(),
        std::fs::read(&masked).unwrap(),
        "the full list shows other numbers"
    );
    assert_eq!(audits("\"pdf\""), 1, "the full list is audited");
    assert_eq!(audits(BUS), 1);
    if let Some(keep) = std::env::var_os("KEEP_MANIFEST_PDF") {
        std::fs::copy(&masked, std::path::Path::new(&keep).join("masked.pdf")).unwrap();
        std::fs::copy(&full, std::path::Path::new(&keep).join("full.pdf")).unwrap();
    }
    ui.tap("关闭");
    ui.tap("返回管理面板");
    assert_eq!(ui.page(), Page::Staff);
}

/// The staff's passenger view: the bus's 53 seated and its waitlisted villager; a seated
/// villager moved in English to the next day's bus (a seat there), the waitlisted one
/// promoted into the freed seat; those on board have no Move button.
fn moving_a_passenger_to_another_departure(ui: &Ui) {
    use i_slint_backend_testing::ElementHandle;
    use jobfair_kiosk::gui::MoveResult;
    assert_eq!(ui.page(), Page::Staff);
    ui.tap("已分座");
    ui.tap(&format!("座位 {BUS_ZH}"));
    assert_eq!(ui.page(), Page::Passengers);
    let d = ui.w().global::<DeparturesAdapter>();
    let list = |d: &DeparturesAdapter<'_>| -> Vec<(i32, i32, bool)> {
        slint::Model::iter(&d.get_passengers())
            .map(|p| (p.seat, p.position, p.boarded))
            .collect()
    };
    let before = list(&d);
    assert_eq!(before.len(), 54, "53 seated, 1 waiting");
    assert_eq!(before[0], (1, 0, true), "seat 1 boarded at the door");
    assert_eq!(before[53], (0, 1, false), "the waitlist after the seats");
    let buttons = |label: &str| ElementHandle::find_by_accessible_label(ui.w(), label).count();
    assert_eq!(buttons("换车次 1 号座"), 0, "on board: not moved from here");
    assert_eq!(buttons("换车次 2 号座"), 1);

    ui.w().global::<AppState>().invoke_set_language("en".into());
    let moved = slint::Model::row_data(&d.get_passengers(), 1).unwrap();
    ui.tap("Move Seat 2");
    assert_eq!(d.get_moving().registration, moved.registration);
    ui.find(
        &format!("Move {} (Seat 2) to which departure?", moved.name),
        AccessibleRole::Text,
    );
    assert_eq!(
        slint::Model::row_count(&d.get_targets()),
        10,
        "every other departure"
    );
    ui.tap("Wed 17 Feb, 08:00 Gaozeng Township Government Gate");
    assert_eq!(d.get_target(), OTHER);
    ui.tap("Move here");
    assert_eq!(d.get_move_result(), MoveResult::Seat);
    assert_eq!(d.get_moving().registration, "", "the sheet closes");
    let said = ui.value("Move result", AccessibleRole::Text);
    assert!(
        said.contains("moved: seat 2") && said.contains("17 Feb"),
        "{said}"
    );
    let reg = uuid::Uuid::parse_str(&moved.registration).unwrap();
    assert_eq!(
        ui.gui.kiosk.borrow().seat_of(reg).unwrap().unwrap().seat,
        Seat::Assigned {
            departure: OTHER.into(),
            seat: 2
        },
        "seat 1 of that bus was taken"
    );
    let after = list(&d);
    assert_eq!(
        after.len(),
        53,
        "the waitlisted villager took the freed seat"
    );
    assert!(after.iter().all(|p| p.0 > 0), "nobody waits any more");
    ui.tap("Back to the departures");
    assert_eq!(ui.page(), Page::Departures);
    ui.w()
        .global::<AppState>()
        .invoke_set_language("zh_CN".into());
    ui.tap("返回管理面板");
}

#[test]
fn seats_are_asked_for_boarded_and_listed_through_the_touch_ui() {
    let ui = Ui::start();
    let (zh_ticket, en_ticket) = asking_for_a_seat_in_chinese_then_in_english(&ui);
    boarding_at_the_bus_door(&ui, &zh_ticket, &en_ticket);
    exporting_the_passenger_list_masked(&ui);
    exporting_the_passenger_list_as_a_pdf(&ui);
    moving_a_passenger_to_another_departure(&ui);
}
