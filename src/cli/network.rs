//! `serve`, `display` and the desk's `--server`: the hall over the LAN.

use std::io::{IsTerminal, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use super::paths::open_hall;
use super::CliError;
use crate::config::{HallConfig, TlsSettings};
use crate::display::run_display;
use crate::hall::Hall;
use crate::net::{self, tls, ClientConfig, RemoteHall, ServerConfig};

/// The port a hall listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:7878";

/// `lianfang serve`: owns the database and serves every desk until SIGINT/SIGTERM.
/// Without TLS it listens only on a loopback address, unless `insecure`.
pub fn serve(
    data: &Path,
    config: HallConfig,
    listen: &str,
    insecure: bool,
) -> Result<(), CliError> {
    let tls = tls::server_config(&config.tls).map_err(|e| CliError::Input(e.to_string()))?;
    let hall = Arc::new(open_hall(data, config)?);
    let listener = TcpListener::bind(listen).map_err(|e| {
        CliError::Input(format!(
            "无法在 {listen} 上监听：{e}。请检查端口是否已被占用，或用 --listen 换一个地址"
        ))
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Input(format!("无法读取监听地址：{e}")))?;
    let exposed = tls.is_none() && !local.ip().is_loopback();
    if exposed && !insecure {
        return Err(CliError::Input(format!(
            "拒绝在 {local} 上不加密地监听：局域网内的任何人都可能截获来访人的个人信息和账号密码。\
             请在配置文件的 [server] 中设置 tls_cert 和 tls_key（可用 lianfang cert new 生成），\
             或只在本机地址 127.0.0.1 上监听；确需不加密运行时加 --insecure"
        )));
    }
    let encryption = if tls.is_some() {
        "TLS 加密"
    } else {
        "不加密"
    };
    // Stderr, not stdout: a service manager captures it, and scripts parse nothing here.
    eprintln!(
        "联访服务器已启动：{}，数据目录 {}，监听 {local}。{encryption}，按 Ctrl-C 停止。",
        hall.config().name,
        data.display()
    );
    if let Some(warning) = hall.info().ok().and_then(|i| i.calendar_warning) {
        eprintln!("注意：{warning}");
    }
    if exposed {
        eprintln!(
            "警告：服务器以不加密方式在 {local} 上监听（--insecure）。来访人的个人信息和账号密码\
             在局域网上以明文传输，请尽快配置 [server] tls_cert 和 tls_key"
        );
        tracing::warn!(listen = %local, "serving without TLS on a non-loopback address");
    }
    tracing::info!(listen = %local, tls = tls.is_some(), "serving");
    let server_config = ServerConfig {
        tls,
        ..ServerConfig::default()
    };
    net::serve_until_signal(hall, listener, server_config)
        .map_err(|e| CliError::Input(e.to_string()))?;
    eprintln!("联访服务器已停止，数据已写入磁盘。");
    Ok(())
}

/// Connects to a hall server, over TLS when `[desk]` names a CA or a pinned certificate.
pub fn connect(server: &str, settings: &TlsSettings) -> Result<RemoteHall, CliError> {
    let tls = tls::client_config(settings).map_err(|e| CliError::Input(e.to_string()))?;
    let config = ClientConfig {
        tls,
        ..ClientConfig::default()
    };
    RemoteHall::connect_with(server, config).map_err(CliError::Hall)
}

/// `lianfang display --server ADDR --user NAME`: the wall screen.
pub fn display(server: &str, user: &str, settings: &TlsSettings) -> Result<(), CliError> {
    require_terminal()?;
    let password = password(user)?;
    let hall = connect(server, settings)?;
    run_display(Arc::new(hall), user, &password).map_err(|e| CliError::Desk(e.to_string()))
}

/// The password of `user`: `$LIANFANG_PASSWORD`, else asked on the terminal.
pub fn password(user: &str) -> Result<String, CliError> {
    match std::env::var("LIANFANG_PASSWORD") {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => prompt_password(&format!("账号 {user} 的密码：")),
    }
}

pub fn require_terminal() -> Result<(), CliError> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(CliError::Desk(
            "标准输入或输出不是终端。请在终端窗口中直接运行 lianfang；\
             在脚本中请使用子命令（lianfang --help 查看）"
                .into(),
        ))
    }
}

/// Reads a password on the terminal without echoing it.
fn prompt_password(prompt: &str) -> Result<String, CliError> {
    use ratatui::crossterm::event::{read, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode};
    let io = |e: std::io::Error| CliError::Input(format!("无法读取密码：{e}"));
    let mut out = std::io::stdout();
    write!(out, "{prompt}")
        .and_then(|_| out.flush())
        .map_err(io)?;
    enable_raw_mode().map_err(io)?;
    let mut password = String::new();
    let result = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Esc => break Err(CliError::Input("已取消".into())),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(CliError::Input("已取消".into()))
                }
                KeyCode::Backspace => {
                    password.pop();
                }
                KeyCode::Char(c) => password.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(io(e)),
        }
    };
    let _ = disable_raw_mode();
    println!();
    result.map(|_| password)
}
