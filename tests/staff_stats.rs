//! The staff panel's counts, straight from the store: today against another day,
//! per hour, per opening, per village, the booth funnel and check-ins.

mod common;

use chrono::{Days, Local, Timelike};
use common::{draft, open_kiosk};

#[test]
fn today_counts_sign_ups_stages_and_check_ins_of_the_current_fair_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let mut ids = Vec::new();
    for n in 1..=4 {
        let mut d = draft(&kiosk, n);
        if n == 4 {
            d.home.village = "另一个村".into();
        }
        ids.push(kiosk.register(&d).unwrap().registration_id);
    }
    let fair_id = kiosk.fair().fair.id.clone();
    let first_opening = common::openings(&kiosk, 1)[0];
    {
        let conn = kiosk.store().conn();
        conn.execute(
            "INSERT INTO booths (id, fair_id, employer, pin_hash, created_at)
             VALUES (1, ?1, 'e1', 'x', '2027-02-15T08:00:00Z')",
            [&fair_id],
        )
        .unwrap();
        // Villager 1 went interested → interviewed → offered; villager 2 interested then declined.
        let events = [
            (0, "interested"),
            (0, "interviewed"),
            (0, "offered"),
            (1, "interested"),
            (1, "declined"),
        ];
        for (i, (who, stage)) in events.iter().enumerate() {
            conn.execute(
                "INSERT INTO stage_events (id, booth_id, registration_id, opening_id, stage, at)
                 VALUES (?1, 1, ?2, ?3, ?4, '2027-02-15T09:00:00Z')",
                rusqlite::params![format!("e{i}"), ids[*who].to_string(), first_opening, stage],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO check_ins (fair_id, registration_id, id, at, kiosk_id)
             VALUES (?1, ?2, 'c1', '2027-02-15T09:00:00Z', 'k')",
            [&fair_id, &ids[0].to_string()],
        )
        .unwrap();
    }

    let today = Local::now().date_naive();
    let s = kiosk.day_stats(today).unwrap();
    assert_eq!(s.signups_today, 4);
    assert_eq!(s.signups_total, 4);
    assert_eq!(s.per_hour.iter().sum::<u64>(), 4);
    let mut expected = [0u64; 24];
    for id in &ids {
        let row = jobfair_kiosk::store::registrations::get(kiosk.store().conn(), *id)
            .unwrap()
            .unwrap();
        expected[row.created_at.with_timezone(&Local).hour() as usize] += 1;
    }
    assert_eq!(s.per_hour, expected, "each sign-up in its local hour");
    assert_eq!(
        s.per_opening[0],
        (first_opening, 4),
        "every draft chose the first opening"
    );
    assert_eq!(s.per_village.len(), 2);
    assert_eq!(s.per_village[0].1, 3, "most first");
    assert_eq!(s.per_village[1].0.village, "另一个村");
    assert_eq!(s.funnel, [2, 1, 1, 0, 1]);
    assert_eq!(s.check_ins, 1);
    assert_eq!(s.pending_uploads, 4, "four sign-ups wait for upload");

    let yesterday = today.checked_sub_days(Days::new(1)).unwrap();
    let y = kiosk.day_stats(yesterday).unwrap();
    assert_eq!(y.signups_today, 0, "nothing was registered yesterday");
    assert!(y.per_opening.is_empty() && y.per_village.is_empty());
    assert_eq!(
        y.signups_total, 4,
        "the fair total does not depend on the day"
    );
}
