//! Statistics of one and two years through the service, summed from the day counts, and
//! what recomputing them from every record would cost instead.

use std::time::Instant;

use chrono::Days;
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::hall::{HallExt, LocalHall, SessionToken};

use crate::stats::{fmt_duration, time_each, Summary};

/// Above this many visitors the full recomputation (a scan of every record) is skipped.
const RECOMPUTE_UP_TO: u64 = 200_000;

pub fn section(hall: &LocalHall, token: &SessionToken, visitors: u64) {
    let today = hall.now().local_date(hall.config().timezone);
    let span = |days: u64| Period::custom(today - Days::new(days - 1), today, PeriodKind::Custom);
    let runs: Vec<usize> = (0..20).collect();
    println!("\n## Statistics (day counts kept in the writing transaction)\n");
    println!("| measure | n | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    let mut visits = Vec::new();
    for (label, days) in [
        ("statistics, one year (+ 环比 + 同比)", 365),
        ("statistics, two years (+ 环比 + 同比)", 730),
    ] {
        let period = span(days);
        let s = time_each(&runs, |_| {
            visits.push(hall.stats(token, period).expect("stats").total.visits);
        });
        print_row(label, &s);
    }
    let s = time_each(&runs[..5], |_| {
        hall.daily_report(token, today).expect("daily report");
    });
    print_row(
        "daily report (reads every open matter for the deadline lists)",
        &s,
    );
    println!(
        "\nvisits counted: one year {}, two years {}",
        visits.first().copied().unwrap_or(0),
        visits.last().copied().unwrap_or(0)
    );
    if visitors > RECOMPUTE_UP_TO {
        println!("recomputing the day counts from every record: skipped above {RECOMPUTE_UP_TO} visitors");
        return;
    }
    let rules = hall.config().tally_rules();
    let started = Instant::now();
    let recomputed = hall.store().recompute_tallies(&rules).expect("recompute");
    let took = started.elapsed();
    let stored = hall.store().stored_tallies().expect("stored counts");
    println!(
        "recomputing the day counts from every record (what a rescan would cost): {}; {} rows",
        fmt_duration(took),
        recomputed.len()
    );
    // Counts that drifted from the records mean the incremental upkeep broke: fail the run.
    if recomputed != stored {
        eprintln!("the stored day counts differ from those recomputed from the records");
        std::process::exit(1);
    }
}

fn print_row(label: &str, s: &Summary) {
    println!(
        "| {label} | {} | {} | {} | {} |",
        s.count,
        fmt_duration(s.p50),
        fmt_duration(s.p99),
        fmt_duration(s.max)
    );
}
