//! The crash campaign: `lianfang serve` is killed with SIGKILL at a random moment
//! while 20 desks register, call and finish, round after round. After every kill
//! each command a desk saw acknowledged must be in the data, and `lianfang check`
//! must pass.
//!
//! CI runs 3 rounds as part of `cargo test`. The full campaign, on demand:
//! `LIANFANG_CRASH_ROUNDS=100 cargo test --release --test crash_campaign -- --nocapture`;
//! `LIANFANG_CRASH_SEED=N` replays a run (the seed is printed at the start).

mod net_support;
mod process_support;
mod temp_data;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use lianfang::config::HallConfig;
use lianfang::domain::matter::{Matter, Outcome};
use lianfang::domain::ticket::{Ticket, TicketState};
use lianfang::domain::visit::Visit;
use lianfang::domain::visitor::Visitor;
use lianfang::hall::{Hall, HallError, HallExt, LocalHall, Registered, Serving};
use lianfang::net::{ClientConfig, RemoteHall};
use lianfang::store::check::check;
use net_support::*;
use process_support::{run, Server};
use temp_data::TempData;

const DESKS: usize = 20;
const DEFAULT_ROUNDS: usize = 3;
/// The kill comes this long at most after every desk is logged in.
const MAX_KILL_DELAY_MS: u64 = 1500;

/// What a desk was told succeeded; each must still be true after the crash.
#[derive(Debug, Clone)]
enum Ack {
    Registered(Registered),
    /// The ticket was called to a desk: it may not be waiting again.
    Called(Serving),
    /// The desk's reception of this ticket was finished.
    Finished(u64),
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
    )
}

#[test]
fn acknowledged_commands_survive_sigkill_round_after_round() {
    let rounds = env_number("LIANFANG_CRASH_ROUNDS").map_or(DEFAULT_ROUNDS, |n| n as usize);
    let seed = env_number("LIANFANG_CRASH_SEED").unwrap_or_else(|| rand::thread_rng().gen());
    // Printed first, so a failed run can be replayed.
    eprintln!("crash campaign: {rounds} rounds, {DESKS} desks, LIANFANG_CRASH_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = TempData::new();
    {
        let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
        // One account for all desks: each account costs an argon2 hash to create.
        add_accounts(&hall, 1);
    }
    let started = Instant::now();
    let mut acked: Vec<Ack> = Vec::new();
    for round in 1..=rounds {
        let delay = Duration::from_millis(rng.gen_range(0..=MAX_KILL_DELAY_MS));
        let new = crash_round(dir.path(), delay);
        let count = new.len();
        acked.extend(new);
        verify(dir.path(), &acked, round, seed);
        eprintln!(
            "round {round}/{rounds}: killed {} ms after login, {count} new acks, {} in all, check passed",
            delay.as_millis(),
            acked.len()
        );
    }
    eprintln!(
        "crash campaign passed: {rounds} rounds, {} acknowledged commands, {:.0} s, seed {seed}",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
}

/// One server life: desks write until the server is killed `delay` after they
/// are all logged in. Returns what they saw acknowledged.
fn crash_round(dir: &Path, delay: Duration) -> Vec<Ack> {
    let mut server = Server::start(dir);
    let addr = server.addr.clone();
    let acked: Arc<Mutex<Vec<Ack>>> = Arc::default();
    let logged_in = Arc::new(AtomicUsize::new(0));
    let desks: Vec<_> = (0..DESKS)
        .map(|i| {
            let (addr, acked, logged_in) = (addr.clone(), acked.clone(), logged_in.clone());
            thread::spawn(move || desk(i, &addr, &acked, &logged_in))
        })
        .collect();
    // The delay counts from the last login (argon2 is slow on a loaded machine):
    // a kill during logins would test logins, not writes.
    while logged_in.load(Ordering::SeqCst) < DESKS && !desks.iter().any(|d| d.is_finished()) {
        thread::sleep(Duration::from_millis(10));
    }
    thread::sleep(delay);
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for d in desks {
        d.join().expect("a desk thread failed");
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    acked
}

/// A desk's work until the server dies: finish what it serves, then register,
/// call and finish in a loop, recording each acknowledgement after it arrives.
fn desk(i: usize, addr: &str, acked: &Mutex<Vec<Ack>>, logged_in: &AtomicUsize) {
    let hall = RemoteHall::connect_with(addr, patient_client()).expect("connect");
    let s = hall
        .login("rs0", PASSWORD, &format!("人社-{i}号窗口"))
        .expect("login");
    logged_in.fetch_add(1, Ordering::SeqCst);
    let ack = |a: Ack| acked.lock().unwrap().push(a);
    // A ticket this desk was serving when the last server died is still its own.
    let mut serving = match hall.my_desk(&s.token) {
        Ok(s) => s.map(|s| s.ticket),
        Err(e) => return server_gone(e),
    };
    for n in 0.. {
        if let Some(ticket) = serving.take() {
            match hall.finish(&s.token, Outcome::Accepted, "") {
                Ok(()) => ack(Ack::Finished(ticket)),
                Err(e) => return server_gone(e),
            }
        }
        match hall.register(&s.token, registration(i * 1_000_000 + n)) {
            Ok(r) => ack(Ack::Registered(r)),
            Err(e) => return server_gone(e),
        }
        match hall.call_next(&s.token) {
            Ok(called) => {
                serving = Some(called.ticket);
                ack(Ack::Called(called));
            }
            // Another desk called every waiting ticket first.
            Err(HallError::Conflict(_)) => {}
            Err(e) => return server_gone(e),
        }
    }
}

/// Twenty argon2 logins queue up on the server; on a loaded machine the last
/// answer comes long after the shared helpers' short timeouts.
fn patient_client() -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(120),
        dead_after: Duration::from_secs(120),
        ..fast_client()
    }
}

/// The only error a desk may see is the server going away.
fn server_gone(e: HallError) {
    assert!(
        matches!(e, HallError::Unavailable(_) | HallError::Protocol(_)),
        "a desk got an error that is not the kill: {e}"
    );
}

/// Every acknowledgement so far holds in the data on disk, and `lianfang check` passes.
fn verify(dir: &Path, acked: &[Ack], round: usize, seed: u64) {
    let context = format!("round {round}, LIANFANG_CRASH_SEED={seed}");
    {
        let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
        let store = hall.store();
        let ticket = |id: u64| -> Ticket {
            store
                .get_id::<Ticket>(id)
                .unwrap()
                .unwrap_or_else(|| panic!("{context}: acknowledged ticket {id} is missing"))
        };
        for a in acked {
            match a {
                Ack::Registered(r) => {
                    let t = ticket(r.ticket);
                    assert_eq!(t.label, r.ticket_label, "{context}");
                    let visit = store.get_id::<Visit>(r.visit).unwrap();
                    assert!(visit.is_some(), "{context}: visit {} lost", r.visit);
                    assert!(
                        store.get_id::<Visitor>(r.visitor).unwrap().is_some(),
                        "{context}: visitor {} lost",
                        r.visitor
                    );
                    let matter = store.get_id::<Matter>(r.matter).unwrap();
                    let matter = matter.unwrap_or_else(|| panic!("{context}: matter lost"));
                    assert_eq!(matter.number, r.matter_number, "{context}");
                    assert!(matter.visits.contains(&r.visit), "{context}");
                }
                Ack::Called(c) => {
                    let t = ticket(c.ticket);
                    assert_ne!(
                        t.state,
                        TicketState::Waiting,
                        "{context}: {} waits",
                        t.label
                    );
                    assert_eq!(t.called, Some(c.called), "{context}: {}", t.label);
                }
                Ack::Finished(id) => {
                    let t = ticket(*id);
                    assert!(
                        matches!(t.state, TicketState::Done { .. }),
                        "{context}: finished ticket {} is {:?}",
                        t.label,
                        t.state
                    );
                }
            }
        }
        let report = check(store).unwrap();
        assert!(report.is_ok(), "{context}: {:?}", report.problems);
    }
    // The command an operator would run, too.
    let out = run(dir, &["check"], "");
    assert!(
        out.status.success(),
        "{context}: lianfang check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
