//! The staff's departures (issue 16): seats filled, waitlist and boarded per departure,
//! boarding at a departure's door, and its passenger list (乘车名单) as XLSX or an A4 PDF
//! (drawn on a thread of its own) through the staff export dialog: masked by default, the full numbers only with the staff PIN
//! (checked, counted and audited by `app::transport::manifest`).

use super::ride_adapter::{card, statuses};
use super::{AppState, Ctx, DepartureCard, DeparturesAdapter, ExportFailure, ExportState};
use super::{Page, StaffPanel};
use crate::app::transport::{ManifestFormat, ManifestPart, Which};
use crate::app::{Error, PinCheck};
use chrono::Local;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::path::PathBuf;
use std::rc::Rc;

/// The figures on the staff panel's tile and the departures page.
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let statuses = if fair.departures.is_empty() {
        Vec::new()
    } else {
        statuses(&kiosk)
    };
    let cards: Vec<DepartureCard> = fair
        .departures
        .iter()
        .map(|dep| {
            card(
                dep,
                statuses.iter().find(|s| s.departure == dep.id),
                en,
                false,
            )
        })
        .collect();
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    d.set_any(!cards.is_empty());
    d.set_door_only(kiosk.is_boarding_device());
    d.set_assigned(n(statuses.iter().map(|s| s.assigned).sum()));
    d.set_boarded(n(statuses.iter().map(|s| s.boarded).sum()));
    d.set_departures(ModelRc::new(VecModel::from(cards)));
}

/// A boarding device's home: its departures, to board (reset and idle come back here).
pub(crate) fn open_door(ctx: &Ctx) {
    refresh(ctx);
    if let Some(w) = ctx.window.upgrade() {
        w.global::<AppState>().set_page(Page::Departures);
    }
}

/// Writes the passenger list chosen in the export dialog (small: on the UI thread).
fn export_manifest(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let departure = window
        .global::<DeparturesAdapter>()
        .get_manifest_departure()
        .to_string();
    let Some(folder) = usize::try_from(p.get_folder_index())
        .ok()
        .and_then(|i| slint::Model::row_data(&p.get_folders(), i))
    else {
        return;
    };
    let removable = folder.removable;
    let folder = PathBuf::from(folder.path.as_str());
    let pin = p.get_export_pin().to_string();
    let unmasked = p.get_export_unmasked();
    p.set_export_pin(SharedString::default());
    if !removable && let Err(e) = crate::store::files::create_private_dir(&folder) {
        eprintln!("export folder {}: {e}", folder.display());
    }
    if !folder.is_dir() {
        p.set_export_path(folder.display().to_string().into());
        p.set_export_failure(ExportFailure::NoFolder);
        p.set_export_state(ExportState::Failed);
        return;
    }
    let pdf = window.global::<DeparturesAdapter>().get_manifest_pdf();
    let (format, ext) = if pdf {
        (ManifestFormat::Pdf, "pdf")
    } else {
        (ManifestFormat::Xlsx, "xlsx")
    };
    let stamp = Local::now().format("%Y%m%d-%H%M%S");
    let masked = if unmasked { "" } else { "-masked" };
    let out = folder.join(format!("manifest-{departure}-{stamp}{masked}.{ext}"));
    let result = {
        let mut kiosk = ctx.kiosk.borrow_mut();
        let footer = super::manifest_sheet::footer(&kiosk.fair().fair.id);
        let mut draw = |parts: &[ManifestPart<'_>], masked: bool, out: &std::path::Path| {
            super::manifest_sheet::write_pdf_on_own_thread(parts, masked, out, &footer)
        };
        kiosk.write_manifest_file(
            Which::One(&departure),
            format,
            &out,
            unmasked.then_some((pin.as_str(), "staff")),
            Some(&mut draw),
        )
    };
    p.set_export_path(out.display().to_string().into());
    match result {
        Ok(report) => {
            p.set_export_rows(i32::try_from(report.passengers).unwrap_or(i32::MAX));
            p.set_export_path(report.path.display().to_string().into());
            p.set_export_progress(1.0);
            p.set_export_state(ExportState::Done);
        }
        Err(Error::StaffPin(PinCheck::Locked { seconds_left })) => {
            p.set_export_locked_minutes(((seconds_left + 59) / 60) as i32);
            p.set_export_state(ExportState::Locked);
        }
        Err(Error::StaffPin(_)) => p.set_export_state(ExportState::WrongPin),
        Err(e) => {
            eprintln!("passenger list {departure} to {}: {e}", out.display());
            p.set_export_failure(match e {
                Error::DiskFull => ExportFailure::DiskFull,
                Error::Export(_) => ExportFailure::Write,
                _ => ExportFailure::Store,
            });
            p.set_export_state(ExportState::Failed);
        }
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let d = window.global::<DeparturesAdapter>();
    {
        let ctx = ctx.clone();
        d.on_open(move || {
            refresh(&ctx);
            if let Some(w) = ctx.window.upgrade() {
                w.global::<AppState>().set_page(Page::Departures);
            }
        });
    }
    {
        let ctx = ctx.clone();
        d.on_board(move |id| super::boarding_adapter::open(&ctx, &id));
    }
    {
        let ctx = ctx.clone();
        d.on_open_export(move |id| {
            if let Some(w) = ctx.window.upgrade() {
                let d = w.global::<DeparturesAdapter>();
                d.set_manifest_departure(id);
                d.set_manifest_pdf(false);
            }
            super::staff_files::open_export(&ctx);
        });
    }
    let ctx = ctx.clone();
    d.on_export_manifest(move || export_manifest(&ctx));
}
