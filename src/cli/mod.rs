//! The command line: one file per subcommand. `anyhow` lives only here and in `main`.

pub mod booth;
pub mod dev;
pub mod export;
pub mod fair;
pub mod lists;
pub mod openings;
pub mod phone;
pub mod staff;
pub mod transport;
pub mod upload;

use crate::app::{Kiosk, KioskOptions};
use crate::config::parse_language;
use crate::gui::{self, GuiOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Environment variable naming the data dir (after `--data-dir`).
pub const DATA_DIR_ENV: &str = "JOBFAIR_DATA_DIR";

/// Touchscreen kiosk and registration station for village job fairs.
/// Without a subcommand, starts the kiosk screen.
#[derive(Debug, Parser)]
#[command(name = "jobfair-kiosk", version)]
pub struct Cli {
    /// Where the store, keys and config live [env: JOBFAIR_DATA_DIR; default: the
    /// user's data dir].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Fullscreen kiosk mode: no window decorations; leaving asks for the staff PIN.
    #[arg(long)]
    pub kiosk: bool,
    /// Language of the screens: zh_CN or en [default: from config.toml].
    #[arg(long, value_name = "LANG", value_parser = lang_arg)]
    pub lang: Option<String>,
    /// Where the phone form listens while the staff have it on, e.g. 0.0.0.0:8080
    /// [default: phone_listen of config.toml, else 0.0.0.0:8080].
    #[arg(long, global = true, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the fair's openings.
    #[command(subcommand)]
    Openings(openings::Openings),
    /// Staff settings.
    #[command(subcommand)]
    Staff(staff::Staff),
    /// The installed fair.
    #[command(subcommand)]
    Fair(fair::Fair),
    /// Export the fair's sign-ups, booth stages and per-opening counts (xlsx, csv, json).
    Export(export::Export),
    /// Recruiter booths: add one (prints its PIN once), list them.
    #[command(subcommand)]
    Booth(booth::Booth),
    /// Moved: the base server is its own program, `jobfair-base`.
    #[command(hide = true, disable_help_flag = true)]
    Base {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Send every pending sign-up, stage and check-in to the base now.
    Upload(upload::Upload),
    /// The townships' and employers' lists and their pre-printed tickets.
    #[command(subcommand)]
    Lists(lists::Lists),
    /// Return-to-work transport: departures, seats, passenger lists (乘车名单), boarding.
    #[command(subcommand)]
    Transport(transport::Transport),
    /// The phone form (villagers register on their own phones over the fair's Wi-Fi).
    #[command(subcommand)]
    Phone(phone::Phone),
    /// Developer tools (tests use them).
    #[command(subcommand, hide = true)]
    Dev(dev::Dev),
}

fn lang_arg(s: &str) -> Result<String, String> {
    parse_language(s)
        .map(str::to_string)
        .ok_or_else(|| format!("{s:?} is not a language; use zh_CN or en"))
}

impl Cli {
    /// `--data-dir`, else `JOBFAIR_DATA_DIR`, else the platform's data dir.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("cn", "jobfair", "jobfair-kiosk")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| anyhow::anyhow!("no home directory; pass --data-dir"))
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir()?;
    match cli.command {
        Some(Command::Openings(cmd)) => openings::run(&data_dir, cmd),
        Some(Command::Staff(cmd)) => staff::run(&data_dir, cmd),
        Some(Command::Fair(cmd)) => fair::run(&data_dir, cmd),
        Some(Command::Export(cmd)) => export::run(&data_dir, cmd),
        Some(Command::Booth(cmd)) => booth::run(&data_dir, cmd),
        Some(Command::Base { args }) => anyhow::bail!(
            "the base server is its own program now: run `jobfair-base --data-dir DIR {}` \
             (built by `cargo build --release -p jobfair-base`; README, \"Base server\")",
            if args.is_empty() {
                "serve".to_string()
            } else {
                args.join(" ")
            }
        ),
        Some(Command::Upload(cmd)) => upload::run(&data_dir, cmd),
        Some(Command::Lists(cmd)) => lists::run(&data_dir, cmd),
        Some(Command::Transport(cmd)) => transport::run(&data_dir, cmd),
        Some(Command::Phone(cmd)) => phone::run(&data_dir, cmd, cli.listen),
        Some(Command::Dev(cmd)) => dev::run(&data_dir, cmd),
        None => {
            let mut kiosk = Kiosk::open(&KioskOptions::new(&data_dir))?;
            // Retention (issue 17): fairs past `retention_days` lose the personal data the
            // base confirmed. A failure is reported, not fatal: the kiosk still runs.
            match kiosk.purge_expired(chrono::Local::now().date_naive(), "retention") {
                Ok(done) => {
                    for f in done {
                        eprintln!(
                            "jobfair-kiosk: retention: {} sign-ups of fair {} purged",
                            f.purged.registrations, f.fair_id
                        );
                    }
                }
                Err(e) => eprintln!("jobfair-kiosk: retention purge failed: {e}"),
            }
            let lang = cli.lang.unwrap_or_else(|| kiosk.config().language.clone());
            gui::run(
                kiosk,
                GuiOptions {
                    kiosk_mode: cli.kiosk,
                    lang: Some(lang),
                    listen: cli.listen,
                    ..GuiOptions::default()
                },
            )
        }
    }
}
