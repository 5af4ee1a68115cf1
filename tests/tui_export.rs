//! The ledger export dialog of the statistics screen (F9): its fields at 80×24 and 120×40,
//! the progress, the finished and the failed states, and the files it really writes.

mod tui_support;
mod xlsx_support;

use std::path::Path;

use calamine::Data;
use lianfang::domain::ledger::LedgerKind;
use lianfang::ledger::export::{export, ExportSpec};
use lianfang::ledger::FileFormat;
use lianfang::tui::event::AppEvent;
use lianfang::tui::jobs::{execute, spawn_export, Answer, Reply, Request, Slot};
use lianfang::tui::screens::export::ExportState;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;
use xlsx_support::read_xlsx;

/// Snapshots at both sizes; the temporary export folder is written as `<导出文件夹>`.
fn snap(desk: &Desk, name: &str, dir: &Path) {
    for (w, h) in [(80, 24), (120, 40)] {
        let text = text_of(&desk.render(w, h)).replace(&dir.display().to_string(), "<导出文件夹>");
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

/// A temporary export folder whose path has the same length wherever `TMPDIR` points:
/// the dialog pads and cuts the folder's path to the screen, so a longer one would
/// change the snapshots around `<导出文件夹>`.
fn export_folder() -> tempfile::TempDir {
    tempfile::Builder::new().tempdir_in("/tmp").expect("dir")
}

/// The busy morning's administrator on the statistics screen with the dialog open,
/// exporting into `dir`.
fn dialog(m: &Morning, user: &str, dir: &Path) -> Desk {
    let mut desk = Desk::logged_in(m.t.hall.clone(), user);
    desk.app.ctx.export_dir = dir.to_path_buf();
    desk.key(KeyCode::F(7));
    desk.key(KeyCode::F(9));
    desk
}

/// F6 without running anything: the export request the desk posted.
fn start(desk: &mut Desk) -> Request {
    desk.update(AppEvent::Key(KeyEvent::new(
        KeyCode::F(6),
        KeyModifiers::NONE,
    )));
    let mut requests = desk.app.take_requests();
    let at = requests
        .iter()
        .position(|r| r.slot == Slot::Export)
        .expect("an export request");
    requests.swap_remove(at)
}

fn answer(desk: &mut Desk, request: &Request, result: Answer) {
    desk.update(AppEvent::Reply(Reply {
        slot: request.slot,
        generation: request.generation,
        result: Ok(result),
    }));
}

fn state(desk: &Desk) -> ExportState {
    desk.app
        .stats()
        .export()
        .expect("dialog open")
        .state()
        .clone()
}

#[test]
fn the_dialog_exports_the_visits_of_the_period_with_progress_and_a_result() {
    let m = busy_morning();
    let dir = export_folder();
    let mut desk = dialog(&m, "admin", dir.path());
    // The month shown, cut at today; the name follows the fields.
    snap(&desk, "export_dialog", dir.path());

    let request = start(&mut desk);
    // The export's thread reports rows written before the answer comes.
    answer(&mut desk, &request, Answer::ExportProgress(4_000));
    snap(&desk, "export_running", dir.path());
    // Running, the desk still moves between screens, and comes back to the progress.
    desk.key(KeyCode::Esc);
    desk.key(KeyCode::F(3));
    desk.key(KeyCode::F(7));
    desk.key(KeyCode::F(9));
    assert_eq!(
        state(&desk),
        ExportState::Running {
            rows: 4_000,
            out: dir.path().join("台账-来访-20261101-20261127.xlsx")
        }
    );

    let result = execute(desk.hall.as_ref(), request.job.clone()).expect("export runs");
    answer(&mut desk, &request, result);
    snap(&desk, "export_done", dir.path());

    let rows = read_xlsx(&dir.path().join("台账-来访-20261101-20261127.xlsx"));
    // The header and the month's eleven visits (the statistics count 11 批次).
    assert_eq!(rows.len(), 12, "{rows:?}");
    assert_eq!(rows[0][0].to_string(), "来访时间");
    let zhang: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| *c == "张秀英"))
        .collect();
    assert_eq!(zhang.len(), 2);
    // Masked by default.
    assert!(zhang[0].iter().any(|c| *c == "110105********002X"));
    // Row for row what the library writes for the same ledger, days and options.
    let spec = ExportSpec {
        kind: LedgerKind::Visits,
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        to: today(),
        full_id: false,
        format: FileFormat::Xlsx,
    };
    let direct = dir.path().join("direct.xlsx");
    export(m.t.hall.as_ref(), &m.admin, &spec, &direct, |_| {}).expect("direct export");
    assert_eq!(rows, read_xlsx(&direct));
}

#[test]
fn matters_as_csv_with_full_numbers_for_the_administrator_and_overwrite_asks_first() {
    let m = busy_morning();
    let dir = export_folder();
    let mut desk = dialog(&m, "admin", dir.path());
    desk.key(KeyCode::Right); // 事项台账
    desk.tab(3);
    desk.key(KeyCode::Right); // CSV
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Right); // 完整号码
    let text = desk.screen_text(120, 40);
    assert!(text.contains("台账-事项-20261101-20261127.csv"), "{text}");
    assert!(text.contains("完整号码的导出记入审计"), "{text}");
    desk.key(KeyCode::F(6));
    let out = dir.path().join("台账-事项-20261101-20261127.csv");
    assert!(
        matches!(state(&desk), ExportState::Done { rows: 10, .. }),
        "{:?}",
        state(&desk)
    );
    let csv = std::fs::read_to_string(&out).expect("csv written");
    // The BOM, the header and the month's ten matters.
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 11, "{csv}");

    // The same name again: asked first, replaced on the second F6.
    desk.key(KeyCode::F(6));
    assert_eq!(state(&desk), ExportState::ConfirmOverwrite(out.clone()));
    let text = desk.screen_text(80, 24);
    assert!(text.contains("已存在"), "{text}");
    std::fs::write(&out, "旧文件").expect("write");
    desk.key(KeyCode::F(6));
    assert!(matches!(state(&desk), ExportState::Done { .. }));
    let csv = std::fs::read_to_string(&out).expect("csv written");
    assert_eq!(csv.lines().count(), 11);
}

#[test]
fn full_numbers_reach_the_file_only_when_the_administrator_asks() {
    let m = busy_morning();
    let dir = export_folder();
    let mut desk = dialog(&m, "admin", dir.path());
    desk.tab(4);
    desk.key(KeyCode::Right); // 完整号码: 是
    desk.key(KeyCode::F(6));
    let rows = read_xlsx(&dir.path().join("台账-来访-20261101-20261127.xlsx"));
    assert!(rows.iter().any(|r| r.iter().any(|c| *c == ZHANG_ID)));

    // A window officer is not offered the choice and exports masked rows of 人社 only.
    let mut window = dialog(&m, "rs1", dir.path());
    let text = window.screen_text(120, 40);
    assert!(!text.contains("完整号码"), "{text}");
    let file = dir.path().join("人社.xlsx");
    window.tab(4);
    for _ in 0..40 {
        window.key(KeyCode::Backspace);
    }
    window.type_text(&file.display().to_string());
    window.key(KeyCode::F(6));
    let rows = read_xlsx(&file);
    assert_eq!(rows.len(), 1 + 7, "人社 has 7 visits this month: {rows:?}");
    assert!(!rows.iter().any(|r| r.iter().any(|c| *c == ZHANG_ID)));
}

#[test]
fn mistakes_are_said_in_the_dialog_and_a_folder_that_is_not_there_fails_in_words() {
    let m = busy_morning();
    let dir = export_folder();
    let mut desk = dialog(&m, "admin", dir.path());
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Backspace);
    desk.type_text("x");
    desk.key(KeyCode::F(6));
    let text = desk.screen_text(80, 24);
    assert!(
        text.contains("起始日期“2026-11-0x”无法识别，请写成 2026-11-01"),
        "{text}"
    );
    assert!(desk.app.take_requests().is_empty());

    // A fixed name, so that the snapshot shows the message whole.
    desk.app.ctx.export_dir = "/nonexistent-lianfang/台账".into();
    desk.key(KeyCode::Backspace);
    desk.type_text("1");
    desk.key(KeyCode::F(6));
    assert!(matches!(state(&desk), ExportState::Failed(_)));
    snap(&desk, "export_failed", dir.path());
}

/// The real desk runs exports on their own thread: the answer comes back for the request.
#[test]
fn an_export_thread_answers_for_its_request() {
    let m = busy_morning();
    let dir = export_folder();
    let mut desk = dialog(&m, "admin", dir.path());
    let request = start(&mut desk);
    let (tx, rx) = crossbeam_channel::unbounded();
    let (slot, generation) = (request.slot, request.generation);
    spawn_export(m.t.hall.clone(), request, tx).expect("thread");
    let replies: Vec<Reply> = rx.iter().collect();
    let last = replies.last().expect("an answer");
    assert_eq!((last.slot, last.generation), (slot, generation));
    assert_eq!(last.result, Ok(Answer::Exported(11)));
    desk.update(AppEvent::Reply(last.clone()));
    assert!(matches!(state(&desk), ExportState::Done { rows: 11, .. }));
}

#[test]
fn f9_is_listed_on_the_statistics_screen_and_in_its_help() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(7));
    let screen = desk.screen_text(120, 40);
    let keys = screen.lines().last().unwrap_or_default();
    assert!(keys.contains("F9导出台账"), "{keys}");
    desk.key(KeyCode::F(1));
    let help = desk.screen_text(120, 40);
    assert!(help.contains("导出台账"), "{help}");
}
