//! The passenger list (乘车名单) of one departure, as an XLSX sheet: seat, name, phone, ID
//! number, township, village, pickup point, employer. Phones and ID numbers are text cells
//! and masked by default; the full numbers need the staff PIN and leave an audit row, as
//! the sign-up export does.

use super::seats_of_departure;
use crate::app::export::Masking;
use crate::app::kiosk::Kiosk;
use crate::app::{Error, Result};
use crate::domain::fair::{Departure, FairFile};
use crate::export::{self, Column, IfExists, Kind, Rows, Sheet, Value};
use crate::store::{audit, registrations};
use chrono::Utc;
use std::path::{Path, PathBuf};

const fn col(key: &'static str, header: &'static str, kind: Kind, width: f64) -> Column {
    Column {
        key,
        header,
        kind,
        width,
    }
}

/// One row per seat taken, by seat number.
pub const MANIFEST: Sheet = Sheet {
    name: "乘车名单 Passenger list",
    record: "passenger",
    columns: &[
        col("seat", "座位 Seat", Kind::Number, 7.0),
        col("name", "姓名 Name", Kind::Text, 12.0),
        col("phone", "手机 Phone", Kind::Code, 14.0),
        col("resident_id", "身份证号 Resident ID", Kind::Code, 21.0),
        col("township", "乡镇 Township", Kind::Text, 11.0),
        col("village", "村 Village", Kind::Text, 11.0),
        col("pickup", "上车点 Pickup point", Kind::Text, 20.0),
        col("employer", "企业 Employer", Kind::Text, 28.0),
        col("short_code", "登记码 Code", Kind::Text, 11.0),
        col("departure", "班次 Departure", Kind::Text, 18.0),
        col("departs_at", "发车时间 Departs at", Kind::Text, 17.0),
        col("vehicle", "车牌/车次 Vehicle", Kind::Text, 12.0),
        col(
            "registration_id",
            "登记ID Registration ID",
            Kind::Text,
            38.0,
        ),
    ],
};

/// One passenger as the manifest lists them (numbers already masked or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub seat: u32,
    pub name: String,
    pub phone: String,
    pub resident_id: Option<String>,
    pub township: String,
    pub village: String,
    pub employer: String,
    pub short_code: String,
    pub registration_id: String,
}

/// What a manifest export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestReport {
    pub path: PathBuf,
    pub departure: String,
    pub passengers: u64,
    pub masked: bool,
    pub bytes: u64,
}

/// The employer a passenger rides for: the request's, else the first chosen opening's
/// employer this departure serves, else the first chosen opening's.
fn employer_of(fair: &FairFile, dep: &Departure, asked: Option<&str>, openings: &[u16]) -> String {
    let chosen: Vec<&str> = openings
        .iter()
        .filter_map(|&o| fair.opening(o))
        .map(|o| o.employer.as_str())
        .collect();
    asked
        .or_else(|| {
            chosen
                .iter()
                .copied()
                .find(|e| fair.employer(e).is_some_and(|e| dep.serves(e)))
        })
        .or_else(|| chosen.first().copied())
        .map(|id| fair.employer(id).map_or(id.to_string(), |e| e.name.clone()))
        .unwrap_or_default()
}

/// One departure's part of a manifest file: the departure and its passengers by seat.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestPart<'a> {
    pub departure: &'a Departure,
    pub rows: Vec<ManifestRow>,
}

/// Which departures a manifest file lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which<'a> {
    One(&'a str),
    /// Every departure of the fair, in file order, one after the other.
    All,
}

/// What draws a manifest PDF (the GUI's off-screen renderer, so the arrows keep pointing
/// from the GUI to the use cases): the parts, whether numbers are masked, and the file
/// to write atomically (0600, never replacing one). Returns the bytes written.
pub type DrawPdf<'d> = dyn FnMut(&[ManifestPart<'_>], bool, &Path) -> export::Result<u64> + 'd;

/// The file a manifest is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestFormat {
    Xlsx,
    Pdf,
}

impl ManifestFormat {
    fn as_str(self) -> &'static str {
        match self {
            ManifestFormat::Xlsx => "xlsx",
            ManifestFormat::Pdf => "pdf",
        }
    }
}

struct ManifestRows<'a> {
    parts: Vec<ManifestPart<'a>>,
}

impl Rows for ManifestRows<'_> {
    fn sheet(&self) -> &'static Sheet {
        &MANIFEST
    }

    fn total(&self) -> u64 {
        self.parts.iter().map(|p| p.rows.len() as u64).sum()
    }

    fn each(
        &mut self,
        emit: &mut dyn FnMut(&[Value<'_>]) -> export::Result<()>,
    ) -> export::Result<()> {
        for part in &self.parts {
            each_of(part, emit)?;
        }
        Ok(())
    }
}

fn each_of(
    part: &ManifestPart<'_>,
    emit: &mut dyn FnMut(&[Value<'_>]) -> export::Result<()>,
) -> export::Result<()> {
    {
        let dep = part.departure;
        let departs_at = dep.departs_at.format("%Y-%m-%d %H:%M").to_string();
        for r in &part.rows {
            emit(&[
                Value::Int(r.seat.into()),
                Value::text(&r.name),
                Value::text(&r.phone),
                r.resident_id.as_deref().map_or(Value::Empty, Value::text),
                Value::text(&r.township),
                Value::text(&r.village),
                Value::text(&dep.pickup),
                Value::text(&r.employer),
                Value::text(&r.short_code),
                Value::text(&dep.id),
                Value::text(&departs_at),
                dep.vehicle.as_deref().map_or(Value::Empty, Value::text),
                Value::text(&r.registration_id),
            ])?;
        }
        Ok(())
    }
}

impl Kiosk {
    /// The passengers of `departure` by seat, phones and ID numbers masked unless
    /// `masking` is the PIN-checked [`Masking::Unmasked`].
    pub fn manifest(&self, departure: &str, masking: &Masking) -> Result<Vec<ManifestRow>> {
        let fair = &self.fair;
        let dep = fair
            .departure(departure)
            .ok_or_else(|| Error::UnknownDeparture(departure.to_string()))?;
        let masked = matches!(masking, Masking::Masked);
        let conn = self.store.conn();
        let mut out = Vec::new();
        for seat in seats_of_departure(conn, &fair.fair.id, departure)? {
            let Some(reg) = registrations::get(conn, seat.registration_id)? else {
                continue;
            };
            let (phone, resident_id) = if masked {
                (reg.numbers.phone_masked(), reg.numbers.resident_id_masked())
            } else {
                // Opened with the staff key: the kiosk must be unlocked.
                let whole = self.open_numbers(&reg.numbers)?;
                (whole.phone.clone(), whole.resident_id.clone())
            };
            out.push(ManifestRow {
                seat: seat.seat.unwrap_or(0),
                employer: employer_of(fair, dep, seat.employer.as_deref(), &reg.openings),
                name: reg.name,
                phone,
                resident_id,
                township: reg.home.township,
                village: reg.home.village,
                short_code: reg.short_code,
                registration_id: reg.id.to_string(),
            });
        }
        Ok(out)
    }

    /// Writes the masked manifest of `departure` as XLSX to `out` (which must not exist).
    pub fn write_manifest(&self, departure: &str, out: &Path) -> Result<ManifestReport> {
        self.write_manifest_with(
            Which::One(departure),
            ManifestFormat::Xlsx,
            out,
            &Masking::Masked,
            None,
        )
    }

    /// The full manifest (real-name travel needs the ID numbers): checks the staff PIN
    /// (a wrong one counts towards the lockout and writes nothing), writes the file, then
    /// records `actor`, departure, path and rows in the audit log; if that fails, the
    /// file is removed again.
    pub fn write_manifest_unmasked(
        &mut self,
        pin: &str,
        actor: &str,
        departure: &str,
        out: &Path,
    ) -> Result<ManifestReport> {
        self.write_manifest_file(
            Which::One(departure),
            ManifestFormat::Xlsx,
            out,
            Some((pin, actor)),
            None,
        )
    }

    /// The passenger lists of `which` departures, each by seat (numbers masked unless
    /// `masking` is the PIN-checked [`Masking::Unmasked`]).
    pub fn manifest_parts(
        &self,
        which: Which<'_>,
        masking: &Masking,
    ) -> Result<Vec<ManifestPart<'_>>> {
        let departures: Vec<&Departure> = match which {
            Which::One(id) => vec![
                self.fair
                    .departure(id)
                    .ok_or_else(|| Error::UnknownDeparture(id.to_string()))?,
            ],
            Which::All => self.fair.departures.iter().collect(),
        };
        departures
            .into_iter()
            .map(|departure| {
                Ok(ManifestPart {
                    departure,
                    rows: self.manifest(&departure.id, masking)?,
                })
            })
            .collect()
    }

    /// Writes the manifest of `which` departures to `out` (which must not exist) as
    /// XLSX (one sheet, departure after departure) or as an A4 PDF drawn by `draw`
    /// (needed for [`ManifestFormat::Pdf`]). Masked unless `unmasked` gives the staff PIN
    /// and the actor: then a wrong PIN writes nothing and counts towards the lockout, and
    /// the file is audited (format, departures, path, rows) or removed again.
    pub fn write_manifest_file(
        &mut self,
        which: Which<'_>,
        format: ManifestFormat,
        out: &Path,
        unmasked: Option<(&str, &str)>,
        draw: Option<&mut DrawPdf<'_>>,
    ) -> Result<ManifestReport> {
        let masking = match unmasked {
            Some((pin, _)) => self.unmasking(pin)?,
            None => Masking::Masked,
        };
        let report = self.write_manifest_with(which, format, out, &masking, draw)?;
        if let Some((_, actor)) = unmasked {
            let detail = serde_json::json!({
                "format": format.as_str(),
                "what": "manifest",
                "departure": report.departure,
                "path": report.path.to_string_lossy(),
                "rows": report.passengers,
            })
            .to_string();
            if let Err(e) = audit::record(
                self.store.conn(),
                Utc::now(),
                actor,
                "export_unmasked",
                &detail,
            ) {
                let _ = std::fs::remove_file(&report.path);
                return Err(e.into());
            }
        }
        Ok(report)
    }

    fn write_manifest_with(
        &self,
        which: Which<'_>,
        format: ManifestFormat,
        out: &Path,
        masking: &Masking,
        draw: Option<&mut DrawPdf<'_>>,
    ) -> Result<ManifestReport> {
        let parts = self.manifest_parts(which, masking)?;
        let masked = matches!(masking, Masking::Masked);
        let passengers: u64 = parts.iter().map(|p| p.rows.len() as u64).sum();
        let departure = match which {
            Which::One(id) => id.to_string(),
            Which::All => "*".to_string(),
        };
        let (path, bytes) = match format {
            ManifestFormat::Xlsx => {
                let mut source = ManifestRows { parts };
                let mut sources: [&mut dyn Rows; 1] = [&mut source];
                let written =
                    export::xlsx::write(out, IfExists::Refuse, &mut sources, &mut |_, _| {})?;
                (written.path, written.bytes)
            }
            ManifestFormat::Pdf => {
                let draw = draw.ok_or_else(|| {
                    Error::Invalid("a PDF manifest needs the page renderer".into())
                })?;
                let bytes = draw(&parts, masked, out)?;
                (out.to_path_buf(), bytes)
            }
        };
        Ok(ManifestReport {
            departure,
            passengers,
            masked,
            bytes,
            path,
        })
    }
}
