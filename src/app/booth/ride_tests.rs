//! The booth's seat offer: only after an offer, only the employer's departures, the
//! capacity and waitlist rules of every seat, no second seat on a second offer, nothing on
//! a booth-only device.

use super::{ScanOutcome, Session};
use crate::app::transport::Seat;
use crate::app::{Error, Kiosk, KioskOptions};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, Draft, HomePlace};
use crate::domain::stage::Stage;
use uuid::Uuid;

/// Villager `n` of the demo fair who chose `opening`.
fn draft(k: &Kiosk, n: u32, opening: u16) -> Draft {
    let fair = k.fair();
    Draft {
        consent: Consent {
            personal_data: true,
            resident_id: false,
            share_phone: true,
        },
        phone: Phone::parse(&format!("139{n:08}")).unwrap(),
        resident_id: None,
        name: "测试村民".into(),
        home: HomePlace {
            county: fair.fair.county.clone(),
            township: fair.fair.township.clone(),
            village: fair.fair.village.clone(),
        },
        openings: vec![opening],
    }
}

struct Booth {
    k: Kiosk,
    _dir: tempfile::TempDir,
    s: Session,
    reg: Uuid,
    ticket: String,
    opening: u16,
}

/// A kiosk whose first bus has 2 seats, a logged-in booth of the first employer and the
/// candidate on screen (who chose its first opening).
fn at_the_booth() -> Booth {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    k.unlock_for_tests();
    k.fair.departures[0].seats = 2;
    let employer = k.fair().employers[0].id.clone();
    let opening = k
        .fair()
        .openings
        .iter()
        .find(|o| o.employer == employer)
        .unwrap()
        .id;
    let issued = k.register(&draft(&k, 1, opening)).unwrap();
    let new = k.add_booth(&employer).unwrap();
    let mut s = Session::open(&mut k, new.booth.id, &new.pin)
        .unwrap()
        .unwrap();
    assert!(matches!(
        s.scan(&mut k, &issued.ticket).unwrap(),
        ScanOutcome::Candidate(_)
    ));
    Booth {
        k,
        _dir: dir,
        s,
        reg: issued.registration_id,
        ticket: issued.ticket,
        opening,
    }
}

fn seat_rows(k: &Kiosk) -> (i64, i64) {
    let conn = k.store().conn();
    let rows = conn
        .query_row("SELECT count(*) FROM seat_requests", [], |r| r.get(0))
        .unwrap();
    let records = conn
        .query_row("SELECT count(*) FROM outbox WHERE kind = 'seat'", [], |r| {
            r.get(0)
        })
        .unwrap();
    (rows, records)
}

#[test]
fn a_ride_is_offered_only_after_an_offer_and_only_on_the_employers_departures() {
    let Booth {
        mut k,
        mut s,
        reg,
        opening,
        ..
    } = at_the_booth();
    let bus = k.fair().departures[0].id.clone();
    // The second bus goes only for another employer of the same city.
    let other_employer = k.fair().employers[1].id.clone();
    k.fair.departures[1].employers = vec![other_employer];
    let not_ours = k.fair().departures[1].id.clone();

    s.record_stage(&mut k, reg, opening, Stage::Interviewed, "")
        .unwrap();
    assert_eq!(s.ride_offer(&k).unwrap(), None, "no offer recorded yet");
    assert!(matches!(
        s.offer_seat(&mut k, &bus),
        Err(Error::NoOfferRecorded)
    ));
    assert_eq!(seat_rows(&k), (0, 0), "nothing stored");

    s.record_stage(&mut k, reg, opening, Stage::Offered, "")
        .unwrap();
    let offer = s.ride_offer(&k).unwrap().expect("offered after 录用");
    assert_eq!(offer.current, None);
    assert!(offer.departures.contains(&bus));
    assert!(
        !offer.departures.contains(&not_ours),
        "not another employer's bus"
    );
    assert_eq!(offer.departures.len(), k.fair().departures.len() - 1);
    assert!(matches!(
        s.offer_seat(&mut k, &not_ours),
        Err(Error::NotThisEmployersDeparture(_))
    ));
    assert!(matches!(
        s.offer_seat(&mut k, "no-such-bus"),
        Err(Error::UnknownDeparture(_))
    ));

    let change = s.offer_seat(&mut k, &bus).unwrap();
    assert_eq!(
        change.request.unwrap().seat,
        Seat::Assigned {
            departure: bus.clone(),
            seat: 1
        }
    );
    let (source, employer): (String, String) = k
        .store()
        .conn()
        .query_row("SELECT source, employer FROM seat_requests", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(source, format!("booth:{}", s.booth().id));
    assert_eq!(employer, s.booth().employer_id);
    let again = s.ride_offer(&k).unwrap().unwrap();
    assert!(matches!(
        again.current.map(|c| c.seat),
        Some(Seat::Assigned { seat: 1, .. })
    ));
}

#[test]
fn a_second_offer_of_the_same_departure_keeps_the_one_seat() {
    let Booth {
        mut k,
        mut s,
        reg,
        opening,
        ..
    } = at_the_booth();
    let bus = k.fair().departures[0].id.clone();
    s.record_stage(&mut k, reg, opening, Stage::Offered, "")
        .unwrap();
    s.offer_seat(&mut k, &bus).unwrap();
    let once = seat_rows(&k);
    assert_eq!(once, (1, 1), "one seat request, one record for the base");
    // The recruiter taps 录用 again (or 已入职) and picks the same bus.
    s.record_stage(&mut k, reg, opening, Stage::Hired, "")
        .unwrap();
    let change = s.offer_seat(&mut k, &bus).unwrap();
    assert_eq!(
        change.request.unwrap().seat,
        Seat::Assigned {
            departure: bus,
            seat: 1
        }
    );
    assert_eq!(seat_rows(&k), once, "no second seat, no second record");
}

#[test]
fn a_full_departure_puts_the_candidate_on_its_waitlist_and_another_choice_moves_them() {
    let Booth {
        mut k,
        mut s,
        reg,
        opening,
        ..
    } = at_the_booth();
    let bus = k.fair().departures[0].id.clone();
    let next = k.fair().departures[1].id.clone();
    for n in 2..=3 {
        let other = k.register(&draft(&k, n, opening)).unwrap();
        k.request_seat(
            other.registration_id,
            &bus,
            None,
            crate::app::transport::Source::Kiosk,
        )
        .unwrap();
    }
    s.record_stage(&mut k, reg, opening, Stage::Offered, "")
        .unwrap();
    let change = s.offer_seat(&mut k, &bus).unwrap();
    assert_eq!(
        change.request.unwrap().seat,
        Seat::Waitlisted {
            departure: bus.clone(),
            position: 1
        },
        "the bus's 2 seats are taken"
    );
    let moved = s.offer_seat(&mut k, &next).unwrap();
    assert_eq!(
        moved.request.unwrap().seat,
        Seat::Assigned {
            departure: next,
            seat: 1
        }
    );
    assert!(k.waitlist(&bus).unwrap().is_empty(), "off the old waitlist");
    assert_eq!(seat_rows(&k).0, 3, "still one request per villager");
}

#[test]
fn a_booth_only_device_offers_no_seat_it_cannot_keep() {
    let Booth {
        k: kiosk, ticket, ..
    } = at_the_booth();
    let kit_dir = tempfile::tempdir().unwrap();
    let kit = kit_dir.path().join("booth.kit");
    kiosk
        .write_kit(crate::app::kit::KitRole::Booth, &kit)
        .unwrap();
    let device = tempfile::tempdir().unwrap();
    crate::app::kit::install_kit(device.path(), &kit).unwrap();
    let mut k = Kiosk::open(&KioskOptions::new(device.path())).unwrap();
    assert!(k.is_booth_only());
    let employer = k.fair().employers[0].id.clone();
    let new = k.add_booth(&employer).unwrap();
    let mut s = Session::open(&mut k, new.booth.id, &new.pin)
        .unwrap()
        .unwrap();
    let ScanOutcome::Candidate(c) = s.scan(&mut k, &ticket).unwrap() else {
        panic!("the ticket reads on the booth device");
    };
    let opening = c.openings[0].opening_id;
    s.record_stage(&mut k, c.registration_id, opening, Stage::Offered, "")
        .unwrap();
    assert_eq!(
        s.ride_offer(&k).unwrap(),
        None,
        "the seats are kept on the registration kiosk"
    );
    let bus = k.fair().departures[0].id.clone();
    assert!(s.offer_seat(&mut k, &bus).is_err());
    assert_eq!(seat_rows(&k), (0, 0));
}
