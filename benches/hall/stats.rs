//! Latency summaries: collected durations → p50 / p99 / max.

use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    pub fn of(mut samples: Vec<Duration>) -> Summary {
        samples.sort_unstable();
        let at = |q: f64| {
            if samples.is_empty() {
                return Duration::ZERO;
            }
            let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[i]
        };
        Summary {
            count: samples.len(),
            p50: at(0.50),
            p99: at(0.99),
            max: samples.last().copied().unwrap_or_default(),
        }
    }
}

/// Times `f` once per input.
pub fn time_each<T>(inputs: &[T], mut f: impl FnMut(&T)) -> Summary {
    let samples = inputs
        .iter()
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    Summary::of(samples)
}

pub fn fmt_duration(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

pub fn ratio(ours: Duration, theirs: Duration) -> String {
    if theirs.is_zero() {
        return "–".into();
    }
    format!("{:.2}", ours.as_secs_f64() / theirs.as_secs_f64())
}

/// Peak resident set size of this process so far (Linux `VmHWM`), in MiB.
pub fn peak_rss_mib() -> f64 {
    proc_status_kib("VmHWM:") as f64 / 1024.0
}

pub fn proc_status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    kib_of(&status, field)
}

/// The `field:  N kB` line of a `/proc` file, in KiB (0 if missing).
fn kib_of(text: &str, field: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The machine's page cache, from `/proc/meminfo`: at 1,000,000 visitors how much of the
/// hall file is still cached (this machine's DAMON reclaim takes idle file pages back)
/// decides the tails.
pub fn page_cache() -> String {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let gib = |field: &str| kib_of(&meminfo, field) as f64 / 1048576.0;
    format!(
        "page cache: active file {:.1} GiB, inactive file {:.1} GiB; available {:.1} of {:.1} GiB",
        gib("Active(file):"),
        gib("Inactive(file):"),
        gib("MemAvailable:"),
        gib("MemTotal:")
    )
}

pub fn dir_size(path: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// utime + stime of a process, from `/proc/PID/stat`, in clock ticks (1/100 s).
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}
