//! A real server process killed with SIGKILL while desks write: every
//! registration a desk saw acknowledged is there after a restart. Then SIGTERM
//! stops it cleanly. The server process is this test binary itself, re-run
//! with an environment variable that turns `server_process` into the server.

mod net_support;
mod temp_data;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use lianfang::config::HallConfig;
use lianfang::domain::ticket::Ticket;
use lianfang::hall::{Hall, HallExt, LocalHall, Registered};
use lianfang::net::{serve_until_signal, RemoteHall};
use net_support::*;
use temp_data::TempData;

const DIR_ENV: &str = "LIANFANG_NET_KILL_SERVER_DIR";
const DESKS: usize = 3;

/// The body of the server process started by the test below; without the
/// variable (a normal test run) it returns at once.
#[test]
fn server_process() {
    let Some(dir) = std::env::var_os(DIR_ENV).map(PathBuf::from) else {
        return;
    };
    let hall = LocalHall::open(&dir, HallConfig::embedded()).unwrap();
    if hall.list_officers().unwrap().is_empty() {
        add_accounts(&hall, DESKS);
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let tmp = dir.join("port.tmp");
    std::fs::write(&tmp, listener.local_addr().unwrap().to_string()).unwrap();
    std::fs::rename(&tmp, dir.join("port")).unwrap();
    serve_until_signal(Arc::new(hall), listener, fast_server()).unwrap();
}

/// Killed on drop, so a failing test leaves no server behind.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(dir: &Path) -> (ServerProcess, SocketAddr) {
    let port_file = dir.join("port");
    let _ = std::fs::remove_file(&port_file);
    let child = ServerProcess(
        Command::new(std::env::current_exe().unwrap())
            .args(["server_process", "--exact", "--test-threads=1"])
            .env(DIR_ENV, dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    for _ in 0..2400 {
        if let Ok(text) = std::fs::read_to_string(&port_file) {
            return (child, text.parse().unwrap());
        }
        thread::sleep(Duration::from_millis(25));
    }
    panic!("the server process never started listening");
}

#[test]
fn acknowledged_registrations_survive_sigkill() {
    let dir = TempData::new();
    let (mut server, addr) = start_server(dir.path());
    let acked: Arc<Mutex<Vec<Registered>>> = Arc::default();
    let logged_in = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..DESKS)
        .map(|i| {
            let acked = acked.clone();
            let logged_in = logged_in.clone();
            thread::spawn(move || {
                let desk = RemoteHall::connect_with(&addr.to_string(), fast_client()).unwrap();
                let s = desk.login(&format!("rs{i}"), PASSWORD, "").unwrap();
                logged_in.fetch_add(1, Ordering::SeqCst);
                // Until the server dies: the first failure ends this desk's run.
                for n in 0..10_000 {
                    match desk.register(&s.token, registration(i * 10_000 + n)) {
                        Ok(r) => acked.lock().unwrap().push(r),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // The kill waits for every desk's login (slow argon2 on a loaded machine): a
    // login cut off by the kill would be the test's race, not a lost write.
    for _ in 0..4000 {
        if logged_in.load(Ordering::SeqCst) == DESKS && acked.lock().unwrap().len() >= 20 {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    server.0.kill().unwrap(); // SIGKILL
    server.0.wait().unwrap();
    for w in writers {
        w.join().unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(acked.len() >= 20, "only {} acknowledged", acked.len());

    // Restarted on the same data: everything acknowledged is there.
    let (mut server, addr) = start_server(dir.path());
    let desk = RemoteHall::connect_with(&addr.to_string(), fast_client()).unwrap();
    let s = desk.login("rs0", PASSWORD, "").unwrap();
    let waiting: Vec<_> = desk
        .queue(&s.token)
        .unwrap()
        .departments
        .into_iter()
        .flat_map(|d| d.waiting.into_iter().map(|e| e.ticket))
        .collect();
    for r in &acked {
        assert!(
            waiting.contains(&r.ticket),
            "ticket {} lost",
            r.ticket_label
        );
        let matter = desk.matter(&s.token, r.matter).unwrap();
        assert_eq!(matter.matter.number, r.matter_number);
        assert!(matter.matter.visits.contains(&r.visit));
    }
    drop(desk);

    // SIGTERM: a clean exit that releases the database.
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        server.0.wait().unwrap().success(),
        "the server did not exit cleanly"
    );
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = lianfang::store::check::check(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    for r in &acked {
        assert!(hall.store().get_id::<Ticket>(r.ticket).unwrap().is_some());
    }
}
