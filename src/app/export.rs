//! Exporting the current fair's sign-ups, booth stages and per-opening summary
//! (see `crate::export` for the formats).
//!
//! Exports are masked by default (ID `330784********123X`, phone `138****5678`).
//! The full numbers need the staff PIN again ([`Kiosk::export_unmasked`]), and
//! every unmasked export leaves an `audit` row: who, when, format, path, rows.

mod rows;

use super::kiosk::Kiosk;
use super::{Error, PinCheck, Result};
use crate::export::{self, Format, IfExists, Rows, Sheet, sheets};
use crate::store::{audit, export_rows, registrations};
use chrono::{DateTime, Local, Utc};
use rows::{OpeningNames, SignUpRows, StageRows, opening_rows};
use std::path::{Path, PathBuf};

/// Whether resident IDs and phones are written in full.
#[derive(Debug)]
pub enum Masking {
    /// `330784********123X`, `138****5678`: the default.
    Masked,
    /// Full numbers; only [`Kiosk::export_unmasked`] can make this, after the PIN.
    Unmasked(PinChecked),
}

/// Proof that the staff PIN was just checked; only this module makes one.
#[derive(Debug)]
pub struct PinChecked(());

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub path: PathBuf,
    /// True when the dated name was taken and a `-2`, `-3`, … name was used instead.
    pub renamed: bool,
    pub format: Format,
    pub masked: bool,
    pub sign_ups: u64,
    /// Booth stage rows (XLSX and JSON lines; 0 for CSV).
    pub stages: u64,
    /// Per-opening rows (XLSX and JSON lines; 0 for CSV).
    pub openings: u64,
    pub bytes: u64,
}

/// `报名-<fair_id>-<YYYYMMDD-HHMM>-脱敏-masked.<ext>` (or `-完整-unmasked`) in local
/// time: a masked and a full export of the same minute never share a name.
pub fn default_file_name(
    fair_id: &str,
    format: Format,
    masked: bool,
    now: DateTime<Local>,
) -> String {
    let masking = if masked {
        "脱敏-masked"
    } else {
        "完整-unmasked"
    };
    format!(
        "报名-{fair_id}-{}-{masking}.{}",
        now.format("%Y%m%d-%H%M"),
        format.extension()
    )
}

impl Kiosk {
    /// Writes the export to `out`: a file, which must not exist yet, or an existing
    /// folder to get [`default_file_name`] in it (`-2`, `-3`, … added when that name is
    /// taken; [`ExportReport::renamed`] says so). An existing file is never replaced.
    /// Progress is `(rows done, rows in all)`.
    pub fn export(
        &self,
        format: Format,
        out: &Path,
        mask: Masking,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportReport> {
        let masked = matches!(mask, Masking::Masked);
        // Whole numbers are opened with the staff key: an unmasked export needs the unlock.
        let secrets = if masked { None } else { Some(self.secrets()?) };
        let (path, if_exists) = if out.is_dir() {
            let name = default_file_name(&self.fair.fair.id, format, masked, Local::now());
            (out.join(name), IfExists::NewName)
        } else {
            (out.to_path_buf(), IfExists::Refuse)
        };
        // One read transaction: the three sheets and their counts see one snapshot
        // even while the kiosk (another connection) keeps registering.
        let snapshot = self.store.conn().unchecked_transaction()?;
        let conn: &rusqlite::Connection = &snapshot;
        let fair = &self.fair;
        let names = OpeningNames::of(fair);
        let mut sign_ups = SignUpRows {
            conn,
            fair,
            names: &names,
            secrets,
            total: registrations::count(conn, &fair.fair.id)?,
        };
        let written = match format {
            Format::Csv => export::csv::write(&path, if_exists, &mut sign_ups, progress)?,
            Format::Xlsx | Format::Json => {
                let mut stages = StageRows {
                    conn,
                    fair,
                    names: &names,
                    total: export_rows::stage_event_count(conn, &fair.fair.id)?,
                };
                let mut openings = opening_rows(conn, fair)?;
                let mut sources: [&mut dyn Rows; 3] = [&mut sign_ups, &mut stages, &mut openings];
                if format == Format::Xlsx {
                    export::xlsx::write(&path, if_exists, &mut sources, progress)?
                } else {
                    export::jsonl::write(&path, if_exists, &mut sources, progress)?
                }
            }
        };
        let rows_of = |sheet: &Sheet| {
            written
                .rows
                .iter()
                .find(|(name, _)| *name == sheet.name)
                .map_or(0, |(_, n)| *n)
        };
        Ok(ExportReport {
            sign_ups: rows_of(&sheets::SIGN_UPS),
            stages: rows_of(&sheets::BOOTH_STAGES),
            openings: rows_of(&sheets::PER_OPENING),
            path: written.path,
            renamed: written.renamed,
            bytes: written.bytes,
            format,
            masked,
        })
    }

    /// Checks the staff PIN for another use case's unmasked file (a transport manifest):
    /// a wrong PIN counts towards the lockout and gives nothing; the caller writes the
    /// audit row. The only other way to an unmasked [`Masking`].
    pub(crate) fn unmasking(&mut self, pin: &str) -> Result<Masking> {
        match self.verify_staff_pin(pin)? {
            PinCheck::Ok => Ok(Masking::Unmasked(PinChecked(()))),
            refused => Err(Error::StaffPin(refused)),
        }
    }

    /// The full export: checks the staff PIN (a wrong one counts towards the
    /// lockout and exports nothing), writes the file unmasked, then records
    /// `actor` (`staff`, `cli`), format, path and row counts in the audit log.
    /// If the audit row cannot be written, the file is removed again.
    pub fn export_unmasked(
        &mut self,
        pin: &str,
        actor: &str,
        format: Format,
        out: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ExportReport> {
        match self.verify_staff_pin(pin)? {
            PinCheck::Ok => {}
            refused => return Err(Error::StaffPin(refused)),
        }
        let report = self.export(format, out, Masking::Unmasked(PinChecked(())), progress)?;
        let detail = serde_json::json!({
            "format": format.as_str(),
            "path": report.path.to_string_lossy(),
            "rows": report.sign_ups,
            "stages": report.stages,
            "openings": report.openings,
        })
        .to_string();
        let conn = self.store.conn();
        if let Err(e) = audit::record(conn, Utc::now(), actor, "export_unmasked", &detail) {
            let _ = std::fs::remove_file(&report.path);
            return Err(e.into());
        }
        Ok(report)
    }
}
