//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel in a Chinese locale
//! reads UTF-8, not GBK), CRLF line ends, RFC 4180 quoting, and text cells that a
//! spreadsheet would take for a formula (starting with `= + - @`, tab or CR)
//! prefixed with a single quote `'`.

use super::atomic::Partial;
use super::{Counter, Result, Rows, Value, Written, check_width};
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Guards `cell` against formula injection: a cell starting with one of
/// `= + - @`, tab or CR gets a leading `'`, so a spreadsheet shows it as text.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Writes the header and every row of `rows` to `path` (replaced atomically).
pub fn write(
    path: &Path,
    rows: &mut dyn Rows,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Written> {
    let mut partial = Partial::create(path)?;
    partial.write_all(BOM).map_err(|e| partial.io_error(e))?;
    let sheet = rows.sheet();
    let mut counter = Counter {
        done: 0,
        total: rows.total(),
        progress,
    };
    {
        let mut out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Necessary)
            .buffer_capacity(64 * 1024)
            .from_writer(&mut partial);
        out.write_record(sheet.columns.iter().map(|c| c.header))?;
        rows.each(&mut |row| {
            check_width(sheet, row)?;
            for value in row {
                match value {
                    Value::Int(n) => out.write_field(n.to_string())?,
                    other => out.write_field(guard(other.display().unwrap_or("")).as_bytes())?,
                }
            }
            out.write_record(None::<&[u8]>)?;
            counter.tick();
            Ok(())
        })?;
        out.flush().map_err(|e| super::Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
    }
    counter.finish();
    let bytes = partial.finish()?;
    Ok(Written {
        path: path.to_path_buf(),
        bytes,
        rows: vec![(sheet.name, counter.done)],
    })
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formulas_and_their_look_alikes_are_guarded() {
        assert_eq!(
            guard("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(guard("+86 138"), "'+86 138");
        assert_eq!(guard("-1+2"), "'-1+2");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\t=1"), "'\t=1");
        assert_eq!(guard("\r=1"), "'\r=1");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for cell in [
            "张三",
            "",
            "a=b",
            "138****5678",
            "520000********123X",
            " =1",
        ] {
            assert_eq!(guard(cell), cell);
        }
    }
}
