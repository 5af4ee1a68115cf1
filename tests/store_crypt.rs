//! Sensitive data at rest: after registering, no file of the data directory holds an
//! identity number, phone, address or complaint text; lookups still find the visitor;
//! a missing or wrong hall key is refused; a moved ciphertext is reported by check; a
//! layout-4 hall is migrated by `lianfang migrate` keeping every record and lookup, and a
//! layout-5 hall gains its ledger entries; a format-8 hall is read without migrating.

mod raw_sled;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use lianfang::config::HallConfig;
use lianfang::demo::DEMO_PASSWORD;
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::ledger::{MatterEntry, VisitEntry};
use lianfang::domain::matter::Matter;
use lianfang::domain::officer::Role;
use lianfang::domain::oversight::Oversight;
use lianfang::domain::visit::Visit;
use lianfang::domain::visitor::{MatterGlance, Visitor};
use lianfang::hall::{Hall, HallExt, LocalHall, MatchKind};
use lianfang::store::check::check;
use lianfang::store::crypt::{key_path, Crypt};
use lianfang::store::keys::{Stored, TreeId};
use lianfang::store::migrate::layout_of;
use lianfang::store::table::TABLES;
use lianfang::store::{StoreError, LAYOUT};
use support::*;

const ID: &str = "110101197001010024";
const PHONE: &str = "13912345678";
const COMPLAINT: &str = "拖欠工资三个月";
const ADDRESS: &str = "北京市东城区某街道 1 号";

/// A hall in `root/hall` (its key beside it, in `root`) with one registered visitor.
fn hall_with_visitor(root: &Path) -> (PathBuf, u64) {
    let data = root.join("hall");
    let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
    add_officer(&hall, "reg", Role::Registrar, "xfj");
    let token = hall.login("reg", PASSWORD, "登记-1").unwrap().token;
    let mut form = walk_in("张三", ID, PHONE, "rs");
    form.matter = claim(COMPLAINT);
    let visitor = hall.register(&token, form).unwrap().visitor;
    hall.store().flush().unwrap();
    (data, visitor)
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The files under `dir` whose bytes contain `needle`.
fn holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|f| {
            std::fs::read(f)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
        })
        .collect()
}

fn found_by(hall: &LocalHall, text: &str) -> Vec<(u64, MatchKind)> {
    let token = hall.system_session().unwrap();
    hall.lookup(&token, text, 20)
        .unwrap()
        .into_iter()
        .map(|h| (h.visitor, h.matched))
        .collect()
}

#[test]
fn no_file_of_the_data_directory_holds_sensitive_values_and_lookups_still_find_them() {
    let root = tempfile::tempdir().unwrap();
    let (data, visitor) = hall_with_visitor(root.path());
    let reversed_phone: String = PHONE.chars().rev().collect();
    for needle in [
        ID.as_bytes(),
        &ID.as_bytes()[..10],
        PHONE.as_bytes(),
        reversed_phone.as_bytes(),
        COMPLAINT.as_bytes(),
        ADDRESS.as_bytes(),
    ] {
        let found = holding(&data, needle);
        assert!(
            found.is_empty(),
            "{} in {found:?}",
            String::from_utf8_lossy(needle)
        );
    }
    // The key is beside the data directory, not in it, and readable by its owner only.
    let key = key_path(&data, None);
    assert_eq!(key, root.path().canonicalize().unwrap().join("hall.key"));
    assert!(key.exists());

    let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
    assert_eq!(found_by(&hall, ID), vec![(visitor, MatchKind::IdNumber)]);
    assert_eq!(found_by(&hall, PHONE), vec![(visitor, MatchKind::Phone)]);
    for prefix in [&ID[..6], &ID[..10], &ID[..13]] {
        assert_eq!(
            found_by(&hall, prefix),
            vec![(visitor, MatchKind::IdPrefix)]
        );
    }
    for suffix in ["5678", "45678"] {
        assert_eq!(
            found_by(&hall, suffix),
            vec![(visitor, MatchKind::PhoneSuffix)]
        );
    }
    assert!(found_by(&hall, "110102").is_empty());
    assert!(found_by(&hall, "5679").is_empty());
    // The record itself reads back whole.
    let v: Visitor = hall.store().get_id(visitor).unwrap().unwrap();
    assert_eq!(v.id_number.unwrap().as_str(), ID);
}

#[test]
fn a_missing_or_wrong_hall_key_is_refused_and_never_replaced() {
    let root = tempfile::tempdir().unwrap();
    let (data, _) = hall_with_visitor(root.path());
    let key = key_path(&data, None);
    let saved = root.path().join("saved.key");
    std::fs::rename(&key, &saved).unwrap();

    let missing = LocalHall::open(&data, HallConfig::embedded())
        .err()
        .unwrap()
        .to_string();
    assert!(missing.contains("找不到大厅密钥文件"), "{missing}");
    assert!(!key.exists(), "no new key for a hall with data");

    Crypt::create(&key).unwrap();
    let wrong = LocalHall::open(&data, HallConfig::embedded())
        .err()
        .unwrap()
        .to_string();
    assert!(wrong.contains("不是这个数据目录的密钥"), "{wrong}");

    // The configured key file is used.
    let mut config = HallConfig::embedded();
    config.key_file = Some("saved.key".into());
    LocalHall::open(&data, config).unwrap();
}

#[test]
fn a_ciphertext_moved_to_another_record_is_reported_by_check() {
    let root = tempfile::tempdir().unwrap();
    let (data, _) = hall_with_visitor(root.path());
    {
        let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
        add_officer(&hall, "reg2", Role::Registrar, "xfj");
        let token = hall.login("reg2", PASSWORD, "登记-2").unwrap().token;
        hall.register(&token, walk_in("李四", &nth_id(7), "13800000002", "rs"))
            .unwrap();
    }
    {
        // Swap the sealed values of visitors 1 and 2, as an attacker with the disk could.
        let db = raw_sled::open(&data.join("db"));
        let visitors = raw_sled::table(&db, TreeId::Visitors);
        let one = visitors.get(1u64.to_be_bytes()).unwrap().unwrap();
        let two = visitors.get(2u64.to_be_bytes()).unwrap().unwrap();
        visitors.insert(1u64.to_be_bytes(), two).unwrap();
        visitors.insert(2u64.to_be_bytes(), one).unwrap();
        db.flush().unwrap();
    }
    let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
    let report = check(hall.store()).unwrap();
    let corrupt: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.contains("visitors") && p.contains("无法解密"))
        .collect();
    assert_eq!(corrupt.len(), 2, "{:?}", report.problems);
    assert!(hall.store().get_id::<Visitor>(1).is_err());
}

/// Record counts of a hall, by type.
fn counts(hall: &LocalHall) -> [usize; 4] {
    let s = hall.store();
    [
        s.all::<Visitor>().count(),
        s.all::<Visit>().count(),
        s.all::<Matter>().count(),
        s.all::<AuditRecord>().count(),
    ]
}

fn lianfang(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lianfang"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `lianfang migrate` on `data`, which must succeed with a clean check; its output.
fn migrate(data: &Path) -> String {
    let migrated = lianfang(data, &["migrate"]);
    let out = String::from_utf8_lossy(&migrated.stdout).to_string();
    assert!(
        migrated.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(out.contains("检查通过"), "{out}");
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// `tests/fixtures/hall-layout4`: 30 demo visitors written by the layout-4 program.
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hall-layout4");

#[test]
fn a_layout_4_hall_is_migrated_keeping_every_record_and_lookup() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("hall");
    copy_dir(Path::new(FIXTURE), &data);
    // The plain identity numbers of the old hall, read from its visitors tree.
    let plain: Vec<(u64, String)> = {
        let db = raw_sled::open(&data.join("db"));
        let tree = db.open_tree("visitors").unwrap();
        let numbers: Vec<(u64, String)> = tree
            .iter()
            .map(|item| {
                let (k, v) = item.unwrap();
                let id = u64::from_be_bytes(k.as_ref().try_into().unwrap());
                let visitor = Visitor::decode(&v).unwrap();
                (id, visitor.id_number.map(|n| n.as_str().to_string()))
            })
            .filter_map(|(id, n)| Some((id, n?)))
            .collect();
        numbers
    };
    assert!(plain.len() >= 20, "{}", plain.len());

    let refused = lianfang(&data, &["check"]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("lianfang migrate"), "{message}");

    migrate(&data);
    // The old database stays, apart, for the operator to destroy.
    assert!(data.join("db.layout4").exists());
    for (_, number) in &plain {
        assert!(holding(&data.join("db"), number.as_bytes()).is_empty());
    }

    let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
    let old = {
        let db = raw_sled::open(&data.join("db.layout4"));
        ["visitors", "visits", "matters", "audit"].map(|t| db.open_tree(t).unwrap().len())
    };
    assert_eq!(counts(&hall), old);
    assert!(check(hall.store()).unwrap().is_ok());
    for (id, number) in &plain {
        let hits = found_by(&hall, number);
        assert!(hits.contains(&(*id, MatchKind::IdNumber)), "{number}");
        let by_prefix = found_by(&hall, &number[..6]);
        assert!(!by_prefix.is_empty(), "{number}");
    }
    drop(hall);
    // A second run finds nothing to do.
    let again = lianfang(&data, &["migrate"]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("无需迁移"));
}

/// `tests/fixtures/hall-layout5` to `hall-layout9`: 30 demo visitors written by the
/// program of that layout, with that hall's key (`hall.key`).
fn fixture(layout: u32) -> PathBuf {
    fixture_named(&format!("hall-layout{layout}"))
}

fn fixture_named(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Migrates the sealed hall of `layout` and checks that every record is kept and every
/// visit and matter has its ledger entry as the current layout writes it.
fn migrates_sealed_hall(layout: u32) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("hall");
    copy_dir(&fixture(layout).join("db"), &data.join("db"));
    std::fs::copy(fixture(layout).join("hall.key"), key_path(&data, None)).unwrap();
    let refused = lianfang(&data, &["check"]);
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(&format!("第 {layout} 版")) && message.contains("lianfang migrate"),
        "{message}"
    );
    // Refusing the old store wrote nothing into it, not even the new layout's tree.
    let names = raw_sled::open(&data.join("db")).tree_names();
    assert!(!names.iter().any(|n| n == TABLES.as_bytes()), "{names:?}");

    let out = migrate(&data);
    let kept = data.join(format!("db.layout{layout}"));
    assert!(kept.exists());

    let hall = LocalHall::open(&data, HallConfig::embedded()).unwrap();
    let old = {
        let db = raw_sled::open(&kept);
        ["visitors", "visits", "matters", "audit"].map(|t| db.open_tree(t).unwrap().len())
    };
    assert_eq!(counts(&hall), old);
    let all = [0xff; 17];
    let entries: Vec<(Vec<u8>, VisitEntry)> = hall.store().entries(&[], &all, usize::MAX).unwrap();
    assert_eq!(entries.len(), old[1]);
    let matter_entries: Vec<(Vec<u8>, MatterEntry)> =
        hall.store().entries(&[], &all, usize::MAX).unwrap();
    assert_eq!(matter_entries.len(), old[2]);
    assert!(
        out.contains(&format!("{} 条台账条目", old[1] + old[2])),
        "{out}"
    );
    // `check` compares every entry with what its visitor and matter say now.
    assert!(check(hall.store()).unwrap().is_ok());
    let anyone = entries[0].1.visitor.name.as_str().to_string();
    assert!(!found_by(&hall, &anyone).is_empty(), "{anyone}");
    drop(hall);
    // The indexes by time (layouts 4 to 7) are not copied: the ledgers' keys replace them.
    let by_time = ["ix_visit_time", "ix_matter_date"];
    let trees = |db: &Path| -> Vec<String> {
        let db = raw_sled::open(db);
        db.tree_names()
            .iter()
            .filter(|n| !db.open_tree(n).unwrap().is_empty())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    };
    let before = trees(&kept);
    assert_eq!(
        by_time.iter().all(|t| before.iter().any(|b| b == t)),
        layout <= 7,
        "{before:?}"
    );
    // Layout 10 keeps every table in one sled tree.
    let after = trees(&data.join("db"));
    assert_eq!(after, [TABLES], "{after:?}");
    let (old_db, new_db) = (raw_sled::open(&kept), raw_sled::open(&data.join("db")));
    for tree in [
        TreeId::IxVisitorVisits,
        TreeId::IxVisitorMatters,
        TreeId::IxMatterAudit,
    ] {
        let old: Vec<(Vec<u8>, Vec<u8>)> = old_db
            .open_tree(tree.name())
            .unwrap()
            .iter()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
            .collect();
        let lists: Vec<(Vec<u8>, Vec<u8>)> = raw_sled::table(&new_db, tree)
            .iter()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
            .collect();
        if layout >= 9 {
            // Lists already: copied as they are.
            assert_eq!(lists, old, "{tree:?}");
            continue;
        }
        // Pair indexes (before layout 9) are gathered into one list per owner.
        let pairs: Vec<Vec<u8>> = old.into_iter().map(|(k, _)| k).collect();
        let gathered: Vec<Vec<u8>> = lists
            .iter()
            .flat_map(|(owner, members)| members.chunks(8).map(|m| [&owner[..], m].concat()))
            .collect();
        assert_eq!(gathered, pairs, "{tree:?}");
        assert!(
            tree == TreeId::IxMatterAudit || lists.len() < pairs.len(),
            "{tree:?}"
        );
    }
}

#[test]
fn a_layout_5_hall_is_migrated_with_a_ledger_entry_for_every_visit_and_matter() {
    migrates_sealed_hall(5);
}

#[test]
fn a_layout_6_hall_is_migrated_with_its_matter_entries_rewritten() {
    migrates_sealed_hall(6);
}

#[test]
fn a_layout_7_hall_is_migrated_without_its_indexes_by_time() {
    migrates_sealed_hall(7);
}

#[test]
fn a_layout_8_hall_is_migrated_with_its_pair_indexes_gathered_into_lists() {
    migrates_sealed_hall(8);
}

#[test]
fn a_layout_9_hall_is_migrated_into_one_tree() {
    migrates_sealed_hall(9);
}

/// `tests/fixtures/hall-format8`: 30 demo visitors written by the program of layout 10 and
/// format 8, whose visitor records keep no glance of their open matters.
#[test]
fn a_format_8_hall_opens_as_it_is_and_marks_its_lookups_as_a_format_9_hall_does() {
    let root = tempfile::tempdir().unwrap();
    let fixture = fixture_named("hall-format8");
    // Every open matter's deadline "due soon", so that the lookups have tiers to show.
    let mut config = HallConfig::embedded();
    config.limits.rules.due_soon_days = 1000;
    let open_copy = |name: &str| {
        let data = root.path().join(name);
        copy_dir(&fixture.join("db"), &data.join("db"));
        std::fs::copy(fixture.join("hall.key"), key_path(&data, None)).unwrap();
        LocalHall::open(&data, config.clone()).unwrap()
    };
    let (old, filled) = (open_copy("old"), open_copy("filled"));
    // Stamped with the current layout at open: the previous program now refuses it.
    let db = root.path().join("old").join("db");
    drop(old);
    assert_eq!(layout_of(&db, 64).unwrap(), Some(LAYOUT));
    let old = LocalHall::open(&root.path().join("old"), config.clone()).unwrap();
    let glances = |hall: &LocalHall| -> Vec<Option<MatterGlance>> {
        let visitors = hall.store().all::<Visitor>();
        visitors
            .flat_map(|v| v.unwrap().summary.open_matters)
            .map(|r| r.glance)
            .collect()
    };
    let before = glances(&old);
    assert!(
        before.len() >= 5 && before.iter().all(Option::is_none),
        "{before:?}"
    );
    // What the current program writes: every open matter's glance beside its reference.
    let store = filled.store();
    store
        .write(|w| {
            for v in store.all::<Visitor>() {
                let mut v = v?;
                for r in &mut v.summary.open_matters {
                    let m: Matter = w.get_id(r.matter)?.unwrap();
                    r.glance = Some(MatterGlance::of(&m));
                }
                w.put(&v)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert!(glances(&filled).iter().all(Option::is_some));
    // `check` compares every glance with its matter.
    assert_consistent(filled.store());

    // The old records' marks come from reading their matters; the new ones' from the
    // glance: the same for an administrator, a desk that may not see accusations, and the
    // accusations desk.
    let sessions = |hall: &LocalHall| {
        let desk = |user| hall.login(user, DEMO_PASSWORD, "窗口-1").unwrap().token;
        [
            hall.system_session().unwrap(),
            desk("zhujian"),
            desk("jiwei"),
        ]
    };
    let (old_sessions, filled_sessions) = (sessions(&old), sessions(&filled));
    let mut marked = 0;
    for v in old.store().all::<Visitor>() {
        let name = v.unwrap().name.as_str().to_string();
        for (a, b) in old_sessions.iter().zip(&filled_sessions) {
            let hits = old.lookup(a, &name, 20).unwrap();
            assert_eq!(hits, filled.lookup(b, &name, 20).unwrap(), "{name}");
            marked += hits.iter().filter(|h| h.tier.is_some()).count();
        }
    }
    assert!(marked > 0, "no lookup showed a deadline tier");

    // A change to a matter writes its visitors in format 9.
    let matter = old
        .store()
        .all::<Matter>()
        .map(Result::unwrap)
        .find(Matter::is_open)
        .unwrap();
    let admin = &old_sessions[0];
    let instruction = Oversight::Instruct {
        text: "请按期办结".into(),
    };
    old.oversee(admin, matter.id, instruction).unwrap();
    let now: Matter = old.store().get_id(matter.id).unwrap().unwrap();
    for id in &matter.visitors {
        let v: Visitor = old.store().get_id(*id).unwrap().unwrap();
        let r = v
            .summary
            .open_matters
            .iter()
            .find(|r| r.matter == matter.id)
            .unwrap();
        assert_eq!(r.glance, Some(MatterGlance::of(&now)));
    }
}

#[test]
fn the_first_run_creates_the_hall_key_and_says_where() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("hall");
    let first = lianfang(&data, &["check"]);
    assert!(first.status.success());
    let key = key_path(&data, None);
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(
        said.contains("已生成大厅密钥") && said.contains(&key.display().to_string()),
        "{said}"
    );
    assert!(!key.starts_with(data.canonicalize().unwrap()));
    let again = lianfang(&data, &["check"]);
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stderr).contains("已生成大厅密钥"));
}
