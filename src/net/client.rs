//! `RemoteHall`: the [`Hall`] of a desk connected to `lianfang serve`.
//!
//! One link thread owns the connection: it reads every frame, hands replies to
//! the callers waiting for them (matched by request id), forwards events to
//! subscribers and sends the heartbeat. When the link breaks it fails the
//! waiting calls with [`HallError::Unavailable`], tells subscribers
//! `Connection { online: false }`, and reconnects with growing pauses.
//!
//! Sessions survive a reconnect: the client keeps each login's credentials in
//! memory (never on disk) and logs in again on the new connection, so the
//! token the desk holds keeps working. If that login is refused (password
//! changed, account disabled) the desk's next call gets `NotLoggedIn`.
//!
//! For subscribers, `Connection { online: true }` means "refetch everything on
//! screen": it is sent after a reconnect and when the event sequence numbers
//! show a gap (events were dropped because this desk fell behind). These
//! events made up by the client carry sequence number 0.
//!
//! A call whose reply did not arrive is never reported as done: it returns
//! `Unavailable`, whose message says the operation may not have been saved.

use std::collections::HashMap;
use std::io::{BufReader, Write};

use super::stream::{self, ReadHalf, WriteHalf};
use super::tls;
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded, Receiver, RecvTimeoutError, Sender};

use super::protocol::{
    encode_frame, version_mismatch_message, write_frame, ClientMsg, FrameError, FrameReader,
    Request, Response, ServerMsg, PROTOCOL_VERSION,
};
use crate::hall::{
    Command, CommandReply, Event, EventKind, Hall, HallError, HallInfo, HallResult, NewOfficer,
    Query, QueryReply, Session, SessionToken,
};

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// How long a call waits for its reply before reporting `Unavailable`.
    pub request_timeout: Duration,
    /// A `Ping` goes out this often; keep it well below the server's idle timeout.
    pub heartbeat_interval: Duration,
    /// Nothing heard from the server for this long: the link is dead (half-open), reconnect.
    pub dead_after: Duration,
    pub reconnect_min: Duration,
    pub reconnect_max: Duration,
    /// Speak TLS, trusting what this config trusts; plain TCP when `None`.
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(15),
            heartbeat_interval: Duration::from_secs(5),
            dead_after: Duration::from_secs(15),
            reconnect_min: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(5),
            tls: None,
        }
    }
}

const NOT_CONFIRMED: &str =
    "服务器没有确认这项操作，它可能没有保存。请等连接恢复后刷新核对，必要时重新操作";
const OFFLINE: &str = "与服务器的连接已断开，正在自动重连，请稍候再试";

fn unavailable(detail: impl std::fmt::Display) -> HallError {
    HallError::Unavailable(detail.to_string())
}

pub struct RemoteHall {
    shared: Arc<Shared>,
    /// Dropped to wake the link thread out of its reconnect pause.
    stop: Option<Sender<()>>,
    link_thread: Option<JoinHandle<()>>,
}

struct Credentials {
    username: String,
    password: String,
    desk: String,
    /// The token of the current connection's session; the desk keeps using its first one.
    server_token: SessionToken,
}

struct Shared {
    addr: String,
    config: ClientConfig,
    /// The write side of the current connection; `None` while offline.
    link: Mutex<Option<WriteHalf>>,
    pending: Mutex<HashMap<u64, Sender<HallResult<Response>>>>,
    next_id: AtomicU64,
    subscribers: Mutex<Vec<Sender<Event>>>,
    /// Keyed by the token handed to the desk at its first login.
    sessions: Mutex<HashMap<SessionToken, Credentials>>,
    /// Sequence number of the last event seen; `None` until the first one.
    last_seq: Mutex<Option<u64>>,
    closing: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A fresh connection that has passed the handshake.
struct Link {
    stream: WriteHalf,
    /// Buffered: a burst of frames is read in one system call.
    reader: FrameReader<BufReader<ReadHalf>>,
}

impl RemoteHall {
    /// Connects to `lianfang serve` at `addr` (`host:port`) with the default timeouts.
    pub fn connect(addr: &str) -> HallResult<RemoteHall> {
        RemoteHall::connect_with(addr, ClientConfig::default())
    }

    /// Connects once now (so a wrong address or version is reported at once), then keeps
    /// the link up in the background.
    pub fn connect_with(addr: &str, config: ClientConfig) -> HallResult<RemoteHall> {
        let shared = Arc::new(Shared {
            addr: addr.to_string(),
            config,
            link: Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            subscribers: Mutex::new(Vec::new()),
            sessions: Mutex::new(HashMap::new()),
            last_seq: Mutex::new(None),
            closing: AtomicBool::new(false),
        });
        let first = shared.open_link()?;
        *lock(&shared.link) = Some(first.stream.try_clone().map_err(unavailable)?);
        let (stop, stopped) = bounded::<()>(0);
        let link_thread = {
            let shared = shared.clone();
            thread::Builder::new()
                .name("net-link".into())
                .spawn(move || shared.link_loop(first, stopped))
                .map_err(unavailable)?
        };
        Ok(RemoteHall {
            shared,
            stop: Some(stop),
            link_thread: Some(link_thread),
        })
    }

    /// Is the link to the server up right now?
    pub fn is_online(&self) -> bool {
        lock(&self.shared.link).is_some()
    }

    /// Calls with a session token, translated to the current connection's session.
    fn call_as(
        &self,
        token: &SessionToken,
        request: impl Fn(SessionToken) -> Request,
    ) -> HallResult<Response> {
        let used = self.shared.server_token(token);
        match self.shared.call(request(used.clone())) {
            // A reconnect re-logged in between the lookup and the call: the request was
            // refused before doing anything, so trying once more is safe.
            Err(HallError::NotLoggedIn) if self.shared.server_token(token) != used => {
                self.shared.call(request(self.shared.server_token(token)))
            }
            other => other,
        }
    }
}

impl RemoteHall {
    /// Downloads a backup of the hall into `out` (administrators only); returns its size.
    pub fn backup(&self, token: &SessionToken, out: &mut impl Write) -> HallResult<u64> {
        let mut offset = 0;
        loop {
            match self.call_as(token, |token| Request::Backup { token, offset })? {
                Response::BackupPart { total, bytes } => {
                    out.write_all(&bytes)
                        .map_err(|e| HallError::Storage(format!("备份文件写入失败：{e}")))?;
                    offset += bytes.len() as u64;
                    if offset >= total {
                        return Ok(total);
                    }
                    if bytes.is_empty() {
                        return Err(unexpected("备份数据"));
                    }
                }
                _ => return Err(unexpected("备份数据")),
            }
        }
    }
}

impl Drop for RemoteHall {
    fn drop(&mut self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        if let Some(stream) = lock(&self.shared.link).as_ref() {
            let _ = stream.tcp().shutdown(Shutdown::Both);
        }
        drop(self.stop.take());
        if let Some(t) = self.link_thread.take() {
            let _ = t.join();
        }
    }
}

fn unexpected(what: &str) -> HallError {
    HallError::Protocol(format!("服务器返回了意外的应答（应为{what}）"))
}

impl Hall for RemoteHall {
    fn info(&self) -> HallResult<HallInfo> {
        match self.shared.call(Request::Info)? {
            Response::Info(info) => Ok(info),
            _ => Err(unexpected("大厅信息")),
        }
    }

    fn setup(&self, admin: NewOfficer) -> HallResult<()> {
        self.shared.call(Request::Setup(admin)).map(|_| ())
    }

    fn login(&self, username: &str, password: &str, desk: &str) -> HallResult<Session> {
        let session = match self.shared.call(Request::Login {
            username: username.to_string(),
            password: password.to_string(),
            desk: desk.to_string(),
        })? {
            Response::Session(s) => s,
            _ => return Err(unexpected("登录结果")),
        };
        lock(&self.shared.sessions).insert(
            session.token.clone(),
            Credentials {
                username: username.to_string(),
                password: password.to_string(),
                desk: desk.to_string(),
                server_token: session.token.clone(),
            },
        );
        Ok(session)
    }

    fn logout(&self, token: &SessionToken) -> HallResult<()> {
        let used = self.shared.server_token(token);
        lock(&self.shared.sessions).remove(token);
        self.shared.call(Request::Logout(used)).map(|_| ())
    }

    fn command(&self, token: &SessionToken, command: Command) -> HallResult<CommandReply> {
        match self.call_as(token, |token| Request::Command {
            token,
            command: command.clone(),
        })? {
            Response::Command(reply) => Ok(reply),
            _ => Err(unexpected("操作结果")),
        }
    }

    fn query(&self, token: &SessionToken, query: Query) -> HallResult<QueryReply> {
        match self.call_as(token, |token| Request::Query {
            token,
            query: query.clone(),
        })? {
            Response::Query(reply) => Ok(reply),
            _ => Err(unexpected("查询结果")),
        }
    }

    fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = unbounded();
        lock(&self.shared.subscribers).push(tx);
        rx
    }
}

impl Shared {
    fn server_token(&self, token: &SessionToken) -> SessionToken {
        lock(&self.sessions)
            .get(token)
            .map(|c| c.server_token.clone())
            .unwrap_or_else(|| token.clone())
    }

    /// Sends one request on the current link and waits for its reply.
    fn call(&self, request: Request) -> HallResult<Response> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = bounded(1);
        lock(&self.pending).insert(id, tx);
        let frame = match encode_frame(&ClientMsg::Request { id, request }) {
            Ok(frame) => frame,
            Err(e) => {
                lock(&self.pending).remove(&id);
                return Err(HallError::Protocol(e.to_string()));
            }
        };
        let sent = match lock(&self.link).as_mut() {
            None => Err(unavailable(OFFLINE)),
            Some(stream) => stream.write_all(&frame).map_err(|e| {
                // A half-written frame leaves the stream unusable; the link thread reconnects.
                let _ = stream.tcp().shutdown(Shutdown::Both);
                unavailable(format!("{e}。{NOT_CONFIRMED}"))
            }),
        };
        if let Err(e) = sent {
            lock(&self.pending).remove(&id);
            return Err(e);
        }
        match rx.recv_timeout(self.config.request_timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                lock(&self.pending).remove(&id);
                Err(unavailable(NOT_CONFIRMED))
            }
            // The link broke and the link thread dropped every waiting call.
            Err(RecvTimeoutError::Disconnected) => Err(unavailable(NOT_CONFIRMED)),
        }
    }

    fn emit(&self, kind: EventKind, seq: u64) {
        let event = Event { seq, kind };
        lock(&self.subscribers).retain(|s| s.send(event.clone()).is_ok());
    }

    fn open_link(&self) -> HallResult<Link> {
        let addrs = self
            .addr
            .to_socket_addrs()
            .map_err(|e| unavailable(format!("服务器地址 {} 无法解析：{e}", self.addr)))?;
        let mut last_err = unavailable(format!("服务器地址 {} 没有可用的 IP", self.addr));
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.config.connect_timeout) {
                Ok(stream) => return self.handshake(stream),
                Err(e) => last_err = unavailable(format!("{} ({e})", self.addr)),
            }
        }
        Err(last_err)
    }

    fn handshake(&self, stream: TcpStream) -> HallResult<Link> {
        let setup = || -> std::io::Result<()> {
            stream.set_nodelay(true)?;
            stream.set_write_timeout(Some(self.config.request_timeout))?;
            stream.set_read_timeout(Some(self.config.connect_timeout))
        };
        setup().map_err(unavailable)?;
        let (read_half, write_half) = self.split(stream)?;
        let mut link = Link {
            stream: write_half,
            reader: FrameReader::new(BufReader::new(read_half)),
        };
        write_frame(
            &mut link.stream,
            &ClientMsg::Hello {
                protocol_version: PROTOCOL_VERSION,
            },
        )
        .map_err(unavailable)?;
        match link.reader.read::<ServerMsg>() {
            Ok(ServerMsg::Welcome {
                protocol_version: PROTOCOL_VERSION,
                server_name,
            }) => tracing::info!("connected to {} ({server_name})", self.addr),
            Ok(ServerMsg::Welcome {
                protocol_version, ..
            })
            | Ok(ServerMsg::VersionMismatch {
                server_version: protocol_version,
            }) => {
                return Err(HallError::Protocol(version_mismatch_message(
                    protocol_version,
                    PROTOCOL_VERSION,
                )))
            }
            Ok(other) => return Err(HallError::Protocol(format!("握手应答异常：{other:?}"))),
            Err(FrameError::TimedOut) => return Err(unavailable("服务器没有应答握手")),
            Err(e) if self.config.tls.is_none() => {
                return Err(unavailable(format!(
                    "{e}。如果服务器启用了加密（TLS），请在本机配置文件的 [desk] 中设置 tls_ca 或 tls_pin_sha256"
                )))
            }
            Err(e) => return Err(unavailable(e)),
        }
        link.reader
            .get_ref()
            .get_ref()
            .tcp()
            .set_read_timeout(Some(self.config.heartbeat_interval))
            .map_err(unavailable)?;
        Ok(link)
    }

    /// The connection's halves, after the TLS handshake when the desk speaks TLS.
    fn split(&self, tcp: TcpStream) -> HallResult<(ReadHalf, WriteHalf)> {
        let Some(config) = &self.config.tls else {
            return stream::plain(tcp).map_err(unavailable);
        };
        let name = tls::server_name(&self.addr).ok_or_else(|| {
            unavailable(format!("服务器地址 {} 不是有效的主机名或 IP", self.addr))
        })?;
        let conn = rustls::ClientConnection::new(config.clone(), name)
            .map_err(|e| unavailable(format!("无法开始加密连接：{e}")))?;
        stream::tls(conn, tcp).map_err(|e| unavailable(tls::describe_failure(&e, &self.addr)))
    }

    /// One request on a link nobody else uses yet (while reconnecting).
    fn exchange(&self, link: &mut Link, request: Request) -> HallResult<Response> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        write_frame(&mut link.stream, &ClientMsg::Request { id, request }).map_err(unavailable)?;
        let deadline = Instant::now() + self.config.request_timeout;
        loop {
            match link.reader.read::<ServerMsg>() {
                Ok(ServerMsg::Reply { id: got, result }) if got == id => return result,
                // Events before the resync are covered by it.
                Ok(_) => {}
                Err(FrameError::TimedOut) if Instant::now() < deadline => {}
                Err(e) => return Err(unavailable(e)),
            }
        }
    }

    /// Reconnects, logs every session in again, and tells subscribers to refetch.
    fn reconnect(&self) -> HallResult<Link> {
        let mut link = self.open_link()?;
        let logins: Vec<(SessionToken, Request)> = lock(&self.sessions)
            .iter()
            .map(|(token, c)| {
                let login = Request::Login {
                    username: c.username.clone(),
                    password: c.password.clone(),
                    desk: c.desk.clone(),
                };
                (token.clone(), login)
            })
            .collect();
        let logged_in = !logins.is_empty();
        for (token, login) in logins {
            match self.exchange(&mut link, login) {
                Ok(Response::Session(s)) => {
                    if let Some(c) = lock(&self.sessions).get_mut(&token) {
                        c.server_token = s.token;
                    }
                }
                Err(e @ HallError::Unavailable(_)) => return Err(e),
                // Refused now (password changed, account disabled): the desk logs in again.
                other => {
                    tracing::warn!("re-login after reconnect failed: {other:?}");
                    lock(&self.sessions).remove(&token);
                }
            }
        }
        let baseline = if logged_in {
            match self.exchange(&mut link, Request::Snapshot)? {
                Response::Snapshot { last_seq } => Some(last_seq),
                _ => return Err(unexpected("同步点")),
            }
        } else {
            None
        };
        *lock(&self.last_seq) = baseline;
        *lock(&self.link) = Some(link.stream.try_clone().map_err(unavailable)?);
        Ok(link)
    }

    fn link_loop(&self, first: Link, stop: Receiver<()>) {
        let mut link = Some(first);
        let mut pause = self.config.reconnect_min;
        loop {
            if let Some(l) = link.take() {
                self.run_link(l);
                self.go_offline();
            }
            if self.closing.load(Ordering::SeqCst) {
                return;
            }
            match stop.recv_timeout(pause) {
                Err(RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            match self.reconnect() {
                Ok(l) => {
                    pause = self.config.reconnect_min;
                    tracing::info!("reconnected to {}", self.addr);
                    self.emit(EventKind::Connection { online: true }, 0);
                    link = Some(l);
                }
                Err(e) => {
                    tracing::debug!("reconnect to {} failed: {e}", self.addr);
                    pause = (pause * 2).min(self.config.reconnect_max);
                }
            }
        }
    }

    fn go_offline(&self) {
        if let Some(stream) = lock(&self.link).take() {
            let _ = stream.tcp().shutdown(Shutdown::Both);
        }
        // Dropping the senders wakes every waiting call with `Unavailable`.
        lock(&self.pending).clear();
        if !self.closing.load(Ordering::SeqCst) {
            tracing::warn!("lost the connection to {}", self.addr);
            self.emit(EventKind::Connection { online: false }, 0);
        }
    }

    /// Reads until the link breaks or goes silent for `dead_after`.
    fn run_link(&self, mut link: Link) {
        let mut last_heard = Instant::now();
        let mut last_ping = Instant::now();
        loop {
            match link.reader.read::<ServerMsg>() {
                Ok(msg) => {
                    last_heard = Instant::now();
                    if !self.dispatch(msg) {
                        return;
                    }
                }
                Err(FrameError::TimedOut) => {}
                Err(e) => {
                    tracing::debug!("link read ended: {e}");
                    return;
                }
            }
            if self.closing.load(Ordering::SeqCst) || last_heard.elapsed() > self.config.dead_after
            {
                return;
            }
            if last_ping.elapsed() >= self.config.heartbeat_interval {
                last_ping = Instant::now();
                if write_frame(&mut link.stream, &ClientMsg::Ping).is_err() {
                    return;
                }
            }
        }
    }

    /// Handles one frame; `false` ends the link.
    fn dispatch(&self, msg: ServerMsg) -> bool {
        match msg {
            ServerMsg::Reply { id, result } => {
                if let Some(waiter) = lock(&self.pending).remove(&id) {
                    let _ = waiter.send(result);
                }
                true
            }
            ServerMsg::Event(event) => {
                let gap = {
                    let mut last = lock(&self.last_seq);
                    let gap = matches!(*last, Some(l) if event.seq > l + 1);
                    *last = Some(last.map_or(event.seq, |l| l.max(event.seq)));
                    gap
                };
                if gap {
                    tracing::info!("missed events before {}, resynchronising", event.seq);
                    self.emit(EventKind::Connection { online: true }, 0);
                }
                lock(&self.subscribers).retain(|s| s.send(event.clone()).is_ok());
                true
            }
            ServerMsg::Pong => true,
            other => {
                tracing::warn!("unexpected frame from the server: {other:?}");
                false
            }
        }
    }
}
