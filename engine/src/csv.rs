//! The CSV layer the engine's file readers share ([`crate::orders`], and the catalog
//! readers behind the `catalog` feature): bytes pushed in chunks of any size become
//! records, each with the line it starts on, and a header row becomes a [`Header`] that
//! finds columns by name.
//!
//! csv-core does the tokenizing (quotes, doubled quotes, CRLF, a UTF-8 byte order mark);
//! this module adds what people need to fix a file: line numbers, counted the way an
//! editor counts them even when a quoted field spans lines, and blank lines skipped.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// One CSV record, as [`Records`] hands it over.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// The 1-based line the record starts on.
    pub line: u64,
    out: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    /// How many fields it has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No fields (never handed over by [`Records`]; for completeness).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i` (from 0) as text; `Err(i + 1)`, the 1-based field number, when it is
    /// not UTF-8. Panics when `i >= len()`.
    pub fn field(&self, i: usize) -> Result<&'a str, usize> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        std::str::from_utf8(&self.out[start..self.ends[i]]).map_err(|_| i + 1)
    }

    /// Field `i` as text, or `""` when the row is shorter (a trailing empty column some
    /// tools leave out), or `Err(i + 1)` when it is not UTF-8.
    pub fn get(&self, i: usize) -> Result<&'a str, usize> {
        if i < self.len() {
            self.field(i)
        } else {
            Ok("")
        }
    }
}

/// Incremental CSV records with line numbers. Feed it with [`Records::push`], end with
/// [`Records::finish`]; each complete record goes to the callback as it is read, so
/// memory follows the longest record, never the file.
#[derive(Debug)]
pub struct Records {
    csv: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    nends: usize,
    mid_record: bool,
    record_line: u64,
    pending: Vec<u8>,
    bytes: u64,
    lines: u64,
    blank_lines: u64,
    rows: u64,
}

impl Records {
    /// Records separated by `delimiter` (`,`, `;`, tab).
    pub fn new(delimiter: u8) -> Records {
        Records {
            csv: ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            out_len: 0,
            nends: 0,
            mid_record: false,
            record_line: 0,
            pending: Vec::new(),
            bytes: 0,
            lines: 0,
            blank_lines: 0,
            rows: 0,
        }
    }

    /// Bytes pushed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Lines seen so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Blank lines between records.
    pub fn blank_lines(&self) -> u64 {
        self.blank_lines
    }

    /// Records handed over so far (a header included).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Reads the next chunk (chunks may split lines and records anywhere), calling
    /// `on_record` for each record it completes; stops at the callback's first error.
    pub fn push<E>(
        &mut self,
        mut bytes: &[u8],
        on_record: &mut impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.bytes += bytes.len() as u64;
        while let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
            let (line, rest) = bytes.split_at(nl + 1);
            bytes = rest;
            if self.pending.is_empty() {
                self.line(line, on_record)?;
            } else {
                let mut joined = std::mem::take(&mut self.pending);
                joined.extend_from_slice(line);
                let result = self.line(&joined, on_record);
                joined.clear();
                self.pending = joined;
                result?;
            }
        }
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    /// Ends the input: reads what is left (a last line without a newline, a record csv-core
    /// still holds).
    pub fn finish<E>(
        &mut self,
        on_record: &mut impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.line(&last, on_record)?;
        }
        // An empty input tells csv-core the data ended; it may still hold a record.
        loop {
            let (res, _, nout, nend) = self.csv.read_record(
                &[],
                &mut self.out[self.out_len..],
                &mut self.ends[self.nends..],
            );
            self.out_len += nout;
            self.nends += nend;
            match res {
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::Record => self.record(on_record)?,
                ReadRecordResult::End | ReadRecordResult::InputEmpty => return Ok(()),
            }
        }
    }

    fn line<E>(
        &mut self,
        line: &[u8],
        on_record: &mut impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.lines += 1;
        if !self.mid_record {
            if line.iter().all(|&b| b == b'\n' || b == b'\r') {
                self.blank_lines += 1;
                return Ok(());
            }
            self.record_line = self.lines;
        }
        let mut input = line;
        loop {
            let (res, nin, nout, nend) = self.csv.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.nends..],
            );
            input = &input[nin..];
            self.out_len += nout;
            self.nends += nend;
            match res {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => {
                    // A whole line went in without ending a record: a quoted field goes on.
                    self.mid_record = true;
                    return Ok(());
                }
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    self.record(on_record)?;
                    if input.iter().all(|&b| b == b'\n' || b == b'\r') {
                        // The rest of a CRLF: let csv-core see it so its state stays
                        // in step, then the next line starts a record.
                        if !input.is_empty() {
                            let (_, _, nout, nend) = self.csv.read_record(
                                input,
                                &mut self.out[self.out_len..],
                                &mut self.ends[self.nends..],
                            );
                            debug_assert_eq!((nout, nend), (0, 0));
                        }
                        self.mid_record = false;
                        return Ok(());
                    }
                    self.record_line = self.lines;
                }
            }
        }
    }

    fn record<E>(
        &mut self,
        on_record: &mut impl FnMut(Record<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.rows += 1;
        let record = Record {
            line: self.record_line,
            out: &self.out[..self.out_len],
            ends: &self.ends[..self.nends],
        };
        let result = on_record(record);
        self.out_len = 0;
        self.nends = 0;
        result
    }
}

/// A header row's column names, trimmed, found case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// The names of `record`'s fields (a field that is not UTF-8 names no column).
    pub fn of(record: &Record<'_>) -> Header {
        Header {
            names: (0..record.len())
                .map(|i| {
                    record
                        .field(i)
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default()
                })
                .collect(),
        }
    }

    /// The position of the column named `name` (case-insensitive, trimmed).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    /// The first of `names` the header has.
    pub fn find_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.find(n))
    }

    /// The name of column `i` as written (trimmed).
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// Every name, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(delimiter: u8, chunks: &[&[u8]]) -> Vec<(u64, Vec<String>)> {
        let mut r = Records::new(delimiter);
        let mut out = Vec::new();
        let mut take = |rec: Record<'_>| -> Result<(), ()> {
            out.push((
                rec.line,
                (0..rec.len())
                    .map(|i| rec.field(i).unwrap().to_string())
                    .collect(),
            ));
            Ok(())
        };
        for c in chunks {
            r.push(c, &mut take).unwrap();
        }
        r.finish(&mut take).unwrap();
        out
    }

    #[test]
    fn lines_count_like_an_editor_through_quoted_newlines_crlf_and_a_bom() {
        let got = records(
            b',',
            &[
                b"\xEF\xBB\xBFa,b\r\n\r\n\"x\r\n",
                b"y, \"\"z\"\"\",2\r\nlast,",
                b"1",
            ],
        );
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (3, vec!["x\r\ny, \"z\"".into(), "2".into()]),
                (5, vec!["last".into(), "1".into()]),
            ]
        );
    }

    #[test]
    fn headers_find_columns_case_insensitively() {
        let mut header = None;
        Records::new(b'\t')
            .push(
                b" ID\tRegular price \n",
                &mut |r: Record<'_>| -> Result<(), ()> {
                    header = Some(Header::of(&r));
                    Ok(())
                },
            )
            .unwrap();
        let header = header.unwrap();
        assert_eq!(header.find("regular PRICE"), Some(1));
        assert_eq!(header.find_any(&["sku", "id"]), Some(0));
        assert_eq!(header.name(1), "Regular price");
    }
}
