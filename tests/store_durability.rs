//! An acknowledged registration survives the process being killed (SIGKILL).
//!
//! The test binary runs itself again as a child: the child opens a hall on
//! disk, registers, prints each ticket label only after the command returned,
//! and then waits to be killed. The parent kills it without warning, reopens
//! the directory and must find every acknowledged registration.

mod support;
mod temp_data;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use lianfang::config::HallConfig;
use lianfang::domain::officer::Role;
use lianfang::hall::{Hall, HallExt, LocalHall};
use support::*;
use temp_data::TempData;

/// Set to the data directory when this binary runs as the child.
const CHILD_DIR: &str = "LIANFANG_TEST_DURABILITY_DIR";
const CHILD_TEST: &str = "child_registers_and_waits_to_be_killed";
const ACK: &str = "ACKNOWLEDGED ";
const REGISTRATIONS: u32 = 3;

/// The child's side; does nothing in a normal test run.
#[test]
fn child_registers_and_waits_to_be_killed() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return;
    };
    let hall = LocalHall::open(Path::new(&dir), HallConfig::embedded()).unwrap();
    add_officer(&hall, "reg", Role::Registrar, "xfj");
    let reg = hall.login("reg", PASSWORD, "1号").unwrap().token;
    for n in 1..=REGISTRATIONS {
        let r = hall
            .register(&reg, walk_in("张三", &nth_id(n), "", "rs"))
            .unwrap();
        println!("{ACK}{}", r.ticket_label);
    }
    // Wait for the kill; give up after a while so a failed parent leaves no
    // process behind for ever.
    for _ in 0..600 {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::process::exit(3);
}

#[test]
fn a_registration_acknowledged_before_sigkill_is_there_after_reopening() {
    let dir = TempData::new();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let mut labels = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while labels.len() < REGISTRATIONS as usize {
        match lines.next() {
            Some(line) => {
                // The harness may print "test … ... " on the same line first.
                if let Some((_, label)) = line.unwrap().split_once(ACK) {
                    labels.push(label.to_string());
                }
            }
            None => {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("the child ended before acknowledging: {err}");
            }
        }
    }
    // SIGKILL on Unix: no destructor, no flush on exit.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the child was killed, not finished: {status:?}"
    );
    assert_eq!(labels, ["人社-001", "人社-002", "人社-003"]);

    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    assert_consistent(hall.store());
    add_officer(&hall, "rs1", Role::Window, "rs");
    let rs = hall.login("rs1", PASSWORD, "2号").unwrap().token;
    for n in 1..=REGISTRATIONS {
        let hits = hall.lookup(&rs, &nth_id(n), 5).unwrap();
        assert_eq!(hits.len(), 1, "visitor {n} is there");
        assert_eq!(hits[0].visit_count, 1);
        assert_eq!(hits[0].open_matters, 1);
    }
    let queue = hall.queue(&rs).unwrap();
    let waiting: Vec<String> = queue
        .departments
        .iter()
        .find(|d| d.department.code == dept("rs"))
        .unwrap()
        .waiting
        .iter()
        .map(|e| e.label.clone())
        .collect();
    assert_eq!(waiting, labels);
    // The hall carries on where it stopped: no id is handed out twice.
    let reg = hall.login("reg", PASSWORD, "1号").unwrap().token;
    let r = hall
        .register(&reg, walk_in("李四", &nth_id(9), "", "rs"))
        .unwrap();
    assert_eq!((r.visitor, r.ticket, r.visit), (4, 4, 4));
    assert!(!labels.contains(&r.ticket_label));
    assert_consistent(hall.store());
    hall.logout(&reg).unwrap();
}

#[test]
fn a_directory_in_use_is_refused_in_words() {
    let dir = TempData::new();
    let first = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    match LocalHall::open(dir.path(), HallConfig::embedded()) {
        Err(lianfang::hall::HallError::Storage(message)) => {
            assert!(message.contains("另一个联访程序"), "{message}")
        }
        Err(other) => panic!("expected a storage error, got {other:?}"),
        Ok(_) => panic!("the same directory was opened twice"),
    }
    drop(first);
}
