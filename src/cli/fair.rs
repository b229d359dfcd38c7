//! `fair show`: the installed fair at a glance. `fair kit` / `fair install`: set up
//! another device of the same fair (a registration kiosk or a booth).

use crate::app::kit::{KitRole, install_kit};
use crate::app::{Kiosk, KioskOptions};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Fair {
    /// Show the current fair: name, date, place and counts.
    Show,
    /// Write a kit (fair file and keys, mode 0600) that sets up another device.
    Kit {
        /// kiosk: carries the signing key; booth: only the key that reads tickets;
        /// boarding: as booth, plus the seat list of every departure (the bus door).
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Set this device up from a kit written by `fair kit`.
    Install {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Role {
    Kiosk,
    Booth,
    Boarding,
}

impl From<Role> for KitRole {
    fn from(r: Role) -> KitRole {
        match r {
            Role::Kiosk => KitRole::Kiosk,
            Role::Booth => KitRole::Booth,
            Role::Boarding => KitRole::Boarding,
        }
    }
}

pub fn run(data_dir: &Path, cmd: Fair) -> anyhow::Result<()> {
    match cmd {
        Fair::Show => show(data_dir),
        Fair::Kit { role, out } => {
            let kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
            kiosk.write_kit(role.into(), &out)?;
            eprintln!(
                "kit for {} written to {} (keep it secret; mode 0600)",
                kiosk.fair().fair.id,
                out.display()
            );
            eprintln!(
                "招聘会密钥指纹 fair key fingerprint: {} (fair install prints it too: compare)",
                kiosk.key_fingerprint()
            );
            Ok(())
        }
        Fair::Install { file } => {
            let done = install_kit(data_dir, &file)?;
            let role = match done.role {
                KitRole::Kiosk => "registration kiosk",
                KitRole::Booth => "booth-only device",
                KitRole::Boarding => "boarding device (checks tickets at the bus door)",
            };
            println!("installed fair {} as a {role}", done.fair_id);
            println!(
                "招聘会密钥指纹 fair key fingerprint: {} (must be the one fair kit printed)",
                done.fingerprint
            );
            Ok(())
        }
    }
}

fn show(data_dir: &Path) -> anyhow::Result<()> {
    let kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    let file = kiosk.fair();
    let info = &file.fair;
    println!("fair:      {} ({})", info.name, info.id);
    println!("date:      {}", info.date);
    println!(
        "place:     {} {} {} {}{}",
        info.province,
        info.county,
        info.township,
        info.village,
        info.venue
            .as_deref()
            .map(|v| format!(" — {v}"))
            .unwrap_or_default()
    );
    println!("employers: {}", file.employers.len());
    println!("openings:  {}", file.openings.len());
    println!("sign-ups:  {}", kiosk.registration_count()?);
    println!("check-ins: {}", kiosk.check_in_count()?);
    println!("booths:    {}", kiosk.booths()?.len());
    if kiosk.is_boarding_device() {
        println!("device:    boarding (checks tickets at the bus door, cannot register)");
    } else if kiosk.is_booth_only() {
        println!("device:    booth only (reads tickets, cannot register)");
    }
    println!("kiosk id:  {}", kiosk.config().kiosk_id);
    println!("fair key:  {} (fingerprint)", kiosk.key_fingerprint());
    println!("data dir:  {}", data_dir.display());
    Ok(())
}
