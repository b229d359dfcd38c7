//! `staff set-pin`: set the staff PIN. The PIN is read from the terminal without
//! echo (twice), or as one line from a pipe; it is never printed.
//!
//! `staff set-passphrase` / `staff change-passphrase`: make the keyring that seals
//! personal numbers (issue 17, `crate::seal`) or re-wrap it under a new passphrase. Read
//! the same way (a pipe gives one line per passphrase: for a change, the old then the new).

use crate::app::set_staff_pin;
use anyhow::{Context, bail};
use clap::Subcommand;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Debug, Subcommand)]
pub enum Staff {
    /// Set the staff PIN (4 to 8 digits), read from the terminal or one line of stdin.
    SetPin,
    /// Make the keyring that seals phone and ID numbers, wrapped by a staff passphrase (12
    /// characters or more); prints the staff export key's public half.
    SetPassphrase,
    /// Wrap the keyring under a new passphrase (the old one first).
    ChangePassphrase,
    /// Purge villagers' personal data from this kiosk (audited; nothing lingers in the
    /// files): `--expired` takes the fairs past the retention days (config
    /// `retention_days`, default 30), only what the base confirmed; `--fair` takes the
    /// current fair whole after the staff PIN (JOBFAIR_STAFF_PIN or the terminal).
    Purge {
        #[arg(long, required_unless_present = "fair", conflicts_with = "fair")]
        expired: bool,
        #[arg(long)]
        fair: bool,
        /// With `--fair`: also lose the records the base has not confirmed yet.
        #[arg(long, requires = "fair")]
        include_unsent: bool,
    },
}

pub fn run(data_dir: &Path, cmd: Staff) -> anyhow::Result<()> {
    match cmd {
        Staff::SetPin => set_pin(data_dir),
        Staff::SetPassphrase => set_passphrase(data_dir),
        Staff::ChangePassphrase => change_passphrase(data_dir),
        Staff::Purge {
            expired,
            include_unsent,
            ..
        } => purge(data_dir, expired, include_unsent),
    }
}

fn purge(data_dir: &Path, expired: bool, include_unsent: bool) -> anyhow::Result<()> {
    use crate::app::{Error as AppError, Kiosk, KioskOptions};
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    if expired {
        let today = chrono::Local::now().date_naive();
        let done = kiosk.purge_expired(today, "cli")?;
        if done.is_empty() {
            println!("没有到期的数据 nothing past the retention period to purge");
        }
        for f in done {
            println!(
                "{}: purged {} sign-ups, {} records, {} list people",
                f.fair_id, f.purged.registrations, f.purged.records, f.purged.list_people
            );
        }
        return Ok(());
    }
    let unsent = kiosk.unconfirmed_records()?;
    if unsent > 0 && !include_unsent {
        bail!(
            "还有 {unsent} 条记录未被基地确认，未清除 {unsent} records are not confirmed by the base yet: upload first, or add --include-unsent to lose them; nothing purged"
        );
    }
    let pin = super::export::staff_pin()?;
    let purged = match kiosk.purge_current_fair(&pin, "cli", unsent) {
        Err(AppError::StaffPin(check)) => {
            bail!(super::export::refused_for(
                check,
                ("未清除", "nothing purged")
            ))
        }
        other => other?,
    };
    println!(
        "{}: purged {} sign-ups, {} records ({} not confirmed by the base), {} list people, {} booth cards",
        kiosk.fair().fair.id,
        purged.registrations,
        purged.records,
        purged.unconfirmed,
        purged.list_people,
        purged.booth_cards
    );
    Ok(())
}

/// A new passphrase: typed twice on a terminal, or the next line of a pipe.
fn new_passphrase(lines: &mut impl FnMut() -> anyhow::Result<String>) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = prompt_hidden("New staff passphrase (12 characters or more): ")?;
        let second = prompt_hidden("Repeat the passphrase: ")?;
        if first != second {
            bail!("the two passphrases differ; nothing changed");
        }
        Ok(first)
    } else {
        lines()
    }
}

fn set_passphrase(data_dir: &Path) -> anyhow::Result<()> {
    use crate::app::{Kiosk, KioskOptions};
    use crate::seal::{Keyring, keyring_path};
    let passphrase = new_passphrase(&mut read_line)?;
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    let done = kiosk.create_passphrase(&passphrase)?;
    report_sealed(&done);
    let keyring = Keyring::load(&keyring_path(data_dir))?;
    eprintln!(
        "staff keyring made; staff export key (public): {}",
        keyring.staff_key()?.to_hex()
    );
    Ok(())
}

/// Unlocks `kiosk` for a command that registers, finds sign-ups or writes whole numbers:
/// the staff passphrase from `JOBFAIR_STAFF_PASSPHRASE`, else typed on the terminal, else
/// the next line of stdin (issue 17).
pub fn unlock(kiosk: &mut crate::app::Kiosk) -> anyhow::Result<()> {
    use crate::app::LockState;
    match kiosk.lock_state() {
        LockState::Unlocked => return Ok(()),
        LockState::NoPassphrase => bail!(
            "还没有设置工作人员口令，请先运行 jobfair-kiosk staff set-passphrase。\n\
             no staff passphrase yet: run jobfair-kiosk staff set-passphrase first"
        ),
        LockState::Locked => {}
    }
    let passphrase = match std::env::var("JOBFAIR_STAFF_PASSPHRASE") {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => {
            prompt_hidden("工作人员请解锁 staff passphrase: ")?
        }
        Err(_) => read_line()?,
    };
    let done = kiosk.unlock(&passphrase)?;
    report_sealed(&done);
    Ok(())
}

fn report_sealed(done: &crate::app::Unlocking) {
    if done.sealed_signups + done.resealed_signups + done.sealed_records > 0 {
        eprintln!(
            "已加密保存 sealed at rest: {} sign-ups in clear, {} sealed again for the base, {} outbox records",
            done.sealed_signups, done.resealed_signups, done.sealed_records
        );
    }
}

fn change_passphrase(data_dir: &Path) -> anyhow::Result<()> {
    use crate::seal::{Keyring, keyring_path};
    let mut keyring = Keyring::load(&keyring_path(data_dir))?;
    let old = if std::io::stdin().is_terminal() {
        prompt_hidden("Current staff passphrase: ")?
    } else {
        read_line()?
    };
    let new = new_passphrase(&mut read_line)?;
    keyring.change_passphrase(&old, &new)?;
    eprintln!("staff passphrase changed");
    Ok(())
}

fn set_pin(data_dir: &Path) -> anyhow::Result<()> {
    let pin = if std::io::stdin().is_terminal() {
        let first = prompt_hidden("New staff PIN (4 to 8 digits): ")?;
        let second = prompt_hidden("Repeat the PIN: ")?;
        if first != second {
            bail!("the two PINs differ; nothing changed");
        }
        first
    } else {
        read_line()?
    };
    set_staff_pin(data_dir, &pin)?;
    eprintln!("staff PIN set");
    Ok(())
}

fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading stdin")?;
    Ok(line.trim().to_string())
}

/// Turns terminal echo back on when dropped, even after an error.
struct EchoOff;

impl EchoOff {
    fn new() -> anyhow::Result<EchoOff> {
        stty("-echo")?;
        Ok(EchoOff)
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = stty("echo");
    }
}

/// Runs `stty` on the terminal that is our stdin.
fn stty(arg: &str) -> anyhow::Result<()> {
    let status = Command::new("stty")
        .arg(arg)
        .stdin(Stdio::inherit())
        .status()
        .context("running stty to hide the PIN")?;
    if !status.success() {
        bail!("stty {arg} failed; pipe the PIN on stdin instead");
    }
    Ok(())
}

fn prompt_hidden(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let line = {
        let _echo = EchoOff::new()?;
        read_line()
    };
    eprintln!();
    line
}
