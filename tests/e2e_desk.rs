//! The real binary in a pseudo-terminal: first-run setup, login, registration,
//! the queue board, calling and finishing at the window, lookup by pinyin
//! initials, and a second visit. Waits for screen text with a bounded poll;
//! nothing here depends on how fast the machine is.

mod pty_support;
mod temp_data;

use pty_support::*;
use temp_data::TempData;

#[test]
fn a_desk_day_from_first_start_to_a_second_visit() {
    let data = TempData::new();
    let mut p = Pty::start(&["--data".as_ref(), data.path().as_os_str()]);

    // First run: create the administrator.
    p.wait_for(&["首次使用", "管理员账号"]);
    p.send("admin");
    p.keys(&[TAB]);
    p.send("王主任");
    p.keys(&[TAB]);
    p.send("zhuomian-2026");
    p.keys(&[TAB]);
    p.send("zhuomian-2026");
    p.keys(&[ENTER]);

    // Log in: the account name is filled in, the caret waits in the password.
    p.wait_for(&["管理员账号已创建", "密码"]);
    p.send("zhuomian-2026");
    p.keys(&[ENTER]);
    p.wait_for(&["排队总览", "已登录"]);

    // Register a visitor; the ticket is shown to read out.
    register(&mut p, "11010519491231002X", "张秀英", "拖欠工资三个月");
    p.wait_for(&["信访-001", "新立事项"]);
    p.keys(&[ENTER, F10]);
    p.wait_for(&["信访局  等候 1 号", "信访-001 张**"]);

    // The window calls it and answers on the spot.
    p.keys(&[F4]);
    p.wait_for(&["空闲，按 F5 叫下一位"]);
    p.keys(&[F5]);
    p.wait_for(&["正在接待 信访-001", "拖欠工资三个月"]);
    p.keys(&[F6]);
    p.wait_for(&["记录办理结果"]);
    p.keys(&[TAB]);
    p.send("已当场答复，告知向劳动监察投诉");
    p.keys(&[F6]);
    p.wait_for(&["已记录办理结果"]);

    // Found again by pinyin initials.
    p.keys(&[F3]);
    p.wait_for(&["查找"]);
    p.send("zxy");
    p.wait_for(&["张秀英", "来访 1次"]);
    p.keys(&[ESC]);
    p.wait_for(&["排队总览"]);

    // A second visit, then the lookup shows two.
    register(&mut p, "11010519491231002X", "张秀英", "工资仍未支付");
    p.wait_for(&["信访-002"]);
    p.keys(&[ENTER, F3]);
    p.wait_for(&["张秀英", "来访 2次"]);
    p.keys(&[ENTER]);
    p.wait_for(&["来访人档案", "11010519491231002X", "来访 2 次"]);

    // Ctrl-Q quits and gives the terminal back.
    p.quit();
    assert!(
        !p.text().contains("排队总览"),
        "the alternate screen was left"
    );
    // Logs went to a file in the data directory, not to the screen.
    let logs: Vec<_> = std::fs::read_dir(data.path())
        .expect("data dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".log"))
        .collect();
    assert!(!logs.is_empty(), "no log file in the data directory");
}
