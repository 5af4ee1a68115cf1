//! Where the hall lives: the data directory, its config, its log, its database.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};

use super::CliError;
use crate::config::{ConfigError, HallConfig};
use crate::hall::{HallError, LocalHall};

/// The file a hall's own config is read from, inside its data directory.
pub const CONFIG_FILE: &str = "lianfang.toml";
pub const LOG_FILE: &str = "lianfang.log";

/// `--data`, else `$LIANFANG_DATA`, else `$XDG_DATA_HOME/lianfang`, else
/// `$HOME/.local/share/lianfang`, else `./lianfang-data`.
pub fn data_dir(explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| default_data_dir(|name| std::env::var_os(name)))
}

fn default_data_dir(env: impl Fn(&str) -> Option<OsString>) -> PathBuf {
    let set = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("LIANFANG_DATA") {
        dir
    } else if let Some(xdg) = set("XDG_DATA_HOME") {
        xdg.join("lianfang")
    } else if let Some(home) = set("HOME") {
        home.join(".local/share/lianfang")
    } else {
        PathBuf::from("lianfang-data")
    }
}

pub fn create_data_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::Input(format!(
            "无法创建数据目录 {}：{e}。请检查路径和权限，或用 --data 指定其他目录",
            dir.display()
        ))
    })
}

/// Logs go to a file in the data directory, never to the terminal the desk draws on.
/// Logging is best effort: a read-only directory must not stop the hall.
pub fn start_logging(dir: &Path) -> Option<WorkerGuard> {
    let file = RollingFileAppender::builder()
        .rotation(Rotation::NEVER)
        .filename_prefix(LOG_FILE)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init()
        .ok()
        .map(|()| guard)
}

/// `--config FILE`, else `DIR/lianfang.toml` when it exists, else the embedded default;
/// the holiday calendar is the `holidays.toml` beside the config used, or the embedded one,
/// and so are the notice templates (`templates/`).
pub fn load_config(explicit: Option<&Path>, dir: &Path) -> Result<HallConfig, ConfigError> {
    match explicit {
        Some(file) => HallConfig::load(file),
        None => {
            let own = dir.join(CONFIG_FILE);
            if own.exists() {
                HallConfig::load(&own)
            } else {
                let mut config = HallConfig::embedded();
                config.load_beside(dir)?;
                Ok(config)
            }
        }
    }
}

/// Opens the hall's database; a database held by another process is named as such.
/// A hall key created by this opening (a new hall) is announced with where it is.
pub fn open_hall(dir: &Path, config: HallConfig) -> Result<LocalHall, CliError> {
    let hall = LocalHall::open(dir, config).map_err(|e| match &e {
        // sled reports a held file lock as "could not acquire lock on …".
        HallError::Storage(message) if message.contains("acquire lock") => {
            CliError::Locked(dir.to_path_buf())
        }
        _ => CliError::Hall(e),
    })?;
    if let Some(key) = hall.store().created_key() {
        announce_key(key);
    }
    Ok(hall)
}

/// Tells the operator where a new hall key is and that it needs a backup of its own.
pub fn announce_key(key: &Path) {
    tracing::info!("created hall key {}", key.display());
    eprintln!(
        "已生成大厅密钥 {}（仅本用户可读）。数据库中的身份证号码、电话、地址和诉求都用它加密：\
         请立即把它另行备份到数据目录以外的安全位置，丢失密钥数据就再也打不开。",
        key.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HOLIDAYS_FILE;
    use crate::domain::calendar::Calendar;

    fn from(vars: &[(&str, &str)]) -> PathBuf {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        default_data_dir(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn the_data_directory_follows_the_documented_order() {
        let all = [
            ("LIANFANG_DATA", "/srv/hall"),
            ("XDG_DATA_HOME", "/x"),
            ("HOME", "/home/a"),
        ];
        assert_eq!(from(&all), PathBuf::from("/srv/hall"));
        assert_eq!(from(&all[1..]), PathBuf::from("/x/lianfang"));
        assert_eq!(
            from(&all[2..]),
            PathBuf::from("/home/a/.local/share/lianfang")
        );
        // An empty variable counts as unset.
        assert_eq!(
            from(&[("LIANFANG_DATA", ""), ("HOME", "/h")]),
            PathBuf::from("/h/.local/share/lianfang")
        );
        assert_eq!(from(&[]), PathBuf::from("lianfang-data"));
        assert_eq!(data_dir(Some("/d".into())), PathBuf::from("/d"));
    }

    #[test]
    fn a_holiday_file_in_the_data_directory_replaces_the_embedded_one() {
        let dir = tempfile::tempdir().unwrap();
        let embedded = load_config(None, dir.path()).unwrap();
        assert_eq!(embedded.limits.calendar, Calendar::embedded());
        std::fs::write(
            dir.path().join(HOLIDAYS_FILE),
            "[2027]\nholidays = [\"2027-01-01\"]\n",
        )
        .unwrap();
        let own = load_config(None, dir.path()).unwrap();
        assert!(own.limits.calendar.covers(2027));
        assert!(!own.limits.calendar.covers(2026));
        // Beside an explicit config file as well; a broken one names its file and line.
        let other = dir.path().join("other.toml");
        std::fs::write(&other, crate::config::DEFAULT_TOML).unwrap();
        assert!(load_config(Some(&other), dir.path())
            .unwrap()
            .limits
            .calendar
            .covers(2027));
        std::fs::write(
            dir.path().join(HOLIDAYS_FILE),
            "[2027]\nholidays = [\"1月1日\"]\n",
        )
        .unwrap();
        let err = load_config(None, dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(HOLIDAYS_FILE) && err.contains("第 2 行"),
            "{err}"
        );
    }

    #[test]
    fn notice_templates_beside_the_config_are_checked_when_it_loads() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join(crate::notice::TEMPLATES_DIR);
        std::fs::create_dir(&own).unwrap();
        std::fs::write(own.join("extend.txt"), "延期告知\n{延期天数} {延期日}\n").unwrap();
        let err = load_config(None, dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("extend.txt 第 2 行") && err.contains("{延期日}"),
            "{err}"
        );
        // Beside an explicit config file as well.
        let other = dir.path().join("other.toml");
        std::fs::write(&other, crate::config::DEFAULT_TOML).unwrap();
        assert!(load_config(Some(&other), dir.path()).is_err());
    }

    #[test]
    fn a_config_in_the_data_directory_is_used_and_an_explicit_one_wins() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_config(None, dir.path()).unwrap().name,
            "市联合接访中心"
        );
        let own = crate::config::DEFAULT_TOML.replace("市联合接访中心", "区联合接访中心");
        std::fs::write(dir.path().join(CONFIG_FILE), own).unwrap();
        assert_eq!(
            load_config(None, dir.path()).unwrap().name,
            "区联合接访中心"
        );
        let other = dir.path().join("other.toml");
        let text = crate::config::DEFAULT_TOML.replace("市联合接访中心", "县联合接访中心");
        std::fs::write(&other, text).unwrap();
        let c = load_config(Some(&other), dir.path()).unwrap();
        assert_eq!(c.name, "县联合接访中心");
        assert!(load_config(Some(&dir.path().join("missing.toml")), dir.path()).is_err());
    }
}
