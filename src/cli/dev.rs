//! Hidden developer commands. `dev register-loop` registers synthetic sign-ups as
//! fast as it can and prints each registration id only after `register` returned
//! (the power-cut test kills it and checks every printed id survived).

use crate::app::{Kiosk, KioskOptions};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, Draft, HomePlace};
use crate::domain::resident_id::synthesize;
use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum Dev {
    /// Register synthetic sign-ups in a loop, printing each acknowledged id.
    RegisterLoop {
        /// Number of the first synthetic villager (phones and IDs derive from it).
        #[arg(long, default_value_t = 0)]
        start: u32,
        /// Stop after this many sign-ups (default: until killed).
        #[arg(long)]
        count: Option<u32>,
    },
    /// For every sign-up in turn: ask for a seat on the departure (prints `seat <id>`
    /// once it is stored), then board them (prints `board <id>` when newly boarded). The power-cut test
    /// kills it and checks every printed line survived.
    TransportLoop {
        #[arg(long)]
        departure: String,
    },
}

pub fn run(data_dir: &Path, cmd: Dev) -> anyhow::Result<()> {
    match cmd {
        Dev::RegisterLoop { start, count } => register_loop(data_dir, start, count),
        Dev::TransportLoop { departure } => transport_loop(data_dir, &departure),
    }
}

fn register_loop(data_dir: &Path, start: u32, count: Option<u32>) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    super::staff::unlock(&mut kiosk)?;
    let opening = kiosk
        .fair()
        .openings
        .first()
        .context("the fair has no openings")?
        .id;
    let home = HomePlace {
        county: kiosk.fair().fair.county.clone(),
        township: kiosk.fair().fair.township.clone(),
        village: kiosk.fair().fair.village.clone(),
    };
    let mut out = std::io::stdout().lock();
    let end = count.map_or(u32::MAX, |c| start.saturating_add(c));
    for n in start..end {
        let draft = synthetic_draft(n, opening, home.clone())?;
        let issued = kiosk.register(&draft)?;
        writeln!(out, "{}", issued.registration_id)?;
        out.flush()?;
    }
    Ok(())
}

fn transport_loop(data_dir: &Path, departure: &str) -> anyhow::Result<()> {
    use crate::app::transport::{BoardOutcome, Seat, Source};
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    let mut out = std::io::stdout().lock();
    for reg in kiosk.sign_up_ids()? {
        let seat = match kiosk.seat_of(reg)? {
            Some(s) => s.seat,
            None => {
                let change = kiosk.request_seat(reg, departure, None, Source::Staff)?;
                let seat = change.request.context("a request")?.seat;
                writeln!(out, "seat {reg}")?;
                out.flush()?;
                seat
            }
        };
        if matches!(seat, Seat::Assigned { .. }) {
            let ticket = kiosk.ticket_for(reg)?.ticket;
            if let BoardOutcome::Boarded { first: true, .. } = kiosk.board(departure, &ticket)? {
                writeln!(out, "board {reg}")?;
                out.flush()?;
            }
        }
    }
    Ok(())
}

/// Synthetic villager number `n`: phone `139` + 8 digits of `n`, a resident ID
/// with a province-level region code (never given to a person).
fn synthetic_draft(n: u32, opening: u16, home: HomePlace) -> anyhow::Result<Draft> {
    let phone = Phone::parse(&format!("139{:08}", n % 100_000_000))?;
    let base = NaiveDate::from_ymd_opt(1970, 1, 1).context("date")?;
    let birth = base + chrono::Days::new(u64::from(n / 1000) % 10_000);
    let resident_id = synthesize("520000", birth, (n % 1000) as u16);
    Ok(Draft {
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: n.is_multiple_of(2),
        },
        phone,
        resident_id: Some(resident_id),
        name: "测试村民".to_string(),
        home,
        openings: vec![opening],
    })
}
