//! `upload [--base URL --token T]`: send every pending record to the base now,
//! with a progress bar on stderr when it is a terminal. One pass, no retries: a
//! failure leaves the rest pending (the kiosk's worker retries) and exits non-zero.

use crate::config::Config;
use crate::store::{Store, outbox};
use crate::sync::{HttpTransport, Tally, Timeouts, upload::DEFAULT_BATCH, upload_pending};
use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Args)]
pub struct Upload {
    /// The base's URL [default: base_url in config.toml, or JOBFAIR_BASE_URL].
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
    /// This kiosk's token [default: base_token in config.toml, or JOBFAIR_BASE_TOKEN].
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
    /// Records per request (1 to 1000).
    #[arg(long, default_value_t = DEFAULT_BATCH, hide = true)]
    pub batch: usize,
}

pub fn run(data_dir: &Path, cmd: Upload) -> anyhow::Result<()> {
    let config = Config::load(data_dir)?;
    let base = cmd.base.or(config.base_url).context(
        "no base URL: pass --base URL or set base_url in config.toml (or JOBFAIR_BASE_URL)",
    )?;
    let token = cmd.token.or(config.base_token).context(
        "no token: pass --token T or set base_token in config.toml (or JOBFAIR_BASE_TOKEN)",
    )?;
    let transport = HttpTransport::new(&base, &token, Timeouts::default())?;
    let mut store = Store::open(data_dir)?;
    let total = outbox::pending_count(store.conn())?;
    let bar = progress_bar(total);
    let pass = upload_pending(&mut store, &transport, cmd.batch, |tally| {
        if let Some(bar) = &bar {
            bar.set_position(tally.total());
        }
        true
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_tally(&pass.tally);
    let counts = outbox::counts(store.conn())?;
    println!(
        "outbox: {} sent, {} parked, {} pending",
        counts.sent, counts.parked, counts.pending
    );
    if let Some(e) = pass.failure {
        bail!("upload to {base} stopped: {e}; the rest stays pending");
    }
    Ok(())
}

fn print_tally(t: &Tally) {
    println!(
        "accepted {}, duplicate {}, conflict {}, rejected {}",
        t.accepted, t.duplicate, t.conflict, t.rejected
    );
    if t.conflict + t.rejected > 0 {
        println!("conflicts and rejected records are parked for review on the staff page");
    }
}

/// A bar of `total` records on stderr, when stderr is a terminal.
fn progress_bar(total: u64) -> Option<ProgressBar> {
    if total == 0 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} records {per_sec} {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
