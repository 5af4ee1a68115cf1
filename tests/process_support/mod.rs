//! `lianfang serve` as a child process on a loopback port, for tests that need
//! a real server.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Output, Stdio};

/// Kills the server if the test fails before it stops it.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// The rest of the server's stderr, after the line that named the address.
    pub stderr: BufReader<ChildStderr>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `lianfang --data DIR serve --listen 127.0.0.1:0` and reads the bound address.
    pub fn start(data: &Path) -> Server {
        Server::start_with(data, &["--listen", "127.0.0.1:0"])
    }

    /// Starts `lianfang --data DIR serve ARGS…` and reads the bound address.
    pub fn start_with(data: &Path, serve_args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lianfang"))
            .arg("--data")
            .arg(data)
            .arg("serve")
            .args(serve_args)
            .env_remove("LIANFANG_DATA")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lianfang serve");
        // The first stderr line names the bound address: "… 监听 127.0.0.1:PORT。…"
        // (after the new hall key's announcement, on a hall's very first start).
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut line = String::new();
        for _ in 0..2 {
            line.clear();
            stderr
                .read_line(&mut line)
                .expect("read the server's first line");
            if !line.contains("已生成大厅密钥") {
                break;
            }
        }
        let addr = line
            .split("监听 ")
            .nth(1)
            .and_then(|rest| rest.split('。').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// SIGTERM, then the exit status and what the server said on the way out.
    pub fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait for the server");
        let mut rest = String::new();
        for l in (&mut self.stderr).lines() {
            rest.push_str(&l.expect("stderr line"));
        }
        (exit, rest)
    }
}

/// Runs `lianfang --data DIR ARGS…` with `stdin` and returns what it did.
pub fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("LIANFANG_DATA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lianfang");
    let mut input = child.stdin.take().expect("stdin is piped");
    // A command that needs no input may exit before reading it: a closed pipe is fine.
    if let Err(e) = input.write_all(stdin.as_bytes()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {e}"
        );
    }
    drop(input);
    child.wait_with_output().expect("lianfang finishes")
}

/// [`run`], asserting success; returns what it printed.
pub fn lianfang(data: &Path, args: &[&str], stdin: &str) -> String {
    let out = run(data, args, stdin);
    assert!(
        out.status.success(),
        "lianfang {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
