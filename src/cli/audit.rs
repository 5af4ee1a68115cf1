//! `lianfang audit`: the hall's audit trail, narrowed by matter, officer and period.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::output::{json, table};
use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::domain::audit::AuditRecord;
use crate::domain::matter::MatterId;
use crate::domain::time::Timestamp;
use crate::hall::{
    AuditFilter, Hall, HallExt, LocalHall, MatchKind, Query, QueryReply, SessionToken,
};

/// What `lianfang audit` was asked, as typed.
pub struct AuditArgs {
    pub matter: Option<String>,
    pub officer: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub json: bool,
}

/// One record as `--json` prints it: a shape of its own, stable for scripts.
#[derive(Serialize)]
struct AuditRow {
    seq: u64,
    /// Local time, `2026-11-27 09:30`.
    at: String,
    officer: String,
    desk: String,
    action: String,
    matter: Option<u64>,
    visitor: Option<u64>,
}

fn date(text: &str, option: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::Input(format!(
            "{option} 的日期“{text}”无法识别，请写成 2026-11-27 这样的年-月-日"
        ))
    })
}

/// A matter number (`2026-000123`) as its id, found through the lookup the desks use.
fn matter_id(hall: &LocalHall, t: &SessionToken, number: &str) -> Result<MatterId, CliError> {
    let number = number.trim();
    for hit in hall.lookup(t, number, 5)? {
        if hit.matched != MatchKind::MatterNumber {
            continue;
        }
        let profile = hall.profile(t, hit.visitor, false)?;
        if let Some(m) = profile.matters.iter().find(|m| m.number == number) {
            return Ok(m.id);
        }
    }
    Err(CliError::Input(format!(
        "没有编号为“{number}”的事项，请写完整的事项编号，如 2026-000123"
    )))
}

pub fn audit(data: &Path, config: HallConfig, args: AuditArgs) -> Result<(), CliError> {
    let tz = config.timezone;
    let from = args
        .from
        .as_deref()
        .map(|d| date(d, "--from"))
        .transpose()?;
    let to = args.to.as_deref().map(|d| date(d, "--to")).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(CliError::Input(format!(
                "--from {f} 晚于 --to {t}，请检查日期"
            )));
        }
    }
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let matter = args
        .matter
        .as_deref()
        .map(|n| matter_id(&hall, &system, n))
        .transpose()?;
    let filter = AuditFilter {
        matter,
        officer: args.officer.map(|o| o.trim().to_string()),
        from: from.map(|d| Timestamp::start_of(d, tz)),
        // Both ends count whole days: up to the start of the day after `to`.
        to: to
            .and_then(|d| d.succ_opt())
            .map(|d| Timestamp::start_of(d, tz)),
    };
    let records: Vec<AuditRecord> = match hall.query(&system, Query::Audit(filter))? {
        QueryReply::Audit(records) => records,
        _ => {
            return Err(CliError::Input(
                "服务返回了意外的应答（应为审计记录）".into(),
            ))
        }
    };
    if args.json {
        let rows: Vec<AuditRow> = records
            .iter()
            .map(|r| AuditRow {
                seq: r.seq,
                at: r.at.format(tz),
                officer: r.officer.clone(),
                desk: r.desk.clone(),
                action: r.action.clone(),
                matter: r.matter,
                visitor: r.visitor,
            })
            .collect();
        println!("{}", json(&rows));
        return Ok(());
    }
    if records.is_empty() {
        println!("没有符合条件的审计记录。");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.seq.to_string(),
                r.at.format(tz),
                r.officer.clone(),
                r.desk.clone(),
                r.action.clone(),
            ]
        })
        .collect();
    print!(
        "{}",
        table(&["序号", "时间", "账号", "窗口", "操作"], &rows)
    );
    Ok(())
}
