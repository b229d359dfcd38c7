//! Staff panel actions that run long or talk to the base: export (on its own
//! thread, progress back through `upgrade_in_event_loop`), upload now, the
//! upload status on the status bar, and the parked records.

use super::{AppState, AppWindow, Ctx, StaffPanel, StatRow};
use crate::app::export::Masking;
use crate::app::{Error, Kiosk, KioskOptions, PinCheck};
use crate::export::Format;
use crate::store::outbox;
use crate::sync::status::{Failure, LastResult, SyncStatus};
use chrono::Local;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Export states of `StaffPanel.export-state` (the dialog translates each).
const RUNNING: i32 = 1;
const DONE: i32 = 2;
const FAILED: i32 = 3;
const WRONG_PIN: i32 = 4;
const LOCKED: i32 = 5;
/// Done, under a new name: a file of the dated name was already there and was kept.
const DONE_RENAMED: i32 = 6;
/// The folder is gone (a USB stick pulled out); `export-path` names it.
const NO_FOLDER: i32 = 7;
/// The stick or disk is full; nothing was saved.
const FULL: i32 = 8;
/// No permission to write in the folder; `export-path` names it.
const NO_PERMISSION: i32 = 9;

/// Why an export failed, as the dialog shows it: a state and the path it names.
enum Failed {
    State(i32, PathBuf),
    Other(String),
}

fn failed(e: Error) -> Failed {
    use crate::export::{Error as ExportError, WriteError};
    match e {
        Error::StaffPin(PinCheck::Locked { .. }) => Failed::State(LOCKED, PathBuf::new()),
        Error::StaffPin(_) => Failed::State(WRONG_PIN, PathBuf::new()),
        Error::Export(ExportError::File(w)) => match w {
            WriteError::NoFolder { dir } => Failed::State(NO_FOLDER, dir),
            WriteError::Full { path } => Failed::State(FULL, path),
            WriteError::NoPermission { dir } => Failed::State(NO_PERMISSION, dir),
            other => Failed::Other(other.to_string()),
        },
        other => Failed::Other(other.to_string()),
    }
}

/// Starts the export chosen in the dialog on a worker thread with its own store connection.
pub(crate) fn start(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    if p.get_export_state() == RUNNING {
        return;
    }
    let format = Format::ALL[p.get_export_format().clamp(0, 2) as usize];
    let Some(folder) =
        slint::Model::row_data(&p.get_folders(), p.get_folder_index().max(0) as usize)
    else {
        return;
    };
    // Only the kiosk's own folder is made; a USB stick's folder that is gone stays gone.
    let make_folder = !folder.removable;
    let folder = PathBuf::from(folder.path.as_str());
    let pin = p.get_export_pin().to_string();
    let unmasked = p.get_export_unmasked();
    p.set_export_pin(SharedString::default());
    p.set_export_progress(0.0);
    p.set_export_state(RUNNING);
    let data_dir = ctx.kiosk.borrow().data_dir().to_path_buf();
    let weak = window.as_weak();
    std::thread::spawn(move || {
        let mut last = Instant::now();
        let progress_weak = weak.clone();
        let mut progress = move |done: u64, total: u64| {
            if last.elapsed() < Duration::from_millis(100) && done < total {
                return;
            }
            last = Instant::now();
            let share = if total == 0 {
                1.0
            } else {
                done as f32 / total as f32
            };
            let _ = progress_weak.upgrade_in_event_loop(move |w| {
                w.global::<StaffPanel>().set_export_progress(share);
            });
        };
        if make_folder {
            // A failure shows as the folder missing, just below.
            let _ = crate::store::files::create_private_dir(&folder);
        }
        // Always a folder here: one that is gone must not be taken for a file name.
        let result = if folder.is_dir() {
            Kiosk::open(&KioskOptions::new(&data_dir))
                .map_err(|e| Failed::Other(e.to_string()))
                .and_then(|mut kiosk| {
                    let outcome = if unmasked {
                        kiosk.export_unmasked(&pin, "staff", format, &folder, &mut progress)
                    } else {
                        kiosk.export(format, &folder, Masking::Masked, &mut progress)
                    };
                    outcome.map_err(failed)
                })
        } else {
            Err(Failed::State(NO_FOLDER, folder.clone()))
        };
        let _ = weak.upgrade_in_event_loop(move |w| {
            let p = w.global::<StaffPanel>();
            match result {
                Ok(report) => {
                    p.set_export_rows(i32::try_from(report.sign_ups).unwrap_or(i32::MAX));
                    p.set_export_path(report.path.display().to_string().into());
                    p.set_export_progress(1.0);
                    p.set_export_state(if report.renamed { DONE_RENAMED } else { DONE });
                }
                Err(Failed::State(state, path)) => {
                    p.set_export_path(path.display().to_string().into());
                    p.set_export_state(state);
                }
                Err(Failed::Other(e)) => {
                    p.set_export_error(e.into());
                    p.set_export_state(FAILED);
                }
            }
        });
    });
}

/// "Upload now": wakes the upload worker, which also pulls the openings.
pub(crate) fn upload_now(ctx: &Rc<Ctx>) {
    if let Some(sync) = &ctx.sync {
        sync.upload_now();
    }
}

/// Shows the records the base parked (conflict or rejected), newest first.
pub(crate) fn open_parked(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let rows: Vec<StatRow> = outbox::parked(ctx.kiosk.borrow().store().conn(), 200)
        .unwrap_or_default()
        .into_iter()
        .map(|r| StatRow {
            label: format!(
                "{} · {} · {:?} · {}",
                r.kind.as_str(),
                short_time(&r.answered_at),
                r.outcome,
                r.reason
            )
            .into(),
            count: 0,
        })
        .collect();
    let p = window.global::<StaffPanel>();
    p.set_parked_rows(ModelRc::new(VecModel::from(rows)));
    p.set_dialog(3);
}

/// "HH:MM" local time of an RFC 3339 timestamp, or the text itself.
fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Local).format("%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// Copies the upload worker's status to the status bar and the staff panel.
/// The pending count comes from the UI's own store connection, so a sign-up
/// shows up at once.
pub(crate) fn show_upload_status(ctx: &Ctx, window: &AppWindow) {
    let status: SyncStatus = ctx.sync.as_ref().map(|s| s.status()).unwrap_or_default();
    let pending =
        outbox::pending_count(ctx.kiosk.borrow().store().conn()).unwrap_or(status.pending);
    let int = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    let app = window.global::<AppState>();
    app.set_pending_uploads(int(pending));
    app.set_base_state(if !status.configured {
        0
    } else {
        match status.base_reachable {
            Some(true) => 1,
            Some(false) => 2,
            None => 3,
        }
    });
    let p = window.global::<StaffPanel>();
    p.set_pending(int(pending));
    p.set_parked(int(status.parked));
    p.set_last_upload_time(
        status
            .last_attempt
            .map(|t| t.with_timezone(&Local).format("%H:%M").to_string())
            .unwrap_or_default()
            .into(),
    );
    let (state, failure) = match (&status.last_result, status.configured) {
        (_, false) => (3, 0),
        (None, true) => (0, 0),
        (Some(LastResult::Sent(_)), true) => (1, 0),
        (Some(LastResult::Failed { failure, .. }), true) => (2, failure_code(*failure)),
    };
    p.set_last_upload_state(state);
    p.set_last_upload_failure(failure);
}

/// `StaffPanel.last-upload-failure` of a failure (the page translates it).
fn failure_code(f: Failure) -> i32 {
    match f {
        Failure::Unreachable => 1,
        Failure::NotBase => 2,
        Failure::BaseError => 3,
        Failure::Unauthorized => 4,
        Failure::UnknownFair => 5,
        Failure::BadFair => 6,
        Failure::Store => 7,
        Failure::NotConfigured => 0,
    }
}

/// Polls the worker every 2 s: status bar, and a reload when newer openings were applied.
pub(crate) fn setup_status_timer(ctx: &Rc<Ctx>) -> slint::Timer {
    let timer = slint::Timer::default();
    let ctx = ctx.clone();
    let mut applied = 0u64;
    timer.start(
        slint::TimerMode::Repeated,
        Duration::from_secs(2),
        move || {
            let Some(window) = ctx.window.upgrade() else {
                return;
            };
            show_upload_status(&ctx, &window);
            let now_applied = ctx.sync.as_ref().map_or(0, |s| s.status().openings_applied);
            if now_applied != applied {
                applied = now_applied;
                let changed = ctx.kiosk.borrow_mut().reload_fair().unwrap_or(false);
                if changed {
                    ctx.openings.reload(ctx.kiosk.borrow().fair());
                    super::set_fair_info_pub(&window, &ctx.kiosk.borrow());
                    super::openings_adapter::refresh(&ctx);
                }
            }
        },
    );
    timer
}
