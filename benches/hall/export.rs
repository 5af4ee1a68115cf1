//! The ledger export (#8): the whole visit ledger to `.xlsx` and to CSV, each in a
//! fresh process, so its peak RSS is the export's own and not the builder's.

use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use chrono::NaiveDate;
use lianfang::config::HallConfig;
use lianfang::domain::ledger::LedgerKind;
use lianfang::hall::LocalHall;
use lianfang::ledger::export::{export, ExportSpec};
use lianfang::ledger::FileFormat;

use crate::stats::{self, fmt_duration};

pub const CHILD_ENV: &str = "LIANFANG_BENCH_EXPORT";

pub fn section(dir: &Path) {
    println!("\n## Ledger export (whole visit ledger, masked numbers, fresh process each)\n");
    println!("| format | rows | time | RSS after open | peak RSS | file |");
    println!("|---|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("current exe");
    for format in ["xlsx", "csv"] {
        let out = Process::new(&exe)
            .env(CHILD_ENV, format!("{format}:{}", dir.display()))
            .output()
            .expect("spawn export child");
        if !out.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
        println!("{}", String::from_utf8_lossy(&out.stdout).trim());
    }
}

/// Runs in the child: `format:dir`.
pub fn child(arg: &str) {
    let (format, dir) = arg.split_once(':').expect("format:dir");
    // `LIANFANG_BENCH_CACHE_MB` shrinks sled's cache, to tell its growth from the export's.
    let mut config = HallConfig::embedded();
    if let Some(mb) = std::env::var("LIANFANG_BENCH_CACHE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.cache_mb = mb;
    }
    let hall = LocalHall::open(Path::new(dir), config).expect("open");
    let token = hall.system_session().expect("session");
    let opened_rss = stats::proc_status_kib("VmRSS:") as f64 / 1024.0;
    let spec = ExportSpec {
        kind: LedgerKind::Visits,
        from: NaiveDate::from_ymd_opt(1900, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2100, 1, 1).expect("date"),
        full_id: false,
        format: FileFormat::parse(format).expect("format"),
    };
    let file = tempfile::Builder::new()
        .suffix(&format!(".{format}"))
        .tempfile()
        .expect("temp file");
    let started = Instant::now();
    let rows = export(&hall, &token, &spec, file.path(), |_| {}).expect("export");
    let took = started.elapsed();
    let size = std::fs::metadata(file.path()).map_or(0, |m| m.len());
    print!(
        "| {format} | {rows} | {} | {opened_rss:.0} MiB | {:.0} MiB | {:.1} MiB |",
        fmt_duration(took),
        stats::peak_rss_mib(),
        size as f64 / 1048576.0
    );
}
