//! The staff panel: today's counts, the upload status, export, openings import.
//! Long work (export) runs on its own thread with its own store connection and
//! reports progress back through `upgrade_in_event_loop`.

use super::{AppState, AppWindow, Ctx, Folder, StaffPanel, StatRow};
use crate::app::stats::DayStats;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Roots whose sub-folders are removable media (udisks mounts, manual mounts).
const USB_ROOTS: &[&str] = &["/media", "/run/media", "/mnt"];
/// Environment override of [`USB_ROOTS`] (colon-separated), for tests and odd systems.
pub const USB_ROOTS_ENV: &str = "JOBFAIR_USB_ROOTS";

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    {
        let ctx = ctx.clone();
        p.on_refresh(move || refresh(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_open_import(move || open_import(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_import_file(move |i| import_file(&ctx, i));
    }
    {
        let ctx = ctx.clone();
        p.on_open_export(move || open_export(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_start_export(move || super::staff_export::start(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_upload_now(move || super::staff_export::upload_now(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_open_parked(move || super::staff_export::open_parked(&ctx));
    }
}

/// Closes any staff dialog (the idle reset and "back to the kiosk").
pub(crate) fn clear(window: &AppWindow) {
    let p = window.global::<StaffPanel>();
    p.set_dialog(0);
    p.set_export_pin(SharedString::default());
    p.set_export_unmasked(false);
}

/// Reloads today's counts into the panel.
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let stats = ctx.kiosk.borrow().today_stats();
    match stats {
        Ok(stats) => show_stats(ctx, &window, &stats),
        Err(e) => eprintln!("staff panel counts: {e}"),
    }
    super::staff_export::show_upload_status(ctx, &window);
}

fn show_stats(ctx: &Ctx, window: &AppWindow, s: &DayStats) {
    let p = window.global::<StaffPanel>();
    let int = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    p.set_day(s.day.format("%Y-%m-%d").to_string().into());
    p.set_today(int(s.signups_today));
    p.set_total(int(s.signups_total));
    p.set_check_ins(int(s.check_ins));
    let hours: Vec<i32> = s.per_hour.iter().map(|&n| int(n)).collect();
    p.set_per_hour_max(hours.iter().copied().max().unwrap_or(0).max(1));
    p.set_per_hour(ModelRc::new(VecModel::from(hours)));
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let opening_rows: Vec<StatRow> = s
        .per_opening
        .iter()
        .map(|&(id, n)| {
            let label = fair
                .openings
                .iter()
                .find(|o| o.id == id)
                .map(|o| {
                    let title = if en {
                        o.title_en.as_deref().unwrap_or(&o.title)
                    } else {
                        &o.title
                    };
                    let employer = fair
                        .employers
                        .iter()
                        .find(|e| e.id == o.employer)
                        .map(|e| {
                            if en {
                                e.name_en.as_deref().unwrap_or(&e.name)
                            } else {
                                &e.name
                            }
                        })
                        .unwrap_or("");
                    format!("{title} · {employer}")
                })
                .unwrap_or_else(|| format!("#{id}"));
            StatRow {
                label: label.into(),
                count: int(n),
            }
        })
        .collect();
    let village_rows: Vec<StatRow> = s
        .per_village
        .iter()
        .map(|(place, n)| StatRow {
            label: place.as_str().into(),
            count: int(*n),
        })
        .collect();
    let row_max = opening_rows
        .iter()
        .chain(village_rows.iter())
        .map(|r| r.count)
        .max()
        .unwrap_or(0)
        .max(1);
    p.set_per_row_max(row_max);
    p.set_per_opening(ModelRc::new(VecModel::from(opening_rows)));
    p.set_per_village(ModelRc::new(VecModel::from(village_rows)));
    let funnel: Vec<i32> = s.funnel.iter().map(|&n| int(n)).collect();
    p.set_funnel_max(funnel.iter().copied().max().unwrap_or(0).max(1));
    p.set_funnel(ModelRc::new(VecModel::from(funnel)));
    window
        .global::<AppState>()
        .set_pending_uploads(int(s.pending_uploads));
    p.set_pending(int(s.pending_uploads));
}

/// Folders an export can go to: mounted removable media first, then the kiosk's own
/// `exports` folder in the data dir (always there).
pub fn export_folders(data_dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut out: Vec<(PathBuf, bool)> = usb_folders().into_iter().map(|p| (p, true)).collect();
    out.push((data_dir.join("exports"), false));
    out
}

/// Mounted removable media: the mount points under `/media`, `/run/media` and `/mnt`
/// (from `/proc/self/mounts`), or the folders right under the roots named in
/// `JOBFAIR_USB_ROOTS`; sorted.
fn usb_folders() -> Vec<PathBuf> {
    let mut out = Vec::new();
    match std::env::var(USB_ROOTS_ENV) {
        Ok(v) if !v.is_empty() => {
            for root in v.split(':') {
                if let Ok(d) = std::fs::read_dir(root) {
                    out.extend(d.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
                }
            }
        }
        _ => {
            let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
            for line in mounts.lines() {
                let Some(point) = line.split(' ').nth(1) else {
                    continue;
                };
                // /proc/self/mounts escapes spaces and tabs as octal.
                let point = point.replace("\\040", " ").replace("\\011", "\t");
                let path = PathBuf::from(&point);
                if USB_ROOTS
                    .iter()
                    .any(|r| path.starts_with(r) && path != Path::new(r))
                {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn open_export(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let folders: Vec<Folder> = export_folders(ctx.kiosk.borrow().data_dir())
        .into_iter()
        .map(|(path, removable)| Folder {
            path: path.display().to_string().into(),
            removable,
        })
        .collect();
    p.set_folder_index(0);
    p.set_folders(ModelRc::new(VecModel::from(folders)));
    p.set_export_unmasked(false);
    p.set_export_pin(SharedString::default());
    p.set_export_state(0);
    p.set_dialog(1);
}

/// `.json` and `.csv` files at the top of each export folder and of `<data_dir>/import`.
pub fn import_candidates(data_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = usb_folders();
    dirs.push(data_dir.join("import"));
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if path.is_file() && matches!(ext.as_deref(), Some("json" | "csv")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn open_import(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let files: Vec<SharedString> = import_candidates(ctx.kiosk.borrow().data_dir())
        .iter()
        .map(|f| f.display().to_string().into())
        .collect();
    p.set_import_files(ModelRc::new(VecModel::from(files)));
    p.set_import_state(0);
    p.set_dialog(2);
}

fn import_file(ctx: &Ctx, index: i32) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let Some(file) = slint::Model::row_data(&p.get_import_files(), index as usize) else {
        return;
    };
    let result = ctx
        .kiosk
        .borrow_mut()
        .import_openings(Path::new(file.as_str()));
    match result {
        Ok(report) => {
            p.set_import_state(1);
            p.set_import_detail(
                format!(
                    "{} · {} / {}",
                    report.fair_id, report.employers, report.openings
                )
                .into(),
            );
            super::set_fair_info_pub(&window, &ctx.kiosk.borrow());
            ctx.openings.reload(ctx.kiosk.borrow().fair());
            super::openings_adapter::refresh(ctx);
        }
        Err(e) => {
            p.set_import_state(2);
            p.set_import_detail(e.to_string().into());
        }
    }
}
