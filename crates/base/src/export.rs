//! `jobfair-base export`: one XLSX merging every kiosk and fair on the base. Sheets:
//! sign-ups (the latest version of each registration id), booth stages, check-ins, and
//! the conflicts kept aside (ids only). IDs and phones are text cells; resident IDs and
//! phones are masked unless [`Masking::Unmasked`] is asked for (an operator's password,
//! see [`crate::operator`]). Every export is written to the audit.
//!
//! Rows stream from the database straight into constant-memory worksheets (each keeps
//! one row in memory and the rest in an unlinked temporary file next to the output), so
//! a million records export in bounded memory on either engine.

use crate::fs::{OutError, check_out, write_private_atomic_with};
use crate::store::{AuditEntry, ExportRow, ExportSink, Store};
pub use jobfair_protocol::Masking;
use jobfair_protocol::records::{CheckInRecord, RegistrationRecord, StageRecord};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Out(#[from] OutError),
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error("export: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Rows written to each sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub sign_ups: u32,
    pub stages: u32,
    pub check_ins: u32,
    pub conflicts: u32,
}

/// Who asked for an export, for the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester {
    /// The operator whose password was checked ("-" for a masked export).
    pub operator: String,
    /// The account on the machine that ran the command.
    pub os_user: String,
}

/// Writes the workbook to `out` (0600, through a temporary file renamed at the end) and
/// adds a row to the audit.
pub async fn export_xlsx(
    store: &dyn Store,
    out: &Path,
    masking: Masking,
    who: &Requester,
) -> Result<ExportReport> {
    check_out(out, "base-export.xlsx")?;
    let mut sink = XlsxSink::new(masking, out)?;
    store.export(&mut sink).await?;
    let report = sink.report;
    let mut book = sink.finish()?;
    write_private_atomic_with(out, |file| {
        book.save_to_writer(file)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
    .map_err(|source| OutError::Io {
        path: out.display().to_string(),
        source,
    })?;
    store
        .add_audit(&AuditEntry {
            at: crate::now(),
            operator: who.operator.clone(),
            os_user: who.os_user.clone(),
            file: std::path::absolute(out)
                .unwrap_or_else(|_| out.to_path_buf())
                .display()
                .to_string(),
            masking: masking.as_str().to_string(),
            sign_ups: report.sign_ups,
            stages: report.stages,
            check_ins: report.check_ins,
            conflicts: report.conflicts,
        })
        .await?;
    Ok(report)
}

const SIGN_UP_HEADERS: &[(&str, f64)] = &[
    ("招聘会 Fair", 24.0),
    ("报名编号 Registration ID", 38.0),
    ("短码 Short code", 12.0),
    ("自助机 Kiosk", 16.0),
    ("时间 Time (UTC)", 26.0),
    ("姓名 Name", 12.0),
    ("手机 Phone", 14.0),
    ("身份证号 Resident ID", 21.0),
    ("出生日期 Birth date", 12.0),
    ("性别 Sex", 8.0),
    ("县 County", 10.0),
    ("乡镇 Township", 10.0),
    ("村 Village", 10.0),
    ("岗位 Openings", 20.0),
    ("同意共享手机 Share phone", 10.0),
];
const STAGE_HEADERS: &[(&str, f64)] = &[
    ("招聘会 Fair", 24.0),
    ("报名编号 Registration ID", 38.0),
    ("自助机 Kiosk", 16.0),
    ("企业 Employer", 20.0),
    ("岗位 Opening", 10.0),
    ("进度 Stage", 12.0),
    ("备注 Note", 24.0),
    ("时间 Time (UTC)", 26.0),
];
const CHECK_IN_HEADERS: &[(&str, f64)] = &[
    ("招聘会 Fair", 24.0),
    ("报名编号 Registration ID", 38.0),
    ("自助机 Kiosk", 16.0),
    ("时间 Time (UTC)", 26.0),
];
const CONFLICT_HEADERS: &[(&str, f64)] = &[
    ("记录编号 Record ID", 38.0),
    ("自助机 Kiosk", 16.0),
    ("收到 Received (UTC)", 26.0),
];

const SHEETS: [(&str, &[(&str, f64)]); 4] = [
    ("报名 Sign-ups", SIGN_UP_HEADERS),
    ("摊位进度 Booth stages", STAGE_HEADERS),
    ("签到 Check-ins", CHECK_IN_HEADERS),
    ("冲突 Conflicts", CONFLICT_HEADERS),
];

enum Cell {
    Text(String),
    Number(f64),
}

/// The four constant-memory worksheets, filled row by row.
struct XlsxSink {
    book: Workbook,
    masking: Masking,
    text: Format,
    report: ExportReport,
}

impl XlsxSink {
    fn new(masking: Masking, out: &Path) -> Result<XlsxSink> {
        let mut book = Workbook::new();
        let folder = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        book.set_tempdir(folder)?;
        let bold = Format::new().set_bold();
        for (name, headers) in SHEETS {
            let ws = book.add_worksheet_with_constant_memory()?;
            ws.set_name(name)?;
            for (col, (title, width)) in (0u16..).zip(headers) {
                ws.set_column_width(col, *width)?;
                ws.write_string_with_format(0, col, *title, &bold)?;
            }
            ws.set_freeze_panes(1, 0)?;
        }
        Ok(XlsxSink {
            book,
            masking,
            text: Format::new().set_num_format("@"),
            report: ExportReport::default(),
        })
    }

    fn write(&mut self, sheet: usize, cells: &[Cell]) -> Result<()> {
        let rows = match sheet {
            0 => &mut self.report.sign_ups,
            1 => &mut self.report.stages,
            2 => &mut self.report.check_ins,
            _ => &mut self.report.conflicts,
        };
        *rows += 1;
        let row = *rows;
        let ws = self.book.worksheet_from_index(sheet)?;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(s) => ws.write_string_with_format(row, col, s, &self.text)?,
                Cell::Number(n) => ws.write_number(row, col, *n)?,
            };
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Workbook> {
        let rows = [
            self.report.sign_ups,
            self.report.stages,
            self.report.check_ins,
            self.report.conflicts,
        ];
        for (i, (_, headers)) in SHEETS.iter().enumerate() {
            let ws = self.book.worksheet_from_index(i)?;
            ws.autofilter(0, 0, rows[i], headers.len() as u16 - 1)?;
        }
        Ok(self.book)
    }

    fn row(&mut self, row: ExportRow<'_>) -> Result<()> {
        let corrupt = |e: serde_json::Error| Error::Corrupt(e.to_string());
        match row {
            ExportRow::SignUp(p) => {
                let r: RegistrationRecord = serde_json::from_str(p).map_err(corrupt)?;
                let cells = sign_up_cells(r, self.masking);
                self.write(0, &cells)
            }
            ExportRow::Stage(p) => {
                let r: StageRecord = serde_json::from_str(p).map_err(corrupt)?;
                let t = Cell::Text;
                let cells = [
                    t(r.fair_id),
                    t(r.registration_id),
                    t(r.kiosk_id),
                    t(r.employer),
                    Cell::Number(f64::from(r.opening_id)),
                    t(r.stage),
                    t(r.note),
                    t(r.at),
                ];
                self.write(1, &cells)
            }
            ExportRow::CheckIn(p) => {
                let r: CheckInRecord = serde_json::from_str(p).map_err(corrupt)?;
                let cells = [r.fair_id, r.registration_id, r.kiosk_id, r.at].map(Cell::Text);
                self.write(2, &cells)
            }
            ExportRow::Conflict {
                id,
                kiosk,
                received_at,
                ..
            } => {
                let cells = [id, kiosk, received_at].map(|s| Cell::Text(s.to_string()));
                self.write(3, &cells)
            }
        }
    }
}

impl ExportSink for XlsxSink {
    fn row(&mut self, row: ExportRow<'_>) -> std::result::Result<(), String> {
        XlsxSink::row(self, row).map_err(|e| e.to_string())
    }
}

fn sign_up_cells(r: RegistrationRecord, masking: Masking) -> Vec<Cell> {
    let phone = masking.phone(&r.phone);
    let id = r
        .resident_id
        .map(|id| masking.resident_id(&id))
        .unwrap_or_default();
    let openings: Vec<String> = r.openings.iter().map(u16::to_string).collect();
    let share = if r.consent.share_phone {
        "是 yes"
    } else {
        "否 no"
    };
    [
        r.fair_id,
        r.registration_id,
        r.short_code,
        r.kiosk_id,
        r.at,
        r.name,
        phone,
        id,
        r.birth_date.unwrap_or_default(),
        r.sex.unwrap_or_default(),
        r.home.county,
        r.home.township,
        r.home.village,
        openings.join(";"),
        share.to_string(),
    ]
    .map(Cell::Text)
    .into()
}
