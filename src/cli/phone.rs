//! `jobfair-kiosk phone`: the phone form without the screen — turn it on or off for the
//! next start of the kiosk, or serve it in the foreground (a headless kiosk, tests, benches).

use crate::app::{Kiosk, KioskOptions};
use crate::phone::{PhoneConfig, PhoneServer, settings};
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum Phone {
    /// Turn the phone form on (the kiosk serves it from its next start).
    On,
    /// Turn the phone form off.
    Off,
    /// Whether the phone form is on, where it listens, and its sign-ups.
    Status,
    /// Serve the phone form in the foreground until Ctrl-C.
    Serve {
        /// Address and port, e.g. 0.0.0.0:8080 [default: phone_listen of config.toml].
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<String>,
    },
}

pub fn run(data_dir: &Path, cmd: Phone, listen: Option<String>) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    match cmd {
        Phone::On | Phone::Off => {
            kiosk.set_phone_form(matches!(cmd, Phone::On))?;
            println!(
                "phone form: {}",
                if kiosk.phone_form_on()? { "on" } else { "off" }
            );
        }
        Phone::Status => {
            println!(
                "phone form: {}\nlisten: {}\nphone sign-ups at this fair: {}",
                if kiosk.phone_form_on()? { "on" } else { "off" },
                listen.unwrap_or_else(|| kiosk.phone_listen()),
                kiosk.phone_signups()?
            );
        }
        Phone::Serve { listen: own } => {
            let listen = own.or(listen).unwrap_or_else(|| kiosk.phone_listen());
            let handle = PhoneServer::spawn_with(kiosk, PhoneConfig::new(listen))?;
            println!("phone form: {}", settings::form_url(handle.addr()));
            // Serves until the process is stopped (Ctrl-C, SIGTERM).
            loop {
                std::thread::park();
            }
        }
    }
    Ok(())
}
