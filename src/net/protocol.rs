//! The wire format between desks and `lianfang serve`.
//!
//! A frame is a 4-byte big-endian payload length followed by the payload: one
//! [`ClientMsg`] or [`ServerMsg`] encoded by [`crate::store::codec`] (the only
//! module that knows bincode). The length is checked against [`MAX_FRAME`]
//! before any buffer is allocated, and every decode is size-limited.
//!
//! Compatibility rule: `ClientMsg::Hello` and `ServerMsg::Welcome` /
//! `ServerMsg::VersionMismatch` keep their positions and shapes forever, so two
//! different versions can always tell each other which version they speak.
//! Everything else may change when [`PROTOCOL_VERSION`] is bumped.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::hall::{
    Command, CommandReply, Event, HallError, HallInfo, NewOfficer, Query, QueryReply, Session,
    SessionToken,
};
use crate::store::codec::{self, CodecError};

/// Bump whenever a message below changes shape (2: accounts, backup, notices, evaluation,
/// oversight and statistics since the first desks).
pub const PROTOCOL_VERSION: u32 = 2;

/// No message comes near this; a longer length prefix is garbage or an attack.
pub const MAX_FRAME: usize = 1024 * 1024;

const LEN_BYTES: usize = 4;

/// Desk → server.
// A message lives only from its decode to its dispatch; boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    /// Must be the first frame of a connection.
    Hello {
        protocol_version: u32,
    },
    Request {
        id: u64,
        request: Request,
    },
    /// Heartbeat; the server answers `Pong`.
    Ping,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    Info,
    Setup(NewOfficer),
    Login {
        username: String,
        password: String,
        desk: String,
    },
    Logout(SessionToken),
    Command {
        token: SessionToken,
        command: Command,
    },
    Query {
        token: SessionToken,
        query: Query,
    },
    /// Resynchronise: where the event stream stands now (see [`Response::Snapshot`]).
    Snapshot,
    /// A piece of a backup from `offset` on; offset 0 takes a new copy of the store first.
    Backup {
        token: SessionToken,
        offset: u64,
    },
}

/// Server → desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMsg {
    Welcome {
        protocol_version: u32,
        server_name: String,
    },
    /// Sent instead of `Welcome` when the desk speaks another version; the server then closes.
    VersionMismatch {
        server_version: u32,
    },
    Reply {
        id: u64,
        result: Result<Response, HallError>,
    },
    /// Pushed to logged-in connections; carries the service's sequence number.
    Event(Event),
    Pong,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    Info(HallInfo),
    Session(Session),
    Command(CommandReply),
    Query(QueryReply),
    /// The sequence number of the last event published; events after it follow on the stream.
    /// Screens refetch what they show with ordinary queries.
    Snapshot {
        last_seq: u64,
    },
    Done,
    /// `bytes` of a backup file of `total` bytes, at the offset asked for.
    BackupPart {
        total: u64,
        bytes: Vec<u8>,
    },
}

/// The message both sides show when versions differ.
pub fn version_mismatch_message(server_version: u32, client_version: u32) -> String {
    format!(
        "协议版本不一致：服务器为 {server_version}，本程序为 {client_version}。请把服务器和各窗口的联访程序升级到同一版本"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer closed the connection between two frames.
    #[error("对方已关闭连接")]
    Closed,
    /// Nothing complete arrived within the read timeout; a partly read frame is kept.
    #[error("等待数据超时")]
    TimedOut,
    #[error("帧长度 {0} 字节超过上限 {MAX_FRAME} 字节")]
    TooLarge(usize),
    #[error("连接在一帧的中途断开")]
    Truncated,
    #[error("{0}")]
    Codec(#[from] CodecError),
    #[error("网络读写失败：{0}")]
    Io(#[from] io::Error),
}

/// Encodes one message as a complete frame, ready for a single `write_all`.
pub fn encode_frame<T: Serialize>(msg: &T) -> Result<Vec<u8>, FrameError> {
    let payload = codec::to_bytes(msg)?;
    if payload.len() > MAX_FRAME {
        return Err(FrameError::TooLarge(payload.len()));
    }
    let mut frame = Vec::with_capacity(LEN_BYTES + payload.len());
    // Fits: MAX_FRAME is far below u32::MAX.
    frame.extend((payload.len() as u32).to_be_bytes());
    frame.extend(payload);
    Ok(frame)
}

pub fn write_frame<W: Write, T: Serialize>(w: &mut W, msg: &T) -> Result<(), FrameError> {
    w.write_all(&encode_frame(msg)?)?;
    w.flush()?;
    Ok(())
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Reads frames from a stream with a read timeout. A timeout in the middle of a
/// frame keeps what was read, so the next call resumes where it stopped.
pub struct FrameReader<R> {
    inner: R,
    len: [u8; LEN_BYTES],
    len_read: usize,
    payload: Vec<u8>,
    payload_read: usize,
}

impl<R: Read> FrameReader<R> {
    pub fn new(inner: R) -> FrameReader<R> {
        FrameReader {
            inner,
            len: [0; LEN_BYTES],
            len_read: 0,
            payload: Vec::new(),
            payload_read: 0,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The next whole message. Undecodable payloads are errors: the caller closes the connection.
    pub fn read<T: DeserializeOwned>(&mut self) -> Result<T, FrameError> {
        while self.len_read < LEN_BYTES {
            let n = self.fill(false)?;
            if n == 0 {
                return Err(if self.len_read == 0 {
                    FrameError::Closed
                } else {
                    FrameError::Truncated
                });
            }
            if self.len_read == LEN_BYTES {
                let len = u32::from_be_bytes(self.len) as usize;
                if len > MAX_FRAME {
                    return Err(FrameError::TooLarge(len));
                }
                self.payload = vec![0; len];
                self.payload_read = 0;
            }
        }
        while self.payload_read < self.payload.len() {
            if self.fill(true)? == 0 {
                return Err(FrameError::Truncated);
            }
        }
        self.len_read = 0;
        let payload = std::mem::take(&mut self.payload);
        Ok(codec::from_bytes(&payload)?)
    }

    /// One `read` call into the length or the payload buffer.
    fn fill(&mut self, payload: bool) -> Result<usize, FrameError> {
        let buf = if payload {
            &mut self.payload[self.payload_read..]
        } else {
            &mut self.len[self.len_read..]
        };
        let n = loop {
            match self.inner.read(buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(&e) => return Err(FrameError::TimedOut),
                Err(e) => return Err(FrameError::Io(e)),
            }
        };
        if payload {
            self.payload_read += n;
        } else {
            self.len_read += n;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hall::EventKind;

    /// Hands out its bytes a few at a time, with a timeout between chunks.
    struct Trickle {
        chunks: Vec<Vec<u8>>,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.chunks.is_empty() {
                return Ok(0);
            }
            let chunk = self.chunks.remove(0);
            if chunk.is_empty() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            if n < chunk.len() {
                self.chunks.insert(0, chunk[n..].to_vec());
            }
            Ok(n)
        }
    }

    fn event(seq: u64) -> ServerMsg {
        ServerMsg::Event(Event {
            seq,
            kind: EventKind::OfficersChanged,
        })
    }

    #[test]
    fn frames_round_trip_across_timeouts() {
        let a = encode_frame(&event(1)).unwrap();
        let b = encode_frame(&ServerMsg::Pong).unwrap();
        // Split inside the length prefix and inside the payload, with timeouts between.
        let chunks = vec![
            a[..2].to_vec(),
            vec![],
            a[2..6].to_vec(),
            vec![],
            a[6..].to_vec(),
            b.clone(),
        ];
        let mut r = FrameReader::new(Trickle { chunks });
        assert!(matches!(r.read::<ServerMsg>(), Err(FrameError::TimedOut)));
        assert!(matches!(r.read::<ServerMsg>(), Err(FrameError::TimedOut)));
        assert_eq!(r.read::<ServerMsg>().unwrap(), event(1));
        assert_eq!(r.read::<ServerMsg>().unwrap(), ServerMsg::Pong);
        assert!(matches!(r.read::<ServerMsg>(), Err(FrameError::Closed)));
    }

    #[test]
    fn oversized_truncated_and_unknown_frames_are_errors() {
        let huge = (MAX_FRAME as u32 + 1).to_be_bytes().to_vec();
        let mut r = FrameReader::new(Trickle { chunks: vec![huge] });
        assert!(matches!(
            r.read::<ClientMsg>(),
            Err(FrameError::TooLarge(_))
        ));

        let frame = encode_frame(&ClientMsg::Ping).unwrap();
        let mut cut = frame.clone();
        cut.truncate(3);
        let mut r = FrameReader::new(Trickle { chunks: vec![cut] });
        assert!(matches!(r.read::<ClientMsg>(), Err(FrameError::Truncated)));

        let mut payload_cut = encode_frame(&ClientMsg::Hello {
            protocol_version: 7,
        })
        .unwrap();
        payload_cut.pop();
        let mut r = FrameReader::new(Trickle {
            chunks: vec![payload_cut],
        });
        assert!(matches!(r.read::<ClientMsg>(), Err(FrameError::Truncated)));

        // Variant 200 of ClientMsg does not exist.
        let unknown = encode_frame(&200u32).unwrap();
        let mut r = FrameReader::new(Trickle {
            chunks: vec![unknown],
        });
        assert!(matches!(r.read::<ClientMsg>(), Err(FrameError::Codec(_))));
    }

    #[test]
    fn hello_keeps_its_wire_shape() {
        // Older and newer versions must still read each other's Hello and Welcome.
        let hello = codec::to_bytes(&ClientMsg::Hello {
            protocol_version: 3,
        })
        .unwrap();
        assert_eq!(hello, vec![0, 3]);
        let mismatch = codec::to_bytes(&ServerMsg::VersionMismatch { server_version: 2 }).unwrap();
        assert_eq!(mismatch, vec![1, 2]);
        let msg = version_mismatch_message(2, 1);
        assert!(msg.contains("服务器为 2") && msg.contains("本程序为 1"));
    }
}
