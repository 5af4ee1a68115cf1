//! Reading an exported workbook back, as Excel would: the ledger and desk export tests.

use std::path::Path;

use calamine::{Data, Reader};

/// Every row of the first sheet.
pub fn read_xlsx(path: &Path) -> Vec<Vec<Data>> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("xlsx opens");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range.rows().map(|r| r.to_vec()).collect()
}
