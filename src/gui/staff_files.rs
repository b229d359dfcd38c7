//! The staff panel's file dialogs: where an export can go (removable media, said which, or
//! the kiosk's own folder) and which openings files can be imported; an import's outcome as
//! typed data the page translates.

use super::{Ctx, Folder, ImportFailure, ImportState, StaffDialog, StaffPanel};
use crate::app::ImportError;
use crate::app::media::{Medium, removable_media};
use crate::domain::fair::FairFileError;
use crate::domain::fair_csv::CsvImportError;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::path::{Path, PathBuf};

/// Folders an export can go to: the removable media mounted now, then the kiosk's own
/// `exports` folder in the data dir (always there).
pub fn export_folders(data_dir: &Path) -> Vec<(PathBuf, Option<Medium>)> {
    let mut out: Vec<(PathBuf, Option<Medium>)> = removable_media()
        .into_iter()
        .map(|m| (m.mount.clone(), Some(m)))
        .collect();
    out.push((data_dir.join("exports"), None));
    out
}

/// The folder preselected: the only removable medium when there is exactly one; the kiosk's
/// folder when there is none; nothing (-1, staff choose) when there are several.
pub fn preselected(folders: &[(PathBuf, Option<Medium>)]) -> i32 {
    match folders.iter().filter(|(_, m)| m.is_some()).count() {
        0 => (folders.len() as i32) - 1,
        1 => 0,
        _ => -1,
    }
}

pub(crate) fn open_export(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let found = export_folders(ctx.kiosk.borrow().data_dir());
    p.set_folder_index(preselected(&found));
    let folders: Vec<Folder> = found
        .into_iter()
        .map(|(path, medium)| Folder {
            path: path.display().to_string().into(),
            removable: medium.is_some(),
            device: medium.map(|m| m.description()).unwrap_or_default().into(),
        })
        .collect();
    p.set_folders(ModelRc::new(VecModel::from(folders)));
    p.set_export_unmasked(false);
    p.set_export_poster(false);
    p.set_export_pin(SharedString::default());
    p.set_export_state(super::ExportState::Idle);
    p.set_dialog(StaffDialog::Export);
}

/// `.json` and `.csv` files at the top of each removable medium and of `<data_dir>/import`.
pub fn import_candidates(data_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = removable_media().into_iter().map(|m| m.mount).collect();
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

pub(crate) fn open_import(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let files: Vec<SharedString> = import_candidates(ctx.kiosk.borrow().data_dir())
        .iter()
        .map(|f| f.display().to_string().into())
        .collect();
    p.set_import_files(ModelRc::new(VecModel::from(files)));
    p.set_import_state(ImportState::Idle);
    p.set_dialog(StaffDialog::Import);
}

/// An import failure as the page shows it: the kind, the number of problems, and where the
/// first is (a 1-based line of a CSV, or a JSON path / CSV column).
struct Failure {
    kind: ImportFailure,
    problems: usize,
    line: usize,
    at: String,
    other_fair: String,
}

fn failure(e: &crate::app::Error) -> Failure {
    let f = |kind| Failure {
        kind,
        problems: 1,
        line: 0,
        at: String::new(),
        other_fair: String::new(),
    };
    let e = match e {
        crate::app::Error::Import(e) => e,
        crate::app::Error::DiskFull => return f(ImportFailure::DiskFull),
        _ => return f(ImportFailure::Store),
    };
    match e {
        ImportError::Read { .. } => f(ImportFailure::Read),
        ImportError::UnknownKind(_) => f(ImportFailure::UnknownKind),
        ImportError::OtherFair { file, .. } => Failure {
            other_fair: file.clone(),
            ..f(ImportFailure::OtherFair)
        },
        ImportError::NoFair => f(ImportFailure::NoFair),
        ImportError::DiskFull => f(ImportFailure::DiskFull),
        ImportError::Store(_) => f(ImportFailure::Store),
        ImportError::Json(FairFileError::Syntax { line, .. }) => Failure {
            line: *line,
            ..f(ImportFailure::BadFile)
        },
        ImportError::Json(FairFileError::Type { path, .. }) => Failure {
            at: path.clone(),
            ..f(ImportFailure::BadFile)
        },
        ImportError::Json(FairFileError::Invalid(v)) | ImportError::Invalid(v) => Failure {
            problems: v.len(),
            at: v.first().map(|x| x.path.clone()).unwrap_or_default(),
            ..f(ImportFailure::BadFile)
        },
        ImportError::Csv(CsvImportError::Rows(rows)) => Failure {
            problems: rows.len(),
            line: rows.first().map_or(0, |r| r.line),
            at: rows
                .first()
                .and_then(|r| r.column.clone())
                .unwrap_or_default(),
            ..f(ImportFailure::BadFile)
        },
        ImportError::Csv(CsvImportError::Header(_)) => Failure {
            line: 1,
            ..f(ImportFailure::BadFile)
        },
        ImportError::Csv(_) => f(ImportFailure::BadFile),
    }
}

pub(crate) fn import_file(ctx: &Ctx, index: i32) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    let Some(file) = usize::try_from(index)
        .ok()
        .and_then(|i| slint::Model::row_data(&p.get_import_files(), i))
    else {
        return;
    };
    let path = Path::new(file.as_str());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.set_import_file_name(name.into());
    let result = ctx.kiosk.borrow_mut().import_openings(path);
    let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    match result {
        Ok(report) => {
            p.set_import_fair(report.fair_id.into());
            p.set_import_employers(int(report.employers));
            p.set_import_openings(int(report.openings));
            p.set_import_state(ImportState::Done);
            super::set_fair_info_pub(&window, &ctx.kiosk.borrow());
            ctx.openings.reload(ctx.kiosk.borrow().fair());
            super::openings_adapter::refresh(ctx);
        }
        Err(e) => {
            eprintln!("importing openings from {}: {e}", path.display());
            let f = failure(&e);
            p.set_import_failure(f.kind);
            p.set_import_problems(int(f.problems));
            p.set_import_line(int(f.line));
            p.set_import_where(f.at.into());
            p.set_import_fair(f.other_fair.into());
            p.set_import_state(ImportState::Failed);
        }
    }
}
