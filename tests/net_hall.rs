//! A real server on a loopback port, driven by several desks at once.

mod net_support;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::Receiver;
use lianfang::config::HallConfig;
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::Outcome;
use lianfang::hall::clock::SystemClock;
use lianfang::hall::{
    Event, EventKind, Hall, HallError, HallExt, LocalHall, Registered, Serving, Session,
};
use lianfang::net::protocol::{
    encode_frame, ClientMsg, FrameError, FrameReader, Request, Response, ServerMsg,
    PROTOCOL_VERSION,
};
use lianfang::net::{serve, RemoteHall, ServerConfig, ShutdownSignal};
use net_support::*;

struct Server {
    addr: SocketAddr,
    hall: Arc<LocalHall>,
    shutdown: ShutdownSignal,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    fn start(windows: usize) -> Server {
        Server::start_with(windows, fast_server())
    }

    fn start_with(windows: usize, config: ServerConfig) -> Server {
        let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
        add_accounts(&hall, windows);
        Server::on(Arc::new(hall), "127.0.0.1:0", config)
    }

    fn on(hall: Arc<LocalHall>, addr: &str, config: ServerConfig) -> Server {
        let listener = TcpListener::bind(addr).unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = ShutdownSignal::new();
        let thread = {
            let (hall, shutdown) = (hall.clone(), shutdown.clone());
            thread::spawn(move || serve(hall, listener, config, shutdown))
        };
        Server {
            addr,
            hall,
            shutdown,
            thread: Some(thread),
        }
    }

    fn desk(&self, username: &str) -> (RemoteHall, Session) {
        let desk = RemoteHall::connect_with(&self.addr.to_string(), fast_client()).unwrap();
        let session = desk.login(username, PASSWORD, "").unwrap();
        (desk, session)
    }

    fn stop(&mut self) {
        self.shutdown.trigger();
        if let Some(t) = self.thread.take() {
            t.join().unwrap().unwrap();
        }
    }

    fn check_store(&self) {
        let report = lianfang::store::check::check(self.hall.store()).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// Waits (bounded) for an event matching `want`, skipping others.
fn wait_for(events: &Receiver<Event>, want: impl Fn(&EventKind) -> bool) -> Event {
    for _ in 0..10_000 {
        let e = events
            .recv_timeout(Duration::from_secs(20))
            .expect("the expected event never came");
        if want(&e.kind) {
            return e;
        }
    }
    panic!("the expected event never came")
}

#[test]
fn two_desks_at_once_get_unique_tickets_and_visitors_and_everyone_sees_the_calls() {
    const PER_DESK: usize = 8;
    // Room for every event of the run: on a loaded machine a 16-frame queue can
    // fill, and a dropped event is a resync (tested below), not a lost call.
    let server = Server::start_with(
        2,
        ServerConfig {
            outgoing_queue: 4096,
            ..fast_server()
        },
    );
    let (screen, screen_session) = server.desk("screen");
    let screen_events = screen.subscribe();
    let desks: Vec<_> = (0..2).map(|i| server.desk(&format!("rs{i}"))).collect();
    let desks: Vec<(Arc<RemoteHall>, Session)> =
        desks.into_iter().map(|(d, s)| (Arc::new(d), s)).collect();
    let desk_events: Vec<_> = desks.iter().map(|(d, _)| d.subscribe()).collect();

    // Both desks register at the same time.
    let registered: Vec<Registered> = desks
        .iter()
        .enumerate()
        .map(|(i, (desk, s))| {
            let (desk, s) = (desk.clone(), s.clone());
            thread::spawn(move || {
                (0..PER_DESK)
                    .map(|n| desk.register(&s.token, registration(i * 100 + n)).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let total = 2 * PER_DESK;
    let unique =
        |f: &dyn Fn(&Registered) -> String| registered.iter().map(f).collect::<HashSet<_>>().len();
    assert_eq!(registered.len(), total);
    assert_eq!(unique(&|r| r.ticket.to_string()), total);
    assert_eq!(unique(&|r| r.ticket_label.clone()), total);
    assert_eq!(unique(&|r| r.matter_number.clone()), total);
    assert_eq!(unique(&|r| r.visitor.to_string()), total);

    // Both desks call next at the same time until the queue is empty.
    let served: Vec<Serving> = desks
        .iter()
        .map(|(desk, s)| {
            let (desk, s) = (desk.clone(), s.clone());
            thread::spawn(move || {
                let mut mine = Vec::new();
                for _ in 0..=total {
                    match desk.call_next(&s.token) {
                        Ok(serving) => {
                            desk.finish(&s.token, Outcome::AnsweredOnSpot, "当场答复")
                                .unwrap();
                            mine.push(serving);
                        }
                        Err(HallError::Conflict(_)) => break,
                        Err(e) => panic!("call next failed: {e}"),
                    }
                }
                mine
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let served_tickets: HashSet<_> = served.iter().map(|s| s.ticket).collect();
    let issued: HashSet<_> = registered.iter().map(|r| r.ticket).collect();
    assert_eq!(served.len(), total, "a visitor was called twice or lost");
    assert_eq!(served_tickets, issued);

    // Every client, the display too, hears every call.
    for events in desk_events.iter().chain([&screen_events]) {
        let mut heard = HashSet::new();
        while heard.len() < total {
            if let EventKind::TicketCalled { label, .. } =
                wait_for(events, |k| matches!(k, EventKind::TicketCalled { .. })).kind
            {
                heard.insert(label);
            }
        }
        assert_eq!(heard, served.iter().map(|s| s.label.clone()).collect());
    }
    // The display may read the queue and nothing else.
    assert!(screen.queue(&screen_session.token).is_ok());
    assert!(matches!(
        screen.lookup(&screen_session.token, "张", 5),
        Err(HallError::Denied(_))
    ));
    server.check_store();
}

/// A raw connection that has said Hello.
fn raw_hello(addr: SocketAddr) -> (TcpStream, FrameReader<TcpStream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(
        &encode_frame(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
        })
        .unwrap(),
    )
    .unwrap();
    let mut reader = FrameReader::new(s.try_clone().unwrap());
    assert!(matches!(
        reader.read::<ServerMsg>().unwrap(),
        ServerMsg::Welcome { .. }
    ));
    (s, reader)
}

/// Sends `bytes` and expects the server to close the connection (not a read timeout here).
fn closed_by_server(mut s: TcpStream, bytes: &[u8]) {
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(bytes).unwrap();
    let mut rest = Vec::new();
    match s.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) => assert_eq!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset,
            "server kept the connection open: {e}"
        ),
    }
}

#[test]
fn bad_input_drops_only_the_offending_connection() {
    let server = Server::start(1);
    let (desk, s) = server.desk("rs0");
    let events = desk.subscribe();
    let mut tickets = vec![desk.register(&s.token, registration(0)).unwrap().ticket];
    let connect = || TcpStream::connect(server.addr).unwrap();

    // Random bytes (fixed, so a failure can be replayed).
    let mut noise = Vec::new();
    let mut x: u32 = 0x9E37_79B9;
    for _ in 0..512 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x as u8);
    }
    closed_by_server(connect(), &noise);
    // A length prefix far above the cap, before and after the handshake.
    closed_by_server(connect(), &u32::MAX.to_be_bytes());
    let (after_hello, _r) = raw_hello(server.addr);
    closed_by_server(after_hello, &[0x7f, 0xff, 0xff, 0xff]);
    // A truncated frame: the server sees the end of the stream mid-frame.
    let hello = encode_frame(&ClientMsg::Hello {
        protocol_version: PROTOCOL_VERSION,
    })
    .unwrap();
    let mut half = connect();
    half.write_all(&hello[..hello.len() - 1]).unwrap();
    half.shutdown(Shutdown::Write).unwrap();
    closed_by_server(half, &[]);
    // A well-formed frame holding a variant that does not exist.
    closed_by_server(connect(), &encode_frame(&200u32).unwrap());
    let (after_hello, _r) = raw_hello(server.addr);
    closed_by_server(after_hello, &encode_frame(&(1u8, 9u64, 77u32)).unwrap());
    // A client that connects and never speaks: closed after the handshake timeout.
    closed_by_server(connect(), &[]);

    // The desk kept working throughout, and still gets its events.
    tickets.push(desk.register(&s.token, registration(1)).unwrap().ticket);
    wait_for(&events, |k| matches!(k, EventKind::QueueChanged { .. }));
    let queue = desk.queue(&s.token).unwrap();
    let waiting: Vec<_> = queue
        .departments
        .iter()
        .flat_map(|d| d.waiting.iter().map(|e| e.ticket))
        .collect();
    assert_eq!(waiting, tickets);
    server.check_store();
}

#[test]
fn a_desk_that_never_reads_is_dropped_while_others_keep_working() {
    let server = Server::start(2);
    let (desk, s) = server.desk("rs0");

    // Logs in (so events are queued for it too), then only writes: requests whose
    // answers (the hall's description, about a kilobyte each) it never reads,
    // until the server gives up on it.
    let (mut greedy, mut reader) = raw_hello(server.addr);
    greedy
        .write_all(
            &encode_frame(&ClientMsg::Request {
                id: 1,
                request: Request::Login {
                    username: "rs1".into(),
                    password: PASSWORD.into(),
                    desk: String::new(),
                },
            })
            .unwrap(),
        )
        .unwrap();
    match reader.read::<ServerMsg>().unwrap() {
        ServerMsg::Reply {
            id: 1,
            result: Ok(Response::Session(_)),
        } => {}
        other => panic!("login failed: {other:?}"),
    }
    greedy
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let asks: Vec<u8> = (0..1000)
        .flat_map(|id| {
            encode_frame(&ClientMsg::Request {
                id,
                request: Request::Info,
            })
            .unwrap()
        })
        .collect();
    let spammer = thread::spawn(move || {
        for _ in 0..100_000 {
            if let Err(e) = greedy.write_all(&asks) {
                return e;
            }
        }
        panic!("the server never dropped a client that does not read");
    });

    // Meanwhile the other desk registers and reads as usual.
    let tickets: Vec<_> = (0..10)
        .map(|n| desk.register(&s.token, registration(n)).unwrap().ticket)
        .collect();
    let err = spammer.join().unwrap();
    assert!(
        !matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "our own write timed out instead of the server closing: {err}"
    );
    tickets.iter().for_each(|t| {
        assert!(server
            .hall
            .store()
            .get_id::<lianfang::domain::ticket::Ticket>(*t)
            .unwrap()
            .is_some())
    });
    desk.register(&s.token, registration(99)).unwrap();
    server.check_store();
}

#[test]
fn version_mismatch_is_refused_with_both_versions_named() {
    let server = Server::start(0);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(
        &encode_frame(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION + 1,
        })
        .unwrap(),
    )
    .unwrap();
    let mut reader = FrameReader::new(s.try_clone().unwrap());
    assert_eq!(
        reader.read::<ServerMsg>().unwrap(),
        ServerMsg::VersionMismatch {
            server_version: PROTOCOL_VERSION
        }
    );
    assert!(matches!(
        reader.read::<ServerMsg>(),
        Err(FrameError::Closed) | Err(FrameError::Io(_))
    ));

    // The client side: a server that speaks another version.
    let fake = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = fake.local_addr().unwrap();
    let t = thread::spawn(move || {
        let (mut s, _) = fake.accept().unwrap();
        let mut r = FrameReader::new(s.try_clone().unwrap());
        let _: ClientMsg = r.read().unwrap();
        s.write_all(&encode_frame(&ServerMsg::VersionMismatch { server_version: 9 }).unwrap())
            .unwrap();
    });
    let err = RemoteHall::connect_with(&addr.to_string(), fast_client())
        .err()
        .expect("connect must fail");
    t.join().unwrap();
    let text = err.to_string();
    assert!(text.contains("服务器为 9"), "{text}");
    assert!(
        text.contains(&format!("本程序为 {PROTOCOL_VERSION}")),
        "{text}"
    );
}

#[test]
fn a_gap_in_event_numbers_makes_subscribers_resynchronise() {
    let fake = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = fake.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut s, _) = fake.accept().unwrap();
        let mut r = FrameReader::new(s.try_clone().unwrap());
        let _: ClientMsg = r.read().unwrap();
        let mut send = |m: ServerMsg| s.write_all(&encode_frame(&m).unwrap()).unwrap();
        send(ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            server_name: "测试".into(),
        });
        // Wait for a request, so the client has subscribed; events 7 and 8 never come.
        let id = loop {
            match r.read::<ClientMsg>().unwrap() {
                ClientMsg::Request { id, .. } => break id,
                _ => continue,
            }
        };
        for seq in [5, 6, 9] {
            send(ServerMsg::Event(Event {
                seq,
                kind: EventKind::OfficersChanged,
            }));
        }
        send(ServerMsg::Reply {
            id,
            result: Ok(Response::Done),
        });
        // Keep the connection open until the client is done.
        let _ = r.read::<ClientMsg>();
    });
    let client = RemoteHall::connect_with(&addr.to_string(), fast_client()).unwrap();
    let events = client.subscribe();
    client
        .setup(lianfang::hall::NewOfficer {
            username: "admin".into(),
            display_name: "管理员".into(),
            role: lianfang::domain::officer::Role::Admin,
            department: lianfang::domain::department::DeptCode::new("xfj"),
            password: PASSWORD.into(),
        })
        .unwrap();
    let got: Vec<EventKind> = (0..4)
        .map(|_| events.recv_timeout(Duration::from_secs(20)).unwrap().kind)
        .collect();
    assert_eq!(
        got,
        vec![
            EventKind::OfficersChanged,
            EventKind::OfficersChanged,
            EventKind::Connection { online: true },
            EventKind::OfficersChanged,
        ]
    );
    drop(client);
    server.join().unwrap();
}

#[test]
fn desks_ride_out_a_server_restart_without_reporting_unsaved_work_as_saved() {
    let mut server = Server::start(1);
    let (desk, s) = server.desk("rs0");
    let events = desk.subscribe();
    let first = desk.register(&s.token, registration(0)).unwrap();

    server.stop();
    wait_for(&events, |k| *k == EventKind::Connection { online: false });
    assert!(!desk.is_online());
    // Offline: refused, never reported as done.
    assert!(matches!(
        desk.register(&s.token, registration(1)),
        Err(HallError::Unavailable(_))
    ));

    // The same hall comes back on the same port; the desk reconnects and its session still works.
    let restarted = Server::on(server.hall.clone(), &server.addr.to_string(), fast_server());
    wait_for(&events, |k| *k == EventKind::Connection { online: true });
    let second = desk.register(&s.token, registration(2)).unwrap();
    let waiting: Vec<_> = desk
        .queue(&s.token)
        .unwrap()
        .departments
        .iter()
        .flat_map(|d| d.waiting.iter().map(|e| e.ticket))
        .collect();
    assert_eq!(waiting, vec![first.ticket, second.ticket]);
    restarted.check_store();
}

#[test]
fn silent_connections_time_out_on_both_sides() {
    // Server side: a desk that said Hello and then nothing, not even a heartbeat.
    let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
    let config = ServerConfig {
        idle_timeout: Duration::from_millis(300),
        ..fast_server()
    };
    let server = Server::on(Arc::new(hall), "127.0.0.1:0", config);
    let (silent, _reader) = raw_hello(server.addr);
    closed_by_server(silent, &[]);

    // Client side: a server that accepts and then never answers (a half-open link).
    let fake = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = fake.local_addr().unwrap();
    let mute = thread::spawn(move || {
        let (mut s, _) = fake.accept().unwrap();
        let mut r = FrameReader::new(s.try_clone().unwrap());
        let _: ClientMsg = r.read().unwrap();
        s.write_all(
            &encode_frame(&ServerMsg::Welcome {
                protocol_version: PROTOCOL_VERSION,
                server_name: "测试".into(),
            })
            .unwrap(),
        )
        .unwrap();
        // The client's heartbeat arrives; it is never answered.
        assert_eq!(r.read::<ClientMsg>().unwrap(), ClientMsg::Ping);
        let _ = r.read::<ClientMsg>();
    });
    let config = lianfang::net::ClientConfig {
        heartbeat_interval: Duration::from_millis(50),
        dead_after: Duration::from_millis(300),
        ..fast_client()
    };
    let client = RemoteHall::connect_with(&addr.to_string(), config).unwrap();
    let events = client.subscribe();
    wait_for(&events, |k| *k == EventKind::Connection { online: false });
    assert!(matches!(client.info(), Err(HallError::Unavailable(_))));
    drop(client);
    mute.join().unwrap();
}

#[test]
fn lifecycle_steps_and_the_due_list_travel_over_the_wire() {
    let server = Server::start(1);
    let (desk, s) = server.desk("rs0");
    let r = desk.register(&s.token, registration(0)).unwrap();
    desk.call_next(&s.token).unwrap();
    desk.finish(&s.token, Outcome::Accepted, "").unwrap();
    // The extension, dates and all, reaches the service, which refuses a window officer.
    let extend = Transition::Extend {
        days: 30,
        reason: "需现场核查".into(),
        approver: "王局长".into(),
        told_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    };
    let message = match desk.step(&s.token, r.matter, extend, "") {
        Err(HallError::Denied(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(message.contains("延期"), "{message}");
    desk.step(&s.token, r.matter, Transition::Reply, "已书面答复")
        .unwrap();
    let detail = desk.matter(&s.token, r.matter).unwrap();
    assert_eq!(detail.brief.status, "已办结答复");
    assert!(detail.brief.deadline.is_some(), "the 复查 window runs");
    assert!(desk.due_matters(&s.token, false).unwrap().is_empty());
    assert!(matches!(
        desk.due_matters(&s.token, true),
        Err(HallError::Denied(_))
    ));
    server.check_store();
}

#[test]
fn repeat_candidates_and_the_second_ticket_refusal_travel_over_the_wire() {
    let server = Server::start(1);
    let (desk, s) = server.desk("rs0");
    let r = desk.register(&s.token, registration(0)).unwrap();
    assert_eq!(r.warning, None);
    let candidates = desk
        .repeat_candidates(&s.token, r.visitor, "劳动社保", "东城区")
        .unwrap();
    assert_eq!(
        candidates.iter().map(|b| b.id).collect::<Vec<_>>(),
        [r.matter]
    );
    // Still waiting: the same visitor picked again is refused, the ticket named.
    let mut again = registration(0);
    again.visitor = Some(r.visitor);
    let message = match desk.register(&s.token, again) {
        Err(HallError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    };
    assert!(message.contains(&r.ticket_label), "{message}");
    let profile = desk.profile(&s.token, r.visitor, false).unwrap();
    assert!(profile.key_grades.is_empty());
    server.check_store();
}

#[test]
fn evaluations_and_the_visit_facts_travel_over_the_wire() {
    use lianfang::domain::evaluation::{EvaluationStep, Satisfaction};
    use lianfang::domain::visit::Channel;

    let server = Server::start(1);
    let (desk, s) = server.desk("rs0");
    assert_eq!(desk.info().unwrap().visit_levels.len(), 4);
    let mut letter = registration(0);
    letter.name.clear();
    letter.channel = Channel::Letter;
    letter.facts.anonymous = true;
    letter.facts.level = 2;
    let r = desk.register(&s.token, letter).unwrap();
    desk.call_next(&s.token).unwrap();
    desk.finish(&s.token, Outcome::Accepted, "").unwrap();
    let record = EvaluationStep::Record {
        satisfaction: Satisfaction::Unsatisfied,
        note: String::new(),
    };
    assert!(matches!(
        desk.evaluate(&s.token, r.matter, record.clone()),
        Err(HallError::Conflict(_))
    ));
    desk.step(&s.token, r.matter, Transition::Reply, "已书面答复")
        .unwrap();
    desk.evaluate(&s.token, r.matter, record).unwrap();
    let detail = desk.matter(&s.token, r.matter).unwrap();
    assert_eq!(
        detail.matter.satisfaction(),
        Some(Satisfaction::Unsatisfied)
    );
    let visit = &detail.visits[0];
    assert!(visit.anonymous && visit.skip_level);
    assert_eq!(visit.level, "到省");
    server.check_store();
}

#[test]
fn a_ledger_export_pages_over_the_network_even_with_the_longest_rows() {
    let server = Server::start(1);
    let (desk, session) = server.desk("rs0");
    // More than two pages of the service's 40 rows.
    let rows = 90;
    for n in 0..rows {
        let mut input = registration(n);
        if let lianfang::domain::registration::MatterChoice::New(m) = &mut input.matter {
            // The longest text the desk accepts, in 3-byte characters: pages must
            // still fit a frame.
            m.summary = format!("{n:04}{}", "问".repeat(3996));
            m.demands = "求".repeat(2000);
        }
        desk.register(&session.token, input).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.csv");
    let today = chrono::Utc::now().date_naive();
    let spec = lianfang::ledger::export::ExportSpec {
        kind: lianfang::domain::ledger::LedgerKind::Visits,
        from: today.pred_opt().unwrap(),
        to: today.succ_opt().unwrap(),
        full_id: false,
        format: lianfang::ledger::FileFormat::Csv,
    };
    let exported =
        lianfang::ledger::export::export(&desk, &session.token, &spec, &path, |_| {}).unwrap();
    assert_eq!(exported as usize, rows);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("{:04}问", rows - 1)));
}
