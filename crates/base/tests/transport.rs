//! Return-to-work transport on the base (issue 16), over real HTTP on 127.0.0.1 and on
//! both engines: seat and boarding records are stored once (a resend is a duplicate),
//! checked against the fair's departures, and counted per departure and per employer,
//! for each fair and across fairs (`jobfair-base transport`).

mod support;

use jobfair_base::store::TransportCount;
use jobfair_base::{BaseConfig, BaseServer, Engine};
use jobfair_domain::records::{BoardingRecord, SeatRecord};
use jobfair_protocol::{Record, RecordStatus as Status, RejectCode};
use reqwest::blocking::Client;
use serde_json::Value;
use support::*;

on_both_engines!(
    seats_and_boardings_are_counted_per_departure_and_employer_and_a_resend_changes_nothing,
    transport_records_breaking_the_fair_s_departures_are_rejected_with_their_code,
);

/// The second fair of the tests: the demo fair under another id and date.
const FAIR2: &str = "qdn-congjiang-2027-03-01";

/// A base with kiosks `k1` (sign-ups and seats) and `door1` (boarding), the demo fair
/// and a second fair published. Returns the base and `door1`'s token.
fn start(engine: Engine) -> (Base, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = TestDb::new(engine);
    let token = db.add_kiosk("k1");
    let door = db.add_kiosk("door1");
    db.publish_demo_fair();
    let mut second: Value =
        serde_json::from_str(&std::fs::read_to_string(DEMO_FAIR).unwrap()).unwrap();
    second["fair"]["id"] = FAIR2.into();
    db.publish(&second.to_string());
    let server = BaseServer::spawn_with(BaseConfig::for_tests(db.database.clone())).unwrap();
    (
        Base {
            server,
            db,
            http: Client::new(),
            token,
        },
        door,
    )
}

fn villager(n: u32) -> String {
    format!("0192f3a4-0000-7000-8000-{n:012}")
}

/// Seat record `id` of villager `n` (request `req`) at minute `minute` of 2027-02-15 09h.
#[allow(clippy::too_many_arguments)]
fn seat(
    id: u32,
    fair: &str,
    n: u32,
    req: u32,
    departure: Option<&str>,
    employer: Option<&str>,
    state: &str,
    seat: Option<u32>,
    minute: u32,
) -> Record {
    let r = SeatRecord {
        request_id: format!("0192f3a4-0000-7000-9000-{req:012}"),
        registration_id: villager(n),
        fair_id: fair.into(),
        kiosk_id: "k1".into(),
        departure_id: departure.map(Into::into),
        employer: employer.map(Into::into),
        state: state.into(),
        seat,
        source: "kiosk".into(),
        at: format!("2027-02-15T09:{minute:02}:00.000Z"),
    };
    record(id, "seat", serde_json::to_string(&r).unwrap())
}

fn boarding(id: u32, kiosk: &str, n: u32, departure: &str, seat: u32, employer: &str) -> Record {
    let r = BoardingRecord {
        registration_id: villager(n),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        departure_id: departure.into(),
        seat: Some(seat),
        employer: Some(employer.into()),
        at: "2027-02-16T07:10:00.000Z".into(),
    };
    record(id, "boarding", serde_json::to_string(&r).unwrap())
}

fn counts(base: &Base) -> Vec<TransportCount> {
    let store = base.db.store();
    jobfair_base::block_on(async move { store.transport_counts().await }).unwrap()
}

fn count(
    fair: &str,
    departure: Option<&str>,
    employer: Option<&str>,
    n: [u64; 4],
) -> TransportCount {
    TransportCount {
        fair_id: fair.into(),
        departure_id: departure.map(Into::into),
        employer: employer.map(Into::into),
        requested: n[0],
        assigned: n[1],
        waitlisted: n[2],
        boarded: n[3],
    }
}

fn seats_and_boardings_are_counted_per_departure_and_employer_and_a_resend_changes_nothing(
    engine: Engine,
) {
    let (base, door) = start(engine);
    let (g1, g2) = (Some("bus-gaozeng-1"), Some("bus-gaozeng-2"));
    let (bc, bo) = (Some("baichuan"), Some("bocheng"));
    // Sent in upload order; each villager's newest record (by time) is what counts.
    let seats = vec![
        // 1: asked, then seat 1 on bus 1, boarded.
        seat(1, FAIR, 1, 1, None, bc, "requested", None, 0),
        seat(2, FAIR, 1, 1, g1, bc, "assigned", Some(1), 1),
        // 2: seat 2 on bus 1, boarded (scanned by two devices: counted once).
        seat(3, FAIR, 2, 2, g1, bc, "assigned", Some(2), 2),
        // 3: waitlisted on bus 1, then moved by staff to seat 1 of bus 2.
        seat(4, FAIR, 3, 3, g1, bo, "waitlisted", None, 3),
        seat(5, FAIR, 3, 3, g2, bo, "assigned", Some(1), 4),
        // 4: seat 3 on bus 1, then cancelled: not counted.
        seat(6, FAIR, 4, 4, g1, bc, "assigned", Some(3), 5),
        seat(7, FAIR, 4, 4, g1, bc, "cancelled", None, 6),
        // 5: waitlisted on bus 2; 6: asked without a departure or employer.
        seat(8, FAIR, 5, 5, g2, bo, "waitlisted", None, 7),
        seat(9, FAIR, 6, 6, None, None, "requested", None, 8),
        // 7: a later record uploaded before an earlier one: the later time wins.
        seat(11, FAIR, 7, 7, g2, bc, "assigned", Some(2), 20),
        seat(10, FAIR, 7, 7, g2, bc, "waitlisted", None, 10),
        // 8: at the second fair.
        seat(12, FAIR2, 8, 8, g1, bc, "assigned", Some(1), 9),
    ];
    let boardings = vec![
        boarding(20, "door1", 1, "bus-gaozeng-1", 1, "baichuan"),
        boarding(21, "door1", 2, "bus-gaozeng-1", 2, "baichuan"),
    ];
    let again = vec![boarding(22, "k1", 2, "bus-gaozeng-1", 2, "baichuan")];
    let t = &base.token;
    assert!(
        base.statuses(t, &seats)
            .iter()
            .all(|s| *s == Status::Accepted)
    );
    assert!(
        base.statuses(&door, &boardings)
            .iter()
            .all(|s| *s == Status::Accepted)
    );
    assert_eq!(base.statuses(t, &again), [Status::Accepted]);
    let expected = vec![
        count(FAIR, None, None, [1, 0, 0, 0]),
        count(FAIR, g1, bc, [2, 2, 0, 2]),
        count(FAIR, g2, bc, [1, 1, 0, 0]),
        count(FAIR, g2, bo, [2, 1, 1, 0]),
        count(FAIR2, g1, bc, [1, 1, 0, 0]),
    ];
    assert_eq!(counts(&base), expected);

    // A resend (the kiosk lost the answer) is a duplicate and changes no figure.
    assert!(
        base.statuses(t, &seats)
            .iter()
            .all(|s| *s == Status::Duplicate)
    );
    assert!(
        base.statuses(&door, &boardings)
            .iter()
            .all(|s| *s == Status::Duplicate)
    );
    assert_eq!(counts(&base), expected);
    let c = base.counts();
    assert_eq!((c.sign_ups, c.stages, c.check_ins), (0, 0, 0));

    // The admin report: per departure (each fair, then across fairs) and per employer.
    let out = base.db.bin(&["transport"]);
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        [
            "fair\tdeparture\trequested\tassigned\twaitlisted\tboarded",
            &format!("{FAIR}\t-\t1\t0\t0\t0"),
            &format!("{FAIR}\tbus-gaozeng-1\t2\t2\t0\t2"),
            &format!("{FAIR}\tbus-gaozeng-2\t3\t2\t1\t0"),
            &format!("{FAIR}\t*\t6\t4\t1\t2"),
            &format!("{FAIR2}\tbus-gaozeng-1\t1\t1\t0\t0"),
            &format!("{FAIR2}\t*\t1\t1\t0\t0"),
            "*\t-\t1\t0\t0\t0",
            "*\tbus-gaozeng-1\t3\t3\t0\t2",
            "*\tbus-gaozeng-2\t3\t2\t1\t0",
            "*\t*\t7\t5\t1\t2",
        ]
    );
    let out = base
        .db
        .bin(&["transport", "--by", "employer", "--fair", FAIR, "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"fair": FAIR, "key": "", "requested": 1, "assigned": 0, "waitlisted": 0, "boarded": 0},
            {"fair": FAIR, "key": "baichuan", "requested": 3, "assigned": 3, "waitlisted": 0, "boarded": 2},
            {"fair": FAIR, "key": "bocheng", "requested": 2, "assigned": 1, "waitlisted": 1, "boarded": 0},
            {"fair": FAIR, "key": null, "requested": 6, "assigned": 4, "waitlisted": 1, "boarded": 2},
        ])
    );
}

fn transport_records_breaking_the_fair_s_departures_are_rejected_with_their_code(engine: Engine) {
    let (base, door) = start(engine);
    let t = &base.token;
    let bad = vec![
        seat(
            1,
            FAIR,
            1,
            1,
            Some("bus-nowhere"),
            None,
            "assigned",
            Some(1),
            0,
        ),
        seat(
            2,
            FAIR,
            2,
            2,
            Some("bus-jiabang-1"),
            None,
            "assigned",
            Some(40),
            0,
        ),
        seat(
            3,
            FAIR,
            3,
            3,
            Some("bus-gaozeng-1"),
            None,
            "boarded",
            None,
            0,
        ),
        seat(
            4,
            FAIR,
            4,
            4,
            Some("bus-gaozeng-1"),
            Some("nobody"),
            "waitlisted",
            None,
            0,
        ),
        seat(5, "no-such-fair", 5, 5, None, None, "requested", None, 0),
    ];
    let answers = base.results(t, &bad);
    let got: Vec<(Status, Option<RejectCode>, String)> = answers
        .into_iter()
        .map(|r| (r.status, r.code, r.reason.unwrap_or_default()))
        .collect();
    for (i, field) in ["departure_id:", "seat:", "state:", "employer:"]
        .iter()
        .enumerate()
    {
        assert_eq!(got[i].0, Status::Rejected, "{got:?}");
        assert_eq!(got[i].1, Some(RejectCode::Invalid), "{got:?}");
        assert!(got[i].2.starts_with(field), "{got:?}");
    }
    assert_eq!(
        (got[4].0, got[4].1),
        (Status::Rejected, Some(RejectCode::UnknownFair))
    );
    // A boarding device writing as another device, and a boarding for a seat the bus
    // does not have.
    let as_other = boarding(6, "k1", 1, "bus-gaozeng-1", 1, "baichuan");
    let no_seat = boarding(7, "door1", 1, "bus-gaozeng-1", 54, "baichuan");
    let got = base.results(&door, &[as_other, no_seat]);
    assert_eq!(got[0].code, Some(RejectCode::KioskMismatch));
    assert_eq!(got[1].code, Some(RejectCode::Invalid));
    assert!(counts(&base).is_empty(), "nothing refused is counted");
}
