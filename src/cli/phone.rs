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
    /// Write the A4 poster (PDF): the QR code of the form's address, "用手机扫码报名", and
    /// short steps (the Wi-Fi to join when `phone_wifi` is set in config.toml).
    Poster {
        /// The PDF file to write (an existing file is refused).
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// The form's address as phones reach it, e.g. http://10.42.0.1/ [default: from
        /// --listen or phone_listen].
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Serve the phone form in the foreground until Ctrl-C.
    Serve {
        /// Address and port, e.g. 0.0.0.0:8080 [default: phone_listen of config.toml].
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<String>,
    },
}

/// A URL phones can open: `http://` or `https://` and a host.
fn poster_url(u: &str) -> anyhow::Result<String> {
    let rest = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
        .filter(|r| !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace));
    match rest {
        Some(_) => Ok(u.to_string()),
        None => anyhow::bail!(
            "{u:?} 不是手机能打开的网址（应以 http:// 开头，例如 http://10.42.0.1/）。\n\
             {u:?} is not an address a phone can open (it starts with http://, e.g. http://10.42.0.1/)"
        ),
    }
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
        Phone::Poster { out, url } => {
            let url = match url {
                Some(u) => poster_url(&u)?,
                None => {
                    let listen = listen.unwrap_or_else(|| kiosk.phone_listen());
                    let addr: std::net::SocketAddr = listen.parse().map_err(|_| {
                        anyhow::anyhow!(
                            "监听地址 {listen:?} 不是“地址:端口”。\n\
                             the listen address {listen:?} is not ADDR:PORT"
                        )
                    })?;
                    let url = settings::form_url(addr);
                    if url.starts_with("http://127.") {
                        anyhow::bail!(
                            "这台机器没有连到报名用的 Wi-Fi，不知道手机该打开的地址：请用 --url（例如 http://10.42.0.1/）或 --listen 指明。\n\
                             this machine has no network the phones could reach, so the form's address is not known: \
                             give it with --url (e.g. http://10.42.0.1/) or --listen"
                        );
                    }
                    url
                }
            };
            let config = kiosk.config();
            let poster = crate::gui::poster_sheet::Poster {
                url,
                wifi: config.phone_wifi.clone(),
                wifi_password: config.phone_wifi_password.clone(),
            };
            let fair = kiosk.fair().fair.clone();
            let bytes = crate::gui::poster_sheet::write_pdf(&fair, &poster, &out)?;
            println!(
                "poster: {} ({bytes} bytes) for {}",
                out.display(),
                poster.url
            );
        }
        Phone::Serve { listen: own } => {
            let listen = own.or(listen).unwrap_or_else(|| kiosk.phone_listen());
            super::staff::unlock(&mut kiosk)?;
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
