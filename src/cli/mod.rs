//! The command line: `lianfang [全局选项] [子命令]`. With no subcommand it opens the desk.
//!
//! Exit codes: 0 success; 1 a user error (the Chinese message is on stderr);
//! 2 `check` found problems.

mod accounts;
mod audit;
mod backup;
mod cert;
mod desk;
mod ledger;
mod migrate;
mod network;
mod notices;
mod output;
mod paths;
mod stats;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::ConfigError;
use crate::domain::officer::Role;
use crate::hall::HallError;

pub const EXIT_OK: u8 = 0;
pub const EXIT_USER_ERROR: u8 = 1;
pub const EXIT_PROBLEMS: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "lianfang",
    version,
    about = "联访：联合接访中心的键盘终端应用",
    long_about = "联访：联合接访中心的键盘终端应用。不带子命令时打开窗口界面。"
)]
pub struct Cli {
    /// 数据目录（默认：$LIANFANG_DATA，或 $XDG_DATA_HOME/lianfang，或 ~/.local/share/lianfang）
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// 配置文件（默认：数据目录下的 lianfang.toml，没有时用内置默认配置）
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// 本窗口的名称，如“人社-1号窗口”
    #[arg(long, value_name = "NAME")]
    desk: Option<String>,
    /// 用 ASCII 字符（+ - |）画边框，适用于把制表线画成双倍宽度的终端
    #[arg(long)]
    ascii: bool,
    /// 打开一个临时的演示大厅（生成的数据在退出后丢弃）
    #[arg(long)]
    demo: bool,
    /// 连接大厅服务器（如 192.168.1.10:7878），不打开本机数据目录
    #[arg(long, value_name = "ADDR", conflicts_with = "demo")]
    server: Option<String>,
    /// 演示大厅的来访人数量
    #[arg(long, value_name = "N", requires = "demo", default_value_t = 2000)]
    demo_visitors: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 首次设置：在信访部门创建管理员账号（密码从标准输入读取）
    Init {
        /// 管理员用户名（英文字母、数字）
        #[arg(long, value_name = "USERNAME")]
        admin: String,
        /// 管理员的显示名
        #[arg(long, value_name = "显示名", default_value = "管理员")]
        name: String,
        /// 从标准输入读取密码（第一行）
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 管理窗口账号
    #[command(subcommand)]
    User(UserCommand),
    /// 在数据目录中生成演示数据（来访人、来访、事项、今日排队）
    Demo {
        /// 生成的来访人数量
        #[arg(long, value_name = "N")]
        visitors: u64,
        /// 随机种子：相同的种子生成相同的数据
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    /// 查询来访人：身份证号（或前几位）、电话（或后四位）、姓名、拼音首字母、事项编号
    Lookup {
        /// 要查询的内容
        text: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 最多列出多少位来访人
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },
    /// 检查所有索引与记录是否一致；有问题时列出并以代码 2 退出
    Check {
        /// 同时清除被后来的来访取代的旧查找索引项（异常停止或恢复备份后遗留的）
        #[arg(long)]
        prune: bool,
    },
    /// 运行大厅服务器：独占数据目录，各窗口用 --server 连接（Ctrl-C 或 SIGTERM 安全停止）
    Serve {
        /// 监听地址
        #[arg(long, value_name = "ADDR", default_value = network::DEFAULT_LISTEN)]
        listen: String,
        /// 没有配置 TLS 证书时也在非本机地址上监听（明文传输，每次启动都会警告）
        #[arg(long)]
        insecure: bool,
    },
    /// 审计记录：登录、查看完整身份证号码、导出和每一次修改，按时间先后（只读）
    Audit {
        /// 只看这个事项（事项编号，如 2026-000123）
        #[arg(long, value_name = "编号")]
        matter: Option<String>,
        /// 只看这个账号（用户名）
        #[arg(long, value_name = "USERNAME")]
        officer: Option<String>,
        /// 从这一天起（含），如 2026-11-01
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// 到这一天止（含），如 2026-11-30
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 导出台账（来访或事项）为 .xlsx 或 CSV；身份证号码默认打码
    Export {
        /// 起始日期，如 2026-01-01
        #[arg(long, value_name = "DATE", value_parser = stats::parse_date)]
        from: chrono::NaiveDate,
        /// 结束日期（含当天），如 2026-12-31
        #[arg(long, value_name = "DATE", value_parser = stats::parse_date)]
        to: chrono::NaiveDate,
        /// visits（来访台账，每批次一行）或 matters（事项台账，每件一行）
        #[arg(long, value_name = "WHAT", value_parser = crate::domain::ledger::LedgerKind::parse, default_value = "visits")]
        what: crate::domain::ledger::LedgerKind,
        /// xlsx 或 csv（默认按输出文件的扩展名）
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// 输出文件
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 导出完整的身份证号码和电话（记入审计）
        #[arg(long)]
        full_id: bool,
    },
    /// 导入已有的来访台账（.xlsx 或 .csv，列见 config/台账导入模板.csv）；先检查每一行，确认后才写入
    Import {
        /// 台账文件
        file: PathBuf,
        /// 只检查并列出将导入和有误的行，不写入
        #[arg(long)]
        dry_run: bool,
        /// 不询问，直接导入
        #[arg(long)]
        yes: bool,
    },
    /// 大厅大屏：显示正在叫的号和各部门等候人数（只读，需要“大屏”角色的账号）
    Display {
        /// 大厅服务器地址
        #[arg(long, value_name = "ADDR")]
        server: String,
        /// 大屏账号（密码从环境变量 LIANFANG_PASSWORD 读取，没有时在终端输入）
        #[arg(long, value_name = "USERNAME")]
        user: String,
    },
    /// 出具事项的书面告知（受理告知书、不予受理告知书、转送告知、延期告知、答复意见书）
    Notice {
        /// 事项编号，如 2026-000123
        #[arg(long, value_name = "NUMBER")]
        matter: String,
        /// 告知书种类：受理告知书（accept）、不予受理告知书（refuse）、转送告知（route）、延期告知（extend）、答复意见书（reply）
        #[arg(long, value_name = "KIND", value_parser = notices::parse_kind)]
        kind: crate::notice::NoticeKind,
        /// 写入这个文本文件（UTF-8），不指定时输出到屏幕
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 大厅的 TLS 证书：生成自签名证书，或查看证书指纹
    #[command(subcommand)]
    Cert(CertCommand),
    /// 备份整个数据库到一个文件（带校验和）；服务器运行时用 --server 通过服务器备份
    Backup {
        /// 备份文件（不会覆盖已有文件）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 通过正在运行的大厅服务器备份（如 127.0.0.1:7878）
        #[arg(long, value_name = "ADDR", requires = "user")]
        server: Option<String>,
        /// 管理员账号（密码从环境变量 LIANFANG_PASSWORD 读取，没有时在终端输入）
        #[arg(long, value_name = "USERNAME", requires = "server")]
        user: Option<String>,
    },
    /// 把旧版（第 4 至 9 版）的数据目录迁移为当前格式：记录全部保留（第 4 版同时加密），然后检查
    Migrate,
    /// 把备份文件恢复到 --data 指定的、还没有数据库的目录，然后检查
    Restore {
        /// 备份文件
        file: PathBuf,
    },
    /// 数据统计：来访批次、人次、集体访、重复访、件、受理、办结和各项比率，含环比和同比
    Stats {
        /// 起始日期（含），如 2026-11-01；不写起止日期时统计本月
        #[arg(long, value_name = "日期", value_parser = stats::parse_date)]
        from: Option<chrono::NaiveDate>,
        /// 截止日期（含）
        #[arg(long, value_name = "日期", value_parser = stats::parse_date)]
        to: Option<chrono::NaiveDate>,
        /// 分项：department 按部门、class 按内容分类、officer 按接待人员
        #[arg(long, value_enum, default_value = "department")]
        by: stats::By,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 报表
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// 领导日报：当日来访数字、未办结的集体访、超期和临期事项
    Daily {
        /// 日期，如 2026-11-27（默认今天）
        #[arg(long, value_name = "日期", value_parser = stats::parse_date)]
        date: Option<chrono::NaiveDate>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum CertCommand {
    /// 生成自签名证书和私钥（hall-cert.pem、hall-key.pem），并显示供窗口固定的指纹
    New {
        /// 证书上的大厅名称（默认取配置文件中的名称）
        #[arg(long, value_name = "名称")]
        hall: Option<String>,
        /// 窗口连接服务器所用的地址（IP 或主机名），可写多次；localhost 和 127.0.0.1 总是包含
        #[arg(long = "host", value_name = "HOST", required = true)]
        hosts: Vec<String>,
        /// 写入证书和私钥的目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// 有效天数
        #[arg(long, value_name = "N", default_value_t = cert::DEFAULT_DAYS)]
        days: u32,
    },
    /// 显示证书文件的 SHA-256 指纹
    Show { file: PathBuf },
}

impl Command {
    /// For the log: the subcommand only, never its arguments (a lookup text may be an
    /// identity number).
    fn name(&self) -> &'static str {
        match self {
            Command::Init { .. } => "init",
            Command::User(_) => "user",
            Command::Demo { .. } => "demo",
            Command::Lookup { .. } => "lookup",
            Command::Check { .. } => "check",
            Command::Serve { .. } => "serve",
            Command::Display { .. } => "display",
            Command::Notice { .. } => "notice",
            Command::Audit { .. } => "audit",
            Command::Cert(_) => "cert",
            Command::Backup { .. } => "backup",
            Command::Restore { .. } => "restore",
            Command::Migrate => "migrate",
            Command::Stats { .. } => "stats",
            Command::Report(_) => "report",
            Command::Export { .. } => "export",
            Command::Import { .. } => "import",
        }
    }
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// 新建账号（密码从标准输入读取）
    Add {
        /// 用户名（英文字母、数字、下划线、点或连字符）
        username: String,
        /// 显示名，如“张三”
        #[arg(long, value_name = "显示名")]
        name: String,
        /// 角色：registrar 登记员、window 窗口、leader 带班领导、admin 管理员、display 大屏
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// 部门代码（见配置文件，如 rs 表示人社）
        #[arg(long, value_name = "CODE")]
        dept: String,
        /// 从标准输入读取密码（第一行）
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 修改密码（新密码从标准输入读取）
    Passwd {
        username: String,
        /// 从标准输入读取密码（第一行）
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 停用账号（不删除，历史记录保留）
    Disable { username: String },
    /// 重新启用账号
    Enable { username: String },
    /// 解除因连续输错密码造成的锁定
    Unlock { username: String },
    /// 列出所有账号
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_label(text).ok_or_else(|| {
        let names: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("{}（{}）", r.cli_name(), r.label()))
            .collect();
        format!("没有这个角色，可选：{}", names.join("、"))
    })
}

/// Everything that ends a command early, with the words shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Hall(#[from] HallError),
    #[error(
        "数据目录 {0} 正被另一个联访程序使用（数据库同一时间只能由一个程序打开）。\
         请先关闭那个程序；需要多个窗口同时使用时，请在这台机器上运行 lianfang serve，各窗口用 --server 连接"
    )]
    Locked(PathBuf),
    /// Bad input that clap cannot see: an empty password, an unreadable directory …
    #[error("{0}")]
    Input(String),
    #[error("窗口界面无法运行：{0}")]
    Desk(String),
    #[error("检查发现 {0} 处问题，见上面的列表")]
    Problems(usize),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Problems(_) => EXIT_PROBLEMS,
            _ => EXIT_USER_ERROR,
        }
    }
}

/// The binary's whole body: parse, run, report.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; every usage error is a user error (1).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_USER_ERROR
            } else {
                EXIT_OK
            });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let data = paths::data_dir(cli.data.clone());
    paths::create_data_dir(&data)?;
    // Held until the command is done, so everything it logs reaches the file.
    let _log = paths::start_logging(&data);
    let command = cli.command.as_ref().map_or("desk", Command::name);
    tracing::info!(data = %data.display(), command, "lianfang 启动");
    let result = dispatch(cli, &data);
    if let Err(e) = &result {
        tracing::error!("{e}");
    }
    result
}

fn dispatch(cli: Cli, data: &std::path::Path) -> Result<(), CliError> {
    let config = paths::load_config(cli.config.as_deref(), data)?;
    if cli.demo && cli.command.is_some() {
        return Err(CliError::Input(
            "--demo 只用于打开演示窗口界面，不能与子命令一起使用".into(),
        ));
    }
    match cli.command {
        None => {
            let options = desk::DeskArgs {
                desk: cli.desk.unwrap_or_default(),
                ascii: cli.ascii,
                demo_visitors: cli.demo.then_some(cli.demo_visitors),
                server: cli.server,
            };
            desk::run(data, config, options)
        }
        Some(Command::Init {
            admin,
            name,
            password_stdin: _,
        }) => accounts::init(data, config, &admin, &name),
        Some(Command::User(command)) => accounts::user(data, config, command),
        Some(Command::Demo { visitors, seed }) => tools::demo(data, config, visitors, seed),
        Some(Command::Lookup { text, json, limit }) => {
            tools::lookup(data, config, &text, json, limit)
        }
        Some(Command::Check { prune }) => tools::check(data, config, prune),
        Some(Command::Serve { listen, insecure }) => {
            network::serve(data, config, &listen, insecure)
        }
        Some(Command::Display { server, user }) => network::display(&server, &user, &config.tls),
        Some(Command::Cert(CertCommand::New {
            hall,
            hosts,
            out,
            days,
        })) => cert::new(hall.as_deref().unwrap_or(&config.name), &hosts, &out, days),
        Some(Command::Cert(CertCommand::Show { file })) => cert::show(&file),
        Some(Command::Backup { out, server, user }) => {
            let remote = server.as_deref().zip(user.as_deref());
            backup::backup(data, config, &out, remote)
        }
        Some(Command::Restore { file }) => backup::restore(data, config, &file),
        Some(Command::Migrate) => migrate::migrate(data, config),
        Some(Command::Notice { matter, kind, out }) => {
            notices::notice(data, config, &matter, kind, out.as_deref())
        }
        Some(Command::Audit {
            matter,
            officer,
            from,
            to,
            json,
        }) => audit::audit(
            data,
            config,
            audit::AuditArgs {
                matter,
                officer,
                from,
                to,
                json,
            },
        ),
        Some(Command::Stats { from, to, by, json }) => {
            stats::stats(data, config, from, to, by, json)
        }
        Some(Command::Report(ReportCommand::Daily { date, json })) => {
            stats::daily(data, config, date, json)
        }
        Some(Command::Export {
            from,
            to,
            what,
            format,
            out,
            full_id,
        }) => ledger::export(
            data,
            config,
            ledger::ExportArgs {
                from,
                to,
                kind: what,
                format: format.as_deref(),
                out: &out,
                full_id,
            },
        ),
        Some(Command::Import { file, dry_run, yes }) => {
            ledger::import(data, config, &file, dry_run, yes)
        }
    }
}
