//! A notice asked for over the network: the same text as in-process, and the refusal's
//! Chinese reason travels unchanged.

mod net_support;

use std::net::TcpListener;
use std::sync::Arc;
use std::thread;

use lianfang::config::HallConfig;
use lianfang::domain::matter::Outcome;
use lianfang::hall::clock::SystemClock;
use lianfang::hall::{Hall, HallError, HallExt, LocalHall};
use lianfang::net::{serve, RemoteHall, ShutdownSignal};
use lianfang::notice::NoticeKind;
use net_support::*;

#[test]
fn a_notice_and_a_refusal_travel_over_the_wire() {
    let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
    add_accounts(&hall, 1);
    let hall = Arc::new(hall);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let shutdown = ShutdownSignal::new();
    let server = {
        let (hall, shutdown) = (Arc::clone(&hall), shutdown.clone());
        thread::spawn(move || serve(hall, listener, fast_server(), shutdown))
    };

    let desk = RemoteHall::connect_with(&addr, fast_client()).unwrap();
    let token = desk.login("rs0", PASSWORD, "").unwrap().token;
    let r = desk.register(&token, registration(1)).unwrap();
    desk.call_next(&token).unwrap();
    desk.finish(&token, Outcome::Accepted, "").unwrap();

    let remote = desk.notice(&token, r.matter, NoticeKind::Accept).unwrap();
    let local_token = hall.login("rs0", PASSWORD, "本机").unwrap().token;
    let local = hall
        .notice(&local_token, r.matter, NoticeKind::Accept)
        .unwrap();
    assert_eq!(remote, local);
    assert!(remote.text.contains("张二："), "{}", remote.text);
    match desk.notice(&token, r.matter, NoticeKind::Reply) {
        Err(HallError::Conflict(why)) => assert!(why.contains("尚未办结答复"), "{why}"),
        other => panic!("expected the refusal, got {other:?}"),
    }

    drop(desk);
    shutdown.trigger();
    server.join().unwrap().unwrap();
}
