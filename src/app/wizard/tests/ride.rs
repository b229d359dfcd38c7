//! The ride step ("Need a ride to Yongkang?", issue 16): shown only where the chosen
//! employers' city has departures, Back, choosing, declining, a full departure's waitlist,
//! and a seat request that fails after the sign-up is saved.

use super::*;
use crate::app::transport::Seat;
use crate::app::wizard::{RideChoice, RideTicket};

/// A wizard on the choose step with `openings` chosen.
fn at_choose(k: &mut Kiosk, n: u32, openings: &[u16]) -> Wizard {
    let mut w = Wizard::start(k.fair(), None);
    walk_to_choose(&mut w, k, n, false, "张伟");
    let fair = k.fair().clone();
    for &o in openings {
        w.toggle_opening(&fair, o);
    }
    w
}

fn seat_rows(k: &Kiosk) -> i64 {
    k.store()
        .conn()
        .query_row("SELECT count(*) FROM seat_requests", [], |r| r.get(0))
        .unwrap()
}

/// Narrows every departure to the employer of the fair's first opening; returns an
/// opening of another employer (no departure serves it then).
fn only_first_employer_rides(k: &mut Kiosk) -> u16 {
    let first = k.fair.openings[0].employer.clone();
    for d in &mut k.fair.departures {
        d.employers = vec![first.clone()];
    }
    k.fair
        .openings
        .iter()
        .find(|o| o.employer != first)
        .unwrap()
        .id
}

#[test]
fn the_ride_step_lists_the_departures_to_the_chosen_employers_city() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 2);
    let mut w = at_choose(&mut k, 1, &openings);
    assert!(w.offers_ride());
    assert_eq!(w.submit_choices(), Step::Ride);
    let fair = k.fair().clone();
    let listed: Vec<&str> = w
        .ride_departures(&fair)
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    let all: Vec<&str> = fair.departures.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        listed, all,
        "every demo departure goes to Yongkang, in file order"
    );
    assert_eq!(w.ride_choice(), None, "nothing is chosen for the villager");
}

#[test]
fn a_fair_without_departures_skips_the_ride_step() {
    let (mut k, _dir) = kiosk();
    k.fair.departures.clear();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 2, &openings);
    assert!(!w.offers_ride());
    assert_eq!(w.submit_choices(), Step::Review);
    assert_eq!(w.review().ride, None);
    assert_eq!(w.back(), Step::Choose, "Back skips the ride step too");
    assert_eq!(w.submit_choices(), Step::Review);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert_eq!(w.ticket().unwrap().ride, None);
    assert_eq!(seat_rows(&k), 0);
}

#[test]
fn openings_whose_employers_have_no_departure_skip_the_ride_step() {
    let (mut k, _dir) = kiosk();
    let other = only_first_employer_rides(&mut k);
    let mut w = at_choose(&mut k, 3, &[other]);
    assert!(!w.offers_ride());
    assert_eq!(w.submit_choices(), Step::Review);
    // Back, and add an opening of the employer the buses serve: now it is asked.
    assert_eq!(w.back(), Step::Choose);
    let fair = k.fair().clone();
    w.toggle_opening(&fair, fair.openings[0].id);
    assert_eq!(w.submit_choices(), Step::Ride);
    assert_eq!(w.ride_departures(&fair).len(), fair.departures.len());
}

#[test]
fn back_from_the_ride_step_and_the_review_keeps_the_choice() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 4, &openings);
    let fair = k.fair().clone();
    let bus = fair.departures[2].id.clone();
    assert_eq!(w.submit_choices(), Step::Ride);
    assert_eq!(w.back(), Step::Choose);
    assert_eq!(w.submit_choices(), Step::Ride);
    assert_eq!(w.choose_departure(&fair, &bus), Step::Review);
    assert_eq!(w.review().ride.as_deref(), Some(bus.as_str()));
    assert_eq!(w.back(), Step::Ride);
    assert_eq!(w.ride_choice(), Some(&RideChoice::Departure(bus.clone())));
    assert_eq!(w.decline_ride(), Step::Review);
    assert_eq!(w.review().ride, None, "No thanks replaces the departure");
    assert_eq!(w.back(), Step::Ride);
    assert_eq!(w.back(), Step::Choose);
    assert_eq!(w.back(), Step::Place);
}

#[test]
fn a_chosen_departure_gets_a_seat_with_the_sign_up() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 5, &openings);
    let fair = k.fair().clone();
    let bus = fair.departures[0].id.clone();
    w.submit_choices();
    assert_eq!(w.choose_departure(&fair, &bus), Step::Review);
    assert_eq!(w.confirm(&mut k), Step::Ticket, "{:?}", w.take_failure());
    let t = w.ticket().unwrap();
    let Some(RideTicket::Seat(seat)) = &t.ride else {
        panic!("no seat on the ticket: {:?}", t.ride);
    };
    assert_eq!(
        seat.seat,
        Seat::Assigned {
            departure: bus.clone(),
            seat: 1
        }
    );
    let stored = k.seat_of(t.issued.registration_id).unwrap().unwrap();
    assert_eq!(stored, *seat, "the ticket shows what the store holds");
    assert_eq!(
        stored.employer.as_deref(),
        Some(fair.opening(openings[0]).unwrap().employer.as_str()),
        "the ride is for the chosen opening's employer"
    );
    let source: String = k
        .store()
        .conn()
        .query_row("SELECT source FROM seat_requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(source, "kiosk");
}

#[test]
fn no_thanks_registers_without_a_seat() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 6, &openings);
    w.submit_choices();
    assert_eq!(w.decline_ride(), Step::Review);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert_eq!(w.ticket().unwrap().ride, None);
    assert_eq!(seat_rows(&k), 0);
    assert_eq!(count_rows(&k), 1);
}

#[test]
fn a_full_departure_puts_the_villager_on_its_waitlist_in_order() {
    let (mut k, _dir) = kiosk();
    k.fair.departures[0].seats = 1;
    let fair = k.fair().clone();
    let bus = fair.departures[0].id.clone();
    let openings = first_openings(&k, 1);
    let mut outcomes = Vec::new();
    for n in 7..=9 {
        let mut w = at_choose(&mut k, n, &openings);
        w.submit_choices();
        w.choose_departure(&fair, &bus);
        assert_eq!(w.confirm(&mut k), Step::Ticket);
        match w.ticket().unwrap().ride.clone() {
            Some(RideTicket::Seat(s)) => outcomes.push(s.seat),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        outcomes,
        [
            Seat::Assigned {
                departure: bus.clone(),
                seat: 1
            },
            Seat::Waitlisted {
                departure: bus.clone(),
                position: 1
            },
            Seat::Waitlisted {
                departure: bus.clone(),
                position: 2
            },
        ]
    );
}

#[test]
fn a_departure_not_listed_is_not_taken() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 10, &openings);
    let fair = k.fair().clone();
    assert_eq!(
        w.choose_departure(&fair, &fair.departures[0].id),
        Step::Choose,
        "not on the ride step yet"
    );
    w.submit_choices();
    assert_eq!(w.choose_departure(&fair, "no-such-bus"), Step::Ride);
    assert_eq!(w.ride_choice(), None);
}

#[test]
fn a_departure_the_changed_openings_no_longer_reach_is_forgotten() {
    let (mut k, _dir) = kiosk();
    let other = only_first_employer_rides(&mut k);
    let fair = k.fair().clone();
    let first = fair.openings[0].id;
    let mut w = at_choose(&mut k, 11, &[first]);
    w.submit_choices();
    w.choose_departure(&fair, &fair.departures[0].id);
    assert_eq!(w.back(), Step::Ride);
    assert_eq!(w.back(), Step::Choose);
    w.toggle_opening(&fair, first);
    w.toggle_opening(&fair, other);
    assert_eq!(
        w.submit_choices(),
        Step::Review,
        "no ride for this employer"
    );
    assert_eq!(w.review().ride, None);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert_eq!(w.ticket().unwrap().ride, None);
    assert_eq!(seat_rows(&k), 0);
}

#[test]
fn a_failed_seat_request_keeps_the_sign_up_and_says_so_on_the_ticket() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut w = at_choose(&mut k, 12, &openings);
    let fair = k.fair().clone();
    let bus = fair.departures[0].id.clone();
    w.submit_choices();
    w.choose_departure(&fair, &bus);
    k.store()
        .conn()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON seat_requests \
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    assert_eq!(
        w.confirm(&mut k),
        Step::Ticket,
        "the sign-up does not wait on a seat"
    );
    assert_eq!(
        w.ticket().unwrap().ride,
        Some(RideTicket::Failed { departure: bus })
    );
    assert!(w.take_failure().unwrap().contains("seat"));
    assert_eq!(count_rows(&k), 1);
    assert_eq!(seat_rows(&k), 0);
}

#[test]
fn a_returning_villager_who_chooses_a_departure_gets_a_seat() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    register(&mut k, 13, false, &openings);
    // The same phone again: the duplicate path (the full phone typed proves it).
    let mut w = Wizard::start(k.fair(), None);
    assert_eq!(w.accept_consent(&mut k, false, false), Step::Phone);
    assert_eq!(keypad_phone(&mut w, &mut k, &phone(13)), Step::Choose);
    let fair = k.fair().clone();
    assert_eq!(w.submit_choices(), Step::Ride);
    w.choose_departure(&fair, &fair.departures[1].id);
    assert_eq!(w.confirm(&mut k), Step::Ticket, "{:?}", w.take_failure());
    assert!(matches!(
        &w.ticket().unwrap().ride,
        Some(RideTicket::Seat(s)) if s.seat == Seat::Assigned { departure: fair.departures[1].id.clone(), seat: 1 }
    ));
}
