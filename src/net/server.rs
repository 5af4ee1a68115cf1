//! `lianfang serve`: owns the one sled database and serves desks over TCP.
//!
//! One thread per connection reads requests and runs them against the
//! [`LocalHall`]; a second thread per connection writes that connection's
//! bounded outgoing queue of encoded frames, everything queued in one write.
//! One fan-out thread encodes each of the hall's events once and puts it in
//! every logged-in connection's queue without ever waiting: when a queue is
//! full the event is dropped for that desk, which sees the gap in sequence
//! numbers and resynchronises. A desk that stops reading altogether blocks only
//! its own writer, which gives up after the write timeout and closes it.

use std::collections::HashMap;
use std::io::{self, BufReader, Write};

use super::stream::{self, ReadHalf, WriteHalf};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{bounded, select, Receiver, Sender, TrySendError};

use super::protocol::{
    encode_frame, version_mismatch_message, ClientMsg, FrameError, FrameReader, Request, Response,
    ServerMsg, PROTOCOL_VERSION,
};
use crate::hall::{Event, Hall, HallError, LocalHall, SessionToken};

/// Timeouts and limits of the server. The defaults suit a hall's LAN; tests shorten them.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// A new connection must say `Hello` within this time.
    pub handshake_timeout: Duration,
    /// A desk that sends nothing (not even its heartbeat) for this long is disconnected.
    pub idle_timeout: Duration,
    /// A desk that does not take a frame off the wire for this long is disconnected.
    pub write_timeout: Duration,
    /// Frames waiting to be written to one desk; events beyond it are dropped for that desk.
    pub outgoing_queue: usize,
    pub max_connections: usize,
    /// Speak TLS with this certificate; plain TCP when `None`.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            handshake_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(10),
            outgoing_queue: 256,
            max_connections: 200,
            tls: None,
        }
    }
}

/// Asks a running [`serve`] to stop. Cloneable; triggering it from any thread
/// (a signal-handling thread, a test) wakes the accept loop.
#[derive(Clone, Default)]
pub struct ShutdownSignal(Arc<ShutdownInner>);

#[derive(Default)]
struct ShutdownInner {
    requested: AtomicBool,
    /// Where to connect to wake a blocking `accept`.
    wake: Mutex<Option<SocketAddr>>,
}

impl ShutdownSignal {
    pub fn new() -> ShutdownSignal {
        ShutdownSignal::default()
    }

    pub fn trigger(&self) {
        self.0.requested.store(true, Ordering::SeqCst);
        let wake = *self.0.wake.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(addr) = wake {
            // Only to unblock accept(); if it fails the listener is already gone.
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        }
    }

    pub fn is_triggered(&self) -> bool {
        self.0.requested.load(Ordering::SeqCst)
    }

    fn set_wake_addr(&self, mut addr: SocketAddr) {
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        *self.0.wake.lock().unwrap_or_else(|p| p.into_inner()) = Some(addr);
    }
}

/// An encoded frame waiting to be written; an event's is shared by every desk.
type Frame = Arc<[u8]>;

/// Bytes of a backup per reply: well inside one frame.
const BACKUP_PART: u64 = 512 * 1024;

/// Frames written together at most: a burst of events costs one write, not one each.
const FRAMES_PER_WRITE: usize = 64;

/// The connections that receive events, and every connection's socket for shutdown.
#[derive(Default)]
struct Registry {
    conns: Mutex<HashMap<u64, Registered>>,
    next_id: AtomicU64,
}

struct Registered {
    stream: TcpStream,
    /// Set once the connection has a logged-in session: only then it receives events.
    events: Option<Sender<Frame>>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Registered>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Copies one event into every subscribed queue, never waiting. Returns how many queues were full.
    fn deliver(&self, event: &Event) -> usize {
        let frame: Frame = match encode_frame(&ServerMsg::Event(event.clone())) {
            Ok(bytes) => bytes.into(),
            Err(e) => {
                tracing::warn!(seq = event.seq, "event not sent, cannot encode it: {e}");
                return 0;
            }
        };
        let mut dropped = 0;
        for (id, conn) in self.lock().iter() {
            if let Some(tx) = &conn.events {
                if let Err(TrySendError::Full(_)) = tx.try_send(frame.clone()) {
                    tracing::debug!(
                        conn = id,
                        seq = event.seq,
                        "outgoing queue full, event dropped"
                    );
                    dropped += 1;
                }
            }
        }
        dropped
    }
}

/// Serves desks until `shutdown` is triggered, then stops accepting, lets every
/// connection finish the request it is running, and flushes the store.
pub fn serve(
    hall: Arc<LocalHall>,
    listener: TcpListener,
    config: ServerConfig,
    shutdown: ShutdownSignal,
) -> io::Result<()> {
    shutdown.set_wake_addr(listener.local_addr()?);
    let registry = Arc::new(Registry::default());
    let (stop_fanout, fanout_stopped) = bounded::<()>(0);
    let fanout = {
        let events = hall.subscribe();
        let registry = registry.clone();
        thread::Builder::new()
            .name("net-fanout".into())
            .spawn(move || fan_out(events, fanout_stopped, registry))?
    };

    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for incoming in listener.incoming() {
        if shutdown.is_triggered() {
            break;
        }
        workers.retain(|w| !w.is_finished());
        let stream = match incoming {
            Ok(s) => s,
            Err(e) => {
                // Typically out of file descriptors; back off instead of spinning.
                tracing::warn!("accept failed: {e}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        if workers.len() >= config.max_connections {
            tracing::warn!("too many connections ({}), refusing one", workers.len());
            continue;
        }
        let conn = Connection {
            id: registry.next_id.fetch_add(1, Ordering::SeqCst),
            hall: hall.clone(),
            registry: registry.clone(),
            config: config.clone(),
            shutdown: shutdown.clone(),
            tokens: Vec::new(),
            backup: None,
        };
        match thread::Builder::new()
            .name(format!("net-conn-{}", conn.id))
            .spawn(move || conn.run(stream))
        {
            Ok(handle) => workers.push(handle),
            Err(e) => tracing::warn!("cannot start a connection thread: {e}"),
        }
    }

    tracing::info!("shutting down: closing {} connection(s)", workers.len());
    for conn in registry.lock().values() {
        // Ends each reader at its next read; a request already running completes first.
        let _ = conn.stream.shutdown(Shutdown::Read);
    }
    for worker in workers {
        let _ = worker.join();
    }
    drop(stop_fanout);
    let _ = fanout.join();
    hall.store()
        .flush()
        .map_err(|e| io::Error::other(e.to_string()))?;
    tracing::info!("server stopped, store flushed");
    Ok(())
}

fn fan_out(events: Receiver<Event>, stop: Receiver<()>, registry: Arc<Registry>) {
    loop {
        select! {
            recv(events) -> event => match event {
                Ok(event) => { registry.deliver(&event); }
                Err(_) => return,
            },
            recv(stop) -> _ => return,
        }
    }
}

struct Connection {
    id: u64,
    hall: Arc<LocalHall>,
    registry: Arc<Registry>,
    config: ServerConfig,
    shutdown: ShutdownSignal,
    /// Sessions opened on this connection; only these may be used on it, and they end with it.
    tokens: Vec<SessionToken>,
    /// The backup this desk is downloading: an unnamed temporary file, gone when closed.
    backup: Option<std::fs::File>,
}

/// Why a connection ended, for the log.
enum End {
    Closed,
    Idle,
    Bad(String),
    Refused(String),
    WriterGone,
    Handshake(io::Error),
}

impl Connection {
    fn run(mut self, stream: TcpStream) {
        let peer = stream
            .peer_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "?".into());
        let end = self.serve_stream(stream);
        for token in std::mem::take(&mut self.tokens) {
            let _ = self.hall.logout(&token);
        }
        let conn = self.id;
        match end {
            Ok(End::Closed) => tracing::info!(conn, %peer, "desk disconnected"),
            Ok(End::Idle) => tracing::info!(conn, %peer, "desk silent too long, disconnected"),
            Ok(End::Bad(why)) => tracing::warn!(conn, %peer, "bad input, disconnected: {why}"),
            Ok(End::Refused(why)) => tracing::warn!(conn, %peer, "refused: {why}"),
            Ok(End::WriterGone) => {
                tracing::info!(conn, %peer, "desk stopped reading, disconnected")
            }
            Ok(End::Handshake(e)) => tracing::warn!(conn, %peer, "TLS handshake failed: {e}"),
            Err(e) => tracing::warn!(conn, %peer, "connection failed: {e}"),
        }
    }

    fn serve_stream(&mut self, stream: TcpStream) -> io::Result<End> {
        stream.set_nodelay(true)?;
        stream.set_write_timeout(Some(self.config.write_timeout))?;
        stream.set_read_timeout(Some(self.config.handshake_timeout))?;
        self.registry.lock().insert(
            self.id,
            Registered {
                stream: stream.try_clone()?,
                events: None,
            },
        );
        // Shutdown sets its flag before it closes the registered sockets: a connection
        // registered too late for that sees the flag here.
        if self.shutdown.is_triggered() {
            self.registry.lock().remove(&self.id);
            return Ok(End::Closed);
        }
        let halves = match &self.config.tls {
            None => stream::plain(stream.try_clone()?),
            Some(tls) => rustls::ServerConnection::new(tls.clone())
                .map_err(io::Error::other)
                .and_then(|conn| stream::tls(conn, stream.try_clone()?)),
        };
        let (read_half, write_half) = match halves {
            Ok(halves) => halves,
            Err(e) => {
                self.registry.lock().remove(&self.id);
                let _ = stream.shutdown(Shutdown::Both);
                return Ok(End::Handshake(e));
            }
        };
        let (tx, rx) = bounded::<Frame>(self.config.outgoing_queue.max(1));
        let writer = thread::Builder::new()
            .name(format!("net-conn-{}-w", self.id))
            .spawn(move || write_loop(write_half, rx))?;
        let end = self.read_loop(FrameReader::new(BufReader::new(read_half)), &tx);
        // The writer ends once every sender is gone: ours and the registry's.
        self.registry.lock().remove(&self.id);
        drop(tx);
        let _ = writer.join();
        let _ = stream.shutdown(Shutdown::Both);
        Ok(end)
    }

    fn read_loop(
        &mut self,
        mut reader: FrameReader<BufReader<ReadHalf>>,
        tx: &Sender<Frame>,
    ) -> End {
        match reader.read::<ClientMsg>() {
            Ok(ClientMsg::Hello { protocol_version }) if protocol_version == PROTOCOL_VERSION => {
                let server_name = self.hall.config().name.clone();
                let welcome = ServerMsg::Welcome {
                    protocol_version: PROTOCOL_VERSION,
                    server_name,
                };
                if let Err(end) = send(tx, &welcome) {
                    return end;
                }
            }
            Ok(ClientMsg::Hello { protocol_version }) => {
                let _ = send(
                    tx,
                    &ServerMsg::VersionMismatch {
                        server_version: PROTOCOL_VERSION,
                    },
                );
                return End::Refused(version_mismatch_message(PROTOCOL_VERSION, protocol_version));
            }
            Ok(other) => return End::Bad(format!("expected Hello, got {other:?}")),
            Err(FrameError::TimedOut) => return End::Idle,
            Err(FrameError::Closed) => return End::Closed,
            Err(e) => return End::Bad(e.to_string()),
        }
        if let Err(e) = reader
            .get_ref()
            .get_ref()
            .tcp()
            .set_read_timeout(Some(self.config.idle_timeout))
        {
            return End::Bad(e.to_string());
        }
        loop {
            let reply = match reader.read::<ClientMsg>() {
                Ok(ClientMsg::Ping) => ServerMsg::Pong,
                Ok(ClientMsg::Request { id, request }) => ServerMsg::Reply {
                    id,
                    result: self.handle(request, tx),
                },
                Ok(ClientMsg::Hello { .. }) => return End::Bad("a second Hello".into()),
                Err(FrameError::TimedOut) => return End::Idle,
                Err(FrameError::Closed) => return End::Closed,
                Err(e) => return End::Bad(e.to_string()),
            };
            // Waits while this desk's queue is full: only this desk is held up.
            if let Err(end) = send(tx, &reply) {
                return end;
            }
        }
    }

    fn handle(&mut self, request: Request, tx: &Sender<Frame>) -> Result<Response, HallError> {
        let hall = &self.hall;
        match request {
            Request::Info => hall.info().map(Response::Info),
            Request::Setup(admin) => hall.setup(admin).map(|_| Response::Done),
            Request::Login {
                username,
                password,
                desk,
            } => {
                let session = hall.login(&username, &password, &desk)?;
                self.tokens.push(session.token.clone());
                if let Some(conn) = self.registry.lock().get_mut(&self.id) {
                    conn.events.get_or_insert_with(|| tx.clone());
                }
                Ok(Response::Session(session))
            }
            Request::Logout(token) => {
                self.own(&token)?;
                self.tokens.retain(|t| *t != token);
                hall.logout(&token).map(|_| Response::Done)
            }
            Request::Command { token, command } => {
                self.own(&token)?;
                hall.command(&token, command).map(Response::Command)
            }
            Request::Query { token, query } => {
                self.own(&token)?;
                hall.query(&token, query).map(Response::Query)
            }
            Request::Snapshot => Ok(Response::Snapshot {
                last_seq: hall.last_event_seq(),
            }),
            Request::Backup { token, offset } => {
                self.own(&token)?;
                self.backup_part(&token, offset)
            }
        }
    }

    /// The copy is taken into a temporary file at once (commands wait only for
    /// that), then handed out a piece per request.
    fn backup_part(&mut self, token: &SessionToken, offset: u64) -> Result<Response, HallError> {
        use std::io::{Read, Seek, SeekFrom};
        let failed = |e: io::Error| HallError::Storage(format!("备份的临时文件读写失败：{e}"));
        if offset == 0 {
            let mut file = tempfile::tempfile().map_err(failed)?;
            self.hall.backup(token, &mut file)?;
            self.backup = Some(file);
        }
        let file = self
            .backup
            .as_mut()
            .ok_or_else(|| HallError::Conflict("没有正在进行的备份，请重新开始备份".into()))?;
        let total = file.metadata().map_err(failed)?.len();
        file.seek(SeekFrom::Start(offset)).map_err(failed)?;
        let mut bytes = Vec::new();
        file.take(BACKUP_PART)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if offset + bytes.len() as u64 >= total {
            self.backup = None;
        }
        Ok(Response::BackupPart { total, bytes })
    }

    /// A session token works only on the connection that logged in.
    fn own(&self, token: &SessionToken) -> Result<(), HallError> {
        if self.tokens.contains(token) {
            Ok(())
        } else {
            Err(HallError::NotLoggedIn)
        }
    }
}

/// A reply too big for one frame becomes an error reply, so the desk is not left waiting.
fn encode_reply(msg: &ServerMsg) -> Result<Vec<u8>, FrameError> {
    match (encode_frame(msg), msg) {
        (Err(FrameError::TooLarge(n)), ServerMsg::Reply { id, .. }) => {
            encode_frame(&ServerMsg::Reply {
                id: *id,
                result: Err(HallError::Protocol(format!(
                    "应答过大（{n} 字节），请缩小查询范围"
                ))),
            })
        }
        (frame, _) => frame,
    }
}

/// Encodes a message for this connection's writer, waiting while its queue is full.
fn send(tx: &Sender<Frame>, msg: &ServerMsg) -> Result<(), End> {
    let frame = encode_reply(msg).map_err(|e| End::Bad(format!("cannot encode a reply: {e}")))?;
    tx.send(frame.into()).map_err(|_| End::WriterGone)
}

fn write_loop(mut stream: WriteHalf, rx: Receiver<Frame>) {
    let mut batch = Vec::new();
    for first in rx.iter() {
        batch.clear();
        batch.extend_from_slice(&first);
        for more in rx.try_iter().take(FRAMES_PER_WRITE - 1) {
            batch.extend_from_slice(&more);
        }
        if let Err(e) = stream.write_all(&batch) {
            tracing::debug!("write failed: {e}");
            // Wakes the reader too, so the whole connection ends.
            let _ = stream.tcp().shutdown(Shutdown::Both);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hall::EventKind;

    #[test]
    fn an_oversized_reply_becomes_an_error_reply() {
        let huge = ServerMsg::Reply {
            id: 7,
            result: Err(HallError::NotFound(
                "x".repeat(super::super::protocol::MAX_FRAME),
            )),
        };
        let frame = encode_reply(&huge).unwrap();
        let mut reader = FrameReader::new(&frame[..]);
        match reader.read::<ServerMsg>().unwrap() {
            ServerMsg::Reply {
                id: 7,
                result: Err(HallError::Protocol(text)),
            } => assert!(text.contains("应答过大"), "{text}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_full_queue_drops_the_event_for_that_desk_only() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (stream, _) = listener.accept().unwrap();
        let registry = Registry::default();
        let (slow_tx, slow_rx) = bounded(1);
        let (fast_tx, fast_rx) = bounded(8);
        // Connection 3 has not logged in and gets nothing.
        for (id, events) in [(1, Some(slow_tx)), (2, Some(fast_tx)), (3, None)] {
            let stream = stream.try_clone().unwrap();
            registry.lock().insert(id, Registered { stream, events });
        }
        let event = |seq| Event {
            seq,
            kind: EventKind::OfficersChanged,
        };
        assert_eq!(registry.deliver(&event(1)), 0);
        assert_eq!(registry.deliver(&event(2)), 1);
        assert_eq!(slow_rx.try_iter().count(), 1);
        assert_eq!(fast_rx.try_iter().count(), 2);
    }
}
