//! Staff panel actions that run long or talk to the base: export (on its own
//! thread, progress back through `upgrade_in_event_loop`), upload now, the
//! upload status on the status bar, and the parked records.

use super::{AppState, AppWindow, BaseState, Ctx, ExportFailure, ExportState, ParkedWhy};
use super::{ParkedRow, RecordKind as UiKind, StaffDialog, StaffPanel, UploadFailure, UploadState};
use crate::app::export::Masking;
use crate::app::{Error, Kiosk, KioskOptions, PinCheck};
use crate::domain::records::RecordKind;
use crate::export::Format;
use crate::store::outbox;
use crate::sync::status::{Failure, LastResult, SyncStatus};
use chrono::Local;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Why an export did not happen, as the page shows it.
enum Refused {
    WrongPin,
    Locked { minutes: i32 },
    Failed(ExportFailure),
}

/// The page's reason for an export error (the full error goes to the log).
fn refused(e: &Error) -> Refused {
    use crate::export::{Error as ExportError, WriteError};
    match e {
        Error::StaffPin(PinCheck::Locked { seconds_left }) => Refused::Locked {
            minutes: ((seconds_left + 59) / 60) as i32,
        },
        Error::StaffPin(_) => Refused::WrongPin,
        Error::DiskFull => Refused::Failed(ExportFailure::DiskFull),
        Error::Export(ExportError::File(w)) => Refused::Failed(match w {
            WriteError::NoFolder { .. } => ExportFailure::NoFolder,
            WriteError::Full { .. } => ExportFailure::DiskFull,
            WriteError::NoPermission { .. } => ExportFailure::NoPermission,
            _ => ExportFailure::Write,
        }),
        Error::Export(_) => Refused::Failed(ExportFailure::Write),
        _ => Refused::Failed(ExportFailure::Store),
    }
}

/// Starts the export chosen in the dialog on a worker thread with its own store connection.
pub(crate) fn start(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    if p.get_export_state() == ExportState::Running {
        return;
    }
    let format = Format::ALL[p.get_export_format().clamp(0, 2) as usize];
    let Some(folder) = usize::try_from(p.get_folder_index())
        .ok()
        .and_then(|i| slint::Model::row_data(&p.get_folders(), i))
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
    p.set_export_path(folder.display().to_string().into());
    p.set_export_state(ExportState::Running);
    let data_dir = ctx.kiosk.borrow().data_dir().to_path_buf();
    // The worker's kiosk opens the whole numbers with this one's unlock (issue 17).
    let shared_unlock = ctx.kiosk.borrow().shared_unlock();
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
        if make_folder && let Err(e) = crate::store::files::create_private_dir(&folder) {
            eprintln!("export folder {}: {e}", folder.display());
        }
        // Always a folder here: one that is gone (a pulled stick) must not be taken for a
        // file name.
        let result = (if folder.is_dir() {
            Ok(())
        } else {
            Err(Refused::Failed(ExportFailure::NoFolder))
        })
        .and_then(|()| {
            let mut kiosk = Kiosk::open(&KioskOptions::new(&data_dir)).map_err(|e| {
                eprintln!("export: opening the store: {e}");
                Refused::Failed(ExportFailure::Store)
            })?;
            if let Some(shared) = shared_unlock {
                kiosk.adopt_unlock(shared);
            }
            Ok(kiosk)
        })
        .and_then(|mut kiosk| {
            let outcome = if unmasked {
                kiosk.export_unmasked(&pin, "staff", format, &folder, &mut progress)
            } else {
                kiosk.export(format, &folder, Masking::Masked, &mut progress)
            };
            outcome.map_err(|e| {
                eprintln!("export to {}: {e}", folder.display());
                refused(&e)
            })
        });
        let _ = weak.upgrade_in_event_loop(move |w| {
            let p = w.global::<StaffPanel>();
            match result {
                Ok(report) => {
                    p.set_export_rows(i32::try_from(report.sign_ups).unwrap_or(i32::MAX));
                    p.set_export_path(report.path.display().to_string().into());
                    p.set_export_progress(1.0);
                    p.set_export_state(if report.renamed {
                        ExportState::DoneRenamed
                    } else {
                        ExportState::Done
                    });
                }
                Err(Refused::WrongPin) => p.set_export_state(ExportState::WrongPin),
                Err(Refused::Locked { minutes }) => {
                    p.set_export_locked_minutes(minutes);
                    p.set_export_state(ExportState::Locked);
                }
                Err(Refused::Failed(why)) => {
                    p.set_export_failure(why);
                    p.set_export_state(ExportState::Failed);
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

/// Shows the records waiting for the base to publish their fair, then the ones it
/// parked (conflict or rejected), newest first; each with its reason in the staff's
/// language (from the base's code) and the base's detail.
pub(crate) fn open_parked(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let row = |kind: RecordKind, at: &str, reason: &str| ParkedRow {
        kind: match kind {
            RecordKind::Registration => UiKind::Registration,
            RecordKind::Stage => UiKind::Stage,
            RecordKind::CheckIn => UiKind::CheckIn,
            RecordKind::Seat => UiKind::Seat,
            RecordKind::Boarding => UiKind::Boarding,
        },
        why: why(reason),
        time: short_time(at).into(),
        detail: detail(reason).into(),
    };
    let kiosk = ctx.kiosk.borrow();
    let conn = kiosk.store().conn();
    let waiting = outbox::waiting(conn, 100).unwrap_or_default();
    let parked = outbox::parked(conn, 200).unwrap_or_default();
    drop(kiosk);
    let rows: Vec<ParkedRow> = waiting
        .iter()
        .map(|r| row(r.kind, &r.enqueued_at, &r.reason))
        .chain(
            parked
                .iter()
                .map(|r| row(r.kind, &r.answered_at, &r.reason)),
        )
        .collect();
    let p = window.global::<StaffPanel>();
    p.set_parked_rows(ModelRc::new(VecModel::from(rows)));
    p.set_dialog(StaffDialog::Parked);
}

/// Why the base did not take a record, from the code kept with its reason.
fn why(reason: &str) -> ParkedWhy {
    match outbox::reason_code(reason) {
        Some("conflict") => ParkedWhy::Conflict,
        Some("invalid") => ParkedWhy::Invalid,
        Some("unknown_fair" | "cannot_unseal") => ParkedWhy::Waiting,
        Some("kiosk_mismatch") => ParkedWhy::OtherKiosk,
        Some("bad_id" | "unknown_kind" | "hash_mismatch" | "bad_payload") => ParkedWhy::Unreadable,
        _ => ParkedWhy::Refused,
    }
}

/// A kept reason without its code.
fn detail(reason: &str) -> &str {
    match outbox::reason_code(reason) {
        Some(code) => reason[code.len() + 2..].trim_start(),
        None => reason,
    }
}

/// "HH:MM" local time of an RFC 3339 timestamp, or the text itself.
fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Local).format("%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The status bar's and the staff panel's count of records waiting for upload, read from
/// the store now (after a sign-up, a check-in, a booth stage).
pub(crate) fn refresh_pending(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    if let Ok(n) = outbox::pending_count(ctx.kiosk.borrow().store().conn()) {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        window.global::<AppState>().set_pending_uploads(n);
        window.global::<StaffPanel>().set_pending(n);
    }
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
        BaseState::NoBase
    } else {
        match status.base_reachable {
            Some(true) => BaseState::Reachable,
            Some(false) => BaseState::Unreachable,
            None => BaseState::NotTried,
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
        (_, false) => (UploadState::NoBase, UploadFailure::None),
        (None, true) => (UploadState::Never, UploadFailure::None),
        (Some(LastResult::Sent(_)), true) => (UploadState::Sent, UploadFailure::None),
        (Some(LastResult::Failed { failure, .. }), true) => {
            (UploadState::Failed, ui_failure(*failure))
        }
    };
    p.set_last_upload_state(state);
    p.set_last_upload_failure(failure);
}

/// `StaffPanel.last-upload-failure` of a failure (the page translates it).
fn ui_failure(f: Failure) -> UploadFailure {
    match f {
        Failure::Unreachable => UploadFailure::Unreachable,
        Failure::NotBase => UploadFailure::NotBase,
        Failure::BaseError => UploadFailure::BaseError,
        Failure::Unauthorized => UploadFailure::Unauthorized,
        Failure::UnknownFair => UploadFailure::UnknownFair,
        Failure::BadFair => UploadFailure::BadFair,
        Failure::Store => UploadFailure::Store,
        Failure::NotConfigured => UploadFailure::None,
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

#[cfg(test)]
mod tests {
    use super::{ParkedWhy, detail, why};
    use crate::store::outbox::coded_reason;

    #[test]
    fn the_bases_code_picks_the_translated_reason_and_the_detail_stays() {
        let kept = coded_reason(Some("invalid"), "phone: too short");
        assert_eq!(
            (why(&kept), detail(&kept)),
            (ParkedWhy::Invalid, "phone: too short")
        );
        let waiting = coded_reason(Some("unknown_fair"), "fair \"x\" is not published");
        assert_eq!(why(&waiting), ParkedWhy::Waiting);
        assert_eq!(
            why(&coded_reason(Some("conflict"), "kept aside")),
            ParkedWhy::Conflict
        );
        assert_eq!(
            why(&coded_reason(Some("hash_mismatch"), "hash mismatch")),
            ParkedWhy::Unreadable
        );
        // A reason kept before codes, or a code from a newer base: the plain "refused".
        assert_eq!(
            (why("hash mismatch"), detail("hash mismatch")),
            (ParkedWhy::Refused, "hash mismatch")
        );
        assert_eq!(why(&coded_reason(Some("too_late"), "")), ParkedWhy::Refused);
    }
}
