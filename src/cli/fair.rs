//! `fair show`: the installed fair at a glance.

use crate::app::{Kiosk, KioskOptions};
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum Fair {
    /// Show the current fair: name, date, place and counts.
    Show,
}

pub fn run(data_dir: &Path, cmd: Fair) -> anyhow::Result<()> {
    match cmd {
        Fair::Show => show(data_dir),
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
    println!("kiosk id:  {}", kiosk.config().kiosk_id);
    println!("data dir:  {}", data_dir.display());
    Ok(())
}
