//! A full disk and a read-only data directory: the officer reads in Chinese what
//! is wrong, the process ends with an error instead of a panic, and what was
//! saved before is intact (`lianfang check` passes, earlier registrations are found).
//!
//! Both need a small filesystem of their own: the test mounts a tmpfs, which
//! needs root (CAP_SYS_ADMIN). Root ignores file permissions, so a read-only
//! *mount* is the only read-only directory that holds for root too. Where
//! mounting is refused the test says SKIPPED on stderr and checks nothing.

mod net_support;
mod process_support;
mod temp_data;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lianfang::config::HallConfig;
use lianfang::domain::ticket::Ticket;
use lianfang::hall::{Hall, HallError, HallExt, LocalHall, Registered};
use lianfang::net::RemoteHall;
use net_support::*;
use process_support::{run, Server};
use temp_data::TempData;

/// A tmpfs mounted on a temporary directory, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None`, after saying so, where this machine does not let the test mount.
    fn mount(test: &str, size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            other => {
                eprintln!(
                    "SKIPPED {test}: cannot mount a tmpfs here (needs root): {other:?}. \
                     Nothing was checked."
                );
                None
            }
        }
    }

    fn hall(&self) -> PathBuf {
        self.dir.path().join("hall")
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// A hall with one window account and `n` registrations, closed again.
fn hall_with_registrations(dir: &Path, n: usize) -> Vec<Registered> {
    let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
    add_accounts(&hall, 1);
    let s = hall.login("rs0", PASSWORD, "").unwrap();
    (0..n)
        .map(|i| hall.register(&s.token, registration(i)).unwrap())
        .collect()
}

/// Every registration is there and `check` (in process and the command) passes.
fn assert_intact(dir: &Path, saved: &[Registered]) {
    {
        let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
        let report = lianfang::store::check::check(hall.store()).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        for r in saved {
            let ticket = hall.store().get_id::<Ticket>(r.ticket).unwrap();
            assert_eq!(ticket.map(|t| t.label), Some(r.ticket_label.clone()));
        }
    }
    let out = run(dir, &["check"], "");
    assert!(out.status.success(), "{}", text(&out));
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Ended by its own error, in Chinese, with the words given: exit code 1, no panic.
fn assert_refused(out: &Output, words: &str) {
    let said = text(out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("错误：") && said.contains(words), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}

/// Fills the filesystem holding `dir` until a write fails for want of space.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        if let Err(e) = file.write_all(&chunk).and_then(|()| file.sync_all()) {
            assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
            return path;
        }
    }
}

/// A snapshot sled could not finish (the full disk below left one behind) must
/// not lock the hall out: sled 0.34.7 would read it as the newest snapshot and
/// report the whole database corrupt.
#[test]
fn an_unfinished_snapshot_does_not_lock_the_hall_out() {
    let dir = TempData::new();
    let saved = hall_with_registrations(dir.path(), 3);
    let db = dir.path().join("db");
    std::fs::write(db.join("snap.FFFFFFFFFFFFFFFF.generating"), b"").unwrap();
    assert_intact(dir.path(), &saved);
}

#[test]
fn a_full_disk_is_named_and_what_was_saved_stays() {
    let Some(fs) = Tmpfs::mount("a_full_disk_is_named_and_what_was_saved_stays", "16m") else {
        return;
    };
    let dir = fs.hall();
    let mut saved = hall_with_registrations(&dir, 5);

    let server = Server::start(&dir);
    let desk = RemoteHall::connect_with(&server.addr, fast_client()).unwrap();
    let s = desk.login("rs0", PASSWORD, "").unwrap();
    saved.push(desk.register(&s.token, registration(5)).unwrap());
    let filler = fill(fs.dir.path());
    // Space sled had claimed before may take a few more; the disk runs out soon.
    let refusal = (6..10_000)
        .find_map(|n| match desk.register(&s.token, registration(n)) {
            Ok(r) => {
                saved.push(r);
                None
            }
            Err(e) => Some(e),
        })
        .expect("the disk never ran out");
    match &refusal {
        HallError::Storage(m) => assert!(m.contains("磁盘已满"), "{m}"),
        other => panic!("expected a storage error, got {other:?}"),
    }
    drop(desk);
    // SIGTERM: the server stops by itself, an error or not, without a panic.
    let (status, said) = server.terminate();
    assert!(status.code().is_some(), "killed by a signal: {said}");
    assert!(!said.contains("panicked"), "{said}");

    // A command started on the full disk says so too.
    let out = run(&dir, &["demo", "--visitors", "2000"], "");
    assert_refused(&out, "磁盘已满");

    std::fs::remove_file(filler).unwrap();
    assert_intact(&dir, &saved);
}

#[test]
fn a_read_only_data_directory_is_named_and_left_as_it_was() {
    let Some(fs) = Tmpfs::mount(
        "a_read_only_data_directory_is_named_and_left_as_it_was",
        "16m",
    ) else {
        return;
    };
    let dir = fs.hall();
    let saved = hall_with_registrations(&dir, 3);
    fs.remount("ro");
    for args in [
        &["serve", "--listen", "127.0.0.1:0"][..],
        &["check"][..],
        &["lookup", "张"][..],
    ] {
        assert_refused(&run(&dir, args, ""), "数据目录不可写");
    }
    fs.remount("rw");
    assert_intact(&dir, &saved);
}
