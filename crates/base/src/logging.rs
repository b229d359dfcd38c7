//! Structured logs with `tracing`, to stderr: one line per event, as text (default) or
//! JSON (`--log-format json`, for journald or a log shipper). The level comes from
//! `JOBFAIR_BASE_LOG` (e.g. `info`, `jobfair_base=debug`), default `info`.
//!
//! What is logged: requests (method, path, status, time, kiosk name), starts and stops,
//! errors. Never a token, a password, a query string or a record's content: the
//! security test greps everything the base prints for them.

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the global subscriber (once; later calls do nothing).
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_env("JOBFAIR_BASE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        // Not eprintln! about a failed write: that panics when stderr is gone (a closed
        // pipe), and a panic in the access log dropped every request's answer.
        .log_internal_errors(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
