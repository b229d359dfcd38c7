//! The staff panel's counts for one local day at the current fair.

use super::{Kiosk, Result};
pub use crate::store::stats::Village;
use crate::store::{outbox, stats};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Timelike, Utc};

/// What the staff panel shows. Per-opening and per-village lists are sorted most first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayStats {
    pub day: NaiveDate,
    pub signups_today: u64,
    pub signups_total: u64,
    /// Sign-ups per local hour of the day, 0..24.
    pub per_hour: [u64; 24],
    pub per_opening: Vec<(u16, u64)>,
    pub per_village: Vec<(Village, u64)>,
    /// Candidate-openings that reached interested, interviewed, offered, hired, declined.
    pub funnel: [u64; 5],
    pub check_ins: u64,
    pub pending_uploads: u64,
}

/// UTC bounds of a local calendar day (a DST-free zone like Asia/Shanghai in practice).
pub fn local_day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: NaiveDate| {
        let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| naive.and_utc())
    };
    let next = day.succ_opt().unwrap_or(day);
    (start(day), start(next))
}

impl Kiosk {
    /// Counts for the local day `day` (usually today).
    pub fn day_stats(&self, day: NaiveDate) -> Result<DayStats> {
        let conn = self.store.conn();
        let fair_id = self.fair.fair.id.as_str();
        let (from, to) = local_day_bounds(day);
        let times = stats::signup_times(conn, fair_id, from, to)?;
        let mut per_hour = [0u64; 24];
        for t in &times {
            per_hour[t.with_timezone(&Local).hour() as usize] += 1;
        }
        Ok(DayStats {
            day,
            signups_today: times.len() as u64,
            signups_total: self.registration_count()?,
            per_hour,
            per_opening: stats::per_opening(conn, fair_id, from, to)?,
            per_village: stats::per_village(conn, fair_id, from, to)?,
            funnel: stats::stage_funnel(conn, fair_id)?,
            check_ins: stats::check_ins(conn, fair_id)?,
            pending_uploads: outbox::pending_count(conn)?,
        })
    }

    /// Counts for today on the device clock.
    pub fn today_stats(&self) -> Result<DayStats> {
        self.day_stats(Local::now().date_naive())
    }
}
