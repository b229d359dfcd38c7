//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel in a Chinese locale
//! reads UTF-8, not GBK), CRLF line ends, RFC 4180 quoting, and text cells that a
//! spreadsheet would take for a formula (starting with `= + - @`, tab or CR)
//! prefixed with a single quote `'`.

use super::{Counter, IfExists, Result, Rows, Value, WriteError, Written, check_width};
use crate::store::files::AtomicFile;
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

/// Writes the header and every row of `rows` to `path` (atomically; an existing file
/// as `if_exists` says).
pub fn write(
    path: &Path,
    if_exists: IfExists,
    rows: &mut dyn Rows,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Written> {
    let mut partial = AtomicFile::create(path, if_exists)?;
    partial
        .writer()
        .write_all(BOM)
        .map_err(|e| partial.error(e))?;
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
            .from_writer(partial.writer());
        let failed = |e: ::csv::Error| csv_error(path, e);
        out.write_record(sheet.columns.iter().map(|c| c.header))
            .map_err(failed)?;
        rows.each(&mut |row| {
            check_width(sheet, row)?;
            for value in row {
                match value {
                    Value::Int(n) => out.write_field(n.to_string()).map_err(failed)?,
                    other => out
                        .write_field(guard(other.display().unwrap_or("")).as_bytes())
                        .map_err(failed)?,
                }
            }
            out.write_record(None::<&[u8]>).map_err(failed)?;
            counter.tick();
            Ok(())
        })?;
        out.flush()
            .map_err(|e| super::Error::File(WriteError::of(path, e)))?;
    }
    counter.finish();
    let done = partial.finish()?;
    Ok(Written {
        path: done.path,
        renamed: done.renamed,
        bytes: done.bytes,
        rows: vec![(sheet.name, counter.done)],
    })
}

/// A CSV error; an I/O error in it (a full stick) is told like any other write error.
fn csv_error(path: &Path, e: ::csv::Error) -> super::Error {
    match e.kind() {
        ::csv::ErrorKind::Io(io) => super::Error::File(WriteError::of(
            path,
            std::io::Error::new(io.kind(), io.to_string()),
        )),
        _ => super::Error::Csv(e),
    }
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
