//! `serve`, `display` and the desk's `--server`: the hall over the LAN.

use std::io::{IsTerminal, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::display::run_display;
use crate::hall::Hall;
use crate::net::{self, RemoteHall, ServerConfig};

/// The port a hall listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:7878";

/// `lianfang serve`: owns the database and serves every desk until SIGINT/SIGTERM.
pub fn serve(data: &Path, config: HallConfig, listen: &str) -> Result<(), CliError> {
    let hall = Arc::new(open_hall(data, config)?);
    let listener = TcpListener::bind(listen).map_err(|e| {
        CliError::Input(format!(
            "无法在 {listen} 上监听：{e}。请检查端口是否已被占用，或用 --listen 换一个地址"
        ))
    })?;
    let bound = listener
        .local_addr()
        .map_or_else(|_| listen.to_string(), |a| a.to_string());
    // Stderr, not stdout: a service manager captures it, and scripts parse nothing here.
    eprintln!(
        "联访服务器已启动：{}，数据目录 {}，监听 {bound}。按 Ctrl-C 停止。",
        hall.config().name,
        data.display()
    );
    if let Some(warning) = hall.info().ok().and_then(|i| i.calendar_warning) {
        eprintln!("注意：{warning}");
    }
    tracing::info!(listen = %bound, "serving");
    net::serve_until_signal(hall, listener, ServerConfig::default())
        .map_err(|e| CliError::Input(e.to_string()))?;
    eprintln!("联访服务器已停止，数据已写入磁盘。");
    Ok(())
}

pub fn connect(server: &str) -> Result<RemoteHall, CliError> {
    RemoteHall::connect(server).map_err(CliError::Hall)
}

/// `lianfang display --server ADDR --user NAME`: the wall screen.
pub fn display(server: &str, user: &str) -> Result<(), CliError> {
    require_terminal()?;
    let password = match std::env::var("LIANFANG_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => prompt_password(&format!("大屏账号 {user} 的密码："))?,
    };
    let hall = connect(server)?;
    run_display(Arc::new(hall), user, &password).map_err(|e| CliError::Desk(e.to_string()))
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
