//! `transport status|manifest|request|move|cancel|no-shows|board`: the fair's departures from the
//! command line (issue 16). A villager is named by the short code on their ticket.
//!
//! `transport manifest --unmasked` needs the staff PIN as `export --unmasked` does
//! (`JOBFAIR_STAFF_PIN`, the terminal, or one line of stdin) and leaves an audit row.

use super::export::{refused, staff_pin};
use crate::app::transport::{
    BoardOutcome, ManifestFormat, ManifestPart, Seat, SeatChange, Source, Which,
};
use crate::app::{Error as AppError, Kiosk, KioskOptions};
use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The file a manifest is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Pdf,
}

#[derive(Debug, Subcommand)]
pub enum Transport {
    /// Every departure: seats, assigned, waitlisted, boarded.
    Status,
    /// Write the passenger list (乘车名单) of one departure, or of all, as XLSX or as a
    /// printable A4 PDF (header, seats, signature line; each departure from a new page).
    Manifest {
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        departure: Option<String>,
        /// Every departure of the fair in one file.
        #[arg(long)]
        all: bool,
        /// xlsx (one sheet) or pdf (A4 pages).
        #[arg(long, value_enum, default_value = "xlsx")]
        format: Format,
        /// The file to write (must not exist yet).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Full resident IDs and phones; asks for the staff PIN and is audited.
        #[arg(long)]
        unmasked: bool,
    },
    /// Ask for a seat on a departure for the villager with this short code.
    Request {
        #[arg(long, value_name = "CODE")]
        code: String,
        #[arg(long, value_name = "ID")]
        departure: String,
        /// The employer (id) the ride is for.
        #[arg(long, value_name = "ID")]
        employer: Option<String>,
    },
    /// Staff move a villager to another departure.
    Move {
        #[arg(long, value_name = "CODE")]
        code: String,
        #[arg(long, value_name = "ID")]
        departure: String,
    },
    /// Cancel a villager's seat; the waitlist moves up.
    Cancel {
        #[arg(long, value_name = "CODE")]
        code: String,
    },
    /// Seated villagers of a departure who have not boarded (the no-show list).
    NoShows {
        #[arg(long, value_name = "ID")]
        departure: String,
    },
    /// Board a villager (scanned ticket text, or short code) onto a departure.
    Board {
        #[arg(long, value_name = "ID")]
        departure: String,
        /// The ticket text as a scanner types it, or a short code.
        #[arg(value_name = "TICKET_OR_CODE")]
        ticket: String,
    },
}

pub fn run(data_dir: &Path, cmd: Transport) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    match cmd {
        Transport::Status => status(&kiosk),
        Transport::Manifest {
            departure,
            all,
            format,
            out,
            unmasked,
        } => {
            let which = match (&departure, all) {
                (Some(d), false) => Which::One(d),
                _ => Which::All,
            };
            let format = match format {
                Format::Xlsx => ManifestFormat::Xlsx,
                Format::Pdf => ManifestFormat::Pdf,
            };
            if unmasked {
                super::staff::unlock(&mut kiosk)?;
            }
            let pin = if unmasked { Some(staff_pin()?) } else { None };
            let footer = crate::gui::manifest_sheet::footer(&kiosk.fair().fair.id);
            let mut draw = |parts: &[ManifestPart<'_>], masked: bool, out: &Path| {
                crate::gui::manifest_sheet::write_pdf(parts, masked, out, &footer)
            };
            let written = kiosk.write_manifest_file(
                which,
                format,
                &out,
                pin.as_deref().map(|p| (p, "cli")),
                Some(&mut draw),
            );
            let report = match written {
                Err(AppError::StaffPin(check)) => bail!(refused(check)),
                other => other?,
            };
            println!("wrote       {}", report.path.display());
            println!("departure   {}", report.departure);
            println!("passengers  {}", report.passengers);
            println!(
                "masked      {}",
                if report.masked {
                    "yes"
                } else {
                    "NO (full IDs and phones; audited)"
                }
            );
            Ok(())
        }
        Transport::Request {
            code,
            departure,
            employer,
        } => {
            let reg = villager(&kiosk, &code)?;
            let change = kiosk.request_seat(reg, &departure, employer.as_deref(), Source::Cli)?;
            print_change(&change);
            Ok(())
        }
        Transport::Move { code, departure } => {
            let reg = villager(&kiosk, &code)?;
            print_change(&kiosk.move_seat(reg, &departure)?);
            Ok(())
        }
        Transport::Cancel { code } => {
            let reg = villager(&kiosk, &code)?;
            print_change(&kiosk.cancel_seat(reg, Source::Cli)?);
            Ok(())
        }
        Transport::NoShows { departure } => {
            let list = kiosk.no_shows(&departure)?;
            for p in &list {
                println!("seat {:>3}  {}", p.seat, p.name);
            }
            println!("{} not boarded", list.len());
            Ok(())
        }
        Transport::Board { departure, ticket } => {
            let outcome = if ticket.trim().len() <= 9 {
                kiosk.board_short_code(&departure, &ticket)?
            } else {
                kiosk.board(&departure, &ticket)?
            };
            print_boarding(&outcome)
        }
    }
}

fn villager(kiosk: &Kiosk, code: &str) -> anyhow::Result<Uuid> {
    kiosk
        .registration_by_short_code(code)
        .context("looking up the short code")?
        .ok_or_else(|| {
            anyhow::anyhow!("没有登记码为 {code} 的报名 no sign-up with short code {code:?} here")
        })
}

fn status(kiosk: &Kiosk) -> anyhow::Result<()> {
    let fair = kiosk.fair();
    if fair.departures.is_empty() {
        println!("本场招聘会没有班车 this fair lists no departures");
        return Ok(());
    }
    println!(
        "{:<20} {:<5} {:<16} {:>5} {:>8} {:>10} {:>7}  pickup",
        "departure", "kind", "departs at", "seats", "assigned", "waitlisted", "boarded"
    );
    for s in kiosk.transport_status()? {
        let Some(d) = fair.departure(&s.departure) else {
            continue;
        };
        println!(
            "{:<20} {:<5} {:<16} {:>5} {:>8} {:>10} {:>7}  {}",
            s.departure,
            d.kind.as_str(),
            d.departs_at.format("%Y-%m-%d %H:%M"),
            s.seats,
            s.assigned,
            s.waitlisted,
            s.boarded,
            d.pickup
        );
    }
    Ok(())
}

fn print_change(change: &SeatChange) {
    match change.request.as_ref().map(|r| &r.seat) {
        Some(Seat::Assigned { departure, seat }) => {
            println!("assigned    {departure} seat {seat}")
        }
        Some(Seat::Waitlisted {
            departure,
            position,
        }) => println!("waitlisted  {departure} place {position}"),
        Some(Seat::Requested) => println!("requested   (no departure yet)"),
        None => println!("cancelled"),
    }
    for p in &change.promoted {
        println!(
            "promoted    {} to {} seat {}",
            p.registration_id, p.departure, p.seat
        );
    }
}

fn print_boarding(outcome: &BoardOutcome) -> anyhow::Result<()> {
    match outcome {
        BoardOutcome::Boarded {
            passenger, first, ..
        } => {
            let what = if *first { "boarded" } else { "already boarded" };
            println!("{what}  seat {}  {}", passenger.seat, passenger.name);
            Ok(())
        }
        BoardOutcome::OtherDeparture { departure, seat } => bail!(
            "不是这趟车：座位在 {departure} not this departure: the seat is on {departure}{}",
            seat.map(|s| format!(" (seat {s})")).unwrap_or_default()
        ),
        BoardOutcome::Waitlisted { position } => {
            bail!(
                "候补第 {position} 位，还没有座位 on the waitlist (place {position}): no seat yet"
            )
        }
        BoardOutcome::NoSeat => bail!("没有申请座位 no seat was requested for this villager"),
        BoardOutcome::Superseded => bail!(
            "这是旧的二维码，请出示最新的 an older ticket of this sign-up: ask for the newest one"
        ),
        BoardOutcome::Invalid => {
            bail!("无效的二维码 not a valid ticket (damaged, altered or forged)")
        }
        BoardOutcome::OtherFair => bail!("其他招聘会的二维码 a ticket of another fair"),
        BoardOutcome::UnknownCode => bail!("没有这个登记码 no sign-up has that short code here"),
    }
}
