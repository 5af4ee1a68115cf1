//! A connection as two halves, one for the reading thread and one for the
//! writers, over plain TCP or TLS.
//!
//! A plain socket is simply cloned. A rustls connection cannot be: both halves
//! share it behind a mutex, and each holds its own handle to the socket. The
//! reader waits on the socket WITHOUT the lock and takes it only to feed the
//! received bytes to rustls and take plaintext out; a writer takes it to
//! encrypt and send. So a reader blocked on a quiet socket never holds up a
//! writer, which is what the plain path gives too.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard};

/// Received TLS bytes are read in pieces of this size (one full TLS record and its header).
const RAW_BUFFER: usize = 16 * 1024 + 512;

pub enum ReadHalf {
    Plain(TcpStream),
    Tls(TlsReader),
}

pub enum WriteHalf {
    Plain(TcpStream),
    Tls(TlsWriter),
}

/// The halves of a plain TCP connection.
pub fn plain(tcp: TcpStream) -> io::Result<(ReadHalf, WriteHalf)> {
    Ok((ReadHalf::Plain(tcp.try_clone()?), WriteHalf::Plain(tcp)))
}

/// Runs the TLS handshake on `tcp` (within its read and write timeouts), then splits.
pub fn tls(
    conn: impl Into<rustls::Connection>,
    mut tcp: TcpStream,
) -> io::Result<(ReadHalf, WriteHalf)> {
    let mut conn = conn.into();
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp)?;
    }
    let shared = Arc::new(Mutex::new(conn));
    let reader = TlsReader {
        shared: shared.clone(),
        tcp: tcp.try_clone()?,
        raw: vec![0; RAW_BUFFER].into_boxed_slice(),
        start: 0,
        end: 0,
    };
    Ok((
        ReadHalf::Tls(reader),
        WriteHalf::Tls(TlsWriter { shared, tcp }),
    ))
}

impl ReadHalf {
    /// The socket underneath, for timeouts.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            ReadHalf::Plain(tcp) => tcp,
            ReadHalf::Tls(r) => &r.tcp,
        }
    }
}

impl WriteHalf {
    /// The socket underneath, for timeouts and shutdown.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            WriteHalf::Plain(tcp) => tcp,
            WriteHalf::Tls(w) => &w.tcp,
        }
    }

    /// Another writer on the same connection.
    pub fn try_clone(&self) -> io::Result<WriteHalf> {
        Ok(match self {
            WriteHalf::Plain(tcp) => WriteHalf::Plain(tcp.try_clone()?),
            WriteHalf::Tls(w) => WriteHalf::Tls(TlsWriter {
                shared: w.shared.clone(),
                tcp: w.tcp.try_clone()?,
            }),
        })
    }
}

type Shared = Arc<Mutex<rustls::Connection>>;

fn lock(shared: &Shared) -> MutexGuard<'_, rustls::Connection> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sends whatever rustls has queued: records, alerts, post-handshake messages.
fn send_queued(conn: &mut rustls::Connection, mut tcp: &TcpStream) -> io::Result<()> {
    while conn.wants_write() {
        conn.write_tls(&mut tcp)?;
    }
    Ok(())
}

pub struct TlsReader {
    shared: Shared,
    tcp: TcpStream,
    /// Bytes received but not yet given to rustls: `raw[start..end]`.
    raw: Box<[u8]>,
    start: usize,
    end: usize,
}

impl TlsReader {
    /// Plaintext already decrypted, or what the received bytes decrypt to. `None`: need more bytes.
    fn decrypted(&mut self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        let mut conn = lock(&self.shared);
        loop {
            match conn.reader().read(buf) {
                Ok(n) => return Ok(Some(n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
            if self.start == self.end {
                return Ok(None);
            }
            let mut pending = &self.raw[self.start..self.end];
            self.start += conn.read_tls(&mut pending)?;
            let processed = conn.process_new_packets();
            // An alert describing an error goes out before the error is returned.
            send_queued(&mut conn, &self.tcp)?;
            processed.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        }
    }
}

impl Read for TlsReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(n) = self.decrypted(buf)? {
                return Ok(n);
            }
            // Waits without the lock; a timeout reaches the caller as usual.
            let n = (&self.tcp).read(&mut self.raw)?;
            if n == 0 {
                // The peer closed; a frame cut short is reported by the frame reader.
                return Ok(0);
            }
            self.start = 0;
            self.end = n;
        }
    }
}

pub struct TlsWriter {
    shared: Shared,
    tcp: TcpStream,
}

impl Write for TlsWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut conn = lock(&self.shared);
        let n = conn.writer().write(buf)?;
        send_queued(&mut conn, &self.tcp)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        send_queued(&mut lock(&self.shared), &self.tcp)
    }
}

impl Read for ReadHalf {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ReadHalf::Plain(tcp) => tcp.read(buf),
            ReadHalf::Tls(r) => r.read(buf),
        }
    }
}

impl Write for WriteHalf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            WriteHalf::Plain(tcp) => tcp.write(buf),
            WriteHalf::Tls(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            WriteHalf::Plain(tcp) => tcp.flush(),
            WriteHalf::Tls(w) => w.flush(),
        }
    }
}
