//! Capacity, waitlist order, promotion, staff moves and boarding, on a real store with the
//! demo fair whose first bus is cut down to two seats.

use super::{BoardOutcome, Passenger, Promoted, Seat, Source};
use crate::app::{Error, Kiosk, KioskOptions};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, Draft, HomePlace};
use uuid::Uuid;

struct Fixture {
    kiosk: Kiosk,
    _dir: tempfile::TempDir,
    bus: String,
    other: String,
}

fn setup() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    kiosk.unlock_for_tests();
    kiosk.fair.departures[0].seats = 2;
    kiosk.fair.departures[1].seats = 1;
    let bus = kiosk.fair.departures[0].id.clone();
    let other = kiosk.fair.departures[1].id.clone();
    Fixture {
        kiosk,
        _dir: dir,
        bus,
        other,
    }
}

/// Synthetic names of villagers 1, 2, ….
const NAMES: [&str; 6] = ["张伟", "王芳", "李娜", "刘洋", "陈杰", "杨敏"];

/// Registers villager `n` and returns their sign-up id and ticket.
fn villager(k: &mut Kiosk, n: u32) -> (Uuid, String) {
    let fair = k.fair().clone();
    let draft = Draft {
        consent: Consent {
            personal_data: true,
            resident_id: false,
            share_phone: true,
        },
        phone: Phone::parse(&format!("139{n:08}")).unwrap(),
        resident_id: None,
        name: NAMES[n as usize - 1].into(),
        home: HomePlace {
            county: fair.fair.county.clone(),
            township: fair.fair.township.clone(),
            village: fair.fair.village.clone(),
        },
        openings: vec![fair.openings[0].id],
    };
    let issued = k.register(&draft).unwrap();
    (issued.registration_id, issued.ticket)
}

fn seat(k: &Kiosk, r: Uuid) -> Option<Seat> {
    k.seat_of(r).unwrap().map(|s| s.seat)
}

fn assigned(d: &str, seat: u32) -> Option<Seat> {
    Some(Seat::Assigned {
        departure: d.into(),
        seat,
    })
}

fn waiting(d: &str, position: u32) -> Option<Seat> {
    Some(Seat::Waitlisted {
        departure: d.into(),
        position,
    })
}

#[test]
fn seats_go_in_order_until_the_bus_is_full_then_the_waitlist_grows_in_order() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let people: Vec<Uuid> = (1..=4).map(|n| villager(&mut kiosk, n).0).collect();
    for &p in &people {
        kiosk.request_seat(p, &bus, None, Source::Kiosk).unwrap();
    }
    assert_eq!(seat(&kiosk, people[0]), assigned(&bus, 1));
    assert_eq!(seat(&kiosk, people[1]), assigned(&bus, 2));
    assert_eq!(seat(&kiosk, people[2]), waiting(&bus, 1));
    assert_eq!(seat(&kiosk, people[3]), waiting(&bus, 2));
    assert_eq!(kiosk.waitlist(&bus).unwrap(), people[2..]);
    let status = &kiosk.transport_status().unwrap()[0];
    assert_eq!(
        (
            status.seats,
            status.assigned,
            status.waitlisted,
            status.free()
        ),
        (2, 2, 2, 0)
    );
}

#[test]
fn asking_again_for_the_same_departure_changes_nothing() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let (a, _) = villager(&mut kiosk, 1);
    let first = kiosk.request_seat(a, &bus, None, Source::Kiosk).unwrap();
    let again = kiosk.request_seat(a, &bus, None, Source::Kiosk).unwrap();
    assert_eq!(first.request, again.request);
    assert_eq!(kiosk.transport_status().unwrap()[0].assigned, 1);
}

#[test]
fn a_freed_seat_goes_to_the_head_of_the_waitlist() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let people: Vec<Uuid> = (1..=4).map(|n| villager(&mut kiosk, n).0).collect();
    for &p in &people {
        kiosk.request_seat(p, &bus, None, Source::Kiosk).unwrap();
    }
    let change = kiosk.cancel_seat(people[0], Source::Staff).unwrap();
    assert_eq!(
        change.promoted,
        [Promoted {
            registration_id: people[2],
            departure: bus.clone(),
            seat: 1
        }]
    );
    assert_eq!(seat(&kiosk, people[0]), None);
    assert_eq!(
        seat(&kiosk, people[2]),
        assigned(&bus, 1),
        "the freed seat number"
    );
    assert_eq!(seat(&kiosk, people[3]), waiting(&bus, 1), "moved up");
    // A newcomer joins the end of the waitlist.
    let (late, _) = villager(&mut kiosk, 5);
    kiosk.request_seat(late, &bus, None, Source::Kiosk).unwrap();
    assert_eq!(seat(&kiosk, late), waiting(&bus, 2));
}

#[test]
fn staff_move_people_between_departures_and_the_old_seat_is_passed_on() {
    let Fixture {
        mut kiosk,
        bus,
        other,
        ..
    } = setup();
    let people: Vec<Uuid> = (1..=4).map(|n| villager(&mut kiosk, n).0).collect();
    for &p in &people[..3] {
        kiosk.request_seat(p, &bus, None, Source::Kiosk).unwrap();
    }
    // people[3] takes the one seat of the other departure.
    kiosk
        .request_seat(people[3], &other, None, Source::Kiosk)
        .unwrap();
    let moved = kiosk.move_seat(people[1], &other).unwrap();
    assert_eq!(
        moved.request.unwrap().seat,
        Seat::Waitlisted {
            departure: other.clone(),
            position: 1
        },
        "the other departure is full: its waitlist"
    );
    assert_eq!(moved.promoted.len(), 1);
    assert_eq!(
        seat(&kiosk, people[2]),
        assigned(&bus, 2),
        "promoted into seat 2"
    );
    // Staff move someone into a departure with a free seat: they get it at once.
    kiosk.cancel_seat(people[3], Source::Staff).unwrap();
    assert_eq!(
        seat(&kiosk, people[1]),
        assigned(&other, 1),
        "promoted on the other"
    );
    let back = kiosk.move_seat(people[1], &bus).unwrap();
    assert_eq!(
        back.request.unwrap().seat,
        Seat::Waitlisted {
            departure: bus.clone(),
            position: 1
        }
    );
    assert!(matches!(
        kiosk.move_seat(people[3], &bus),
        Err(Error::NoSeatRequest(_))
    ));
    assert!(matches!(
        kiosk.move_seat(people[0], "no-such-bus"),
        Err(Error::UnknownDeparture(_))
    ));
}

#[test]
fn a_request_names_a_real_sign_up_departure_and_employer() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let (a, _) = villager(&mut kiosk, 1);
    assert!(matches!(
        kiosk.request_seat(Uuid::now_v7(), &bus, None, Source::Kiosk),
        Err(Error::UnknownRegistration(_))
    ));
    assert!(matches!(
        kiosk.request_seat(a, "bus-nowhere", None, Source::Kiosk),
        Err(Error::UnknownDeparture(_))
    ));
    assert!(matches!(
        kiosk.request_seat(a, &bus, Some("no-such-firm"), Source::Kiosk),
        Err(Error::UnknownEmployer(_))
    ));
    assert_eq!(seat(&kiosk, a), None, "nothing was stored");
}

#[test]
fn more_seats_in_a_new_fair_file_seat_the_waitlist_in_order() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let people: Vec<Uuid> = (1..=5).map(|n| villager(&mut kiosk, n).0).collect();
    for &p in &people {
        kiosk.request_seat(p, &bus, None, Source::Kiosk).unwrap();
    }
    kiosk.fair.departures[0].seats = 4;
    let promoted: Vec<(Uuid, u32)> = kiosk
        .fill_from_waitlists()
        .unwrap()
        .into_iter()
        .map(|p| (p.registration_id, p.seat))
        .collect();
    assert_eq!(promoted, [(people[2], 3), (people[3], 4)]);
    assert_eq!(seat(&kiosk, people[4]), waiting(&bus, 1));
}

#[test]
fn boarding_marks_once_and_a_rescan_changes_nothing() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let (a, ticket) = villager(&mut kiosk, 1);
    kiosk.request_seat(a, &bus, None, Source::Kiosk).unwrap();
    let t0 = chrono::Utc::now();
    let first = kiosk.board_at(&bus, &ticket, t0).unwrap();
    let passenger = Passenger {
        registration_id: a,
        name: "张伟".into(),
        seat: 1,
    };
    assert!(
        matches!(&first, BoardOutcome::Boarded { passenger: p, first: true, .. } if *p == passenger),
        "{first:?}"
    );
    let again = kiosk
        .board_at(&bus, &ticket, t0 + chrono::Duration::minutes(3))
        .unwrap();
    match again {
        BoardOutcome::Boarded { at, first, .. } => {
            assert!(!first);
            assert_eq!(
                at.timestamp_millis(),
                t0.timestamp_millis(),
                "the first time kept"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(kiosk.transport_status().unwrap()[0].boarded, 1);
}

#[test]
fn the_bus_door_refuses_other_departures_waitlists_strangers_and_forgeries() {
    let Fixture {
        mut kiosk,
        bus,
        other,
        ..
    } = setup();
    let people: Vec<(Uuid, String)> = (1..=4).map(|n| villager(&mut kiosk, n)).collect();
    kiosk
        .request_seat(people[0].0, &bus, None, Source::Kiosk)
        .unwrap();
    kiosk
        .request_seat(people[1].0, &bus, None, Source::Kiosk)
        .unwrap();
    kiosk
        .request_seat(people[2].0, &bus, None, Source::Kiosk)
        .unwrap();
    assert_eq!(
        kiosk.board(&other, &people[0].1).unwrap(),
        BoardOutcome::OtherDeparture {
            departure: bus.clone(),
            seat: Some(1)
        }
    );
    assert_eq!(
        kiosk.board(&bus, &people[2].1).unwrap(),
        BoardOutcome::Waitlisted { position: 1 }
    );
    assert_eq!(
        kiosk.board(&bus, &people[3].1).unwrap(),
        BoardOutcome::NoSeat
    );
    // One character of the signed ticket changed: a forgery.
    let mut forged = people[0].1.clone().into_bytes();
    let i = forged.len() - 5;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert_eq!(kiosk.board(&bus, &forged).unwrap(), BoardOutcome::Invalid);
    assert_eq!(kiosk.board(&bus, "hello").unwrap(), BoardOutcome::Invalid);
    assert_eq!(
        kiosk.board_short_code(&bus, "ZZZZ-ZZZZ").unwrap(),
        BoardOutcome::UnknownCode
    );
    assert_eq!(kiosk.transport_status().unwrap()[0].boarded, 0);
}

#[test]
fn a_superseded_ticket_is_refused_at_the_bus_door() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let (a, old_ticket) = villager(&mut kiosk, 1);
    kiosk.request_seat(a, &bus, None, Source::Kiosk).unwrap();
    let openings = [kiosk.fair().openings[1].id];
    let new_ticket = kiosk.reissue(a, "0001", &openings).unwrap().ticket;
    assert_eq!(
        kiosk.board(&bus, &old_ticket).unwrap(),
        BoardOutcome::Superseded
    );
    assert!(matches!(
        kiosk.board(&bus, &new_ticket).unwrap(),
        BoardOutcome::Boarded { first: true, .. }
    ));
}

#[test]
fn the_no_show_list_is_everyone_seated_who_has_not_boarded() {
    let Fixture { mut kiosk, bus, .. } = setup();
    let people: Vec<(Uuid, String)> = (1..=3).map(|n| villager(&mut kiosk, n)).collect();
    for (p, _) in &people {
        kiosk.request_seat(*p, &bus, None, Source::Kiosk).unwrap();
    }
    kiosk.board(&bus, &people[1].1).unwrap();
    let names: Vec<(String, u32)> = kiosk
        .no_shows(&bus)
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.seat))
        .collect();
    assert_eq!(
        names,
        [("张伟".to_string(), 1)],
        "the waitlisted are no no-shows"
    );
}

/// Registers villager `n` from `township` (of the fair's county) choosing `opening`.
fn villager_from(k: &mut Kiosk, n: u32, township: &str, opening: u16) -> Uuid {
    let fair = k.fair().clone();
    let village = fair.places[0]
        .townships
        .iter()
        .find(|t| t.name == township)
        .unwrap()
        .villages[0]
        .clone();
    let draft = Draft {
        consent: Consent {
            personal_data: true,
            resident_id: false,
            share_phone: true,
        },
        phone: Phone::parse(&format!("138{n:08}")).unwrap(),
        resident_id: None,
        name: NAMES[n as usize % NAMES.len()].into(),
        home: HomePlace {
            county: fair.fair.county.clone(),
            township: township.into(),
            village,
        },
        openings: vec![opening],
    };
    k.register(&draft).unwrap().registration_id
}

#[test]
fn rides_asked_without_a_departure_go_home_township_first_then_earliest_then_the_waitlist() {
    let Fixture { mut kiosk, .. } = setup();
    // Two buses from 高增乡 (the later one listed first), one from 丙妹镇, and the train
    // open to every township; 2, 1, 1 and 1 seats.
    let mut fair = kiosk.fair.clone();
    let keep = |id: &str| fair.departures.iter().find(|d| d.id == id).unwrap().clone();
    let (mut g1, mut g2, mut b1, mut train) = (
        keep("bus-gaozeng-1"),
        keep("bus-gaozeng-2"),
        keep("bus-bingmei-1"),
        keep("train-congjiang-1"),
    );
    g1.seats = 2;
    g2.seats = 1;
    b1.seats = 1;
    train.seats = 1;
    assert!(g1.departs_at < g2.departs_at);
    fair.departures = vec![g2, b1, g1, train];
    kiosk.fair = fair;
    let opening = kiosk.fair.openings[0].id;
    let gaozeng: Vec<Uuid> = (1..=5)
        .map(|n| villager_from(&mut kiosk, n, "高增乡", opening))
        .collect();
    let bingmei = villager_from(&mut kiosk, 6, "丙妹镇", opening);
    let (nobody, _) = villager(&mut kiosk, 1);
    for &r in gaozeng.iter().chain([&bingmei]) {
        let asked = kiosk.request_ride(r, None, Source::Kiosk).unwrap();
        assert_eq!(asked.unwrap().seat, Seat::Requested);
    }
    // An employer in another city: no departure serves them.
    let elsewhere = kiosk.fair.employers[1].id.clone();
    kiosk.fair.employers[1].city = "广东东莞".into();
    kiosk
        .request_ride(nobody, Some(&elsewhere), Source::Kiosk)
        .unwrap();

    let done = kiosk.assign_requested().unwrap();
    assert_eq!(
        (done.assigned, done.waitlisted, done.unmatched),
        (5, 1, 1),
        "{done:?}"
    );
    assert_eq!(
        seat(&kiosk, gaozeng[0]),
        assigned("bus-gaozeng-1", 1),
        "earliest first"
    );
    assert_eq!(seat(&kiosk, gaozeng[1]), assigned("bus-gaozeng-1", 2));
    assert_eq!(seat(&kiosk, gaozeng[2]), assigned("bus-gaozeng-2", 1));
    assert_eq!(
        seat(&kiosk, gaozeng[3]),
        assigned("train-congjiang-1", 1),
        "then the train"
    );
    assert_eq!(
        seat(&kiosk, gaozeng[4]),
        waiting("bus-gaozeng-1", 1),
        "all full"
    );
    assert_eq!(
        seat(&kiosk, bingmei),
        assigned("bus-bingmei-1", 1),
        "not a 高增 bus"
    );
    assert_eq!(
        seat(&kiosk, nobody),
        Some(Seat::Requested),
        "left for the staff"
    );
    // Running it again changes nothing for those placed.
    let again = kiosk.assign_requested().unwrap();
    assert_eq!(
        (again.assigned, again.waitlisted, again.unmatched),
        (0, 0, 1)
    );
}

/// A sent record as the tests compare it: kind, villager, departure, seat, state.
type SentRow = (String, String, Option<String>, Option<u64>, String);

/// The seat and boarding records waiting for the base, oldest first.
fn sent_records(k: &Kiosk) -> Vec<(String, serde_json::Value)> {
    let pending = crate::store::outbox::next_pending(k.store().conn(), 0, 1000).unwrap();
    pending
        .into_iter()
        .filter(|r| r.kind.as_str() == "seat" || r.kind.as_str() == "boarding")
        .map(|r| {
            assert_eq!(crate::store::outbox::payload_sha256(&r.payload), r.sha256);
            (
                r.kind.as_str().to_string(),
                serde_json::from_str(&r.payload).unwrap(),
            )
        })
        .collect()
}

/// Issue 16, upload: every change of a seat request — asked, seated, waitlisted, moved,
/// cancelled, promoted from a waitlist — is a record for the base with the state after
/// it, enqueued in the same transaction; a boarding is one record, a rescan none, and a
/// request that changes nothing sends nothing.
#[test]
fn every_seat_change_and_boarding_is_a_record_for_the_base() {
    let Fixture {
        mut kiosk,
        bus,
        other,
        ..
    } = setup();
    let (a, ticket_a) = villager(&mut kiosk, 1);
    let (b, _) = villager(&mut kiosk, 2);
    let (c, _) = villager(&mut kiosk, 3);
    let employer = kiosk.fair().employers[0].id.clone();
    kiosk
        .request_seat(a, &bus, Some(&employer), Source::Kiosk)
        .unwrap();
    kiosk.request_seat(b, &bus, None, Source::Booth(4)).unwrap();
    kiosk.request_seat(c, &bus, None, Source::Kiosk).unwrap(); // waitlisted
    kiosk.request_seat(c, &bus, None, Source::Kiosk).unwrap(); // no change: no record
    kiosk.move_seat(b, &other).unwrap(); // b to the other bus; c promoted to seat 2
    kiosk.board(&bus, &ticket_a).unwrap();
    kiosk.board(&bus, &ticket_a).unwrap(); // a rescan: no record
    kiosk.cancel_seat(c, Source::Staff).unwrap();
    let got: Vec<SentRow> = sent_records(&kiosk)
        .into_iter()
        .map(|(kind, v)| {
            let who = v["registration_id"].as_str().unwrap().to_string();
            let who = [a, b, c]
                .iter()
                .position(|p| p.to_string() == who)
                .map_or("?".to_string(), |i| ["a", "b", "c"][i].to_string());
            let state = v["state"].as_str().unwrap_or("boarded").to_string();
            (
                kind,
                who,
                v["departure_id"].as_str().map(str::to_string),
                v["seat"].as_u64(),
                state,
            )
        })
        .collect();
    let row = |kind: &str, who: &str, dep: &str, seat: Option<u64>, state: &str| {
        (
            kind.to_string(),
            who.to_string(),
            Some(dep.to_string()),
            seat,
            state.to_string(),
        )
    };
    assert_eq!(
        got,
        [
            row("seat", "a", &bus, Some(1), "assigned"),
            row("seat", "b", &bus, Some(2), "assigned"),
            row("seat", "c", &bus, None, "waitlisted"),
            row("seat", "b", &other, Some(1), "assigned"),
            row("seat", "c", &bus, Some(2), "assigned"),
            row("boarding", "a", &bus, Some(1), "boarded"),
            row("seat", "c", &bus, None, "cancelled"),
        ]
    );
    let records = sent_records(&kiosk);
    let first = &records[0].1;
    assert_eq!(first["employer"], employer.as_str());
    assert_eq!(first["kiosk_id"], kiosk.config().kiosk_id.as_str());
    assert_eq!(first["fair_id"], kiosk.fair().fair.id.as_str());
    assert_eq!(records[1].1["source"], "booth:4");
    assert_eq!(records[3].1["source"], "staff");
    assert_eq!(
        records[5].1["employer"],
        employer.as_str(),
        "boarding keeps it"
    );
    // Each request keeps its id across its changes.
    assert_eq!(records[1].1["request_id"], records[3].1["request_id"]);
    assert_ne!(records[0].1["request_id"], records[1].1["request_id"]);
}

#[test]
fn rides_placed_in_a_batch_are_records_too() {
    let Fixture { mut kiosk, .. } = setup();
    let opening = kiosk.fair.openings[0].id;
    let (g1, g2) = ("bus-gaozeng-1", "bus-gaozeng-2");
    let people: Vec<Uuid> = (1..=3)
        .map(|n| villager_from(&mut kiosk, n, "高增乡", opening))
        .collect();
    for &p in &people {
        kiosk.request_ride(p, None, Source::Kiosk).unwrap();
    }
    // Both 高增乡 buses down to one seat: two placed, the third waits for the first.
    for d in kiosk.fair.departures.iter_mut() {
        if d.id == g1 || d.id == g2 {
            d.seats = 1;
        } else {
            d.seats = 0;
        }
    }
    let done = kiosk.assign_requested().unwrap();
    assert_eq!((done.assigned, done.waitlisted, done.unmatched), (2, 1, 0));
    let got: Vec<(String, Option<String>)> = sent_records(&kiosk)
        .iter()
        .map(|(_, v)| {
            (
                v["state"].as_str().unwrap().to_string(),
                v["departure_id"].as_str().map(str::to_string),
            )
        })
        .collect();
    let firsts = got
        .iter()
        .take(3)
        .all(|(s, d)| s == "requested" && d.is_none());
    assert!(firsts, "{got:?}");
    let mut placed: Vec<(String, Option<String>)> = got[3..].to_vec();
    placed.sort();
    assert_eq!(
        placed,
        [
            ("assigned".to_string(), Some(g1.to_string())),
            ("assigned".to_string(), Some(g2.to_string())),
            ("waitlisted".to_string(), Some(g1.to_string())),
        ],
        "{got:?}"
    );
}

#[test]
fn the_passenger_view_lists_seats_then_the_waitlist_and_a_boarded_villager_is_not_moved() {
    use super::{OnDeparture, Place};
    let Fixture {
        mut kiosk,
        bus,
        other,
        ..
    } = setup();
    let people: Vec<(Uuid, String)> = (1..=4).map(|n| villager(&mut kiosk, n)).collect();
    for (p, _) in &people {
        kiosk.request_seat(*p, &bus, None, Source::Kiosk).unwrap();
    }
    kiosk.board(&bus, &people[1].1).unwrap();
    let view = |k: &Kiosk| -> Vec<(String, Place, bool)> {
        k.passengers(&bus)
            .unwrap()
            .into_iter()
            .map(|p: OnDeparture| (p.name, p.place, p.boarded))
            .collect()
    };
    assert_eq!(
        view(&kiosk),
        vec![
            ("张伟".into(), Place::Seat(1), false),
            ("王芳".into(), Place::Seat(2), true),
            ("李娜".into(), Place::Waitlist(1), false),
            ("刘洋".into(), Place::Waitlist(2), false),
        ]
    );
    // Boarded: stays on the bus.
    assert!(matches!(
        kiosk.staff_move_seat(people[1].0, &other),
        Err(Error::AlreadyBoarded(d)) if d == bus
    ));
    // Seated, not boarded: moved; the head of the waitlist takes the seat.
    let change = kiosk.staff_move_seat(people[0].0, &other).unwrap();
    assert_eq!(change.request.unwrap().seat, assigned(&other, 1).unwrap());
    assert_eq!(change.promoted.len(), 1);
    assert_eq!(
        view(&kiosk),
        vec![
            ("李娜".into(), Place::Seat(1), false),
            ("王芳".into(), Place::Seat(2), true),
            ("刘洋".into(), Place::Waitlist(1), false),
        ]
    );
    // Waitlisted: moved onto the other bus's waitlist (its one seat is taken).
    let change = kiosk.staff_move_seat(people[3].0, &other).unwrap();
    assert_eq!(change.request.unwrap().seat, waiting(&other, 1).unwrap());
    assert!(matches!(
        kiosk.staff_move_seat(Uuid::now_v7(), &other),
        Err(Error::NoSeatRequest(_))
    ));
    assert!(matches!(
        kiosk.passengers("no-such-bus"),
        Err(Error::UnknownDeparture(_))
    ));
}
