//! Two real desks in pseudo-terminals against a real `lianfang serve`: a
//! visitor registered at the intake desk appears on the window's board without
//! a key press, is called there, and the intake desk sees whom the window serves.

mod process_support;
mod pty_support;
mod temp_data;

use lianfang::config::HallConfig;
use lianfang::hall::{Hall, HallExt, LocalHall};
use process_support::{lianfang, Server};
use pty_support::*;
use temp_data::TempData;

fn desk(server: &Server, logs: &std::path::Path, desk: &str) -> Pty {
    Pty::start(&[
        "--data".as_ref(),
        logs.as_os_str(),
        "--server".as_ref(),
        server.addr.as_ref(),
        "--desk".as_ref(),
        desk.as_ref(),
    ])
}

fn log_in(p: &mut Pty, user: &str, password: &str) {
    p.wait_for(&["登录", "密码"]);
    p.send(user);
    p.keys(&[TAB]);
    p.send(password);
    p.keys(&[ENTER]);
    p.wait_for(&["排队总览", "已登录"]);
}

/// An account the administrator created: the desk asks for a password of one's own first.
fn log_in_first_time(p: &mut Pty, user: &str, initial: &str, own: &str) {
    p.wait_for(&["登录", "密码"]);
    p.send(user);
    p.keys(&[TAB]);
    p.send(initial);
    p.keys(&[ENTER]);
    p.wait_for(&["修改初始密码", "新密码"]);
    p.send(own);
    p.keys(&[ENTER]);
    p.send(own);
    p.keys(&[ENTER]);
    p.wait_for(&["排队总览", "密码已修改"]);
}

#[test]
fn registered_at_one_desk_called_at_another_through_the_server() {
    let data = TempData::new();
    lianfang(
        data.path(),
        &[
            "init",
            "--admin",
            "admin",
            "--name",
            "王主任",
            "--password-stdin",
        ],
        "dengji-2026\n",
    );
    lianfang(
        data.path(),
        &[
            "user",
            "add",
            "chuangkou",
            "--name",
            "李窗口",
            "--role",
            "window",
            "--dept",
            "xfj",
            "--password-stdin",
        ],
        "chuangkou-2026\n",
    );
    let server = Server::start(data.path());
    let (logs_a, logs_b) = (TempData::new(), TempData::new());

    let mut intake = desk(&server, logs_a.path(), "登记台");
    log_in(&mut intake, "admin", "dengji-2026");
    let mut window = desk(&server, logs_b.path(), "信访-2号窗口");
    log_in_first_time(&mut window, "chuangkou", "chuangkou-2026", "wode-mima-9");
    window.wait_for(&["目前没有人在等候"]);

    // Registered at the intake desk: the window's board shows it by itself.
    register(
        &mut intake,
        "11010519491231002X",
        "张秀英",
        "拖欠工资三个月",
    );
    intake.wait_for(&["信访-001"]);
    window.wait_for(&["信访局  等候 1 号", "信访-001 张**"]);

    // Called at the window; the intake desk's board shows who serves it.
    window.keys(&[F4]);
    window.wait_for(&["空闲，按 F5 叫下一位"]);
    window.keys(&[F5]);
    window.wait_for(&["正在接待 信访-001", "拖欠工资三个月"]);
    intake.keys(&[ENTER, F10]);
    intake.wait_for(&["信访-2号窗口", "信访-001"]);
    window.keys(&[F6]);
    window.wait_for(&["记录办理结果"]);
    window.keys(&[TAB]);
    window.send("已当场答复");
    window.keys(&[F6]);
    window.wait_for(&["已记录办理结果"]);

    intake.quit();
    window.quit();
    let (exit, said) = server.terminate();
    assert!(exit.success(), "{said}");

    // On disk: one visitor, one visit, its matter answered; the database is consistent.
    let hall = LocalHall::open(data.path(), HallConfig::embedded()).unwrap();
    let token = hall.login("admin", "dengji-2026", "").unwrap().token;
    let hits = hall.lookup(&token, "zxy", 20).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].visit_count, 1);
    assert_eq!(
        hits[0].open_matters, 0,
        "answered on the spot closes the matter"
    );
    assert!(lianfang::store::check::check(hall.store()).unwrap().is_ok());
}
