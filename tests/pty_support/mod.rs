//! The real binary in a pseudo-terminal, read back through a vt100 screen:
//! what the end-to-end tests type and see. Waits are bounded polls.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
/// Generous: the first start of a debug build on a loaded CI machine is slow.
pub const WAIT: Duration = Duration::from_secs(20);

pub const F2: &str = "\x1bOQ";
pub const F3: &str = "\x1bOR";
pub const F4: &str = "\x1bOS";
pub const F5: &str = "\x1b[15~";
pub const F6: &str = "\x1b[17~";
pub const F10: &str = "\x1b[21~";
pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const CTRL_Q: &str = "\x11";

pub struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Kept open while the desk runs: closing it hangs up the desk's terminal.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Drop for Pty {
    /// A failed test must not leave the desk running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

impl Pty {
    /// Starts the real binary with `args` in a terminal of [`ROWS`]×[`COLS`].
    pub fn start(args: &[&std::ffi::OsStr]) -> Pty {
        Pty::start_sized(args, ROWS, COLS)
    }

    pub fn start_sized(args: &[&std::ffi::OsStr], rows: u16, cols: u16) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_lianfang"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("start lianfang");
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::clone(&screen);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .process(&buf[..n]);
            }
        });
        Pty {
            screen,
            writer,
            child,
            _master: pty.master,
        }
    }

    pub fn contains(&self, wanted: &str) -> bool {
        self.text().contains(wanted)
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    pub fn text(&self) -> String {
        self.screen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .screen()
            .contents()
    }

    /// Polls the screen until every piece of `wanted` shows, for at most [`WAIT`].
    pub fn wait_for(&self, wanted: &[&str]) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if wanted.iter().all(|w| text.contains(w)) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {wanted:?}; the screen shows:\n{text}");
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Sends one key at a time: an escape sequence glued to the next key could
    /// read as Alt+key.
    pub fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Fills the intake form from the identity number down to the summary and saves it.
pub fn register(p: &mut Pty, id: &str, name: &str, summary: &str) {
    p.keys(&[F2]);
    p.wait_for(&["来访登记", "身份证号"]);
    p.send(id);
    p.keys(&[TAB, TAB]);
    p.send(name);
    // Phone, address, channel, headcount, level, representatives, category, content class.
    for _ in 0..9 {
        p.keys(&[TAB]);
    }
    p.send("东城区");
    p.keys(&[TAB]);
    p.send(summary);
    p.keys(&[F6]);
    p.wait_for(&["已取号"]);
}

impl Pty {
    /// Quits with Ctrl-Q and waits for a clean exit.
    pub fn quit(&mut self) {
        self.keys(&[CTRL_Q]);
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                break status;
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("the desk did not quit on Ctrl-Q:\n{}", self.text());
            }
            thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "exit status {status:?}");
    }
}
