//! The real binary in a pseudo-terminal: first-run setup, login, registration,
//! the queue board, calling and finishing at the window, lookup by pinyin
//! initials, and a second visit. Waits for screen text with a bounded poll;
//! nothing here depends on how fast the machine is.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

const ROWS: u16 = 30;
const COLS: u16 = 100;
/// Generous: the first start of a debug build on a loaded CI machine is slow.
const WAIT: Duration = Duration::from_secs(20);

const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const F4: &str = "\x1bOS";
const F5: &str = "\x1b[15~";
const F6: &str = "\x1b[17~";
const F10: &str = "\x1b[21~";
const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_Q: &str = "\x11";

struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
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
    fn start(data: &std::path::Path) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_lianfang"));
        cmd.arg("--data");
        cmd.arg(data);
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("start lianfang");
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
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

    fn text(&self) -> String {
        self.screen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .screen()
            .contents()
    }

    /// Polls the screen until every piece of `wanted` shows, for at most [`WAIT`].
    fn wait_for(&self, wanted: &[&str]) {
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

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Sends one key at a time: an escape sequence glued to the next key could
    /// read as Alt+key.
    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Fills the intake form from the identity number down to the summary.
fn register(p: &mut Pty, id: &str, name: &str, summary: &str) {
    p.keys(&[F2]);
    p.wait_for(&["来访登记", "身份证号"]);
    p.send(id);
    p.keys(&[TAB, TAB]);
    p.send(name);
    // Phone, address, channel, headcount, representatives, category, content class.
    for _ in 0..8 {
        p.keys(&[TAB]);
    }
    p.send("东城区");
    p.keys(&[TAB]);
    p.send(summary);
    p.keys(&[F6]);
    p.wait_for(&["已取号"]);
}

#[test]
fn a_desk_day_from_first_start_to_a_second_visit() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut p = Pty::start(data.path());

    // First run: create the administrator.
    p.wait_for(&["首次使用", "管理员账号"]);
    p.send("admin");
    p.keys(&[TAB]);
    p.send("王主任");
    p.keys(&[TAB]);
    p.send("zhuomian-2026");
    p.keys(&[TAB]);
    p.send("zhuomian-2026");
    p.keys(&[ENTER]);

    // Log in: the account name is filled in, the caret waits in the password.
    p.wait_for(&["管理员账号已创建", "密码"]);
    p.send("zhuomian-2026");
    p.keys(&[ENTER]);
    p.wait_for(&["排队总览", "已登录"]);

    // Register a visitor; the ticket is shown to read out.
    register(&mut p, "11010519491231002X", "张秀英", "拖欠工资三个月");
    p.wait_for(&["信访-001", "新立事项"]);
    p.keys(&[ENTER, F10]);
    p.wait_for(&["信访局  等候 1 号", "信访-001 张**"]);

    // The window calls it and answers on the spot.
    p.keys(&[F4]);
    p.wait_for(&["空闲，按 F5 叫下一位"]);
    p.keys(&[F5]);
    p.wait_for(&["正在接待 信访-001", "拖欠工资三个月"]);
    p.keys(&[F6]);
    p.wait_for(&["记录办理结果"]);
    p.keys(&[TAB]);
    p.send("已当场答复，告知向劳动监察投诉");
    p.keys(&[F6]);
    p.wait_for(&["已记录办理结果"]);

    // Found again by pinyin initials.
    p.keys(&[F3]);
    p.wait_for(&["查找"]);
    p.send("zxy");
    p.wait_for(&["张秀英", "来访 1次"]);
    p.keys(&[ESC]);
    p.wait_for(&["排队总览"]);

    // A second visit, then the lookup shows two.
    register(&mut p, "11010519491231002X", "张秀英", "工资仍未支付");
    p.wait_for(&["信访-002"]);
    p.keys(&[ENTER, F3]);
    p.wait_for(&["张秀英", "来访 2次"]);
    p.keys(&[ENTER]);
    p.wait_for(&["来访人档案", "11010519491231002X", "来访 2 次"]);

    // Ctrl-Q quits and gives the terminal back.
    p.keys(&[CTRL_Q]);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = p.child.try_wait().expect("child status") {
            break status;
        }
        if start.elapsed() > WAIT {
            let _ = p.child.kill();
            panic!("the desk did not quit on Ctrl-Q:\n{}", p.text());
        }
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !p.text().contains("排队总览"),
        "the alternate screen was left"
    );
    // Logs went to a file in the data directory, not to the screen.
    let logs: Vec<_> = std::fs::read_dir(data.path())
        .expect("data dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".log"))
        .collect();
    assert!(!logs.is_empty(), "no log file in the data directory");
}
