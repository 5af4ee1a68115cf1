//! `export` and `import`: the hall's ledger to and from `.xlsx` / CSV files.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use chrono::NaiveDate;

use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::domain::ledger::LedgerKind;
use crate::hall::{Hall, HallError, LocalHall};
use crate::ledger::export::{export as export_ledger, ExportSpec};
use crate::ledger::import::{self, Rejected};
use crate::ledger::{FileFormat, LedgerError};

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Hall(h) => CliError::Hall(h),
            other => CliError::Input(other.to_string()),
        }
    }
}

/// A count on stderr: one line rewritten on a terminal, a line per step in a log.
struct Progress {
    what: &'static str,
    live: bool,
    step: u64,
    reported: u64,
}

impl Progress {
    fn new(what: &'static str, step: u64) -> Progress {
        Progress {
            what,
            live: std::io::stderr().is_terminal(),
            step,
            reported: 0,
        }
    }

    fn update(&mut self, done: u64, total: Option<u64>) {
        if done < self.reported + self.step {
            return;
        }
        self.reported = done;
        let of = total.map(|t| format!(" / {t}")).unwrap_or_default();
        if self.live {
            eprint!("\r{}：{done}{of} 行", self.what);
            let _ = std::io::stderr().flush();
        } else {
            eprintln!("{}：{done}{of} 行", self.what);
        }
    }

    fn done(&self) {
        if self.live && self.reported > 0 {
            eprintln!();
        }
    }
}

pub struct ExportArgs<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: LedgerKind,
    pub format: Option<&'a str>,
    pub out: &'a Path,
    pub full_id: bool,
}

pub fn export(data: &Path, config: HallConfig, args: ExportArgs) -> Result<(), CliError> {
    let format = match args.format {
        Some(f) => FileFormat::parse(f)?,
        None => FileFormat::of_path(args.out)?,
    };
    let hall = open_hall(data, config)?;
    let token = hall.system_session()?;
    let spec = ExportSpec {
        kind: args.kind,
        from: args.from,
        to: args.to,
        full_id: args.full_id,
        format,
    };
    let mut progress = Progress::new("正在导出", 10_000);
    // The export's own time, without opening the hall: what a desk's export takes.
    let started = std::time::Instant::now();
    let rows = export_ledger(&hall, &token, &spec, args.out, |n| progress.update(n, None))?;
    let took = started.elapsed().as_secs_f64();
    progress.done();
    println!(
        "已导出{} {} 行到 {}（{} 至 {}{}，用时 {took:.1} 秒）",
        spec.kind.label(),
        rows,
        args.out.display(),
        spec.from,
        spec.to,
        if spec.full_id {
            "，含完整身份证号码，已记入审计"
        } else {
            "，身份证号码已打码"
        }
    );
    Ok(())
}

fn print_rejected(rejected: &[Rejected]) {
    for r in rejected {
        println!("  第 {} 行：{}", r.row, r.reason);
    }
}

/// Asks on the terminal; without one, `--yes` is the only confirmation.
fn confirmed(rows: u64) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Input(
            "导入需要确认：请在终端中运行并按提示确认，或加 --yes；想先看结果请加 --dry-run".into(),
        ));
    }
    eprint!("确认导入以上 {rows} 行吗？输入 y 确认，其他任意键取消：");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::Input(format!("无法读取确认：{e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "是"))
}

pub fn import(
    data: &Path,
    config: HallConfig,
    file: &Path,
    dry_run: bool,
    yes: bool,
) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let token = hall.system_session()?;
    let today = hall.now().local_date(hall.config().timezone);
    let (plan, rows) = import::check(file, &hall.info()?, today)?;
    println!(
        "文件 {}：{} 行可以导入，{} 行有误。",
        file.display(),
        plan.valid,
        plan.rejected.len()
    );
    if !plan.rejected.is_empty() {
        println!("有误的行（不会导入，请改正后重新导入整个文件，已导入的行不会重复）：");
        print_rejected(&plan.rejected);
    }
    if dry_run {
        println!("试运行（--dry-run）：没有写入任何数据。");
        return Ok(());
    }
    if plan.valid == 0 {
        println!("没有可以导入的行。");
        return Ok(());
    }
    if !yes && !confirmed(plan.valid)? {
        println!("已取消，没有写入任何数据。");
        return Ok(());
    }
    apply(&hall, &token, rows, plan.valid)
}

fn apply(
    hall: &LocalHall,
    token: &crate::hall::SessionToken,
    rows: Vec<(u64, crate::hall::LedgerImport)>,
    total: u64,
) -> Result<(), CliError> {
    let mut progress = Progress::new("正在导入", 1_000);
    let outcome = import::apply(hall as &dyn Hall, token, rows, |n| {
        progress.update(n, Some(total))
    })?;
    progress.done();
    println!(
        "已导入 {} 行；{} 行以前导入过，已跳过；{} 行被拒绝。",
        outcome.imported,
        outcome.duplicates,
        outcome.rejected.len()
    );
    print_rejected(&outcome.rejected);
    if outcome.imported == 0 && outcome.duplicates == 0 && !outcome.rejected.is_empty() {
        return Err(CliError::Hall(HallError::Conflict(
            "没有一行导入成功，请按上面的原因改正文件".into(),
        )));
    }
    Ok(())
}
