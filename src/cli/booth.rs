//! `booth add` / `booth list`: the recruiters' booths of the current fair.

use crate::app::{Kiosk, KioskOptions};
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum Booth {
    /// Add a booth for an employer of the current fair and print its PIN (shown once).
    Add {
        /// The employer's id or exact name in the fair file.
        #[arg(long, value_name = "NAME")]
        employer: String,
    },
    /// List the booths of the current fair.
    List,
}

pub fn run(data_dir: &Path, cmd: Booth) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    match cmd {
        Booth::Add { employer } => {
            let added = kiosk.add_booth(&employer)?;
            println!(
                "booth {} for {} ({})",
                added.booth.id, added.booth.employer_name, added.booth.employer_id
            );
            println!("PIN: {}", added.pin);
            eprintln!("The PIN is shown only this once; give it to the recruiter.");
        }
        Booth::List => {
            for b in kiosk.booths()? {
                println!("{}\t{}\t{}", b.id, b.employer_id, b.employer_name);
            }
        }
    }
    Ok(())
}
