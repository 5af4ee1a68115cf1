//! `demo`, `lookup` and `check`: filling, querying and verifying a hall from a script.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::output::{json, lookup_row, lookup_text, LookupRow};
use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::demo::{self, DemoOptions, DemoStats};
use crate::domain::officer::Officer;
use crate::hall::{HallError, HallExt, LocalHall};
use crate::store::check::{check as check_store, check_and_prune};

pub fn demo(data: &Path, config: HallConfig, visitors: u64, seed: u64) -> Result<(), CliError> {
    let hall = open_hall(data, config.clone())?;
    let stats = fill(&hall, visitors, seed)?;
    // Accounts only for a hall nobody has set up: never next to real ones.
    if hall.store().is_empty_of::<Officer>() {
        let accounts = demo::create_accounts(&hall)?;
        println!("已创建演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
        for a in accounts {
            println!("  {:<8} {}", a.username, a.description);
        }
    }
    // sled writes its recovery snapshot only when it opens a database; opening
    // once more now spares the next start replaying everything just written.
    drop(hall);
    eprintln!("正在整理数据库，以便下次快速启动…");
    drop(open_hall(data, config)?);
    println!(
        "已生成演示数据：来访人 {} 位，来访 {} 批次，事项 {} 件，今日排队 {} 人（{} 个批次写入）",
        stats.visitors, stats.visits, stats.matters, stats.waiting, stats.batches
    );
    Ok(())
}

/// Generates `visitors` with a progress report on stderr (the library stays quiet).
pub fn fill(hall: &LocalHall, visitors: u64, seed: u64) -> Result<DemoStats, CliError> {
    let options = DemoOptions {
        visitors,
        seed,
        now: hall.now(),
    };
    let live = std::io::stderr().is_terminal();
    let mut reported = 0;
    let stats = demo::populate_with_progress(hall, &options, |s| {
        let percent = s.visitors * 100 / visitors.max(1);
        // On a terminal one line counts up; in a log, a line per tenth.
        if live {
            eprint!(
                "\r正在生成演示数据：{} / {visitors} 位来访人（{percent}%）",
                s.visitors
            );
            let _ = std::io::stderr().flush();
        } else if percent >= reported + 10 || s.visitors == visitors {
            reported = percent;
            eprintln!(
                "正在生成演示数据：{} / {visitors} 位来访人（{percent}%）",
                s.visitors
            );
        }
    })?;
    if live && visitors > 0 {
        eprintln!();
    }
    tracing::info!(?stats, "演示数据已生成");
    Ok(stats)
}

pub fn lookup(
    data: &Path,
    config: HallConfig,
    text: &str,
    as_json: bool,
    limit: usize,
) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let hits = hall.lookup(&system, text, limit)?;
    if as_json {
        let rows: Vec<LookupRow> = hits.iter().map(|h| lookup_row(h, hall.config())).collect();
        println!("{}", json(&rows));
    } else {
        print!("{}", lookup_text(&hits, hall.config()));
    }
    Ok(())
}

/// `prune`: the superseded lookup keys counted are removed before the hall closes.
pub fn check(data: &Path, config: HallConfig, prune: bool) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let run = if prune { check_and_prune } else { check_store };
    let report = run(hall.store()).map_err(HallError::from)?;
    if report.is_ok() {
        println!(
            "检查通过：{} 条记录，{} 个索引项，全部一致。",
            report.records, report.index_entries
        );
        match (report.superseded, prune) {
            (0, _) => {}
            (n, true) => println!("其中 {n} 个是被后来的来访取代的旧查找索引项，已清除。"),
            (n, false) => println!(
                "其中 {n} 个是被后来的来访取代的旧查找索引项（异常停止或恢复备份后遗留）：查找时跳过，不影响结果；可用 lianfang check --prune 清除。"
            ),
        }
        return Ok(());
    }
    println!(
        "检查了 {} 条记录、{} 个索引项，发现以下问题：",
        report.records, report.index_entries
    );
    for problem in &report.problems {
        println!("  - {problem}");
    }
    Err(CliError::Problems(report.problems.len()))
}
