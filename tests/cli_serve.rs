//! `lianfang serve` as a real process: a desk connects over loopback, registers,
//! and after SIGTERM the server has stopped cleanly and the registration is on disk.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use lianfang::config::HallConfig;
use lianfang::domain::department::DeptCode;
use lianfang::domain::matter::Category;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::visit::Channel;
use lianfang::hall::{Hall, HallExt, LocalHall, NewOfficer};
use lianfang::net::RemoteHall;

/// Kills the server if the test fails before it stops it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_takes_desks_over_loopback_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_lianfang"))
            .arg("--data")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("LIANFANG_DATA")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // The first stderr line names the bound address: "… 监听 127.0.0.1:PORT。…"
    let mut stderr = BufReader::new(server.0.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("监听 ")
        .nth(1)
        .and_then(|rest| rest.split('。').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();

    let desk = RemoteHall::connect(&addr).unwrap();
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
                }),
                department: DeptCode::new("xfj"),
            },
        )
        .unwrap();
    assert_eq!(registered.ticket_label, "信访-001");
    drop(desk);

    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        server.0.wait().unwrap().success(),
        "serve exits 0 on SIGTERM"
    );
    let mut rest = String::new();
    for l in stderr.lines() {
        rest.push_str(&l.unwrap());
    }
    assert!(rest.contains("已停止"), "{rest}");

    // The database was released and holds the registration.
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let token = hall.login("admin", "admin-pass-1", "").unwrap().token;
    let hits = hall.lookup(&token, "zs", 20).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].visit_count, 1);
    assert!(lianfang::store::check::check(hall.store()).unwrap().is_ok());
}
