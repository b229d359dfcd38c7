//! The booth's seat offer through the real UI (issue 16, i-slint-backend-testing): a
//! recruiter records 录用 and the departures of the employer's city come up over the card;
//! in Chinese the villager gets the bus's last seat (a second offer keeps that one seat),
//! in English the next villager lands on the full bus's waitlist, and "No ride" gives
//! none. Synthetic data only.
//!
//! One #[test] runs the scenarios in turn (the Slint platform is per process and per thread).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::app::transport::{Seat, Source};
use jobfair_kiosk::gui::{AppState, BoothAdapter, Page, RideState};
use slint::ComponentHandle;
use slint::platform::WindowEvent;
use std::time::Duration;

/// The booth's employer (its openings are the demo fair's first two).
const EMPLOYER: &str = "永康市柏川园林机械有限公司";
/// The demo fair's first bus: 53 seats, Tuesday 16 February 2027 07:00.
const BUS: &str = "bus-gaozeng-1";
const BUS_ZH: &str = "2月16日 周二 07:00 高增乡政府门口";
const BUS_EN: &str = "Tue 16 Feb, 07:00 Gaozeng Township Government Gate";

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

/// Registers synthetic villager `n` (the booth's two openings) and returns id and ticket.
fn villager(ui: &Ui, n: u32) -> (uuid::Uuid, String) {
    let mut k = ui.gui.kiosk.borrow_mut();
    let draft = common::draft(&k, n);
    let issued = k.register(&draft).unwrap();
    (issued.registration_id, issued.ticket)
}

/// (departure, state, seat, source) of every seat request of `reg`, live or not.
fn seat_rows(ui: &Ui, reg: uuid::Uuid) -> Vec<(String, String, Option<i64>, String)> {
    let db = ui.db();
    let mut st = db
        .prepare(
            "SELECT departure_id, state, seat, source FROM seat_requests \
             WHERE registration_id = ?1",
        )
        .unwrap();
    st.query_map([reg.to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn ride_line(ui: &Ui, label: &str) -> String {
    ui.value(label, AccessibleRole::Text)
}

fn the_last_seat_is_offered_in_chinese_and_a_second_offer_keeps_it(ui: &Ui, pin: &str) {
    let b = ui.w().global::<BoothAdapter>();
    // 52 of the bus's 53 seats are taken by villagers who asked at the kiosk.
    {
        let mut k = ui.gui.kiosk.borrow_mut();
        for n in 100..152 {
            let d = common::draft(&k, n);
            let r = k.register(&d).unwrap().registration_id;
            k.request_seat(r, BUS, None, Source::Kiosk).unwrap();
        }
    }
    let (reg, ticket) = villager(ui, 1);
    ui.tap("招聘摊位");
    ui.tap(EMPLOYER);
    ui.keypad(pin);
    ui.tap("确定");
    assert_eq!(ui.page(), Page::BoothScan);
    scan(ui, &ticket);
    assert_eq!(ui.page(), Page::BoothCandidate);
    assert!(!b.get_ride_offer());

    ui.tap("有意向");
    assert!(!b.get_ride_offer(), "no ride before an offer");
    ui.tap("已录用");
    assert!(b.get_ride_offer(), "the seat offer comes up after 录用");
    ui.find("安排坐车去浙江永康吗？", AccessibleRole::Text);
    let cards = slint::Model::row_count(&b.get_ride_departures());
    assert_eq!(cards, 11, "every departure to Yongkang");
    ui.tap(BUS_ZH);
    assert!(!b.get_ride_offer(), "the sheet closes");
    assert_eq!(b.get_ride_state(), RideState::Seat);
    let line = ride_line(ui, "乘车");
    assert!(
        line.contains("53 号座") && line.contains("2月16日") && line.contains("高增乡政府门口"),
        "{line}"
    );
    let booth = format!("booth:{}", b.get_booth_id());
    assert_eq!(
        seat_rows(ui, reg),
        vec![(BUS.into(), "assigned".into(), Some(53), booth.clone())]
    );

    // The recruiter taps 录用 again: the sheet shows the seat ticked; the same bus again
    // changes nothing.
    ui.tap("✓ 已录用");
    assert!(b.get_ride_offer());
    let chosen: Vec<_> = slint::Model::iter(&b.get_ride_departures())
        .filter(|d| d.chosen)
        .map(|d| d.id.to_string())
        .collect();
    assert_eq!(chosen, vec![BUS.to_string()]);
    ui.tap(BUS_ZH);
    assert_eq!(
        seat_rows(ui, reg),
        vec![(BUS.into(), "assigned".into(), Some(53), booth)],
        "one seat, the same one"
    );
    ui.tap("扫下一位");
    assert_eq!(b.get_ride_state(), RideState::None, "nothing of them left");
}

fn the_next_villager_in_english_lands_on_the_waitlist(ui: &Ui) {
    let b = ui.w().global::<BoothAdapter>();
    ui.w().global::<AppState>().invoke_set_language("en".into());
    let (reg, ticket) = villager(ui, 2);
    scan(ui, &ticket);
    assert_eq!(ui.page(), Page::BoothCandidate);
    assert_eq!(b.get_ride_state(), RideState::None);
    ui.tap("Offered");
    assert!(b.get_ride_offer());
    let title = ui
        .find("Offer a ride to Yongkang, Zhejiang?", AccessibleRole::Text)
        .len();
    assert_eq!(title, 1);
    let bus = slint::Model::iter(&b.get_ride_departures())
        .find(|d| d.id == BUS)
        .unwrap();
    assert_eq!(
        (bus.assigned, bus.seats),
        (53, 53),
        "the card says it is full"
    );
    ui.tap(BUS_EN);
    assert_eq!(b.get_ride_state(), RideState::Waitlist);
    let line = ride_line(ui, "Ride");
    assert!(
        line.contains("waitlist place 1") && line.contains("16 Feb"),
        "{line}"
    );
    let k = ui.gui.kiosk.borrow();
    assert_eq!(
        k.seat_of(reg).unwrap().map(|s| s.seat),
        Some(Seat::Waitlisted {
            departure: BUS.into(),
            position: 1
        })
    );
    drop(k);
    ui.tap("Scan the next one");
}

fn no_ride_gives_no_seat(ui: &Ui) {
    let b = ui.w().global::<BoothAdapter>();
    let (reg, ticket) = villager(ui, 3);
    scan(ui, &ticket);
    ui.tap("Offered");
    assert!(b.get_ride_offer());
    ui.tap("No ride");
    assert!(!b.get_ride_offer());
    assert_eq!(b.get_ride_state(), RideState::None);
    assert!(seat_rows(ui, reg).is_empty(), "no seat asked");
    // Back in Chinese, the booth logs out: nothing of the ride stays on screen.
    ui.w()
        .global::<AppState>()
        .invoke_set_language("zh_CN".into());
    ui.tap("扫下一位");
    ui.tap("退出摊位");
    assert_eq!(ui.page(), Page::Home);
    assert!(!b.get_ride_offer());
}

#[test]
fn a_recruiter_offers_a_seat_after_recording_an_offer() {
    let ui = Ui::start();
    let pin = ui.gui.kiosk.borrow_mut().add_booth("baichuan").unwrap().pin;
    the_last_seat_is_offered_in_chinese_and_a_second_offer_keeps_it(&ui, &pin);
    the_next_villager_in_english_lands_on_the_waitlist(&ui);
    no_ride_gives_no_seat(&ui);
}
