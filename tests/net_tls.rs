//! TLS between desks and the server: a desk trusting the hall's certificate works
//! end to end; a wrong pin, a foreign CA, and a desk and server that disagree
//! about TLS, and an expired or not yet valid certificate are refused with a
//! message that says what to fix.

mod net_support;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use lianfang::config::{HallConfig, TlsSettings};
use lianfang::hall::clock::SystemClock;
use lianfang::hall::{EventKind, Hall, HallError, HallExt, LocalHall};
use lianfang::net::tls::{self, parse_fingerprint, SelfSigned};
use lianfang::net::{serve, RemoteHall, ServerConfig, ShutdownSignal};
use net_support::*;

struct Server {
    addr: String,
    shutdown: ShutdownSignal,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
        add_accounts(&hall, 1);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let shutdown = ShutdownSignal::new();
        let config = ServerConfig {
            tls,
            ..fast_server()
        };
        let thread = {
            let shutdown = shutdown.clone();
            thread::spawn(move || serve(Arc::new(hall), listener, config, shutdown))
        };
        Server {
            addr,
            shutdown,
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A fresh self-signed certificate written to `dir`, and the server settings naming it.
fn certificate(dir: &Path, name: &str) -> (SelfSigned, TlsSettings) {
    let made = tls::self_signed("测试大厅", &["hall.test".into()], 30).unwrap();
    let settings = write_pair(dir, name, &made.cert_pem, &made.key_pem);
    (made, settings)
}

fn write_pair(dir: &Path, name: &str, cert_pem: &str, key_pem: &str) -> TlsSettings {
    let cert = dir.join(format!("{name}-cert.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    std::fs::write(&cert, cert_pem).unwrap();
    std::fs::write(&key, key_pem).unwrap();
    TlsSettings {
        cert: Some(cert),
        key: Some(key),
        ..TlsSettings::default()
    }
}

/// A self-signed certificate for localhost valid only from `not_before` to `not_after`
/// (year, month, day): `lianfang cert new` always makes one valid today.
fn dated_certificate(
    dir: &Path,
    name: &str,
    not_before: (i32, u8, u8),
    not_after: (i32, u8, u8),
) -> TlsSettings {
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    write_pair(dir, name, &cert.pem(), &key.serialize_pem())
}

fn tls_server(settings: &TlsSettings) -> Server {
    Server::start(tls::server_config(settings).unwrap())
}

fn desk(addr: &str, trust: &TlsSettings) -> Result<RemoteHall, HallError> {
    let config = lianfang::net::ClientConfig {
        tls: tls::client_config(trust).unwrap(),
        ..fast_client()
    };
    RemoteHall::connect_with(addr, config)
}

fn refusal(result: Result<RemoteHall, HallError>) -> String {
    match result {
        Ok(_) => panic!("the desk connected but should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_desk_trusting_the_hall_certificate_logs_in_registers_and_hears_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let (_, server_tls) = certificate(dir.path(), "hall");
    let server = tls_server(&server_tls);
    let trust = TlsSettings {
        ca: server_tls.cert.clone(),
        ..TlsSettings::default()
    };
    let desk = desk(&server.addr, &trust).unwrap();
    let events = desk.subscribe();
    let session = desk.login("rs0", PASSWORD, "人社-1").unwrap();
    let registered = desk.register(&session.token, registration(1)).unwrap();
    assert_eq!(registered.ticket_label, "人社-001");
    // The event of that registration crosses the encrypted link to the desk.
    let event = events
        .iter()
        .find(|e| e.seq > 0)
        .expect("an event before the link closes");
    assert!(!matches!(event.kind, EventKind::Connection { .. }));
    let hits = desk.lookup(&session.token, "张二", 20).unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn a_pinned_fingerprint_admits_its_certificate_and_refuses_another() {
    let dir = tempfile::tempdir().unwrap();
    let (made, server_tls) = certificate(dir.path(), "hall");
    let server = tls_server(&server_tls);
    let pinned = |fingerprint: &str| TlsSettings {
        pin_sha256: parse_fingerprint(fingerprint),
        ..TlsSettings::default()
    };
    let desk_ok = desk(&server.addr, &pinned(&made.fingerprint)).unwrap();
    desk_ok.login("rs0", PASSWORD, "").unwrap();

    let (other, _) = certificate(dir.path(), "other");
    let message = refusal(desk(&server.addr, &pinned(&other.fingerprint)));
    assert!(message.contains("指纹"), "{message}");
    assert!(message.contains(&made.fingerprint), "{message}");
}

#[test]
fn a_certificate_from_another_ca_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (_, server_tls) = certificate(dir.path(), "hall");
    let (_, foreign) = certificate(dir.path(), "foreign");
    let server = tls_server(&server_tls);
    let trust = TlsSettings {
        ca: foreign.cert,
        ..TlsSettings::default()
    };
    let message = refusal(desk(&server.addr, &trust));
    assert!(message.contains("不是配置的 tls_ca 所签发"), "{message}");
}

#[test]
fn desk_and_server_that_disagree_about_tls_are_told_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let (_, server_tls) = certificate(dir.path(), "hall");
    let trust = TlsSettings {
        ca: server_tls.cert.clone(),
        ..TlsSettings::default()
    };

    let encrypted = tls_server(&server_tls);
    let message = refusal(desk(&encrypted.addr, &TlsSettings::default()));
    assert!(message.contains("tls_ca"), "{message}");

    let plain = Server::start(None);
    let message = refusal(desk(&plain.addr, &trust));
    assert!(message.contains("没有启用 TLS"), "{message}");
    // The plain server still serves plain desks after that.
    let desk = desk(&plain.addr, &TlsSettings::default()).unwrap();
    assert!(desk.info().is_ok());
}

#[test]
fn the_server_refuses_a_certificate_without_its_key() {
    let half = TlsSettings {
        cert: Some("hall-cert.pem".into()),
        ..TlsSettings::default()
    };
    let message = tls::server_config(&half).err().unwrap().to_string();
    assert!(message.contains("必须同时设置"), "{message}");
}

/// The desk trusts the server's own certificate as its CA, so the only fault is the date.
fn refusal_of_dated_certificate(not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let server_tls = dated_certificate(dir.path(), "hall", not_before, not_after);
    let server = tls_server(&server_tls);
    let trust = TlsSettings {
        ca: server_tls.cert.clone(),
        ..TlsSettings::default()
    };
    refusal(desk(&server.addr, &trust))
}

#[test]
fn an_expired_certificate_is_refused_with_its_end_date_and_what_to_do() {
    let message = refusal_of_dated_certificate((2019, 1, 1), (2021, 1, 1));
    assert!(
        message.contains("服务器证书已于 2021-01-01 00:00 UTC 过期"),
        "{message}"
    );
    assert!(message.contains("本机时间"), "{message}");
    assert!(message.contains("lianfang cert new"), "{message}");
    assert!(message.contains("tls_ca"), "{message}");
}

#[test]
fn a_certificate_not_yet_valid_is_refused_with_its_start_date_and_the_clock_to_check() {
    let message = refusal_of_dated_certificate((2099, 1, 1), (2100, 1, 1));
    assert!(
        message.contains("服务器证书要到 2099-01-01 00:00 UTC 才生效"),
        "{message}"
    );
    assert!(message.contains("本机时间"), "{message}");
    assert!(message.contains("日期时间"), "{message}");
}

#[test]
fn a_pinned_certificate_is_trusted_whatever_its_dates() {
    // The pin names exactly one certificate; the hall chose it, dates and all.
    let dir = tempfile::tempdir().unwrap();
    let server_tls = dated_certificate(dir.path(), "hall", (2019, 1, 1), (2021, 1, 1));
    let server = tls_server(&server_tls);
    let pin = tls::file_fingerprint(server_tls.cert.as_ref().unwrap()).unwrap();
    let trust = TlsSettings {
        pin_sha256: parse_fingerprint(&pin),
        ..TlsSettings::default()
    };
    let desk = desk(&server.addr, &trust).unwrap();
    desk.login("rs0", PASSWORD, "").unwrap();
}
