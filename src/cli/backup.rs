//! `lianfang backup` and `lianfang restore`.

use std::fs::{File, OpenOptions};
use std::io::BufWriter;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::network::{connect, password};
use super::paths::open_hall;
use super::tools;
use super::CliError;
use crate::config::HallConfig;
use crate::hall::Hall;
use crate::store::backup::{self, BackupHeader};

/// Through the server when `server` is given (the server keeps running), else straight
/// from the data directory (which no server may be using).
pub fn backup(
    data: &Path,
    config: HallConfig,
    out: &Path,
    server: Option<(&str, &str)>,
) -> Result<(), CliError> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(|e| {
            CliError::Input(format!(
                "无法新建备份文件 {}：{e}。备份不会覆盖已有的文件，请换一个文件名",
                out.display()
            ))
        })?;
    let written = write_backup(data, config, file, server)
        .and_then(|()| backup::verify(out).map_err(|e| CliError::Input(e.to_string())));
    match written {
        Ok(header) => {
            report(out, &header);
            Ok(())
        }
        Err(e) => {
            // Half a backup must not be mistaken for one.
            let _ = std::fs::remove_file(out);
            Err(e)
        }
    }
}

fn write_backup(
    data: &Path,
    config: HallConfig,
    file: File,
    server: Option<(&str, &str)>,
) -> Result<(), CliError> {
    let mut out = BufWriter::new(file);
    match server {
        Some((addr, user)) => {
            let password = password(user)?;
            let hall = connect(addr, &config.tls)?;
            let session = hall.login(user, &password, "备份")?;
            let result = hall.backup(&session.token, &mut out);
            let _ = hall.logout(&session.token);
            result?;
        }
        None => {
            let hall = open_hall(data, config)?;
            let token = hall.system_session()?;
            hall.backup(&token, &mut out)?;
        }
    }
    let file = out
        .into_inner()
        .map_err(|e| CliError::Input(format!("备份文件写入失败：{}", e.error())))?;
    file.sync_all()
        .map_err(|e| CliError::Input(format!("备份文件写入失败：{e}")))
}

fn report(out: &Path, header: &BackupHeader) {
    let size = std::fs::metadata(out).map_or(0, |m| m.len());
    println!(
        "已备份“{}”（{}）到 {}，{size} 字节，校验和已核对。",
        header.hall,
        header.created,
        out.display()
    );
}

/// Restores `file` into `data`, which must hold no database yet, then checks the result.
pub fn restore(data: &Path, config: HallConfig, file: &Path) -> Result<(), CliError> {
    let db = data.join("db");
    if db.exists() {
        return Err(CliError::Input(format!(
            "数据目录 {} 里已有数据库，恢复只能进入没有数据库的目录。请用 --data 指定一个新目录",
            data.display()
        )));
    }
    let key_file = crate::store::crypt::key_path(data, config.key_file.as_deref());
    let (header, entries) =
        backup::restore(file, &db, config.cache_mb, &key_file).map_err(|e| {
            // What a failed restore wrote is not a hall: leave the directory as it was.
            let _ = std::fs::remove_dir_all(&db);
            CliError::Input(e.to_string())
        })?;
    println!(
        "已恢复“{}”于 {} 的备份：{entries} 项数据，正在检查……",
        header.hall, header.created
    );
    // A backup taken while the pruner had work keeps those keys; nothing else would remove them.
    tools::check(data, config, true)
}
