//! The real binary on temporary data directories: accounts, demo data, lookup,
//! check (passing and failing), config errors, a held database, no terminal.

use std::path::Path;
use std::process::{Command, Output, Stdio};

mod process_support;
mod raw_sled;
mod temp_data;

use process_support::run;
use temp_data::TempData;

use lianfang::config::HallConfig;
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::visitor::Visitor;
use lianfang::hall::{Hall, HallError, LocalHall};
use lianfang::store::keys::{self, TreeId};
use lianfang::store::Store;
use serde_json::Value;

fn lianfang(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, "")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn open_hall(dir: &Path) -> LocalHall {
    LocalHall::open(dir, HallConfig::embedded()).unwrap()
}

#[test]
fn accounts_are_managed_from_the_command_line() {
    let dir = TempData::new();
    let d = dir.path();

    let o = run(d, &["init", "--admin", "boss", "--password-stdin"], "");
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("标准输入中没有密码"), "{}", stderr(&o));

    let init = [
        "init",
        "--admin",
        "boss",
        "--name",
        "王主任",
        "--password-stdin",
    ];
    assert_exit(&run(d, &init, "first-pass-1\n"), 0);
    let again = run(d, &init, "first-pass-1\n");
    assert_exit(&again, 1);
    assert!(
        stderr(&again).contains("已经设置过管理员"),
        "{}",
        stderr(&again)
    );

    let add = |user: &str, dept: &str| {
        let args = [
            "user",
            "add",
            user,
            "--name",
            "张三",
            "--role",
            "window",
            "--dept",
            dept,
            "--password-stdin",
        ];
        run(d, &args, "window-pass-1\r\n")
    };
    assert_exit(&add("zhangsan", "rs"), 0);
    let unknown = add("lisi", "nope");
    assert_exit(&unknown, 1);
    // The message names the bad code and lists the good ones.
    assert!(stderr(&unknown).contains("nope"), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("rs（人力资源和社会保障局）"));
    let bad_role = run(
        d,
        &[
            "user",
            "add",
            "x1",
            "--name",
            "x",
            "--role",
            "boss",
            "--dept",
            "rs",
            "--password-stdin",
        ],
        "window-pass-1\n",
    );
    assert_exit(&bad_role, 1);

    assert_exit(
        &run(
            d,
            &["user", "passwd", "zhangsan", "--password-stdin"],
            "new-pass-22\n",
        ),
        0,
    );
    assert_exit(&lianfang(d, &["user", "disable", "zhangsan"]), 0);
    let missing = lianfang(d, &["user", "disable", "nobody"]);
    assert_exit(&missing, 1);
    assert!(stderr(&missing).contains("nobody"), "{}", stderr(&missing));

    let list = lianfang(d, &["user", "list", "--json"]);
    assert_exit(&list, 0);
    let rows = json(&list);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let zs = rows.iter().find(|r| r["username"] == "zhangsan").unwrap();
    assert_eq!(zs["role"], "window");
    assert_eq!(zs["department"], "rs");
    assert_eq!(zs["disabled"], true);
    let boss = rows.iter().find(|r| r["username"] == "boss").unwrap();
    assert_eq!(boss["display_name"], "王主任");
    assert_eq!(boss["role"], "admin");
    assert_eq!(boss["department"], "xfj");

    // What the commands did is in the store: the new password, the disabled flag.
    {
        let hall = open_hall(d);
        assert!(matches!(
            hall.login("zhangsan", "new-pass-22", ""),
            Err(HallError::Denied(_))
        ));
        assert!(hall.login("boss", "first-pass-1", "").is_ok());
        // The command line acted as `system` at desk 命令行, and that is in the audit trail.
        let audit: Vec<AuditRecord> = hall.store().all().map(Result::unwrap).collect();
        let by_cli = |action: &str| {
            audit
                .iter()
                .any(|a| a.officer == "system" && a.desk == "命令行" && a.action.contains(action))
        };
        assert!(by_cli("新建账号 zhangsan"), "{audit:?}");
        assert!(by_cli("停用账号 zhangsan"), "{audit:?}");
        assert!(by_cli("修改密码 zhangsan"), "{audit:?}");
    }
    assert_exit(&lianfang(d, &["user", "enable", "zhangsan"]), 0);
    {
        let hall = open_hall(d);
        assert_eq!(
            hall.login("zhangsan", "window-pass-1", ""),
            Err(HallError::BadCredentials)
        );
        assert!(hall.login("zhangsan", "new-pass-22", "").is_ok());
    }

    // The text listing, found through $LIANFANG_DATA instead of --data.
    let o = Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .args(["user", "list"])
        .env("LIANFANG_DATA", d)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("zhangsan") && text.contains("窗口") && text.contains("正常"));
}

#[test]
fn demo_data_is_found_by_lookup_and_passes_check_until_corrupted() {
    let dir = TempData::new();
    let d = dir.path();
    let demo = lianfang(d, &["demo", "--visitors", "2000", "--seed", "7"]);
    assert_exit(&demo, 0);
    assert!(
        stdout(&demo).contains("来访人 2000 位"),
        "{}",
        stdout(&demo)
    );
    assert!(
        stderr(&demo).contains("2000 / 2000"),
        "progress: {}",
        stderr(&demo)
    );
    // A hall nobody had set up gets the demo accounts.
    assert!(stdout(&demo).contains("dengji"), "{}", stdout(&demo));

    let check = lianfang(d, &["check"]);
    assert_exit(&check, 0);
    assert!(stdout(&check).contains("检查通过"), "{}", stdout(&check));
    // A demo hall was closed cleanly: nothing superseded is left to prune.
    let pruned = lianfang(d, &["check", "--prune"]);
    assert_exit(&pruned, 0);
    assert!(stdout(&pruned).contains("检查通过"), "{}", stdout(&pruned));
    assert!(!stdout(&pruned).contains("已清除"), "{}", stdout(&pruned));

    // Pick a visitor with an identity number from the store itself.
    let target: Visitor = {
        let key = lianfang::store::crypt::key_path(d, None);
        let store = Store::open(&d.join("db"), 16, &key).unwrap();
        let found = store
            .all::<Visitor>()
            .map(Result::unwrap)
            .find(|v| v.id_number.as_ref().is_some_and(|n| !n.is_legacy()));
        found.unwrap()
    };
    let number = target.id_number.as_ref().unwrap().as_str().to_string();

    let by_number = lianfang(d, &["lookup", &number, "--json"]);
    assert_exit(&by_number, 0);
    let hits = json(&by_number);
    let first = &hits[0];
    assert_eq!(first["visitor"], target.id);
    assert_eq!(first["name"], target.name.as_str());
    assert_eq!(first["matched"], "id_number");
    assert_eq!(first["visit_count"], target.summary.visit_count);
    // Masked, never the full number.
    let masked = first["id_number_masked"].as_str().unwrap();
    assert!(
        masked.contains('*') && !masked.contains(&number[6..14]),
        "{masked}"
    );

    let initials = lianfang::domain::pinyin::readings(target.name.as_str()).initials[0].clone();
    let by_initials = lianfang(d, &["lookup", &initials, "--json", "--limit", "5"]);
    assert_exit(&by_initials, 0);
    let hits = json(&by_initials);
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    for h in hits {
        // Every hit's name really has initials starting with what was typed.
        let name = h["name"].as_str().unwrap();
        let readings = lianfang::domain::pinyin::readings(name);
        assert!(
            readings.initials.iter().any(|i| i.starts_with(&initials)),
            "{name} for {initials}"
        );
        assert!(h["matched"] == "initials" || h["matched"] == "pinyin");
    }
    // The log records that a lookup ran, never what was looked up.
    let log = std::fs::read_to_string(d.join("lianfang.log")).unwrap();
    assert!(log.contains("lookup") && !log.contains(&number), "{log}");
    let text = lianfang(d, &["lookup", &initials]);
    assert_exit(&text, 0);
    assert!(stdout(&text).contains("位来访人"), "{}", stdout(&text));

    // Corrupt one record and drop one index entry of another, as a broken disk might.
    {
        let db = raw_sled::open(&d.join("db"));
        let visitors = raw_sled::table(&db, TreeId::Visitors);
        visitors
            .insert(keys::id_key(target.id), &[1u8, 0xff, 0xff, 0xff][..])
            .unwrap();
        let names = raw_sled::table(&db, TreeId::IxName);
        let (key, _) = names
            .iter()
            .map(Result::unwrap)
            .find(|(k, _)| keys::trailing_id(k) != Some(target.id))
            .unwrap();
        names.remove(&key).unwrap();
        db.flush().unwrap();
    }
    let broken = lianfang(d, &["check"]);
    assert_exit(&broken, 2);
    let report = stdout(&broken);
    assert!(report.contains("无法解码"), "{report}");
    assert!(report.contains("ix_name 缺少索引项"), "{report}");
    assert!(
        stderr(&broken).contains("检查发现 2 处问题"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn a_broken_config_is_reported_with_file_and_line() {
    let dir = TempData::new();
    let d = dir.path();
    let text = lianfang::config::DEFAULT_TOML.replace("cache_mb = 64", "cache_mb = ");
    let line = text
        .lines()
        .position(|l| l.starts_with("cache_mb"))
        .unwrap()
        + 1;
    let file = d.join("lianfang.toml");
    std::fs::write(&file, &text).unwrap();

    let o = lianfang(d, &["user", "list"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains(&format!("第 {line} 行")), "{err}");
    // The log in the data directory keeps the same message for whoever looks later.
    let log = std::fs::read_to_string(d.join("lianfang.log")).unwrap();
    assert!(log.contains(&format!("第 {line} 行")), "{log}");

    // --config names another file; a good one makes the same command work.
    let good = d.join("good.toml");
    std::fs::write(&good, lianfang::config::DEFAULT_TOML).unwrap();
    assert_exit(
        &lianfang(d, &["--config", good.to_str().unwrap(), "user", "list"]),
        0,
    );
    let missing = lianfang(d, &["--config", "/nonexistent/x.toml", "check"]);
    assert_exit(&missing, 1);
    assert!(
        stderr(&missing).contains("无法读取配置文件"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn a_database_held_by_another_process_is_named_as_such() {
    let dir = TempData::new();
    let d = dir.path();
    let _held = raw_sled::open(&d.join("db"));
    let o = lianfang(d, &["user", "list"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("正被另一个联访程序使用"), "{err}");
    assert!(err.contains("--server"), "{err}");
}

#[test]
fn the_desk_without_a_terminal_explains_instead_of_panicking() {
    let dir = TempData::new();
    let o = Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .arg("--data")
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("不是终端"), "{}", stderr(&o));
    let demo = Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .args(["--demo", "--demo-visitors", "10"])
        .arg("--data")
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_exit(&demo, 1);
}

#[test]
fn usage_errors_exit_with_1_and_help_with_0() {
    let dir = TempData::new();
    assert_exit(&lianfang(dir.path(), &["--no-such-option"]), 1);
    assert_exit(&lianfang(dir.path(), &["lookup"]), 1);
    assert_exit(&lianfang(dir.path(), &["--demo", "check"]), 1);
    let help = lianfang(dir.path(), &["--help"]);
    assert_exit(&help, 0);
    assert!(stdout(&help).contains("数据目录"), "{}", stdout(&help));
}

#[test]
fn the_audit_trail_is_printed_filtered_and_an_account_is_unlocked_from_the_command_line() {
    let dir = TempData::new();
    let d = dir.path();
    let init = ["init", "--admin", "boss", "--password-stdin"];
    assert_exit(&run(d, &init, "first-pass-1\n"), 0);
    let add = [
        "user",
        "add",
        "zhangsan",
        "--name",
        "张三",
        "--role",
        "window",
        "--dept",
        "rs",
        "--password-stdin",
    ];
    let added = run(d, &add, "window-pass-1\n");
    assert_exit(&added, 0);
    assert!(stdout(&added).contains("首次登录时须修改密码"));
    {
        let hall = open_hall(d);
        for _ in 0..5 {
            hall.login("zhangsan", "wrong-pass-1", "前台").unwrap_err();
        }
        assert!(matches!(
            hall.login("zhangsan", "window-pass-1", ""),
            Err(HallError::Locked { .. })
        ));
    }
    assert_exit(&lianfang(d, &["user", "unlock", "zhangsan"]), 0);
    let missing = lianfang(d, &["user", "unlock", "nobody"]);
    assert_exit(&missing, 1);
    assert!(stderr(&missing).contains("nobody"), "{}", stderr(&missing));
    {
        let hall = open_hall(d);
        let s = hall.login("zhangsan", "window-pass-1", "").unwrap();
        assert!(s.must_change_password, "created by the administrator");
    }

    let mine = lianfang(d, &["audit", "--officer", "zhangsan", "--json"]);
    assert_exit(&mine, 0);
    let rows = json(&mine);
    let actions: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| a.starts_with("登录失败")).count(),
        5
    );
    assert!(actions.iter().any(|a| a.contains("账号锁定 15 分钟")));
    assert!(actions.contains(&"登录"), "{actions:?}");
    assert!(rows[0]["at"].as_str().unwrap().len() == 16);
    let text = lianfang(d, &["audit"]);
    assert_exit(&text, 0);
    assert!(
        stdout(&text).contains("解除锁定 zhangsan"),
        "{}",
        stdout(&text)
    );
    assert!(stdout(&text).contains("序号"));
    let none = lianfang(d, &["audit", "--from", "2000-01-01", "--to", "2000-01-02"]);
    assert_exit(&none, 0);
    assert!(stdout(&none).contains("没有符合条件的审计记录"));
    let bad = lianfang(d, &["audit", "--from", "2026-13-01"]);
    assert_exit(&bad, 1);
    assert!(stderr(&bad).contains("年-月-日"), "{}", stderr(&bad));
    let number = {
        let hall = open_hall(d);
        let boss = hall.login("boss", "first-pass-1", "").unwrap().token;
        let input = lianfang::domain::registration::RegistrationInput {
            visitor: None,
            id_number: "11010519491231002X".into(),
            no_document: false,
            name: "张秀英".into(),
            phone: String::new(),
            address: String::new(),
            channel: lianfang::domain::visit::Channel::Walkin,
            headcount: 1,
            representatives: Vec::new(),
            matter: lianfang::domain::registration::MatterChoice::New(
                lianfang::domain::registration::NewMatter {
                    category: lianfang::domain::matter::Category::Claim,
                    content_class: "劳动社保".into(),
                    place: "东城区".into(),
                    summary: "拖欠工资".into(),
                    demands: "依法处理".into(),
                    accused: String::new(),
                    accused_department: None,
                },
            ),
            department: lianfang::domain::department::DeptCode::new("rs"),
            facts: Default::default(),
        };
        lianfang::hall::HallExt::register(&hall, &boss, input)
            .unwrap()
            .matter_number
    };
    let of_matter = lianfang(d, &["audit", "--matter", &number]);
    assert_exit(&of_matter, 0);
    let lines: Vec<String> = stdout(&of_matter).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "a header and the registration: {lines:?}");
    assert!(lines[1].contains("登记来访"), "{lines:?}");
    let no_matter = lianfang(d, &["audit", "--matter", "2026-000999"]);
    assert_exit(&no_matter, 1);
    assert!(
        stderr(&no_matter).contains("没有编号为"),
        "{}",
        stderr(&no_matter)
    );
}
