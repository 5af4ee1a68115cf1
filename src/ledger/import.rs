//! Import of a hall's existing visit ledger: every row is read, checked with the
//! desk's registration rules, and only then — once the officer confirms — sent to
//! the service one row per command, which skips rows imported before.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use super::{read_error, FileFormat, LedgerError};
use crate::domain::department::Department;
use crate::domain::ledger::{Cell, VisitCol, VisitLine};
use crate::domain::registration::{self, MatterChoice, NewMatter, RegistrationInput, Rules};
use crate::domain::time::Timestamp;
use crate::hall::{Hall, HallError, HallExt, HallInfo, LedgerImport, SessionToken};

/// A row that will not be imported, and why, in words the officer can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    pub reason: String,
}

/// What reading and checking a file found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub valid: u64,
    pub rejected: Vec<Rejected>,
}

/// What the import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub imported: u64,
    /// Rows imported before (the same file again): skipped.
    pub duplicates: u64,
    /// Rows the file check passed but the service refused (e.g. a number registered
    /// under another name), and rows the check rejected.
    pub rejected: Vec<Rejected>,
}

/// The rows of a file, numbered as a spreadsheet numbers them; blank rows are left out.
fn read_rows(path: &Path) -> Result<Vec<(u64, Vec<Cell>)>, LedgerError> {
    match FileFormat::of_path(path)? {
        FileFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(path)
                .map_err(|e| read_error(path, e))?;
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| read_error(path, e))?;
                let cells = record
                    .iter()
                    .map(|f| Cell::Text(f.trim_start_matches('\u{feff}').to_string()))
                    .collect();
                rows.push((i as u64 + 1, cells));
            }
            Ok(rows)
        }
        FileFormat::Xlsx => {
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook(path).map_err(|e| read_error(path, e))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| read_error(path, "文件中没有工作表"))?
                .map_err(|e| read_error(path, e))?;
            let first = range.start().map_or(0, |(row, _)| u64::from(row));
            let skip = range.start().map_or(0, |(_, col)| col as usize);
            Ok(range
                .rows()
                .enumerate()
                .map(|(i, cells)| {
                    let mut row = vec![Cell::Text(String::new()); skip];
                    row.extend(cells.iter().map(xlsx_cell));
                    (first + i as u64 + 1, row)
                })
                .collect())
        }
    }
}

fn xlsx_cell(data: &Data) -> Cell {
    match data {
        Data::DateTime(t) => t
            .as_datetime()
            .map_or_else(|| Cell::Text(t.to_string()), Cell::Time),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cell::Text(format!("{f:.0}")),
        Data::Empty => Cell::Text(String::new()),
        other => Cell::Text(other.to_string()),
    }
}

fn blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| c.text().trim().is_empty())
}

/// Reads `path` and checks every row; `today` is the day birth dates are checked against.
pub fn check(
    path: &Path,
    info: &HallInfo,
    today: NaiveDate,
) -> Result<(Plan, Vec<(u64, LedgerImport)>), LedgerError> {
    let rows = read_rows(path)?;
    let mut rows = rows.into_iter().filter(|(_, cells)| !blank(cells));
    let Some((_, header)) = rows.next() else {
        return Err(read_error(path, "文件是空的"));
    };
    let columns: Vec<Option<VisitCol>> = header
        .iter()
        .map(|c| VisitCol::by_header(&c.text()))
        .collect();
    let missing: Vec<&str> = VisitCol::ALL
        .into_iter()
        .filter(|c| c.required() && !columns.contains(&Some(*c)))
        .map(VisitCol::header)
        .collect();
    if !missing.is_empty() {
        return Err(LedgerError::MissingColumns {
            path: path.display().to_string(),
            missing: missing.join("、"),
        });
    }
    let rules = info.rules(today);
    let mut plan = Plan::default();
    let mut valid = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (row, cells) in rows {
        match parse_row(row, &columns, &cells, info, &rules) {
            Ok(mut import) => {
                // Two rows alike in every fact (two visits in one minute) are two
                // visits: the second is keyed as the second.
                let n = seen.entry(import.row_key.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    import.row_key = format!("{}.{n}", import.row_key);
                }
                plan.valid += 1;
                valid.push((row, import));
            }
            Err(reason) => plan.rejected.push(Rejected { row, reason }),
        }
    }
    // Oldest first, as the desk would have registered them: a visitor's latest visit
    // and a matter's first visit come out right whatever the file's order.
    valid.sort_by_key(|(_, import)| import.at);
    Ok((plan, valid))
}

fn department<'a>(departments: &'a [Department], text: &str) -> Option<&'a Department> {
    departments
        .iter()
        .find(|d| d.name == text || d.code.as_str() == text || d.ticket_prefix == text)
}

/// One row, read into the intake form the desk would send and checked with its rules.
fn parse_row(
    row: u64,
    columns: &[Option<VisitCol>],
    cells: &[Cell],
    info: &HallInfo,
    rules: &Rules,
) -> Result<LedgerImport, String> {
    let mut line = VisitLine {
        headcount: 1,
        ..VisitLine::default()
    };
    let empty = Cell::Text(String::new());
    for (i, col) in columns.iter().enumerate() {
        if let Some(col) = col {
            line.set(*col, cells.get(i).unwrap_or(&empty))?;
        }
    }
    if line.id_number.contains('*') {
        return Err(
            "身份证号码是打码的，无法识别来访人。请用管理员导出的完整号码（--full-id），或清空号码并在“无证件”填“是”"
                .into(),
        );
    }
    let dept = department(&info.departments, &line.department).ok_or_else(|| {
        format!(
            "接待部门“{}”不是本大厅的部门，请填写部门名称，如“{}”",
            line.department,
            info.departments.first().map_or("", |d| d.name.as_str())
        )
    })?;
    let accused_department = match line.accused_department.as_str() {
        "" => None,
        text => Some(
            department(&info.departments, text)
                .ok_or_else(|| format!("被反映单位所属部门“{text}”不是本大厅的部门"))?
                .code
                .clone(),
        ),
    };
    let input = RegistrationInput {
        visitor: None,
        id_number: line.id_number.clone(),
        no_document: line.no_document,
        name: line.name.clone(),
        phone: line.phone.clone(),
        address: line.address.clone(),
        channel: line.channel()?,
        headcount: line.headcount,
        representatives: line.representatives.clone(),
        matter: MatterChoice::New(NewMatter {
            category: line.category()?,
            content_class: line.content_class.clone(),
            place: line.place.clone(),
            summary: line.summary.clone(),
            demands: line.demands.clone(),
            accused: line.accused.clone(),
            accused_department,
        }),
        department: dept.code.clone(),
        // The ledger's columns carry no visit level or anonymity: 本级, named.
        facts: Default::default(),
    };
    // The desk's own rules, so a row passes here exactly when the desk would take it.
    registration::validate(&input, rules).map_err(|e| e.to_string())?;
    let offset = i64::from(info.utc_offset_seconds);
    Ok(LedgerImport {
        row,
        row_key: line.row_key(),
        at: Timestamp(line.at.and_utc().timestamp() - offset),
        visitor_no: line.visitor_no,
        matter_number: line.matter_number,
        input,
    })
}

/// Sends the checked rows to the service; `progress` hears how many were sent.
pub fn apply(
    hall: &dyn Hall,
    token: &SessionToken,
    rows: Vec<(u64, LedgerImport)>,
    mut progress: impl FnMut(u64),
) -> Result<Outcome, LedgerError> {
    let mut outcome = Outcome::default();
    for (sent, (row, import)) in rows.into_iter().enumerate() {
        match hall.import_visit(token, import) {
            Ok(true) => outcome.imported += 1,
            Ok(false) => outcome.duplicates += 1,
            // The row's own fault: reported with its number, the rest goes on.
            Err(e @ (HallError::Invalid(_) | HallError::Conflict(_) | HallError::NotFound(_))) => {
                outcome.rejected.push(Rejected {
                    row,
                    reason: e.to_string(),
                })
            }
            Err(e) => return Err(e.into()),
        }
        progress(sent as u64 + 1);
    }
    Ok(outcome)
}
