//! `notice`: a matter's written notice on stdout or in a UTF-8 text file, for printing.

use std::path::Path;

use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::hall::HallExt;
use crate::notice::NoticeKind;

/// For clap: a kind by its Chinese or ASCII name.
pub fn parse_kind(text: &str) -> Result<NoticeKind, String> {
    NoticeKind::parse(text)
        .ok_or_else(|| format!("没有这种告知书，可选：{}", NoticeKind::choices()))
}

pub fn notice(
    data: &Path,
    config: HallConfig,
    number: &str,
    kind: NoticeKind,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let matter = hall.matter_id(number)?;
    let notice = hall.notice(&system, matter, kind)?;
    match out {
        None => print!("{}", notice.text),
        Some(file) => {
            std::fs::write(file, &notice.text).map_err(|e| {
                CliError::Input(format!(
                    "无法写入文件 {}：{e}。请检查路径和权限",
                    file.display()
                ))
            })?;
            println!(
                "已将事项 {} 的{}写入 {}",
                notice.matter_number,
                kind.label(),
                file.display()
            );
        }
    }
    Ok(())
}
