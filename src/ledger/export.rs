//! Export: pages of the ledger from the service, written row by row as they
//! arrive, so memory stays flat however long the period. A second thread reads the
//! pages while this one writes: on two cores the store's reads and the file's
//! formatting and compression overlap instead of taking turns.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::{write_error, FileFormat, LedgerError};
use crate::domain::ledger::{Cell, LedgerKind};
use crate::hall::{Hall, HallExt, HallResult, LedgerPage, LedgerRequest, SessionToken};

/// Pages read ahead of the writer: enough to keep it busy, few enough that memory
/// holds at most this many pages.
const PAGES_AHEAD: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSpec {
    pub kind: LedgerKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Full identity numbers and phones: administrators only, audited.
    pub full_id: bool,
    pub format: FileFormat,
}

/// Writes the ledger of `spec` to `out` and returns the number of rows. `progress`
/// hears the running count after every page. The file appears only when complete.
pub fn export(
    hall: &dyn Hall,
    token: &SessionToken,
    spec: &ExportSpec,
    out: &Path,
    mut progress: impl FnMut(u64),
) -> Result<u64, LedgerError> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Said plainly: the temporary file's own error would name a random file.
    if !dir.is_dir() {
        return Err(LedgerError::NoFolder(dir.display().to_string()));
    }
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| write_error(out, e))?;
    let mut sink: Box<dyn Sink> = match spec.format {
        FileFormat::Xlsx => Box::new(XlsxSink::new(spec.kind)),
        FileFormat::Csv => Box::new(CsvSink::new(
            temp.reopen().map_err(|e| write_error(out, e))?,
        )),
    };
    sink.header(spec.kind).map_err(|e| write_error(out, e))?;
    let rows = std::thread::scope(|scope| -> Result<u64, LedgerError> {
        let (pages_tx, pages) = crossbeam_channel::bounded(PAGES_AHEAD);
        scope.spawn(move || read_pages(hall, token, spec, pages_tx));
        // A write error returns early and drops `pages`: the reader stops at its next send.
        let mut rows = 0u64;
        for page in pages {
            for row in page?.lines.rows() {
                sink.row(&row).map_err(|e| write_error(out, e))?;
                rows += 1;
            }
            progress(rows);
        }
        Ok(rows)
    })?;
    sink.finish(temp.path()).map_err(|e| write_error(out, e))?;
    temp.persist(out).map_err(|e| write_error(out, e.error))?;
    Ok(rows)
}

/// Sends the pages of `spec` in order until the last, a refusal, or the writer hanging up.
fn read_pages(
    hall: &dyn Hall,
    token: &SessionToken,
    spec: &ExportSpec,
    pages: crossbeam_channel::Sender<HallResult<LedgerPage>>,
) {
    let mut after = None;
    loop {
        let request = LedgerRequest {
            kind: spec.kind,
            from: spec.from,
            to: spec.to,
            full_id: spec.full_id,
            after,
        };
        let page = hall.ledger_page(token, request);
        let next = page.as_ref().ok().and_then(|p| p.next.clone());
        if pages.send(page).is_err() {
            return;
        }
        match next {
            Some(n) => after = Some(n),
            None => return,
        }
    }
}

/// Where rows go: an `.xlsx` worksheet or a CSV file.
trait Sink {
    fn header(&mut self, kind: LedgerKind) -> Result<(), String>;
    fn row(&mut self, cells: &[Cell]) -> Result<(), String>;
    /// Completes the file at `path` (the temporary file the export renames).
    fn finish(self: Box<Self>, path: &Path) -> Result<(), String>;
}

/// Rows of an Excel worksheet, header included: a longer ledger (two years of a large
/// hall) goes on in another worksheet instead of failing at the limit.
const SHEET_ROWS: u32 = 1_048_576;

struct XlsxSink {
    workbook: Workbook,
    kind: LedgerKind,
    /// Rows per worksheet, header included ([`SHEET_ROWS`]; fewer in tests).
    sheet_rows: u32,
    sheets: usize,
    next_row: u32,
    time: Format,
}

impl XlsxSink {
    fn new(kind: LedgerKind) -> XlsxSink {
        XlsxSink {
            // Constant-memory worksheets stream each finished row to a temporary file.
            workbook: Workbook::new(),
            kind,
            sheet_rows: SHEET_ROWS,
            sheets: 0,
            next_row: 0,
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        }
    }

    /// Starts the next worksheet (`来访台账`, then `来访台账（2）` …) with its header row.
    fn add_sheet(&mut self) -> Result<(), String> {
        self.sheets += 1;
        let name = match self.sheets {
            1 => self.kind.label().to_string(),
            n => format!("{}（{n}）", self.kind.label()),
        };
        let bold = Format::new().set_bold().set_align(FormatAlign::Center);
        let sheet = self.workbook.add_worksheet_with_constant_memory();
        sheet.set_name(name).map_err(|e| e.to_string())?;
        for (col, width) in self.kind.widths().into_iter().enumerate() {
            // Widths count characters; a Chinese character is two wide in Excel.
            sheet
                .set_column_width(col as u16, f64::from(width) * 1.6)
                .map_err(|e| e.to_string())?;
        }
        sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        for (col, header) in self.kind.headers().into_iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, header, &bold)
                .map_err(|e| e.to_string())?;
        }
        self.next_row = 1;
        Ok(())
    }
}

impl Sink for XlsxSink {
    fn header(&mut self, _kind: LedgerKind) -> Result<(), String> {
        self.add_sheet()
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), String> {
        if self.next_row == self.sheet_rows {
            self.add_sheet()?;
        }
        let row = self.next_row;
        let time = &self.time;
        let sheet = self
            .workbook
            .worksheet_from_index(self.sheets - 1)
            .map_err(|e| e.to_string())?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            let written = match cell {
                Cell::Text(t) if t.is_empty() => continue,
                Cell::Text(t) => sheet.write_string(row, col, t),
                Cell::Number(n) => sheet.write_number(row, col, f64::from(*n)),
                Cell::Time(t) => sheet.write_datetime_with_format(row, col, t, time),
            };
            written.map_err(|e| e.to_string())?;
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, path: &Path) -> Result<(), String> {
        self.workbook.save(path).map_err(|e| e.to_string())
    }
}

struct CsvSink {
    writer: csv::Writer<std::io::BufWriter<std::fs::File>>,
    bom_error: Option<String>,
}

impl CsvSink {
    fn new(file: std::fs::File) -> CsvSink {
        let mut out = std::io::BufWriter::new(file);
        // The byte-order mark tells Excel the file is UTF-8, not the local code page.
        let bom_error = out
            .write_all("\u{feff}".as_bytes())
            .err()
            .map(|e| e.to_string());
        CsvSink {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
            bom_error,
        }
    }
}

impl Sink for CsvSink {
    fn header(&mut self, kind: LedgerKind) -> Result<(), String> {
        if let Some(e) = self.bom_error.take() {
            return Err(e);
        }
        self.writer
            .write_record(kind.headers())
            .map_err(|e| e.to_string())
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), String> {
        self.writer
            .write_record(cells.iter().map(Cell::text))
            .map_err(|e| e.to_string())
    }

    fn finish(self: Box<Self>, _path: &Path) -> Result<(), String> {
        let mut this = *self;
        this.writer.flush().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};

    #[test]
    fn a_ledger_longer_than_a_worksheet_goes_on_in_the_next_with_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.xlsx");
        let mut sink = Box::new(XlsxSink::new(LedgerKind::Matters));
        sink.sheet_rows = 3;
        sink.header(LedgerKind::Matters).unwrap();
        for n in 1..=5 {
            sink.row(&[Cell::Text(format!("2026-{n:06}"))]).unwrap();
        }
        sink.finish(&path).unwrap();

        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let names = book.sheet_names();
        assert_eq!(names, ["事项台账", "事项台账（2）", "事项台账（3）"]);
        let header = LedgerKind::Matters.headers()[0];
        let mut numbers = Vec::new();
        for name in names {
            let range = book.worksheet_range(&name).unwrap();
            let mut rows = range.rows();
            assert_eq!(
                rows.next().unwrap()[0],
                Data::String(header.into()),
                "{name}"
            );
            numbers.extend(rows.map(|r| r[0].to_string()));
        }
        assert_eq!(
            numbers,
            (1..=5).map(|n| format!("2026-{n:06}")).collect::<Vec<_>>()
        );
    }
}
