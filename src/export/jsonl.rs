//! JSON lines, the machine format: one object per line (LF), every row of every
//! sheet, tagged with `"record"` (`sign_up`, `stage`, `opening`), keys from the
//! columns' `key`, coded values (sex, stage) as their codes, not their labels.

use super::{Counter, IfExists, Result, Rows, Value, Written, check_width};
use crate::store::files::AtomicFile;
use std::io::Write;
use std::path::Path;

/// Writes every row of every source to `path` (atomically; an existing file as
/// `if_exists` says).
pub fn write(
    path: &Path,
    if_exists: IfExists,
    sources: &mut [&mut dyn Rows],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Written> {
    let mut partial = AtomicFile::create(path, if_exists)?;
    let mut counter = Counter {
        done: 0,
        total: sources.iter().map(|s| s.total()).sum(),
        progress,
    };
    let mut written = Vec::new();
    for rows in sources.iter_mut() {
        let sheet = rows.sheet();
        let before = counter.done;
        let record = serde_json::to_string(sheet.record).expect("a string serializes");
        rows.each(&mut |row| {
            check_width(sheet, row)?;
            let line = line(&record, sheet.columns.iter().map(|c| c.key).zip(row));
            let written = partial.writer().write_all(&line);
            written.map_err(|e| partial.error(e))?;
            counter.tick();
            Ok(())
        })?;
        written.push((sheet.name, counter.done - before));
    }
    counter.finish();
    let done = partial.finish()?;
    Ok(Written {
        path: done.path,
        renamed: done.renamed,
        bytes: done.bytes,
        rows: written,
    })
}

/// One object with its `record` tag first, ended by `\n`.
fn line<'v>(record: &str, cells: impl Iterator<Item = (&'static str, &'v Value<'v>)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(b"{\"record\":");
    out.extend_from_slice(record.as_bytes());
    for (key, value) in cells {
        out.push(b',');
        push_json_str(&mut out, key);
        out.push(b':');
        match value {
            Value::Empty => out.extend_from_slice(b"null"),
            Value::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Value::Text(s) => push_json_str(&mut out, s),
            Value::Label { code, .. } => push_json_str(&mut out, code),
        }
    }
    out.extend_from_slice(b"}\n");
    out
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn a_line_is_one_object_with_escaped_text_and_codes() {
        let values = [
            Value::Text(Cow::Borrowed("张\"三\"\n")),
            Value::Int(7),
            Value::Empty,
            Value::Label {
                code: "female",
                label: "女",
            },
        ];
        let keys = ["name", "n", "id", "sex"];
        let text = line("\"sign_up\"", keys.into_iter().zip(values.iter()));
        let text = String::from_utf8(text).unwrap();
        assert!(text.ends_with("}\n"));
        assert_eq!(text.matches('\n').count(), 1, "one line");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"record": "sign_up", "name": "张\"三\"\n", "n": 7, "id": null, "sex": "female"})
        );
    }
}
