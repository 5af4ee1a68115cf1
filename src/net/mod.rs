//! Many desks, one hall: the TCP protocol, the server that owns the database,
//! and [`RemoteHall`], the desk's side of the link.

pub mod client;
pub mod protocol;
pub mod server;
pub mod stream;
pub mod tls;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

pub use client::{ClientConfig, RemoteHall};
pub use server::{serve, ServerConfig, ShutdownSignal};

use crate::config::HallConfig;
use crate::hall::{HallError, LocalHall};

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("{0}")]
    Hall(#[from] HallError),
    #[error("无法在 {addr} 上监听：{message}。请检查端口是否已被占用，或换一个端口")]
    Listen { addr: String, message: String },
    #[error("无法安装退出信号处理：{0}")]
    Signals(std::io::Error),
    #[error("服务运行出错：{0}")]
    Io(#[from] std::io::Error),
}

/// `lianfang serve`: opens the hall in `data_dir`, listens on `listen`
/// (`0.0.0.0:7878`), and serves until SIGINT or SIGTERM; then finishes the
/// requests in flight and flushes the store before returning.
pub fn run_server(
    data_dir: &Path,
    config: HallConfig,
    listen: &str,
    server_config: ServerConfig,
) -> Result<(), NetError> {
    let hall = Arc::new(LocalHall::open(data_dir, config)?);
    let listener = TcpListener::bind(listen).map_err(|e| NetError::Listen {
        addr: listen.to_string(),
        message: e.to_string(),
    })?;
    tracing::info!(
        "serving hall {} from {} on {}",
        hall.config().name,
        data_dir.display(),
        listener.local_addr()?
    );
    serve_until_signal(hall, listener, server_config)
}

/// [`serve`] until SIGINT or SIGTERM arrives, then shut down cleanly.
pub fn serve_until_signal(
    hall: Arc<LocalHall>,
    listener: TcpListener,
    server_config: ServerConfig,
) -> Result<(), NetError> {
    let shutdown = ShutdownSignal::new();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
    ])
    .map_err(NetError::Signals)?;
    let signal_handle = signals.handle();
    let on_signal = {
        let shutdown = shutdown.clone();
        std::thread::Builder::new()
            .name("net-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    tracing::info!("signal {signal} received, shutting down");
                    shutdown.trigger();
                }
            })?
    };
    let served = serve(hall, listener, server_config, shutdown);
    signal_handle.close();
    let _ = on_signal.join();
    Ok(served?)
}
