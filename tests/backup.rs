//! Backup and restore: a backup taken through the server while a desk keeps
//! registering restores into a hall that passes `check` and answers lookups
//! like the original; only administrators may take one, and it is audited.

mod net_support;
mod temp_data;

use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use lianfang::config::HallConfig;
use lianfang::demo::{self, DemoOptions};
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::department::DeptCode;
use lianfang::domain::officer::Role;
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::domain::visitor::Visitor;
use lianfang::hall::{Hall, HallError, HallExt, LocalHall, NewOfficer, SessionToken};
use lianfang::net::{serve, RemoteHall, ShutdownSignal};
use lianfang::store::backup;
use lianfang::store::check::check;
use lianfang::store::crypt::key_path;
use net_support::*;
use temp_data::TempData;

const ADMIN_PASSWORD: &str = "admin-password-1";

fn demo_hall(dir: &Path) -> LocalHall {
    let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
    let options = DemoOptions {
        visitors: 300,
        seed: 7,
        now: hall.now(),
    };
    demo::populate(&hall, &options).unwrap();
    add_accounts(&hall, 1);
    hall.add_officer_direct(&NewOfficer {
        username: "boss".into(),
        display_name: "管理员".into(),
        role: Role::Admin,
        department: DeptCode::new("xfj"),
        password: ADMIN_PASSWORD.into(),
    })
    .unwrap();
    hall
}

/// What a restored hall must answer exactly as the original did. Statistics join here.
fn answers(hall: &LocalHall, token: &SessionToken, queries: &[String]) -> Vec<String> {
    queries
        .iter()
        .map(|q| format!("{:?}", hall.lookup(token, q, 100).unwrap()))
        .collect()
}

/// Identity numbers and names of the first visitors: lookups the writer below never changes.
fn queries_of(hall: &LocalHall, n: usize) -> Vec<String> {
    let mut queries = Vec::new();
    for v in hall.store().all::<Visitor>().take(n) {
        let v = v.unwrap();
        if let Some(id) = &v.id_number {
            queries.push(id.as_str().to_string());
        }
        queries.push(v.name.to_string());
    }
    queries
}

fn visitors(hall: &LocalHall) -> usize {
    hall.store().all::<Visitor>().count()
}

/// Restores into `dir`, with the hall key of the hall in `source` copied beside it first
/// (a restore needs the key the backup was sealed with).
fn restored(file: &Path, source: &Path, dir: &Path) -> LocalHall {
    let key = key_path(dir, None);
    std::fs::copy(key_path(source, None), &key).unwrap();
    backup::restore(file, &dir.join("db"), 8, &key).unwrap();
    let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    hall
}

#[test]
fn a_backup_through_the_server_while_a_desk_registers_restores_to_an_equal_hall() {
    let source_dir = TempData::new();
    let hall = Arc::new(demo_hall(source_dir.path()));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let shutdown = ShutdownSignal::new();
    let server = {
        let (hall, shutdown) = (hall.clone(), shutdown.clone());
        thread::spawn(move || serve(hall, listener, fast_server(), shutdown))
    };

    let before = visitors(&hall);
    // A desk registers without pause until the backups are done.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (addr, stop) = (addr.clone(), stop.clone());
        thread::spawn(move || {
            let desk = RemoteHall::connect_with(&addr, fast_client()).unwrap();
            let s = desk.login("rs0", PASSWORD, "人社-1").unwrap();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) || n < 3 {
                desk.register(&s.token, registration(n)).unwrap();
                n += 1;
            }
            n
        })
    };

    let admin = RemoteHall::connect_with(&addr, fast_client()).unwrap();
    let session = admin.login("boss", ADMIN_PASSWORD, "信访-1").unwrap();
    let files = tempfile::tempdir().unwrap();
    let during = files.path().join("during.lfbak");
    let mut out = std::fs::File::create(&during).unwrap();
    let size = admin.backup(&session.token, &mut out).unwrap();
    drop(out);
    assert_eq!(std::fs::metadata(&during).unwrap().len(), size);
    assert_eq!(backup::verify(&during).unwrap().hall, hall.config().name);

    // A window account may not take one.
    let window = RemoteHall::connect_with(&addr, fast_client()).unwrap();
    let w = window.login("rs0", PASSWORD, "人社-2").unwrap();
    let denied = window.backup(&w.token, &mut Vec::new());
    assert!(matches!(denied, Err(HallError::Denied(_))), "{denied:?}");

    stop.store(true, Ordering::SeqCst);
    let registered = writer.join().unwrap();
    assert_eq!(visitors(&hall), before + registered);
    let token = hall.system_session().unwrap();
    let queries = queries_of(&hall, 40);

    // The copy taken mid-stream is one consistent state: check passes, the demo
    // visitors answer the same, and it holds part of the desk's registrations.
    let during_dir = TempData::new();
    let copy = restored(&during, source_dir.path(), during_dir.path());
    let copy_token = copy.system_session().unwrap();
    assert_eq!(
        answers(&copy, &copy_token, &queries),
        answers(&hall, &token, &queries)
    );
    assert!((before..=visitors(&hall)).contains(&visitors(&copy)));

    // Once the desk has stopped, a backup restores to a hall equal in every answer,
    // the desk's registrations included.
    let after = files.path().join("after.lfbak");
    hall.backup(&token, std::fs::File::create(&after).unwrap())
        .unwrap();
    let after_dir = TempData::new();
    let copy = restored(&after, source_dir.path(), after_dir.path());
    let copy_token = copy.system_session().unwrap();
    let mut all = queries.clone();
    all.extend(["张一", "张二", "张三", "zy", "ze"].map(String::from));
    assert_eq!(
        answers(&copy, &copy_token, &all),
        answers(&hall, &token, &all)
    );
    assert_eq!(visitors(&copy), visitors(&hall));
    // And the same statistics for this year (every count the day rows keep).
    let year = Period::containing(PeriodKind::Year, chrono::Utc::now().date_naive());
    let stats = |h: &LocalHall, t: &SessionToken| h.stats(t, year).unwrap();
    assert_eq!(stats(&copy, &copy_token), stats(&hall, &token));

    // Both backups are in the audit trail, by the officer who took them.
    let audited: Vec<AuditRecord> = hall
        .store()
        .all::<AuditRecord>()
        .map(Result::unwrap)
        .filter(|a| a.action.starts_with("备份数据库"))
        .collect();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert_eq!(audited[0].officer, "boss");

    shutdown.trigger();
    server.join().unwrap().unwrap();
}
