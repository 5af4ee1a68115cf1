//! `lianfang serve` as a real process: a desk connects over loopback, registers,
//! and after SIGTERM the server has stopped cleanly and the registration is on disk.

mod process_support;
mod temp_data;

use lianfang::config::HallConfig;
use lianfang::domain::department::DeptCode;
use lianfang::domain::matter::Category;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::visit::Channel;
use lianfang::hall::{Hall, HallExt, LocalHall, NewOfficer};
use lianfang::net::RemoteHall;
use process_support::Server;
use temp_data::TempData;

#[test]
fn serve_takes_desks_over_loopback_and_stops_cleanly_on_sigterm() {
    let dir = TempData::new();
    let server = Server::start(dir.path());
    let desk = RemoteHall::connect(&server.addr).unwrap();
    assert!(desk.info().unwrap().needs_setup);
    desk.setup(NewOfficer {
        username: "admin".into(),
        display_name: "管理员".into(),
        role: Role::Admin,
        department: DeptCode::new("xfj"),
        password: "admin-pass-1".into(),
    })
    .unwrap();
    let s = desk.login("admin", "admin-pass-1", "信访-1").unwrap();
    let registered = desk
        .register(
            &s.token,
            RegistrationInput {
                visitor: None,
                id_number: "11010519491231002X".into(),
                no_document: false,
                name: "张三".into(),
                phone: "13812345678".into(),
                address: String::new(),
                channel: Channel::Walkin,
                headcount: 1,
                representatives: Vec::new(),
                matter: MatterChoice::New(NewMatter {
                    category: Category::Claim,
                    content_class: "劳动社保".into(),
                    place: "东城区".into(),
                    summary: "拖欠工资".into(),
                    demands: String::new(),
                    accused: String::new(),
                    accused_department: None,
                }),
                department: DeptCode::new("xfj"),
                facts: Default::default(),
            },
        )
        .unwrap();
    assert_eq!(registered.ticket_label, "信访-001");
    drop(desk);

    let (exit, rest) = server.terminate();
    assert!(exit.success(), "serve exits 0 on SIGTERM");
    assert!(rest.contains("已停止"), "{rest}");

    // The database was released and holds the registration.
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let token = hall.login("admin", "admin-pass-1", "").unwrap().token;
    let hits = hall.lookup(&token, "zs", 20).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].visit_count, 1);
    assert!(lianfang::store::check::check(hall.store()).unwrap().is_ok());
}

#[test]
fn serve_refuses_a_lan_address_without_tls_and_warns_when_told_insecure() {
    let dir = TempData::new();
    let mut refused = std::process::Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--listen", "0.0.0.0:0"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A server that listens anyway would never exit: stop it rather than hang the suite.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while refused.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = refused.kill();
    let out = refused.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "serve must refuse, not listen");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("拒绝在 0.0.0.0:") && said.contains("tls_cert"),
        "{said}"
    );
    assert!(said.contains("--insecure"), "{said}");

    let mut server = Server::start_with(dir.path(), &["--listen", "0.0.0.0:0", "--insecure"]);
    let mut warning = String::new();
    std::io::BufRead::read_line(&mut server.stderr, &mut warning).unwrap();
    assert!(warning.starts_with("警告：服务器以不加密方式"), "{warning}");
    // Dropping the server kills it.
}

#[test]
fn cert_new_makes_a_certificate_that_serve_uses_and_a_desk_trusts() {
    let dir = TempData::new();
    let tls_dir = dir.path().join("tls");
    let tls_arg = tls_dir.to_str().unwrap();
    let out = process_support::run(
        dir.path(),
        &["cert", "new", "--host", "192.168.1.10", "--out", tls_arg],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    let fingerprint = printed
        .lines()
        .find_map(|l| l.strip_prefix("SHA-256 指纹："))
        .expect("the fingerprint is printed")
        .to_string();
    let key = tls_dir.join("hall-key.pem");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the key is readable by its owner only");
    // Never overwrites a key.
    let again = process_support::run(
        dir.path(),
        &["cert", "new", "--host", "192.168.1.10", "--out", tls_arg],
        "",
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("不会覆盖"));
    let cert = tls_dir.join("hall-cert.pem");
    let shown = process_support::run(dir.path(), &["cert", "show", cert.to_str().unwrap()], "");
    let shown = String::from_utf8_lossy(&shown.stdout).trim().to_string();
    assert_eq!(shown, fingerprint);

    // The hall's config names the pair with paths relative to the config file.
    let config = format!(
        "{}\n[server]\ntls_cert = \"tls/hall-cert.pem\"\ntls_key = \"tls/hall-key.pem\"\n",
        lianfang::config::DEFAULT_TOML
    );
    std::fs::write(dir.path().join("lianfang.toml"), config).unwrap();
    let server = Server::start_with(dir.path(), &["--listen", "127.0.0.1:0"]);
    let trust = lianfang::config::TlsSettings {
        pin_sha256: lianfang::net::tls::parse_fingerprint(&fingerprint),
        ..Default::default()
    };
    let client = lianfang::net::ClientConfig {
        tls: lianfang::net::tls::client_config(&trust).unwrap(),
        ..Default::default()
    };
    let desk = RemoteHall::connect_with(&server.addr, client).unwrap();
    assert!(desk.info().unwrap().needs_setup);
    drop(desk);
    let plain = RemoteHall::connect(&server.addr);
    assert!(plain.is_err(), "a plain desk cannot talk to a TLS server");
    let (exit, _) = server.terminate();
    assert!(exit.success());
}
