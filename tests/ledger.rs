//! The ledger: export to .xlsx and CSV (read back), who exports what, and import of
//! a ledger file — clean, with bad rows, again, and a whole demo hall round trip.

mod support;
mod xlsx_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::Data;
use chrono::NaiveDate;

use lianfang::config::HallConfig;
use lianfang::demo::{self, DemoOptions};
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::ledger::{LedgerKind, MatterCol, VisitCol};
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::{Category, Matter};
use lianfang::domain::officer::Role;
use lianfang::domain::stats::measures::{Measure, Value};
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::domain::stats::Tally;
use lianfang::domain::visit::Visit;
use lianfang::domain::visitor::Visitor;
use lianfang::hall::{Hall, HallExt, LocalHall, SessionToken};
use lianfang::ledger::export::{export, ExportSpec};
use lianfang::ledger::import::{apply, check, Plan};
use lianfang::ledger::{FileFormat, LedgerError};
use support::*;
use xlsx_support::read_xlsx;

fn spec(kind: LedgerKind, format: FileFormat, full_id: bool) -> ExportSpec {
    ExportSpec {
        kind,
        from: date(2026, 1, 1),
        to: date(2026, 12, 31),
        full_id,
        format,
    }
}

fn out(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Exports and returns the row count.
fn run_export(hall: &dyn Hall, token: &SessionToken, spec: &ExportSpec, path: &Path) -> u64 {
    export(hall, token, spec, path, |_| {}).unwrap_or_else(|e| panic!("export: {e}"))
}

const TRICKY: &str = "工资拖欠，涉及\"某公司\",共 3 人\n第二行说明";

/// A hall with three visits in 2026: a 人社 claim with tricky text, a 住建 claim, and
/// an accusation at 纪委监委.
fn hall_with_visits() -> (TestHall, SessionToken) {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut first = walk_in("张三", &nth_id(1), "13812345678", "rs");
    if let lianfang::domain::registration::MatterChoice::New(m) = &mut first.matter {
        m.summary = TRICKY.into();
    }
    t.hall.register(&reg, first).expect("first registers");
    t.clock.advance_minutes(30);
    t.hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "zj"))
        .expect("second registers");
    t.clock.advance_minutes(30);
    let mut accusation = walk_in("王五", &nth_id(3), "", "jw");
    accusation.matter = new_matter(Category::Accusation, "纪检监察", "举报某局长受贿");
    t.hall
        .register(&reg, accusation)
        .expect("accusation registers");
    let admin = t.officer("admin", Role::Admin, "xfj");
    (t, admin)
}

#[test]
fn xlsx_export_has_chinese_headers_masked_numbers_and_real_date_cells() {
    let (t, admin) = hall_with_visits();
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "来访.xlsx");
    let rows = run_export(
        &t.hall,
        &admin,
        &spec(LedgerKind::Visits, FileFormat::Xlsx, false),
        &path,
    );
    assert_eq!(rows, 3);
    let sheet = read_xlsx(&path);
    assert_eq!(sheet.len(), 4, "header and three rows");
    let headers: Vec<String> = sheet[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(headers, LedgerKind::Visits.headers());
    let col = |c: VisitCol| VisitCol::ALL.iter().position(|x| *x == c).unwrap();
    let first = &sheet[1];
    assert_eq!(first[col(VisitCol::Name)].to_string(), "张三");
    assert_eq!(first[col(VisitCol::Summary)].to_string(), TRICKY);
    assert_eq!(
        first[col(VisitCol::Department)].to_string(),
        "人力资源和社会保障局"
    );
    assert_eq!(first[col(VisitCol::Headcount)], Data::Float(1.0));
    let id = first[col(VisitCol::IdNumber)].to_string();
    assert!(id.contains('*') && id != nth_id(1), "masked: {id}");
    match &first[col(VisitCol::At)] {
        Data::DateTime(d) => assert_eq!(
            d.as_datetime(),
            NaiveDate::from_ymd_opt(2026, 11, 27).and_then(|d| d.and_hms_opt(9, 0, 0))
        ),
        other => panic!("the visit time is a date cell, not {other:?}"),
    }
    // Date order: 09:00, 09:30, 10:00.
    let names: Vec<String> = sheet[1..]
        .iter()
        .map(|r| r[col(VisitCol::Name)].to_string())
        .collect();
    assert_eq!(names, ["张三", "李四", "王五"]);
}

#[test]
fn the_matter_ledger_lists_each_matter_with_its_state_and_visitors() {
    let (t, admin) = hall_with_visits();
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "事项.xlsx");
    let rows = run_export(
        &t.hall,
        &admin,
        &spec(LedgerKind::Matters, FileFormat::Xlsx, false),
        &path,
    );
    assert_eq!(rows, 3);
    let sheet = read_xlsx(&path);
    let headers: Vec<String> = sheet[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(headers, LedgerKind::Matters.headers());
    assert!(
        matches!(sheet[1][1], Data::DateTime(_)),
        "{:?}",
        sheet[1][1]
    );
    assert_eq!(sheet[1][11].to_string(), "张三");
    assert_eq!(
        sheet[3][7].to_string(),
        "某局长",
        "the admin sees whom it accuses"
    );
}

#[test]
fn csv_export_starts_with_a_bom_and_quotes_chinese_text_with_commas_and_newlines() {
    let (t, admin) = hall_with_visits();
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "来访.csv");
    run_export(
        &t.hall,
        &admin,
        &spec(LedgerKind::Visits, FileFormat::Csv, false),
        &path,
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(&[0xef, 0xbb, 0xbf]),
        "UTF-8 byte-order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("来访时间,来访人编号,姓名,"), "{text}");
    // The comma, the quotes and the line break stay inside one quoted field.
    let quoted = format!("\"{}\"", TRICKY.replace('"', "\"\""));
    assert!(text.contains(&quoted), "{text}");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        &rows[0][VisitCol::ALL
            .iter()
            .position(|c| *c == VisitCol::Summary)
            .unwrap()],
        TRICKY
    );
    assert_eq!(&rows[0][0], "2026-11-27 09:00");
}

#[test]
fn desks_export_their_own_department_and_never_an_accusation_they_may_not_see() {
    let (t, _) = hall_with_visits();
    let rs = t.officer("rs1", Role::Window, "rs");
    let leader = t.officer("lead", Role::Leader, "xfj");
    let jw = t.officer("jw1", Role::Window, "jw");
    let dir = tempfile::tempdir().unwrap();
    let visits = spec(LedgerKind::Visits, FileFormat::Csv, false);
    let names = |token: &SessionToken| {
        let path = out(&dir, "x.csv");
        run_export(&t.hall, token, &visits, &path);
        let text = std::fs::read_to_string(&path).unwrap();
        ["张三", "李四", "王五"]
            .into_iter()
            .filter(|n| text.contains(n))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&rs), ["张三"]);
    assert_eq!(names(&jw), ["王五"]);
    // A leader exports the hall, but an accusation only where it may be seen (Art 30).
    assert_eq!(names(&leader), ["张三", "李四"]);
    let display = t.officer("screen", Role::Display, "xfj");
    let err = export(&t.hall, &display, &visits, &out(&dir, "d.csv"), |_| {}).unwrap_err();
    assert!(matches!(err, LedgerError::Hall(_)), "{err}");
    assert!(
        !out(&dir, "d.csv").exists(),
        "no file from a refused export"
    );
}

#[test]
fn full_numbers_are_for_administrators_and_audited() {
    let (t, admin) = hall_with_visits();
    let leader = t.officer("lead", Role::Leader, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let full = spec(LedgerKind::Visits, FileFormat::Csv, true);
    let err = export(&t.hall, &leader, &full, &out(&dir, "l.csv"), |_| {}).unwrap_err();
    assert!(err.to_string().contains("只有管理员"), "{err}");
    let path = out(&dir, "a.csv");
    run_export(&t.hall, &admin, &full, &path);
    assert!(std::fs::read_to_string(&path).unwrap().contains(&nth_id(1)));
    let audit: Vec<AuditRecord> = t.hall.store().all().map(Result::unwrap).collect();
    let exports: Vec<&AuditRecord> = audit
        .iter()
        .filter(|a| a.action.starts_with("导出"))
        .collect();
    assert_eq!(exports.len(), 1, "one record per export, not per page");
    assert_eq!(exports[0].officer, "admin");
    assert!(
        exports[0].action.contains("完整身份证号码"),
        "{}",
        exports[0].action
    );
}

/// The ledger shows the visitor's card as it reads now: a returning visitor's new phone
/// is on their earlier rows too, as it was when every row read the visitor at export.
#[test]
fn a_returning_visitors_new_phone_is_on_every_row_of_theirs() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "13812345678", "rs"))
        .unwrap();
    t.clock.advance_minutes(30);
    let mut again = walk_in("张三", &nth_id(1), "13987654321", "zj");
    again.matter = claim("房屋漏水无人维修");
    t.hall.register(&reg, again).unwrap();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "p.csv");
    let full = spec(LedgerKind::Visits, FileFormat::Csv, true);
    assert_eq!(run_export(&t.hall, &admin, &full, &path), 2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("13987654321").count(), 2, "{text}");
    assert!(!text.contains("13812345678"), "{text}");
}

/// A matter's row follows the matter: its steps, and a co-petitioner who joins it later
/// (on its row with the first, and one visit more).
#[test]
fn a_matters_steps_and_a_visitor_who_joins_it_are_on_its_matter_row() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "m.csv");
    let matters = spec(LedgerKind::Matters, FileFormat::Csv, false);
    let row = |hall: &LocalHall| {
        assert_eq!(run_export(hall, &admin, &matters, &path), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rows.records().next().unwrap().unwrap()
    };
    let col = |c: MatterCol| MatterCol::ALL.iter().position(|x| *x == c).unwrap();
    let (status, visits, visitors) = (
        col(MatterCol::Status),
        col(MatterCol::Visits),
        col(MatterCol::Visitors),
    );
    assert_eq!(&row(&t.hall)[status], "登记");

    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall
        .step(&rs, first.matter, Transition::TakeUp, "")
        .unwrap();
    let now = row(&t.hall);
    assert_eq!((&now[status], &now[visits]), ("待受理", "1"));

    t.clock.advance_minutes(30);
    let mut joins = walk_in("李四", &nth_id(2), "", "rs");
    joins.matter = lianfang::domain::registration::MatterChoice::Attach(first.matter);
    t.hall.register(&reg, joins).unwrap();
    let now = row(&t.hall);
    assert_eq!(
        (&now[status], &now[visits], &now[visitors]),
        ("待受理", "2", "张三、李四")
    );
}

#[test]
fn a_period_exports_only_its_days_and_a_reversed_period_is_refused() {
    let (t, admin) = hall_with_visits();
    let dir = tempfile::tempdir().unwrap();
    let mut before = spec(LedgerKind::Visits, FileFormat::Csv, false);
    before.to = date(2026, 11, 26);
    assert_eq!(run_export(&t.hall, &admin, &before, &out(&dir, "b.csv")), 0);
    let mut that_day = before.clone();
    that_day.from = date(2026, 11, 27);
    that_day.to = date(2026, 11, 27);
    assert_eq!(
        run_export(&t.hall, &admin, &that_day, &out(&dir, "c.csv")),
        3
    );
    let mut reversed = before;
    reversed.from = date(2026, 12, 1);
    let err = export(&t.hall, &admin, &reversed, &out(&dir, "r.csv"), |_| {}).unwrap_err();
    assert!(err.to_string().contains("晚于"), "{err}");
}

/// Writes a CSV ledger with the given rows under the template's headers.
fn ledger_csv(dir: &tempfile::TempDir, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let path = out(dir, name);
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(&path)
        .unwrap();
    w.write_record(LedgerKind::Visits.headers()).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    path
}

fn row(at: &str, name: &str, id: &str, summary: &str, dept: &str) -> Vec<String> {
    let mut cells = vec![String::new(); VisitCol::ALL.len()];
    let mut set = |c: VisitCol, v: &str| {
        cells[VisitCol::ALL.iter().position(|x| *x == c).unwrap()] = v.to_string();
    };
    set(VisitCol::At, at);
    set(VisitCol::Name, name);
    set(VisitCol::IdNumber, id);
    set(VisitCol::Category, "申诉求决类");
    set(VisitCol::ContentClass, "劳动社保");
    set(VisitCol::Place, "东城区");
    set(VisitCol::Summary, summary);
    set(VisitCol::Department, dept);
    cells
}

fn import_file(
    t: &TestHall,
    token: &SessionToken,
    path: &Path,
) -> (Plan, lianfang::ledger::import::Outcome) {
    let info = t.hall.info().unwrap();
    let (plan, rows) = check(path, &info, date(2026, 11, 27)).unwrap_or_else(|e| panic!("{e}"));
    let outcome = apply(&t.hall, token, rows, |_| {}).unwrap();
    (plan, outcome)
}

fn count<T: lianfang::store::keys::Stored>(hall: &LocalHall) -> usize {
    hall.store().all::<T>().count()
}

#[test]
fn a_clean_file_imports_every_row_at_its_own_time_and_again_adds_nothing() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_csv(
        &dir,
        "clean.csv",
        &[
            row(
                "2025-03-04 09:30",
                "张三",
                &nth_id(1),
                "拖欠工资",
                "人力资源和社会保障局",
            ),
            row("2025/03/05", "李四", &nth_id(2), "房屋漏水", "zj"),
            // 张三 again on the same matter number: one visitor, one matter, two visits.
            {
                let mut r = row("2025-04-01 10:00", "张三", &nth_id(1), "拖欠工资", "人社");
                r[VisitCol::ALL
                    .iter()
                    .position(|c| *c == VisitCol::MatterNumber)
                    .unwrap()] = "旧-001".into();
                r
            },
        ],
    );
    let (plan, outcome) = import_file(&t, &admin, &path);
    assert_eq!(plan.valid, 3);
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
    assert_eq!((outcome.imported, outcome.duplicates), (3, 0));
    assert_eq!(count::<Visitor>(&t.hall), 2);
    assert_eq!(count::<Visit>(&t.hall), 3);
    assert_eq!(
        count::<Matter>(&t.hall),
        3,
        "rows without a shared number are matters of their own"
    );
    let visits: Vec<Visit> = t.hall.store().all().map(Result::unwrap).collect();
    assert!(
        visits.iter().all(|v| v.ticket.is_none()),
        "history makes no queue"
    );
    let tz = t.hall.config().timezone;
    assert_eq!(visits[0].at.format(tz), "2025-03-04 09:30");
    let matters: Vec<Matter> = t.hall.store().all().map(Result::unwrap).collect();
    assert!(
        matters[0].number.starts_with("2025"),
        "numbered in the year received: {}",
        matters[0].number
    );
    t.assert_consistent();

    let before = t.snapshot().visits.len();
    let (_, again) = import_file(&t, &admin, &path);
    assert_eq!((again.imported, again.duplicates), (0, 3));
    assert_eq!(t.snapshot().visits.len(), before);
    assert_eq!(count::<Visitor>(&t.hall), 2);
}

/// The one-ticket rule reads a visitor's visits newest first: history imported while
/// they wait comes after their ticket, without one, and must not hide it.
#[test]
fn a_visitor_waiting_today_keeps_one_ticket_after_their_history_is_imported() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let waiting = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_csv(
        &dir,
        "history.csv",
        &[row(
            "2025-03-04 09:30",
            "张三",
            &nth_id(1),
            "拖欠工资",
            "rs",
        )],
    );
    assert_eq!(import_file(&t, &admin, &path).1.imported, 1);
    let visits = t.hall.store().list(
        lianfang::store::keys::TreeId::IxVisitorVisits,
        waiting.visitor,
    );
    assert_eq!(visits.unwrap().len(), 2, "the imported visit is 张三's");
    // Today's visit stays the last one: the lookup ranks and the panel shows by it.
    let summary = t.visitor(waiting.visitor).summary;
    let today: Visit = t.hall.store().get_id(waiting.visit).unwrap().unwrap();
    assert_eq!(
        (summary.visit_count, summary.last_visit),
        (2, Some(today.at))
    );

    let before = t.snapshot();
    let message = conflict(t.hall.register(&reg, walk_in("张三", &nth_id(1), "", "rs")));
    assert!(message.contains(&waiting.ticket_label), "{message}");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn bad_rows_are_reported_with_their_row_number_and_reason_and_the_rest_imports() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let mut bad_id = row("2025-03-04", "张三", &nth_id(1), "拖欠工资", "人社");
    bad_id[3] = "110101197001010010".into(); // wrong check character
    let masked = row(
        "2025-03-04",
        "李四",
        "110101********0012",
        "拖欠工资",
        "人社",
    );
    let no_dept = row("2025-03-04", "王五", &nth_id(5), "拖欠工资", "外星办");
    let no_time = row("上周", "赵六", &nth_id(6), "拖欠工资", "人社");
    let mut accusation_elsewhere = row("2025-03-04", "钱七", &nth_id(7), "举报", "人社");
    accusation_elsewhere[11] = "检举控告类".into();
    accusation_elsewhere[16] = "某局长".into();
    let good = row("2025-03-04", "孙八", &nth_id(8), "拖欠工资", "人社");
    let path = ledger_csv(
        &dir,
        "bad.csv",
        &[
            bad_id,
            masked,
            no_dept,
            vec![String::new(); 3],
            no_time,
            good,
            accusation_elsewhere,
        ],
    );
    let (plan, outcome) = import_file(&t, &admin, &path);
    let rejected: BTreeMap<u64, String> = plan
        .rejected
        .iter()
        .chain(&outcome.rejected)
        .map(|r| (r.row, r.reason.clone()))
        .collect();
    let rows: Vec<u64> = rejected.keys().copied().collect();
    // Row 1 is the header, row 5 is blank.
    assert_eq!(rows, [2, 3, 4, 6, 8], "{rejected:#?}");
    assert!(rejected[&2].contains("校验"), "{}", rejected[&2]);
    assert!(rejected[&3].contains("打码"), "{}", rejected[&3]);
    assert!(rejected[&4].contains("外星办"), "{}", rejected[&4]);
    assert!(rejected[&6].contains("来访时间"), "{}", rejected[&6]);
    assert!(rejected[&8].contains("检举控告类"), "{}", rejected[&8]);
    assert_eq!(outcome.imported, 1);
    assert_eq!(count::<Visit>(&t.hall), 1);
}

#[test]
fn only_administrators_import_and_a_missing_column_is_named() {
    let t = TestHall::new();
    let leader = t.officer("lead", Role::Leader, "xfj");
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_csv(
        &dir,
        "a.csv",
        &[row("2025-03-04", "张三", &nth_id(1), "拖欠工资", "人社")],
    );
    let info = t.hall.info().unwrap();
    let (_, rows) = check(&path, &info, date(2026, 11, 27)).unwrap();
    let err = apply(&t.hall, &leader, rows, |_| {}).unwrap_err();
    assert!(err.to_string().contains("导入台账"), "{err}");
    assert_eq!(count::<Visit>(&t.hall), 0);

    let headless = out(&dir, "h.csv");
    std::fs::write(&headless, "姓名,身份证号码\n张三,1\n").unwrap();
    let err = check(&headless, &info, date(2026, 11, 27)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("来访时间") && text.contains("接待部门"),
        "{text}"
    );
}

#[test]
fn the_shipped_template_imports_cleanly() {
    let t = TestHall::with_config(HallConfig::embedded());
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/台账导入模板.csv");
    let (plan, rows) = check(&template, &t.hall.info().unwrap(), date(2026, 11, 27))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
    assert!(plan.valid >= 2 && rows.len() as u64 == plan.valid);
    let header = std::fs::read_to_string(&template).unwrap();
    let first = header
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(first, LedgerKind::Visits.headers().join(","));
}

/// Counts both halls must agree on. The statistics query adds its figures here.
#[derive(Debug, PartialEq)]
struct Counts {
    visitors: usize,
    visits: usize,
    people: u64,
    visits_per_department: BTreeMap<String, usize>,
    matters_per_category_and_class: BTreeMap<(String, String), usize>,
}

fn counts(hall: &LocalHall) -> Counts {
    let visits: Vec<Visit> = hall.store().all().map(Result::unwrap).collect();
    let matters: Vec<Matter> = hall.store().all().map(Result::unwrap).collect();
    let mut visits_per_department = BTreeMap::new();
    for v in &visits {
        *visits_per_department
            .entry(v.department.to_string())
            .or_insert(0) += 1;
    }
    let mut matters_per_category_and_class = BTreeMap::new();
    for m in &matters {
        *matters_per_category_and_class
            .entry((m.category.label().to_string(), m.content_class.clone()))
            .or_insert(0) += 1;
    }
    Counts {
        visitors: count::<Visitor>(hall),
        visits: visits.len(),
        people: visits.iter().map(|v| u64::from(v.headcount)).sum(),
        visits_per_department,
        matters_per_category_and_class,
    }
}

/// The measures a visit ledger carries. The others cannot survive it (README, 台账导出与导入):
/// 越级访 and 来访层级 (no level column), 受理 / 办结 / 解决 / 按期办结 / 一次性化解 / 满意
/// (the steps and evaluations of a matter are not in the ledger; imported matters start
/// registered), waiting and service times (no tickets), the officer breakdown (the
/// importing administrator is the receiving officer), and 件 per department (a matter
/// routed on counts at its new department; the ledger has the receiving one).
const CARRIED: [Measure; 6] = [
    Measure::Visits,
    Measure::People,
    Measure::GroupVisits,
    Measure::GroupPeople,
    Measure::RepeatVisits,
    Measure::Matters,
];

/// The carried measures of the whole hall, per day, per department and per content class.
#[derive(Debug, PartialEq)]
struct CarriedStats {
    total: Vec<(&'static str, Value)>,
    daily_visits: Vec<u64>,
    breakdowns: Vec<(String, Vec<Value>)>,
}

fn carried_stats(hall: &LocalHall) -> CarriedStats {
    let token = hall.system_session().unwrap();
    let period = Period::custom(date(2024, 1, 1), date(2026, 11, 27), PeriodKind::Custom);
    let report = hall.stats(&token, period).expect("statistics");
    let values =
        |measures: &[Measure], t: &Tally| measures.iter().map(|m| m.value(t)).collect::<Vec<_>>();
    let visit_measures = &CARRIED[..5];
    let departments = report
        .departments
        .iter()
        .map(|b| (format!("{:?}", b.dim), values(visit_measures, &b.tally)));
    let classes = report
        .classes
        .iter()
        .map(|b| (format!("{:?}", b.dim), values(&CARRIED, &b.tally)));
    let breakdowns = departments.chain(classes).collect();
    CarriedStats {
        total: CARRIED
            .iter()
            .map(|m| (m.label(), m.value(&report.total)))
            .collect(),
        daily_visits: report.daily_visits,
        breakdowns,
    }
}

#[test]
fn a_demo_hall_exported_with_full_numbers_imports_into_an_empty_hall_with_equal_counts() {
    let source = TestHall::new();
    demo::populate(
        &source.hall,
        &DemoOptions {
            visitors: 80,
            seed: 7,
            now: source.hall.now(),
        },
    )
    .expect("demo fills");
    let admin = source.hall.system_session().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = out(&dir, "demo.xlsx");
    let mut all = spec(LedgerKind::Visits, FileFormat::Xlsx, true);
    all.from = date(1990, 1, 1);
    all.to = date(2026, 11, 27);
    let exported = run_export(&source.hall, &admin, &all, &path);
    assert_eq!(exported as usize, count::<Visit>(&source.hall));

    let target = TestHall::new();
    let importer = target.hall.system_session().unwrap();
    let (plan, outcome) = import_file(&target, &importer, &path);
    assert!(
        plan.rejected.is_empty(),
        "{} rejected: {:#?}",
        plan.rejected.len(),
        &plan.rejected[..plan.rejected.len().min(5)]
    );
    assert!(
        outcome.rejected.is_empty(),
        "{:#?}",
        &outcome.rejected[..outcome.rejected.len().min(5)]
    );
    assert_eq!(counts(&target.hall), counts(&source.hall));
    let carried = carried_stats(&source.hall);
    // Not a comparison of two empty reports.
    assert!(carried.total[0].1 != Value::Count(0), "{carried:?}");
    assert_eq!(carried_stats(&target.hall), carried);
    target.assert_consistent();
}
