//! `openings import FILE`: validate the whole file, then replace the openings atomically.
//!
//! - `.json`: a whole fair file. Its `fair.id` must be the installed fair's id; a
//!   different fair is installed (and becomes current) only when no fair or the
//!   embedded demo fair is installed.
//! - `.csv`: openings only ([`parse_openings_csv`]); the installed fair keeps its info
//!   and places, its employers and openings are replaced.
//!
//! Either the whole file goes in, in one transaction, or nothing changes. Openings
//! that existing sign-ups chose and that the new file drops are reported, not refused.

use super::kiosk::{Kiosk, demo_fair};
use crate::domain::fair::{FairFile, FairFileError, Violation};
use crate::domain::fair_csv::{CsvImportError, parse_openings_csv};
use crate::store::{self, Store, fairs, registrations};
use chrono::Utc;
use std::path::{Path, PathBuf};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub fair_id: String,
    pub employers: usize,
    pub openings: usize,
    /// A new fair was installed and made current (JSON import only).
    pub new_fair: bool,
    /// Openings chosen by existing sign-ups that the file no longer has.
    pub dropped_chosen: Vec<u16>,
    /// Departures of the installed fair that a CSV import dropped because none of the
    /// new employers is in their destination (or an employer they name is gone).
    pub dropped_departures: Vec<String>,
}

/// Why an import changed nothing. Each variant names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: the file name must end in .json (a fair file) or .csv (openings)")]
    UnknownKind(PathBuf),
    /// The JSON fair file is malformed or breaks rules (the error names the JSON path).
    #[error(transparent)]
    Json(#[from] FairFileError),
    /// The CSV has bad lines (the error names each line).
    #[error(transparent)]
    Csv(#[from] CsvImportError),
    /// The CSV rows are fine one by one but the fair they make breaks rules.
    #[error("the openings break {} rule(s):\n{}", .0.len(), list(.0))]
    Invalid(Vec<Violation>),
    #[error("the file is for fair {file:?} but this kiosk runs fair {installed:?}")]
    OtherFair { installed: String, file: String },
    #[error("a CSV holds only openings; import the fair's JSON file first")]
    NoFair,
    #[error("the disk is full; nothing was imported")]
    DiskFull,
    #[error(transparent)]
    Store(store::Error),
}

impl From<store::Error> for ImportError {
    fn from(e: store::Error) -> Self {
        match e {
            store::Error::DiskFull => ImportError::DiskFull,
            e => ImportError::Store(e),
        }
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        store::Error::from(e).into()
    }
}

fn list(v: &[Violation]) -> String {
    let lines: Vec<String> = v.iter().map(|x| format!("  {x}")).collect();
    lines.join("\n")
}

/// Imports `file` into the store of `data_dir` (without installing the demo fair first).
pub fn import_openings(data_dir: &Path, file: &Path) -> Result<ImportReport, ImportError> {
    let mut store = Store::open(data_dir)?;
    import_into(&mut store, file).map(|(report, _)| report)
}

impl Kiosk {
    /// Imports `file` (see the module docs) and shows the result at once.
    pub fn import_openings(&mut self, file: &Path) -> super::Result<ImportReport> {
        let (report, fair) = import_into(&mut self.store, file)?;
        self.switch_to(fair)?;
        Ok(report)
    }
}

/// Reads, checks and stores `file`; returns the report and the fair now current.
fn import_into(store: &mut Store, file: &Path) -> Result<(ImportReport, FairFile), ImportError> {
    let bytes = std::fs::read(file).map_err(|source| ImportError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let kind = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let installed = fairs::current(store.conn())?;
    let mut dropped_departures = Vec::new();
    let fair = match kind.as_deref() {
        Some("json") => {
            let text = String::from_utf8(bytes).map_err(|_| FairFileError::Syntax {
                line: 1,
                column: 1,
                message: "the file is not UTF-8 text".into(),
            })?;
            let fair = FairFile::from_json(&text)?;
            if let Some(installed) = &installed
                && installed.fair.id != fair.fair.id
                && !is_demo(installed)
            {
                return Err(ImportError::OtherFair {
                    installed: installed.fair.id.clone(),
                    file: fair.fair.id,
                });
            }
            fair
        }
        Some("csv") => {
            let installed = installed.as_ref().ok_or(ImportError::NoFair)?;
            let (employers, openings) = parse_openings_csv(&bytes)?;
            let mut fair = FairFile {
                employers,
                openings,
                ..installed.clone()
            };
            // The installed departures stay while the new employers still fit them.
            let employers = &fair.employers;
            fair.departures.retain(|d| {
                let named_ok = d.employers.iter().all(|id| {
                    employers
                        .iter()
                        .any(|e| e.id == *id && e.city == d.destination)
                });
                named_ok && employers.iter().any(|e| d.serves(e))
            });
            dropped_departures = installed
                .departures
                .iter()
                .filter(|d| fair.departure(&d.id).is_none())
                .map(|d| d.id.clone())
                .collect();
            let violations = fair.validate();
            if !violations.is_empty() {
                return Err(ImportError::Invalid(violations));
            }
            fair
        }
        _ => return Err(ImportError::UnknownKind(file.to_path_buf())),
    };
    let new_fair = installed.as_ref().is_none_or(|i| i.fair.id != fair.fair.id);
    let tx = store.transaction()?;
    let dropped_chosen = registrations::chosen_openings(&tx, &fair.fair.id)?
        .into_iter()
        .filter(|&id| fair.opening(id).is_none())
        .collect();
    fairs::install(&tx, &fair, Utc::now())?;
    fairs::set_current(&tx, &fair.fair.id)?;
    tx.commit()?;
    let report = ImportReport {
        fair_id: fair.fair.id.clone(),
        employers: fair.employers.len(),
        openings: fair.openings.len(),
        new_fair,
        dropped_chosen,
        dropped_departures,
    };
    Ok((report, fair))
}

/// Whether `fair` is the embedded demo fair (which a real fair may replace).
fn is_demo(fair: &FairFile) -> bool {
    demo_fair().is_ok_and(|demo| demo.fair.id == fair.fair.id)
}
