//! The desk as an officer runs it: the real binary in a pseudo-terminal,
//! connected over loopback to the benchmark's server; and the two busiest
//! screens rendered in-process at 120×40.

use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use lianfang::demo;
use lianfang::hall::{Hall, HallExt, LocalHall};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::Terminal;

use crate::pty_support::Pty;
use crate::stats::{self, Summary};
use crate::tui_support::Desk;

/// Waits for `text` to show (or to go), polling finely: the poll itself is
/// part of what is measured, about 0.2 ms.
fn wait(p: &Pty, text: &str, present: bool) {
    let start = Instant::now();
    while p.contains(text) != present {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited for {text:?} (present: {present})"
        );
        thread::sleep(Duration::from_micros(200));
    }
}

pub fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Start to first frame, keystroke to redrawn lookup panel, idle CPU, peak RSS.
pub fn client_section(hall: &dyn Hall, addr: &str, logs: &Path, names: &[String], idle: Duration) {
    let started = Instant::now();
    let args = [
        "--data".as_ref(),
        logs.as_os_str(),
        "--server".as_ref(),
        addr.as_ref(),
        "--desk".as_ref(),
        "bench".as_ref(),
    ];
    let mut p = Pty::start_sized(&args, 40, 120);
    wait(&p, "登录", true);
    let first_frame = started.elapsed();
    p.send("dengji\t");
    p.send(demo::DEMO_PASSWORD);
    p.send("\r");
    wait(&p, "排队总览", true);

    // Each sample: an empty box, then a name committed at once as an IME does,
    // timed until the panel shows the top hit's masked number.
    let admin = hall
        .login("admin", demo::DEMO_PASSWORD, "bench-desk")
        .expect("login");
    p.send("\x1bOR"); // F3
    wait(&p, "查找", true);
    let mut samples = Vec::new();
    for name in names {
        let Some(top) = hall
            .lookup(&admin.token, name, 20)
            .ok()
            .and_then(|h| h.into_iter().next())
        else {
            continue;
        };
        p.send("\x15"); // Ctrl-U empties the box
        wait(&p, &top.id_masked, false);
        let t = Instant::now();
        p.send(name);
        wait(&p, &top.id_masked, true);
        samples.push(t.elapsed());
    }
    let keystroke = Summary::of(samples);

    p.send("\x1b[21~"); // F10: the board, as a desk sits most of the day
    wait(&p, "排队总览", true);
    thread::sleep(Duration::from_millis(500));
    let before = stats::cpu_ticks(p.pid());
    thread::sleep(idle);
    let idle_ticks = stats::cpu_ticks(p.pid()) - before;
    let rss = peak_rss_kib(p.pid());

    println!("\n## The desk client (real binary in a 120×40 pseudo-terminal, over loopback)\n");
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| start to first frame | {} |",
        stats::fmt_duration(first_frame)
    );
    println!(
        "| keystroke to redrawn lookup panel (n = {}) | p50 {} / p99 {} / max {} |",
        keystroke.count,
        stats::fmt_duration(keystroke.p50),
        stats::fmt_duration(keystroke.p99),
        stats::fmt_duration(keystroke.max)
    );
    println!(
        "| CPU time over {} idle seconds on the board | {} ms |",
        idle.as_secs(),
        idle_ticks * 10
    );
    println!("| peak RSS | {:.1} MiB |", rss as f64 / 1024.0);
}

/// Drawing the queue board and the intake form with a full repeat-visitor panel.
pub fn render_section(hall: Arc<LocalHall>, common_name: &str, n: usize) {
    let mut desk = Desk::named(hall, "bench-render");
    desk.type_text("dengji");
    desk.key(KeyCode::Enter);
    desk.type_text(demo::DEMO_PASSWORD);
    desk.key(KeyCode::Enter);
    let board = time_draws(&desk, n);
    desk.key(KeyCode::F(2));
    // The name field is third; typing a common name fills the repeat-visitor panel.
    desk.tab(2);
    desk.type_text(common_name);
    let intake = time_draws(&desk, n);
    println!("\n## Rendering at 120×40 (in-process, TestBackend)\n");
    println!("| screen | n | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    for (label, s) in [
        ("queue board", board),
        ("intake form with a full repeat-visitor panel", intake),
    ] {
        println!(
            "| {label} | {} | {} | {} | {} |",
            s.count,
            stats::fmt_duration(s.p50),
            stats::fmt_duration(s.p99),
            stats::fmt_duration(s.max)
        );
    }
}

fn time_draws(desk: &Desk, n: usize) -> Summary {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let samples = (0..n)
        .map(|_| {
            let t = Instant::now();
            terminal.draw(|f| desk.app.draw(f)).expect("draw");
            t.elapsed()
        })
        .collect();
    Summary::of(samples)
}
