//! Index consistency: `check` finds nothing wrong after any command of a long
//! mixed scenario, and does find corrupted values, missing or extra index entries and
//! stale glances of open matters written behind the store's back.

mod process_support;
mod raw_sled;
mod support;
mod temp_data;

use lianfang::config::HallConfig;
use lianfang::domain::matter::{Category, LegalChannel, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::domain::time::Timestamp;
use lianfang::domain::visitor::{KeyGrade, Visitor};
use lianfang::hall::{Command, Hall, HallError, HallExt, LocalHall, SessionToken};
use lianfang::store::check::{check, check_and_prune};
use lianfang::store::{codec, keys};
use process_support::lianfang;
use support::*;
use temp_data::TempData;

/// A small deterministic generator, so a failure replays the same way.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }
}

const NAMES: [&str; 8] = [
    "张三",
    "李四",
    "王五",
    "曾小明",
    "单田芳",
    "欧阳娜娜",
    "解晓东",
    "买买提·艾力",
];
const DEPTS: [&str; 4] = ["rs", "ga", "zj", "jw"];

#[test]
fn every_command_of_a_long_mixed_day_leaves_the_indexes_consistent() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let windows: Vec<(SessionToken, &str)> = DEPTS
        .iter()
        .map(|d| (t.officer(&format!("{d}1"), Role::Window, d), *d))
        .collect();
    let mut dice = Dice(20261127);
    let mut matters: Vec<u64> = Vec::new();
    let mut visitors: Vec<u64> = Vec::new();
    let mut applied = 0;

    for step in 0..240 {
        t.clock.advance_minutes(dice.roll(40) as i64);
        let window = &windows[dice.roll(windows.len() as u64) as usize];
        let result: Result<(), HallError> = match dice.roll(10) {
            0..=2 => {
                // Known or new visitor, phone or not, sometimes a repeat visit. Enough
                // people that most are not already waiting where they are sent.
                let n = dice.roll(60) as u32;
                let name = NAMES[(n % NAMES.len() as u32) as usize];
                let phone = if n.is_multiple_of(3) {
                    "".to_string()
                } else {
                    format!("1390000{:04}", n)
                };
                let d = DEPTS[dice.roll(DEPTS.len() as u64) as usize];
                let mut input = walk_in(name, &nth_id(n + 1), &phone, d);
                if d == "jw" {
                    input.matter = new_matter(Category::Accusation, "纪检监察", "举报");
                }
                if !matters.is_empty() && dice.roll(3) == 0 {
                    input.matter =
                        MatterChoice::Attach(matters[dice.roll(matters.len() as u64) as usize]);
                }
                if dice.roll(5) == 0 {
                    input.headcount = 6;
                    input.representatives = vec![name.to_string()];
                }
                t.hall.register(&reg, input).map(|r| {
                    matters.push(r.matter);
                    visitors.push(r.visitor);
                })
            }
            3 => t.hall.call_next(&window.0).map(|_| ()),
            4 => t.hall.command(&window.0, Command::Skip).map(|_| ()),
            5 => t.hall.command(&window.0, Command::Recall).map(|_| ()),
            6 => {
                let outcome = match dice.roll(6) {
                    0 => Outcome::AnsweredOnSpot,
                    1 => Outcome::Accepted,
                    2 => Outcome::Forwarded { to: dept("zj") },
                    3 => Outcome::Assigned { to: dept("zr") },
                    4 => Outcome::NotAccepted,
                    _ => Outcome::LegalChannel(LegalChannel::Litigation),
                };
                t.hall.finish(&window.0, outcome, "已处理")
            }
            7 if !matters.is_empty() => {
                let matter = matters[dice.roll(matters.len() as u64) as usize];
                let to = DEPTS[dice.roll(DEPTS.len() as u64) as usize];
                t.hall
                    .command(
                        &admin,
                        Command::Route {
                            matter,
                            to: dept(to),
                            assigned: dice.roll(2) == 0,
                            reason: "按职责".into(),
                        },
                    )
                    .map(|_| ())
            }
            8 if !matters.is_empty() => {
                let matter = matters[dice.roll(matters.len() as u64) as usize];
                t.hall
                    .command(
                        &window.0,
                        Command::AddNote {
                            matter,
                            text: format!("第{step}步"),
                        },
                    )
                    .map(|_| ())
            }
            9 if !visitors.is_empty() => {
                let visitor = visitors[dice.roll(visitors.len() as u64) as usize];
                let grade = [None, Some(KeyGrade::A), Some(KeyGrade::C)][dice.roll(3) as usize];
                t.hall
                    .command(
                        &admin,
                        Command::SetKeyGrade {
                            visitor,
                            grade,
                            reason: "研判".into(),
                        },
                    )
                    .map(|_| ())
            }
            _ => Ok(()),
        };
        match result {
            Ok(()) => applied += 1,
            // Refusals are part of a real day (empty queue, closed matter,
            // someone else's accusation); they must not be anything else.
            Err(HallError::Conflict(_) | HallError::Denied(_) | HallError::Invalid(_)) => {}
            Err(e) => panic!("step {step}: unexpected error {e:?}"),
        }
        let report = check(t.hall.store()).unwrap();
        assert!(report.is_ok(), "step {step}: {:#?}", report.problems);
    }
    // The scenario really exercised the store. (141 of the 240 steps apply with this seed;
    // among the refusals are visitors sent to a queue they already wait in.)
    let s = t.snapshot();
    assert!(applied > 130, "only {applied} commands applied");
    assert!(
        s.visitors.len() >= 8 && s.matters.len() > 20,
        "{} visitors, {} matters",
        s.visitors.len(),
        s.matters.len()
    );
    assert!(s.tickets.iter().any(|t| t.skipped > 0));
    let report = check(t.hall.store()).unwrap();
    assert!(report.records > 200 && report.index_entries > 200);
}

/// The hall key of the hall in `dir`, to write records behind the store's back.
fn hall_key(dir: &std::path::Path) -> lianfang::store::crypt::Crypt {
    let path = lianfang::store::crypt::key_path(dir, None);
    lianfang::store::crypt::Crypt::load(&path).unwrap().unwrap()
}

/// A hall on disk with three registered visitors; returns the visitor ids.
fn hall_on_disk(dir: &std::path::Path) -> Vec<u64> {
    let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
    add_officer(&hall, "reg", Role::Registrar, "xfj");
    let reg = hall.login("reg", PASSWORD, "1号").unwrap().token;
    let ids = (1..=3)
        .map(|n| {
            hall.register(
                &reg,
                walk_in("张三", &nth_id(n), &format!("1381234000{n}"), "rs"),
            )
            .unwrap()
            .visitor
        })
        .collect();
    assert_consistent(hall.store());
    ids
}

/// A window officer of department `rs`, signed in at desk 2号.
fn window_officer(hall: &LocalHall) -> SessionToken {
    add_officer(hall, "rs1", Role::Window, "rs");
    hall.login("rs1", PASSWORD, "2号").unwrap().token
}

/// A storage error whose words send the operator to `lianfang check`.
fn assert_told_to_run_check<T: std::fmt::Debug>(result: Result<T, HallError>) {
    match result {
        Err(HallError::Storage(m)) => assert!(m.contains("lianfang check"), "{m}"),
        other => panic!("expected a storage error, got {other:?}"),
    }
}

#[test]
fn check_reports_corrupted_values_and_missing_or_extra_index_entries() {
    let dir = TempData::new();
    let ids = hall_on_disk(dir.path());
    {
        // Behind the store's back, the way a disk error or a bad tool would.
        // Records are sealed: damage that still opens under the hall key is damage the
        // codec must report (a moved or altered ciphertext: tests/store_crypt.rs).
        let crypt = hall_key(dir.path());
        let db = raw_sled::open(&dir.path().join("db"));
        let visitors = raw_sled::table(&db, keys::TreeId::Visitors);
        for (id, plain) in [
            (ids[0], &[codec::FORMAT_VERSION, 0xff, 0xff, 0xff][..]),
            (ids[1], &[77u8, 1, 2][..]),
        ] {
            let key = keys::id_key(id);
            let sealed = crypt.seal(keys::TreeId::Visitors, &key, plain);
            visitors.insert(key, sealed).unwrap();
        }
        let names = raw_sled::table(&db, keys::TreeId::IxName);
        names
            .insert(
                keys::lookup_key("幽灵".as_bytes(), false, None, 4242),
                &[][..],
            )
            .unwrap();
        // A counter rolled back behind the records it numbered.
        let meta = raw_sled::table(&db, keys::TreeId::Meta);
        meta.insert("seq.ticket", &1u64.to_be_bytes()[..]).unwrap();
        let phones = raw_sled::table(&db, keys::TreeId::IxPhone);
        let reversed = keys::reversed_digits("13812340003");
        let term = crypt.blind(keys::TreeId::IxPhone, reversed.as_bytes());
        let (entry, _) = phones.scan_prefix(term).next().unwrap().unwrap();
        assert_eq!(keys::trailing_id(&entry), Some(ids[2]));
        assert!(phones.remove(entry).unwrap().is_some());
        db.flush().unwrap();
    }

    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).expect("check reports, it does not fail");
    assert!(!report.is_ok());
    let problems = report.problems.join("\n");
    let undecodable = report
        .problems
        .iter()
        .filter(|p| p.starts_with("visitors") && p.contains("无法解码"))
        .count();
    assert_eq!(undecodable, 2, "{problems}");
    assert!(problems.contains("版本 77"), "{problems}");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with("ix_name") && p.contains("多余的索引项")),
        "{problems}"
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with("ix_phone") && p.contains("缺少索引项")),
        "{problems}"
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("seq.ticket") && p.contains("覆盖")),
        "{problems}"
    );
    assert_eq!(report.problems.len(), 5, "{problems}");

    // The service reports the damaged record in words instead of panicking.
    let rs = window_officer(&hall);
    assert_told_to_run_check(hall.profile(&rs, ids[0], false));
    assert!(matches!(
        hall.lookup(&rs, "张三", 10),
        Err(HallError::Storage(_))
    ));
    // The intact visitor is still served.
    assert_eq!(hall.profile(&rs, ids[2], false).unwrap().card.name, "张三");
}

#[test]
fn check_reports_stray_missing_and_damaged_members_of_a_list_index() {
    let dir = TempData::new();
    let ids = hall_on_disk(dir.path());
    {
        let db = raw_sled::open(&dir.path().join("db"));
        let visits = raw_sled::table(&db, keys::TreeId::IxVisitorVisits);
        let list = |id| visits.get(keys::id_key(id)).unwrap().unwrap().to_vec();
        let first = keys::list_members(&list(ids[0])).unwrap();
        assert_eq!(first.len(), 1);
        // A member without a visit, a list gone, a list cut short.
        let stray = keys::list_value(&[first[0], 9999]);
        visits.insert(keys::id_key(ids[0]), stray).unwrap();
        visits.remove(keys::id_key(ids[1])).unwrap();
        let cut = list(ids[2])[..5].to_vec();
        visits.insert(keys::id_key(ids[2]), cut).unwrap();
        db.flush().unwrap();
    }

    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    let problems = report.problems.join("\n");
    let count = |what: &str| {
        report
            .problems
            .iter()
            .filter(|p| p.starts_with("ix_visitor_visits") && p.contains(what))
            .count()
    };
    assert_eq!(count("多余的索引项"), 1, "{problems}");
    assert!(problems.contains(&format!("{:02x?}", keys::pair_key(ids[0], 9999))));
    // The visits of the second and third visitor are in no list.
    assert_eq!(count("缺少索引项"), 2, "{problems}");
    assert_eq!(count("列表已损坏（5 字节"), 1, "{problems}");
    assert_eq!(report.problems.len(), 4, "{problems}");

    // The service reports the damaged list in words instead of panicking.
    let rs = window_officer(&hall);
    assert_told_to_run_check(hall.profile(&rs, ids[2], false));
    assert_eq!(hall.profile(&rs, ids[0], false).unwrap().visits.len(), 1);
}

#[test]
fn check_of_a_fresh_and_of_an_empty_hall_is_clean() {
    let t = TestHall::new();
    let report = check(t.hall.store()).unwrap();
    assert!(report.is_ok());
    assert_eq!(report.records, 0);
    let _ = t.officer("reg", Role::Registrar, "xfj");
    let report = check(t.hall.store()).unwrap();
    assert!(report.is_ok());
    assert!(
        report.records >= 2,
        "the officer and the login's audit record"
    );
}

#[test]
fn check_reports_a_glance_that_is_not_what_its_matter_says() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    assert_consistent(t.hall.store());
    let store = t.hall.store();
    let mut v = t.visitor(r.visitor);
    let glance = v.summary.open_matters[0].glance.as_mut();
    glance.expect("registration writes the glance").lead = Some("某领导".into());
    store.write(|w| w.put(&v)).unwrap();
    let problems = check(store).unwrap().problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("与事项记录不符"), "{problems:?}");
    // A reference written before format 9 has no glance: nothing to compare.
    v.summary.open_matters[0].glance = None;
    store.write(|w| w.put(&v)).unwrap();
    assert_consistent(store);
}

#[test]
fn check_reports_desks_and_called_tickets_that_disagree() {
    use lianfang::domain::ticket::DeskState;

    let dir = TempData::new();
    {
        let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
        add_officer(&hall, "reg", Role::Registrar, "xfj");
        add_officer(&hall, "rs1", Role::Window, "rs");
        let reg = hall.login("reg", PASSWORD, "1号").unwrap().token;
        let rs = hall.login("rs1", PASSWORD, "2号").unwrap().token;
        for n in 1..=2 {
            hall.register(&reg, walk_in("张三", &nth_id(n), "", "rs"))
                .unwrap();
        }
        hall.call_next(&rs).unwrap();
        assert_consistent(hall.store());
    }
    {
        let crypt = hall_key(dir.path());
        let db = raw_sled::open(&dir.path().join("db"));
        let desks = raw_sled::table(&db, keys::TreeId::Desks);
        let desk = |name: &str, ticket| DeskState {
            desk: name.into(),
            officer: "rs1".into(),
            department: dept("rs"),
            ticket,
            since: opening_time(),
        };
        // 2号 forgets the ticket it called; 9号 claims the one still waiting.
        for d in [desk("2号", None), desk("9号", Some(2))] {
            let bytes = codec::encode(&d).unwrap();
            let sealed = crypt.seal(keys::TreeId::Desks, d.desk.as_bytes(), &bytes);
            desks.insert(d.desk.as_bytes(), sealed).unwrap();
        }
        db.flush().unwrap();
    }
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    let problems = report.problems.join("\n");
    assert_eq!(report.problems.len(), 2, "{problems}");
    assert!(problems.contains("“9号”"), "{problems}");
    assert!(
        problems.contains("人社-001") && problems.contains("“2号”"),
        "{problems}"
    );
}

#[test]
fn check_reports_missing_stale_and_stray_ledger_entries() {
    use lianfang::domain::ledger::VisitEntry;
    use lianfang::domain::name::PersonName;
    let dir = TempData::new();
    hall_on_disk(dir.path());
    {
        let crypt = hall_key(dir.path());
        let db = raw_sled::open(&dir.path().join("db"));
        let ledger = raw_sled::table(&db, keys::TreeId::LedgerVisits);
        let tree = keys::TreeId::LedgerVisits;
        let entries: Vec<(Vec<u8>, VisitEntry)> = ledger
            .iter()
            .map(|item| {
                let (k, v) = item.unwrap();
                let plain = crypt.open(tree, &k, &v).unwrap();
                (k.to_vec(), codec::decode(&plain).unwrap())
            })
            .collect();
        assert_eq!(entries.len(), 3, "one entry per registered visit");
        // The first visit loses its entry; the second's names someone else; a third
        // entry is copied under a visit that does not exist.
        ledger.remove(&entries[0].0).unwrap();
        let mut renamed = entries[1].1.clone();
        renamed.visitor.name = PersonName::parse("李四").unwrap();
        let bytes = codec::encode(&renamed).unwrap();
        ledger
            .insert(&entries[1].0, crypt.seal(tree, &entries[1].0, &bytes))
            .unwrap();
        let mut stray = entries[2].1.clone();
        stray.visit.id = 4242;
        let key = keys::date_key(stray.visit.at, stray.visit.id);
        let bytes = codec::encode(&stray).unwrap();
        ledger.insert(&key, crypt.seal(tree, &key, &bytes)).unwrap();
        // And a matter loses its entry.
        let matters = raw_sled::table(&db, keys::TreeId::LedgerMatters);
        assert_eq!(matters.len(), 3, "one entry per matter");
        matters.pop_min().unwrap();
        db.flush().unwrap();
    }
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    let problems = report.problems.join("\n");
    assert_eq!(report.problems.len(), 4, "{problems}");
    assert!(problems.contains("台账条目缺少"), "{problems}");
    assert!(
        problems.contains("台账条目与来访人、事项的现状不符"),
        "{problems}"
    );
    assert!(
        problems.contains("ledger_visits 中有多余的台账条目"),
        "{problems}"
    );
    assert!(
        problems.contains("ledger_matters 中事项") && problems.contains("台账条目缺少"),
        "{problems}"
    );
}

/// Writes, behind the store's back, the lookup keys an earlier visit of `visitor` (a day
/// before their last) would have left had the pruner not removed them (a crash); returns
/// how many.
fn leave_keys_of_an_earlier_visit(dir: &std::path::Path, visitor: u64) -> u64 {
    let entries = {
        let hall = LocalHall::open(dir, HallConfig::embedded()).unwrap();
        let v: Visitor = hall.store().get_id(visitor).unwrap().unwrap();
        let earlier = v.summary.last_visit.map(|t| Timestamp(t.0 - 86_400));
        hall.store()
            .index_entries(&v)
            .into_iter()
            .map(|e| {
                (
                    e.tree,
                    keys::with_recency(&e.key, earlier).unwrap(),
                    e.value,
                )
            })
            .collect::<Vec<_>>()
    };
    let db = raw_sled::open(&dir.join("db"));
    for (tree, key, value) in &entries {
        raw_sled::table(&db, *tree)
            .insert(key, value.clone())
            .unwrap();
    }
    db.flush().unwrap();
    entries.len() as u64
}

#[test]
fn keys_an_earlier_visit_left_are_passed_over_and_go_with_their_term() {
    let dir = TempData::new();
    let ids = hall_on_disk(dir.path());
    let left = leave_keys_of_an_earlier_visit(dir.path(), ids[0]);
    // Identity number and its 5 prefixes, phone and its last 4, name, initials, pinyin,
    // and four prefix buckets.
    assert_eq!(left, 15);

    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.superseded, left);
    let rs = window_officer(&hall);
    let last_visit = hall.profile(&rs, ids[0], false).unwrap().card.last_visit;
    let id = nth_id(1);
    for text in [
        "张三",
        "张",
        "zs",
        "z",
        "zhangsan",
        "zh",
        &id,
        &id[..6],
        &id[..8],
        "13812340001",
        "0001",
    ] {
        let hits = hall.lookup(&rs, text, 20).unwrap();
        let found: Vec<_> = hits.iter().filter(|h| h.visitor == ids[0]).collect();
        assert_eq!(found.len(), 1, "{text}: {hits:?}");
        // Ranked by the last visit, not the earlier one.
        assert_eq!(found[0].last_visit, last_visit, "{text}");
    }

    // A new phone at the next visit: the old number's keys go, those of the earlier
    // visit too; the old number no longer finds the visitor.
    let reg = hall.login("reg", PASSWORD, "1号").unwrap().token;
    let mut again = walk_in("张三", &id, "13900005678", "ga");
    again.visitor = Some(ids[0]);
    hall.register(&reg, again).unwrap();
    for text in ["13812340001", "0001"] {
        let hits = hall.lookup(&rs, text, 20).unwrap();
        assert!(hits.iter().all(|h| h.visitor != ids[0]), "{text}: {hits:?}");
    }
    assert_eq!(hall.lookup(&rs, "5678", 20).unwrap()[0].visitor, ids[0]);
    assert!(check(hall.store()).unwrap().is_ok());
    drop(hall);

    // Closing pruned what the new visit superseded; the crash's leftovers stay, less the
    // old number's two, until a check prunes them.
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check_and_prune(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.superseded, left - 2);
    drop(hall);
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.superseded, 0);
    let rs = hall.login("rs1", PASSWORD, "2号").unwrap().token;
    for text in ["张三", "zs", &id, &id[..6], "5678"] {
        let hits = hall.lookup(&rs, text, 20).unwrap();
        assert_eq!(
            hits.iter().filter(|h| h.visitor == ids[0]).count(),
            1,
            "{text}: {hits:?}"
        );
    }
}

#[test]
fn check_counts_the_keys_a_crash_left_and_a_restore_removes_them() {
    let dir = TempData::new();
    let ids = hall_on_disk(dir.path());
    let left = leave_keys_of_an_earlier_visit(dir.path(), ids[2]);
    let checked = lianfang(dir.path(), &["check"], "");
    assert!(checked.contains(&format!("其中 {left} 个")), "{checked}");
    assert!(checked.contains("check --prune"), "{checked}");

    // A backup copies them; the restore's check removes them from the copy.
    let file = dir.path().join("hall.lfbak");
    let file = file.to_str().unwrap();
    lianfang(dir.path(), &["backup", "--out", file], "");
    let target = TempData::new();
    std::fs::copy(
        lianfang::store::crypt::key_path(dir.path(), None),
        lianfang::store::crypt::key_path(target.path(), None),
    )
    .unwrap();
    let restored = lianfang(target.path(), &["restore", file], "");
    assert!(restored.contains(&format!("其中 {left} 个")), "{restored}");
    assert!(restored.contains("已清除"), "{restored}");
    let checked = lianfang(target.path(), &["check"], "");
    assert!(checked.contains("检查通过"), "{checked}");
    assert!(!checked.contains("旧查找索引项"), "{checked}");
}

#[test]
fn a_visit_files_the_lookup_keys_anew_and_closing_prunes_the_ones_it_superseded() {
    let dir = TempData::new();
    let ids = hall_on_disk(dir.path());
    {
        let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
        let store = hall.store();
        let mut v: Visitor = store.get_id(ids[1]).unwrap().unwrap();
        let before = store.index_entries(&v);
        v.summary.last_visit = v.summary.last_visit.map(|t| Timestamp(t.0 + 3_600));
        store.write(|w| w.put(&v)).unwrap();
        let after = store.index_entries(&v);
        assert_eq!(after.len(), before.len());
        assert!(before
            .iter()
            .zip(&after)
            .all(|(b, a)| keys::superseded_by(&b.key, &a.key)));
        assert!(check(store).unwrap().is_ok());
    }
    let hall = LocalHall::open(dir.path(), HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.superseded, 0);
}
