//! `base export`: one XLSX merging every kiosk and fair on the base. Sheets: sign-ups
//! (the latest version of each registration id), booth stages, check-ins, and the
//! conflicts kept aside (ids only). IDs and phones are text cells; resident IDs and
//! phones are masked unless [`Masking::Unmasked`] is asked for.

use super::{Error, Result, db};
pub use jobfair_protocol::Masking;
use jobfair_protocol::records::{CheckInRecord, RegistrationRecord, StageRecord};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::Path;

/// Rows written to each sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportReport {
    pub sign_ups: u32,
    pub stages: u32,
    pub check_ins: u32,
    pub conflicts: u32,
}

/// Latest version of each sign-up: greatest `at`, then the last received. Versions
/// are grouped per kiosk (the one of the token that uploaded them): a sign-up is
/// only ever changed at the kiosk that made it, and a registration id is readable on
/// any ticket, so another kiosk's record under the same id must not replace it.
const SIGN_UPS: &str = "
SELECT payload FROM (
    SELECT payload, fair_id, json_extract(payload, '$.at') AS at, row_number() OVER (
        PARTITION BY kiosk, json_extract(payload, '$.registration_id')
        ORDER BY json_extract(payload, '$.at') DESC, received_at DESC, rowid DESC) AS n
    FROM records WHERE kind = 'registration')
WHERE n = 1 ORDER BY fair_id, at";

const BY_KIND: &str = "SELECT payload FROM records WHERE kind = ?1
    ORDER BY fair_id, json_extract(payload, '$.at'), rowid";

/// Writes the workbook to `out` (through a temporary file renamed at the end).
pub fn export_xlsx(data_dir: &Path, out: &Path, masking: Masking) -> Result<ExportReport> {
    let conn = db::open(data_dir)?;
    let mut report = ExportReport::default();
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold();
    let corrupt =
        |e: serde_json::Error| Error::Server(format!("a stored record is unreadable: {e}"));

    let mut sheet = Sheet::new("报名 Sign-ups", SIGN_UP_HEADERS, &bold)?;
    let mut stmt = conn.prepare(SIGN_UPS)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let r: RegistrationRecord =
            serde_json::from_str(&row.get::<_, String>(0)?).map_err(corrupt)?;
        sheet.row(&sign_up_cells(r, masking), &text)?;
    }
    report.sign_ups = sheet.rows;
    book.push_worksheet(sheet.finish()?);

    let mut sheet = Sheet::new("摊位进度 Booth stages", STAGE_HEADERS, &bold)?;
    for payload in payloads(&conn, "stage")? {
        let r: StageRecord = serde_json::from_str(&payload).map_err(corrupt)?;
        let opening = Cell::Number(f64::from(r.opening_id));
        let t = Cell::Text;
        let cells = [
            t(r.fair_id),
            t(r.registration_id),
            t(r.kiosk_id),
            t(r.employer),
            opening,
            t(r.stage),
            t(r.note),
            t(r.at),
        ];
        sheet.row(&cells, &text)?;
    }
    report.stages = sheet.rows;
    book.push_worksheet(sheet.finish()?);

    let mut sheet = Sheet::new("签到 Check-ins", CHECK_IN_HEADERS, &bold)?;
    for payload in payloads(&conn, "check_in")? {
        let r: CheckInRecord = serde_json::from_str(&payload).map_err(corrupt)?;
        let cells = [r.fair_id, r.registration_id, r.kiosk_id, r.at].map(Cell::Text);
        sheet.row(&cells, &text)?;
    }
    report.check_ins = sheet.rows;
    book.push_worksheet(sheet.finish()?);

    let mut sheet = Sheet::new("冲突 Conflicts", CONFLICT_HEADERS, &bold)?;
    let mut stmt = conn.prepare("SELECT id, kiosk, received_at FROM conflicts ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let cells = [row.get(0)?, row.get(1)?, row.get(2)?].map(Cell::Text);
        sheet.row(&cells, &text)?;
    }
    report.conflicts = sheet.rows;
    book.push_worksheet(sheet.finish()?);

    save_atomic(&mut book, out)?;
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

fn payloads(conn: &rusqlite::Connection, kind: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(BY_KIND)?;
    let rows = stmt.query_map([kind], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

enum Cell {
    Text(String),
    Number(f64),
}

/// A worksheet being filled row by row under a bold, frozen, filtered header.
struct Sheet {
    ws: Worksheet,
    columns: u16,
    rows: u32,
}

impl Sheet {
    fn new(name: &str, headers: &[(&str, f64)], bold: &Format) -> Result<Sheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        for (col, (title, width)) in (0u16..).zip(headers) {
            ws.write_string_with_format(0, col, *title, bold)?;
            ws.set_column_width(col, *width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            ws,
            columns: headers.len() as u16,
            rows: 0,
        })
    }

    fn row(&mut self, cells: &[Cell], text: &Format) -> Result<()> {
        self.rows += 1;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(s) => self.ws.write_string_with_format(self.rows, col, s, text)?,
                Cell::Number(n) => self.ws.write_number(self.rows, col, *n)?,
            };
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Worksheet> {
        self.ws.autofilter(0, 0, self.rows, self.columns - 1)?;
        Ok(self.ws)
    }
}

/// Saves next to `out` under a temporary name, then renames it over `out`. The
/// workbook is built in memory and written by `write_private_atomic`, so the file
/// is 0600 from its first byte (it holds personal data) and fsynced before the rename.
fn save_atomic(book: &mut Workbook, out: &Path) -> Result<()> {
    let bytes = book.save_to_buffer()?;
    crate::fs::write_private_atomic(out, &bytes).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })
}
