//! The command line of `jobfair-base`: the server and its administration.

use anyhow::Context;
use clap::{Parser, Subcommand};
use jobfair_base::{self as base, BaseServer, export::Masking};
use std::path::{Path, PathBuf};

/// jobfair-base: the labor-cooperation base server. Kiosks upload their sign-ups,
/// booth stages and check-ins here and pull the fair's openings.
#[derive(Debug, Parser)]
#[command(name = "jobfair-base", version)]
pub struct Cli {
    /// The base's data dir (its database is `base.db` there); or $JOBFAIR_BASE_DATA_DIR.
    #[arg(long, value_name = "DIR", env = "JOBFAIR_BASE_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Base,
}

#[derive(Debug, Subcommand)]
pub enum Base {
    /// Run the base server in the foreground until Ctrl-C or SIGTERM.
    Serve {
        /// Address to listen on (plain HTTP; put TLS in front of it).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Kiosks allowed to upload.
    #[command(subcommand)]
    Kiosk(Kiosk),
    /// Fairs served to the kiosks.
    #[command(subcommand)]
    Fair(Fair),
    /// Write one XLSX of every kiosk's sign-ups, booth stages and check-ins.
    Export {
        /// The .xlsx file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Write resident IDs and phone numbers in full (default: masked).
        #[arg(long)]
        unmasked: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Kiosk {
    /// Add a kiosk and print its token (once: only its hash is stored).
    Add {
        /// The kiosk's `kiosk_id` (1 to 40 of a-z, A-Z, 0-9, '-', '_').
        name: String,
    },
    /// List the kiosks.
    List,
}

#[derive(Debug, Subcommand)]
pub enum Fair {
    /// Validate a fair file (JSON) and publish it; each publish bumps its revision.
    Publish {
        /// The fair file.
        file: PathBuf,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir.context(
        "no data dir: give --data-dir DIR (or set JOBFAIR_BASE_DATA_DIR); it is made if missing",
    )?;
    run_in(&data_dir, cli.command)
}

fn run_in(data_dir: &Path, cmd: Base) -> anyhow::Result<()> {
    match cmd {
        Base::Serve { listen } => Ok(BaseServer::serve(&listen, data_dir)?),
        Base::Kiosk(Kiosk::Add { name }) => {
            let token = base::add_kiosk(data_dir, &name)?;
            eprintln!("kiosk {name} added; its token follows (shown only this once):");
            println!("{token}");
            Ok(())
        }
        Base::Kiosk(Kiosk::List) => {
            for (name, created) in base::db::kiosks(&base::db::open(data_dir)?)? {
                println!("{name}\t{created}");
            }
            Ok(())
        }
        Base::Fair(Fair::Publish { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let (id, revision) = base::publish_fair(data_dir, &text)
                .with_context(|| format!("publishing {}", file.display()))?;
            println!("published fair {id} at revision {revision}");
            Ok(())
        }
        Base::Export { out, unmasked } => {
            let masking = if unmasked {
                eprintln!("warning: resident IDs and phone numbers are written in full");
                Masking::Unmasked
            } else {
                Masking::Masked
            };
            let r = base::export::export_xlsx(data_dir, &out, masking)?;
            println!(
                "wrote {}: {} sign-ups, {} stages, {} check-ins, {} conflicts",
                out.display(),
                r.sign_ups,
                r.stages,
                r.check_ins,
                r.conflicts
            );
            Ok(())
        }
    }
}
