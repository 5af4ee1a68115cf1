//! `lianfang serve` as a real process: a desk connects over loopback, registers,
//! and after SIGTERM the server has stopped cleanly and the registration is on disk.

mod process_support;

use lianfang::config::HallConfig;
use lianfang::domain::department::DeptCode;
use lianfang::domain::matter::Category;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::visit::Channel;
use lianfang::hall::{Hall, HallExt, LocalHall, NewOfficer};
use lianfang::net::RemoteHall;
use process_support::Server;

#[test]
fn serve_takes_desks_over_loopback_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
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
