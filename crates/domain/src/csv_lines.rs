//! Physical line numbers for CSV records, as a person sees them in an editor.
//!
//! The `csv` crate ends a record at `\r\n`, `\n` or a lone `\r`, but its `Position::line`
//! counts only `\n`. A file saved with classic Mac line ends (lone `\r`, Excel's
//! "CSV (Macintosh)") had every record reported on "line 1" (found by fuzzing). Lines are
//! therefore counted here from each record's byte offset, with all three line ends.

/// Where each line starts in the bytes the CSV reader reads.
#[derive(Debug)]
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<u64>,
}

impl<'a> LineIndex<'a> {
    pub fn new(bytes: &'a [u8]) -> LineIndex<'a> {
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u64 + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i as u64 + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { bytes, starts }
    }

    /// The 1-based line where the record at `position` starts; 0 when the reader gave none.
    /// The reader's offset may point at the line end (or blank lines) it skipped before the
    /// record, so those bytes are stepped over first.
    pub fn line_of(&self, position: Option<&csv::Position>) -> usize {
        position.map_or(0, |p| {
            let mut byte = p.byte() as usize;
            while matches!(self.bytes.get(byte), Some(b'\r' | b'\n')) {
                byte += 1;
            }
            self.starts.partition_point(|&s| s <= byte as u64)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    fn lines(text: &str) -> Vec<usize> {
        let index = LineIndex::new(text.as_bytes());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| index.line_of(r.unwrap().position()))
            .collect()
    }

    #[test]
    fn every_kind_of_line_end_counts() {
        assert_eq!(lines("a,b\nc,d\ne,f\n"), [1, 2, 3]);
        assert_eq!(lines("a,b\r\nc,d\r\ne,f\r\n"), [1, 2, 3]);
        assert_eq!(lines("a,b\rc,d\re,f\r"), [1, 2, 3]);
        assert_eq!(lines("a,b\r\rc,d\n\ne,f"), [1, 3, 5]);
    }

    #[test]
    fn a_quoted_line_break_moves_the_next_record_down() {
        assert_eq!(lines("a,\"x\ry\"\rc,d\r"), [1, 3]);
    }
}
