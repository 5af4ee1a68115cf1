//! `lianfang migrate`: converts the data directory's database of an older layout (4:
//! sensitive data in plain; 5: no ledger entries; 6: matter entries without their row;
//! 7: indexes of visits and matters by time) to the current layout in place. The new
//! database is written beside the old one and checked; only then are the two swapped,
//! the old one kept as `db.layout4` … `db.layout7`.

use std::path::Path;

use super::paths::announce_key;
use super::CliError;
use crate::config::HallConfig;
use crate::store::crypt::key_path;
use crate::store::migrate::{layout_of, migrate as migrate_store};
use crate::store::{StoreError, LAYOUT, SAME_KEYS};

/// Where the unfinished new database is written.
const MIGRATING: &str = "db.migrating";

fn io(what: &str, path: &Path, e: std::io::Error) -> CliError {
    CliError::Input(format!(
        "{what} {} 失败：{e}。请检查数据目录的权限和磁盘空间",
        path.display()
    ))
}

pub fn migrate(data: &Path, config: HallConfig) -> Result<(), CliError> {
    let db = data.join("db");
    let store_error = |e: StoreError| CliError::Input(e.to_string());
    let found = layout_of(&db, config.cache_mb).map_err(store_error)?;
    if let Some(found) = found.filter(|found| SAME_KEYS.contains(found)) {
        println!(
            "数据目录 {} 是第 {found} 版格式，本程序直接打开（当前为第 {LAYOUT} 版），无需迁移。",
            data.display()
        );
        return Ok(());
    }
    if !db.exists() {
        return Err(CliError::Input(format!(
            "数据目录 {} 里没有数据库，没有可迁移的数据。请用 --data 指定要迁移的数据目录",
            data.display()
        )));
    }
    // Where the old database is kept after the migration.
    let old = data.join(format!("db.layout{}", found.unwrap_or(0)));
    if old.exists() {
        return Err(CliError::Input(format!(
            "{} 已存在（上一次迁移留下的旧数据库）。请先把它移走或确认销毁，再迁移",
            old.display()
        )));
    }
    let new = data.join(MIGRATING);
    // Only an interrupted earlier run of this command writes here.
    if new.exists() {
        std::fs::remove_dir_all(&new).map_err(|e| io("清理未完成的迁移", &new, e))?;
    }
    let key_file = key_path(data, config.key_file.as_deref());
    let had_key = key_file.exists();
    eprintln!("正在迁移第 {} 版数据库，记录全部保留……", found.unwrap_or(0));
    let migrated = migrate_store(&db, &new, &key_file, config.cache_mb).map_err(store_error)?;
    if !had_key {
        announce_key(&key_file);
    }
    if !migrated.check.is_ok() {
        for p in &migrated.check.problems {
            eprintln!("  {p}");
        }
        return Err(CliError::Input(format!(
            "迁移后的数据库检查发现 {} 个问题，原数据库没有改动；新数据库留在 {} 供管理员查看",
            migrated.check.problems.len(),
            new.display()
        )));
    }
    std::fs::rename(&db, &old).map_err(|e| io("移走旧数据库", &db, e))?;
    std::fs::rename(&new, &db).map_err(|e| io("启用新数据库", &new, e))?;
    println!(
        "已迁移：{} 条记录，{} 个索引项，{} 条台账条目，检查通过。大厅密钥：{}",
        migrated.records,
        migrated.check.index_entries,
        migrated.entries,
        key_file.display()
    );
    if migrated.from < 5 {
        println!(
            "旧数据库（未加密）保留在 {}：确认新数据库无误后，请安全销毁它（如 shred）和以前的未加密备份。",
            old.display()
        );
    } else {
        println!(
            "旧数据库保留在 {}：确认新数据库无误后可以删除它。",
            old.display()
        );
    }
    Ok(())
}
