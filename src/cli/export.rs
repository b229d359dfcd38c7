//! `export --format xlsx|csv|json --out PATH [--unmasked]`: the day's export from
//! the command line, with a progress bar on stderr when it is a terminal.
//!
//! `--unmasked` needs the staff PIN: from `JOBFAIR_STAFF_PIN` (for scripts), else
//! typed on the terminal without echo, else one line of stdin. It is never printed.

use crate::app::export::{ExportReport, Masking};
use crate::app::{Error as AppError, Kiosk, KioskOptions, PinCheck};
use crate::export::Format;
use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable a script can give the staff PIN in.
pub const STAFF_PIN_ENV: &str = "JOBFAIR_STAFF_PIN";

#[derive(Debug, Args)]
pub struct Export {
    /// xlsx (three sheets), csv (sign-ups, UTF-8 with BOM) or json (JSON lines).
    #[arg(long, value_parser = format_arg)]
    pub format: Format,
    /// The file to write, or an existing folder (a dated file name is made in it).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Full resident IDs and phones; asks for the staff PIN and is logged in the audit table.
    #[arg(long)]
    pub unmasked: bool,
}

fn format_arg(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("{s:?} is not a format; use xlsx, csv or json"))
}

pub fn run(data_dir: &Path, cmd: Export) -> anyhow::Result<()> {
    let mut kiosk = Kiosk::open(&KioskOptions::new(data_dir))?;
    let bar = progress_bar();
    let mut progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let report = if cmd.unmasked {
        // Whole numbers are opened with the staff key: the passphrase, then the PIN.
        super::staff::unlock(&mut kiosk)?;
        let pin = staff_pin()?;
        match kiosk.export_unmasked(&pin, "cli", cmd.format, &cmd.out, &mut progress) {
            Err(AppError::StaffPin(check)) => bail!(refused(check)),
            other => other?,
        }
    } else {
        kiosk.export(cmd.format, &cmd.out, Masking::Masked, &mut progress)?
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_report(&report);
    Ok(())
}

pub(super) fn refused(check: PinCheck) -> String {
    refused_for(check, ("未导出", "nothing exported"))
}

/// The PIN refusal, ending with what was not done (`("未导出", "nothing exported")`).
pub(super) fn refused_for(check: PinCheck, (zh, en): (&str, &str)) -> String {
    match check {
        PinCheck::Wrong { remaining } => {
            let tries = if remaining == 1 { "try" } else { "tries" };
            format!(
                "工作人员密码错误，还可以试 {remaining} 次，{zh} wrong staff PIN ({remaining} {tries} left before the lock); {en}"
            )
        }
        PinCheck::Locked { seconds_left } => format!(
            "工作人员密码已锁定 {seconds_left} 秒，{zh} the staff PIN is locked for {seconds_left} s; {en}"
        ),
        PinCheck::NotSet => {
            format!("没有设置工作人员密码 no staff PIN is set (jobfair-kiosk staff set-pin); {en}")
        }
        PinCheck::Ok => "工作人员密码未被接受 the staff PIN was not accepted".into(),
    }
}

fn print_report(r: &ExportReport) {
    println!("wrote     {}", r.path.display());
    if r.renamed {
        println!(
            "          同名文件已存在，未覆盖，使用了新文件名 a file of the dated name already existed; it was left alone and this new name used"
        );
    }
    println!("format    {}", r.format.as_str());
    println!(
        "masked    {}",
        if r.masked {
            "yes"
        } else {
            "NO (full IDs and phones; audited)"
        }
    );
    println!("sign-ups  {}", r.sign_ups);
    if r.format != Format::Csv {
        println!("stages    {}", r.stages);
        println!("openings  {}", r.openings);
    }
    println!("bytes     {}", r.bytes);
}

/// A bar on stderr, only when stderr is a terminal.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// The PIN from the environment, the terminal (no echo) or one line of stdin.
pub(super) fn staff_pin() -> anyhow::Result<String> {
    if let Ok(pin) = std::env::var(STAFF_PIN_ENV)
        && !pin.is_empty()
    {
        return Ok(pin);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return read_line();
    }
    eprint!("Staff PIN: ");
    std::io::stderr().flush()?;
    stty("-echo")?;
    let line = read_line();
    let restored = stty("echo");
    eprintln!();
    let line = line?;
    restored?;
    Ok(line)
}

fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the staff PIN from stdin")?;
    Ok(line.trim().to_string())
}

fn stty(arg: &str) -> anyhow::Result<()> {
    let status = Command::new("stty")
        .arg(arg)
        .stdin(Stdio::inherit())
        .status()
        .context("running stty to hide the PIN")?;
    if !status.success() {
        bail!("stty {arg} failed; give the PIN in {STAFF_PIN_ENV} instead");
    }
    Ok(())
}
