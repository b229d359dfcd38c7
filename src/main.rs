//! `jobfair-kiosk`: parse the command line; no subcommand starts the kiosk screen.

use clap::Parser;
use jobfair_kiosk::cli::{self, Cli};

fn main() -> std::process::ExitCode {
    match cli::run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
