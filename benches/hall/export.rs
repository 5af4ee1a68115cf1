//! The ledger export (#8): the latest period holding about 100,000 rows of the visit
//! ledger and of the matter ledger (the whole ledger when it is shorter), to `.xlsx` and
//! to CSV, each in a fresh process, so its peak RSS is the export's own and not the
//! builder's.

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use lianfang::domain::ledger::LedgerKind;
use lianfang::domain::stats::measures::{Measure, Value};
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::hall::{HallExt, LocalHall, SessionToken};
use lianfang::ledger::export::{export, ExportSpec};
use lianfang::ledger::FileFormat;

use crate::stats::{self, fmt_duration};

pub const CHILD_ENV: &str = "LIANFANG_BENCH_EXPORT";

/// The rows the target speaks of (#8: "an export of 100,000 ledger rows ≤ 5 s").
const ROWS: u64 = 100_000;

/// Days looked back for the period: more than the demo's two years of history.
const MAX_DAYS: u64 = 1_100;

pub fn section(dir: &Path) {
    println!(
        "\n## Ledger export (latest period of about 100,000 rows, masked numbers, fresh process each)\n"
    );
    println!("| ledger | format | period | rows | time | per 100,000 rows | RSS after open | peak RSS | file |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("current exe");
    for kind in ["visits", "matters"] {
        for format in ["xlsx", "csv"] {
            let out = Process::new(&exe)
                .env(CHILD_ENV, format!("{kind}:{format}:{}", dir.display()))
                .output()
                .expect("spawn export child");
            if !out.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
                std::process::exit(1);
            }
            println!("{}", String::from_utf8_lossy(&out.stdout).trim());
        }
    }
}

/// The first day of the shortest period ending `today` that holds at least [`ROWS`]
/// rows of `kind` by the kept day counts (found by halving the days back), or of the
/// longest looked at when the ledger is shorter.
fn period_start(
    hall: &LocalHall,
    token: &SessionToken,
    kind: LedgerKind,
    today: NaiveDate,
) -> NaiveDate {
    let measure = match kind {
        LedgerKind::Visits => Measure::Visits,
        LedgerKind::Matters => Measure::Matters,
    };
    let start = |days: u64| today - Days::new(days - 1);
    let rows = |days: u64| {
        let period = Period::custom(start(days), today, PeriodKind::Custom);
        let report = hall.stats(token, period).expect("statistics");
        match measure.value(&report.total) {
            Value::Count(n) => n,
            Value::Rate(_) => unreachable!("a count"),
        }
    };
    let (mut short, mut long) = (0, MAX_DAYS);
    while long - short > 1 {
        let mid = (short + long) / 2;
        if rows(mid) >= ROWS {
            long = mid;
        } else {
            short = mid;
        }
    }
    start(long)
}

/// Waits (at most a minute) until the opened hall takes no more CPU: after an opening that
/// follows writes, sled rewrites its recovery snapshot on a thread of its own, which would
/// share the two cores with the export. A desk exports from a hall opened long before.
fn settle() {
    let started = Instant::now();
    let mut before = stats::cpu_ticks(std::process::id());
    while started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(500));
        let now = stats::cpu_ticks(std::process::id());
        // Clock ticks are 1/100 s: under 5 % of one core.
        if now - before < 3 {
            return;
        }
        before = now;
    }
}

/// Runs in the child: `kind:format:dir`.
pub fn child(arg: &str) {
    let mut parts = arg.splitn(3, ':');
    let (kind, format, dir) = match (parts.next(), parts.next(), parts.next()) {
        (Some(k), Some(f), Some(d)) => (k, f, d),
        _ => panic!("kind:format:dir, not {arg}"),
    };
    let kind = LedgerKind::parse(kind).expect("ledger");
    // `LIANFANG_BENCH_CACHE_MB` shrinks sled's cache, to tell its growth from the export's.
    let mut config = crate::hall_config(Path::new(dir));
    if let Some(mb) = std::env::var("LIANFANG_BENCH_CACHE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.cache_mb = mb;
    }
    let hall = LocalHall::open(Path::new(dir), config).expect("open");
    let token = hall.system_session().expect("session");
    let opened_rss = stats::proc_status_kib("VmRSS:") as f64 / 1024.0;
    settle();
    let today = hall.now().local_date(hall.config().timezone);
    let spec = ExportSpec {
        kind,
        from: period_start(&hall, &token, kind, today),
        to: today,
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
        "| {} | {format} | {} – {} | {rows} | {} | {} | {opened_rss:.0} MiB | {:.0} MiB | {:.1} MiB |",
        kind.label(),
        spec.from,
        spec.to,
        fmt_duration(took),
        fmt_duration(took.mul_f64(ROWS as f64 / rows.max(1) as f64)),
        stats::peak_rss_mib(),
        size as f64 / 1048576.0
    );
}
