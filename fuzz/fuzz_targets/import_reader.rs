//! Any file an officer might hand to `lianfang import`, read once as CSV and
//! once as .xlsx: a plan or a Chinese error, never a panic; every accepted row
//! passes the desk's registration rules again, every rejected row has its number
//! and a reason.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use lianfang::config::HallConfig;
use lianfang::domain::registration;
use lianfang::hall::clock::SystemClock;
use lianfang::hall::{Hall, HallInfo, LocalHall};
use lianfang::ledger::import::check;
use libfuzzer_sys::fuzz_target;

/// The embedded config's hall, described by the service itself (one empty hall per run).
fn info() -> &'static HallInfo {
    static INFO: OnceLock<HallInfo> = OnceLock::new();
    INFO.get_or_init(|| {
        LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock))
            .and_then(|hall| hall.info())
            .expect("an empty hall")
    })
}

/// One directory for the whole run: the reader takes a path, not bytes.
fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a scratch directory"))
        .path()
}

fn read(data: &[u8], name: &str, today: NaiveDate) {
    let info = info();
    let path: PathBuf = scratch().join(name);
    std::fs::write(&path, data).expect("write the scratch file");
    let (plan, rows) = match check(&path, info, today) {
        Ok(found) => found,
        Err(e) => {
            // The officer's message names the file and is not empty.
            let text = e.to_string();
            assert!(text.contains(name), "{text}");
            return;
        }
    };
    assert_eq!(plan.valid, rows.len() as u64);
    let rules = info.rules(today);
    for (row, import) in &rows {
        // The header is a row before any data row.
        assert!(*row >= 2, "accepted row {row}");
        assert_eq!(*row, import.row);
        if let Err(e) = registration::validate(&import.input, &rules) {
            panic!("row {row} was accepted but the desk refuses it: {e}");
        }
    }
    for rejected in &plan.rejected {
        assert!(rejected.row >= 2, "rejected row {}", rejected.row);
        assert!(!rejected.reason.trim().is_empty(), "row {}", rejected.row);
    }
}

fuzz_target!(|data: &[u8]| {
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date");
    read(data, "台账.csv", today);
    read(data, "台账.xlsx", today);
});
