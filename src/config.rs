//! The hall's configuration: `config/lianfang.toml`, embedded as the default.

use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Deserialize;

use crate::domain::calendar::{Calendar, DayKind, HolidayError};
use crate::domain::department::{Department, DeptCode};
use crate::domain::lifecycle::{DeadlineRules, TimeLimits};
use crate::domain::time::parse_offset;
use crate::notice::{NoticeTemplates, TemplateError};

/// The shipped default, so a fresh machine needs no file at all.
pub const DEFAULT_TOML: &str = include_str!("../config/lianfang.toml");
pub const DEFAULT_SOURCE: &str = "内置默认配置 config/lianfang.toml";
/// The holiday calendar a hall reads beside its config; the embedded one otherwise.
pub const HOLIDAYS_FILE: &str = "holidays.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{message}")]
    Read { path: PathBuf, message: String },
    #[error("配置文件 {source_name} 第 {line} 行有误：{message}")]
    Invalid {
        source_name: String,
        line: usize,
        message: String,
    },
    #[error(transparent)]
    Holidays(#[from] HolidayError),
    #[error(transparent)]
    Templates(#[from] TemplateError),
}

#[derive(Clone, Debug)]
pub struct HallConfig {
    pub name: String,
    pub timezone: FixedOffset,
    pub group_visit_threshold: u16,
    pub max_representatives: usize,
    pub cache_mb: u64,
    /// `[store] key_file`: the hall key; relative to the folder holding the data
    /// directory. None: `<data directory>.key` beside it.
    pub key_file: Option<PathBuf>,
    pub ascii_borders: bool,
    /// Where a desk writes the notices it prints (`[ui] notice_dir`); relative to the data
    /// directory. None: `notices/` in the data directory.
    pub notice_dir: Option<PathBuf>,
    /// Where a desk writes ledger exports by default (`[ui] export_dir`); relative to the data
    /// directory. None: the folder the desk was started in.
    pub export_dir: Option<PathBuf>,
    /// `[desk] lock_after_minutes`: idle minutes before a desk locks its screen; 0 never.
    pub lock_after_minutes: u32,
    /// The `[deadlines]` section and the holiday calendar they count on.
    pub limits: TimeLimits,
    pub content_classes: Vec<String>,
    pub departments: Vec<Department>,
    /// The written notices' templates: embedded, or the hall's own `templates/` files.
    pub notices: NoticeTemplates,
    /// Levels a visitor may already have taken a matter to, the hall's own first
    /// (`本级 / 到市 / 到省 / 进京`); a visit records an index into it.
    pub visit_levels: Vec<String>,
    /// `[server]` and `[desk]`: TLS between desks and `lianfang serve`.
    pub tls: TlsSettings,
}

/// Where the certificates are. Relative paths count from the config file's directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// `[server] tls_cert`: the server's certificate (PEM).
    pub cert: Option<PathBuf>,
    /// `[server] tls_key`: its private key (PEM).
    pub key: Option<PathBuf>,
    /// `[desk] tls_ca`: the certificate (or CA) a desk trusts.
    pub ca: Option<PathBuf>,
    /// `[desk] tls_pin_sha256`: the one server certificate a desk trusts, by fingerprint.
    pub pin_sha256: Option<[u8; 32]>,
}

impl TlsSettings {
    fn relative_to(&mut self, dir: &Path) {
        for path in [&mut self.cert, &mut self.key, &mut self.ca]
            .into_iter()
            .flatten()
        {
            if path.is_relative() {
                *path = dir.join(&*path);
            }
        }
    }
}

// The file's shape; checked and turned into `HallConfig` by `HallConfig::parse`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    hall: RawHall,
    store: RawStore,
    #[serde(default)]
    ui: RawUi,
    #[serde(default)]
    desk: RawDesk,
    deadlines: RawDeadlines,
    matters: RawMatters,
    departments: Vec<RawDepartment>,
    #[serde(default)]
    server: RawServer,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHall {
    name: String,
    timezone: String,
    group_visit_threshold: u16,
    max_representatives: usize,
    #[serde(default = "default_visit_levels")]
    visit_levels: Vec<String>,
}

/// Older config files have no `visit_levels`: they get the usual four.
fn default_visit_levels() -> Vec<String> {
    ["本级", "到市", "到省", "进京"].map(String::from).to_vec()
}

/// The most levels a hall may configure: a visit stores its level in one byte.
const MAX_VISIT_LEVELS: usize = 8;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    cache_mb: u64,
    #[serde(default)]
    key_file: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUi {
    #[serde(default)]
    ascii_borders: bool,
    #[serde(default)]
    notice_dir: Option<PathBuf>,
    #[serde(default)]
    export_dir: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesk {
    #[serde(default = "default_lock_after_minutes")]
    lock_after_minutes: u32,
    tls_ca: Option<PathBuf>,
    tls_pin_sha256: Option<String>,
}

/// Ten idle minutes: long enough for a visitor's story, short enough for a coffee break.
fn default_lock_after_minutes() -> u32 {
    10
}

impl Default for RawDesk {
    fn default() -> Self {
        RawDesk {
            lock_after_minutes: default_lock_after_minutes(),
            tls_ca: None,
            tls_pin_sha256: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawDayKind {
    Calendar,
    Working,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    day_kind: RawDayKind,
    route_days: u32,
    notify_days: u32,
    objection_working_days: u32,
    handle_days: u32,
    extend_days: u32,
    review_request_days: u32,
    review_days: u32,
    recheck_request_days: u32,
    recheck_days: u32,
    warning_bands: Vec<u8>,
    due_soon_days: u32,
    seriously_overdue_days: u32,
}

impl RawDeadlines {
    fn rules(self) -> DeadlineRules {
        DeadlineRules {
            day_kind: match self.day_kind {
                RawDayKind::Calendar => DayKind::Calendar,
                RawDayKind::Working => DayKind::Working,
            },
            route_days: self.route_days,
            notify_days: self.notify_days,
            objection_working_days: self.objection_working_days,
            handle_days: self.handle_days,
            extend_days: self.extend_days,
            review_request_days: self.review_request_days,
            review_days: self.review_days,
            recheck_request_days: self.recheck_request_days,
            recheck_days: self.recheck_days,
            warning_bands: self.warning_bands,
            due_soon_days: self.due_soon_days,
            seriously_overdue_days: self.seriously_overdue_days,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatters {
    content_classes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    code: String,
    name: String,
    prefix: String,
    #[serde(default)]
    intake: bool,
    #[serde(default)]
    accusations: bool,
}

impl HallConfig {
    pub fn embedded() -> HallConfig {
        HallConfig::parse(DEFAULT_TOML, DEFAULT_SOURCE).expect("the embedded config is valid")
    }

    /// A config file, with the holiday calendar beside it (see `load_holidays`).
    pub fn load(path: &Path) -> Result<HallConfig, ConfigError> {
        let mut config = HallConfig::parse(&read(path)?, &path.display().to_string())?;
        if let Some(dir) = path.parent() {
            config.load_beside(dir)?;
            config.tls.relative_to(dir);
        }
        Ok(config)
    }

    /// What a hall keeps beside its config: the holiday calendar and notice templates.
    pub fn load_beside(&mut self, dir: &Path) -> Result<(), ConfigError> {
        self.load_holidays(dir)?;
        self.notices.load_dir(dir)?;
        Ok(())
    }

    /// Counts deadlines on `DIR/holidays.toml` when that file exists; the embedded
    /// calendar stays otherwise.
    pub fn load_holidays(&mut self, dir: &Path) -> Result<(), ConfigError> {
        let path = dir.join(HOLIDAYS_FILE);
        if path.exists() {
            self.limits.calendar = Calendar::parse(&read(&path)?, &path.display().to_string())?;
        }
        Ok(())
    }

    /// Parses and checks a config, with the embedded holiday calendar; every error names the
    /// file and the line.
    pub fn parse(text: &str, source_name: &str) -> Result<HallConfig, ConfigError> {
        let invalid = |line: usize, message: String| ConfigError::Invalid {
            source_name: source_name.to_string(),
            line,
            message,
        };
        // Semantic errors point at the line where the offending value is written.
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1)
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            invalid(line, e.message().to_string())
        })?;

        let timezone = parse_offset(&raw.hall.timezone).ok_or_else(|| {
            invalid(
                line_of("timezone"),
                format!("时区“{}”应写成 +08:00 这样的形式", raw.hall.timezone),
            )
        })?;
        if raw.hall.name.trim().is_empty() {
            return Err(invalid(line_of("name"), "大厅名称不能为空".into()));
        }
        if raw.hall.group_visit_threshold < 2 {
            return Err(invalid(
                line_of("group_visit_threshold"),
                "集体访人数门槛至少为 2".into(),
            ));
        }
        if !(1..=5).contains(&raw.hall.max_representatives) {
            return Err(invalid(
                line_of("max_representatives"),
                "代表人数上限应在 1 到 5 之间（条例第二十条）".into(),
            ));
        }
        let levels = &raw.hall.visit_levels;
        let blank_or_twice = levels
            .iter()
            .enumerate()
            .any(|(i, l)| l.trim().is_empty() || levels[..i].contains(l));
        if !(2..=MAX_VISIT_LEVELS).contains(&levels.len()) || blank_or_twice {
            return Err(invalid(
                line_of("visit_levels"),
                format!("来访层级应为 2 到 {MAX_VISIT_LEVELS} 个不重复、不为空的名称，从本级开始由低到高排列"),
            ));
        }
        if !(8..=4096).contains(&raw.store.cache_mb) {
            return Err(invalid(
                line_of("cache_mb"),
                "缓存大小应在 8 到 4096 MiB 之间".into(),
            ));
        }
        if raw.matters.content_classes.is_empty() {
            return Err(invalid(
                line_of("content_classes"),
                "至少要配置一个内容分类".into(),
            ));
        }
        if raw.departments.is_empty() {
            return Err(invalid(
                line_of("[[departments]]"),
                "至少要配置一个部门".into(),
            ));
        }
        let rules = raw.deadlines.rules();
        rules
            .check()
            .map_err(|e| invalid(line_of(&format!("{} =", e.field)), e.message))?;
        let mut departments: Vec<Department> = Vec::new();
        for d in raw.departments {
            let line = line_of(&format!("\"{}\"", d.code));
            let valid_code = !d.code.is_empty()
                && d.code.len() <= 16
                && d.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !valid_code {
                return Err(invalid(
                    line,
                    format!("部门代码“{}”只能用 1 到 16 个小写英文字母或数字", d.code),
                ));
            }
            if departments.iter().any(|e| e.code.as_str() == d.code) {
                return Err(invalid(line, format!("部门代码“{}”重复", d.code)));
            }
            if d.name.trim().is_empty() || d.prefix.trim().is_empty() {
                return Err(invalid(
                    line,
                    format!("部门“{}”的名称和号码前缀不能为空", d.code),
                ));
            }
            departments.push(Department {
                code: DeptCode(d.code),
                name: d.name,
                ticket_prefix: d.prefix,
                intake: d.intake,
                accusations: d.accusations,
            });
        }
        // The shipped file mentions these keys in comments: find the line that sets one.
        let setting_line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(1, |i| i + 1)
        };
        if raw.server.tls_cert.is_some() != raw.server.tls_key.is_some() {
            return Err(invalid(
                setting_line("tls_"),
                "[server] 的 tls_cert 和 tls_key 必须同时设置".into(),
            ));
        }
        let pin_sha256 = match &raw.desk.tls_pin_sha256 {
            None => None,
            Some(text) => Some(crate::net::tls::parse_fingerprint(text).ok_or_else(|| {
                invalid(
                    setting_line("tls_pin_sha256"),
                    "tls_pin_sha256 应是 64 位十六进制数（可用冒号分隔），照抄 lianfang cert new 输出的指纹"
                        .into(),
                )
            })?),
        };
        let tls = TlsSettings {
            cert: raw.server.tls_cert,
            key: raw.server.tls_key,
            ca: raw.desk.tls_ca,
            pin_sha256,
        };
        Ok(HallConfig {
            name: raw.hall.name,
            timezone,
            group_visit_threshold: raw.hall.group_visit_threshold,
            max_representatives: raw.hall.max_representatives,
            cache_mb: raw.store.cache_mb,
            key_file: raw.store.key_file,
            ascii_borders: raw.ui.ascii_borders,
            notice_dir: raw.ui.notice_dir,
            export_dir: raw.ui.export_dir,
            lock_after_minutes: raw.desk.lock_after_minutes,
            limits: TimeLimits::new(rules, Calendar::embedded()),
            content_classes: raw.matters.content_classes,
            departments,
            notices: NoticeTemplates::embedded(),
            visit_levels: raw.hall.visit_levels,
            tls,
        })
    }

    pub fn department(&self, code: &DeptCode) -> Option<&Department> {
        self.departments.iter().find(|d| &d.code == code)
    }

    /// Short name for lists: the ticket prefix (`人社`).
    pub fn dept_short(&self, code: &DeptCode) -> String {
        self.department(code)
            .map_or_else(|| code.to_string(), |d| d.ticket_prefix.clone())
    }

    /// How records count in the statistics of this hall.
    pub fn tally_rules(&self) -> crate::domain::stats::TallyRules {
        crate::domain::stats::TallyRules {
            tz: self.timezone,
            group_threshold: self.group_visit_threshold,
            limits: self.limits.clone(),
        }
    }

    pub fn intake_department(&self) -> &Department {
        self.departments
            .iter()
            .find(|d| d.intake)
            .unwrap_or(&self.departments[0])
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_is_valid_and_complete() {
        let c = HallConfig::embedded();
        assert_eq!(c.departments.len(), 12);
        assert_eq!(c.cache_mb, 64);
        assert_eq!(c.timezone.local_minus_utc(), 8 * 3600);
        assert_eq!(c.limits.rules, DeadlineRules::default());
        assert_eq!(c.limits.calendar, Calendar::embedded());
        assert!(c.departments.iter().any(|d| d.accusations));
        assert_eq!(c.intake_department().name, "信访局");
    }

    fn line_starting(text: &str, start: &str) -> String {
        let line = text.lines().position(|l| l.starts_with(start)).unwrap() + 1;
        format!("第 {line} 行")
    }

    #[test]
    fn the_notice_folder_is_optional() {
        assert_eq!(HallConfig::embedded().notice_dir, None);
        let own = DEFAULT_TOML.replace("[ui]", "[ui]\nnotice_dir = \"/srv/告知书\"");
        let c = HallConfig::parse(&own, "x.toml").unwrap();
        assert_eq!(c.notice_dir, Some(PathBuf::from("/srv/告知书")));
    }

    #[test]
    fn the_export_folder_is_optional() {
        assert_eq!(HallConfig::embedded().export_dir, None);
        let own = DEFAULT_TOML.replace("[ui]", "[ui]\nexport_dir = \"/srv/台账\"");
        let c = HallConfig::parse(&own, "x.toml").unwrap();
        assert_eq!(c.export_dir, Some(PathBuf::from("/srv/台账")));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let broken = DEFAULT_TOML.replace("cache_mb = 64", "cache_mb = ");
        let err = HallConfig::parse(&broken, "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.toml"), "{err}");
        assert!(
            err.contains(&line_starting(DEFAULT_TOML, "cache_mb")),
            "{err}"
        );
    }

    #[test]
    fn semantic_errors_name_the_line() {
        let dup = DEFAULT_TOML.replace("code = \"jw\"", "code = \"rs\"");
        let err = HallConfig::parse(&dup, "x.toml").unwrap_err().to_string();
        assert!(err.contains("重复"), "{err}");
        assert!(err.contains(&line_starting(&dup, "code = \"rs\"")), "{err}");
        let tz = DEFAULT_TOML.replace("\"+08:00\"", "\"Beijing\"");
        let err = HallConfig::parse(&tz, "x.toml").unwrap_err().to_string();
        assert!(err.contains(&line_starting(&tz, "timezone")), "{err}");
        let bands = DEFAULT_TOML.replace("[50, 75, 85, 99]", "[75, 50]");
        let err = HallConfig::parse(&bands, "x.toml").unwrap_err().to_string();
        assert!(err.contains("预警比例"), "{err}");
        assert!(
            err.contains(&line_starting(&bands, "warning_bands")),
            "{err}"
        );
        let unknown = DEFAULT_TOML.replace("[ui]", "[ui]\ncolour = 1");
        assert!(HallConfig::parse(&unknown, "x.toml").is_err());
    }

    #[test]
    fn tls_settings_are_checked_and_resolved_beside_the_config_file() {
        let half = format!("{DEFAULT_TOML}\n[server]\ntls_cert = \"c.pem\"\n");
        let err = HallConfig::parse(&half, "x.toml").unwrap_err().to_string();
        assert!(err.contains("必须同时设置"), "{err}");
        assert!(err.contains(&line_starting(&half, "tls_cert")), "{err}");
        // The shipped file already has a `[desk]` section: the setting goes into it.
        let in_desk =
            |line: &str| DEFAULT_TOML.replacen("[desk]\n", &format!("[desk]\n{line}\n"), 1);
        let bad_pin = in_desk("tls_pin_sha256 = \"AB:CD\"");
        let err = HallConfig::parse(&bad_pin, "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("64 位十六进制"), "{err}");
        assert!(
            err.contains(&line_starting(&bad_pin, "tls_pin_sha256")),
            "{err}"
        );

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lianfang.toml");
        let pin = format!("tls_pin_sha256 = \"{}\"", "0a".repeat(32));
        let full = format!(
            "{}\n[server]\ntls_cert = \"tls/c.pem\"\ntls_key = \"/etc/k.pem\"\n",
            in_desk(&pin)
        );
        std::fs::write(&file, full).unwrap();
        let tls = HallConfig::load(&file).unwrap().tls;
        assert_eq!(tls.cert, Some(dir.path().join("tls/c.pem")));
        assert_eq!(tls.key, Some(PathBuf::from("/etc/k.pem")));
        assert_eq!(tls.pin_sha256, Some([0x0a; 32]));
        assert_eq!(HallConfig::embedded().tls, TlsSettings::default());
    }
}
