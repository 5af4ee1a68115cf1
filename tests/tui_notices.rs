//! The notice preview of an opened matter at the desk (F9 on the matter page): the kind it
//! opens on, choosing another, a refusal in the preview, saving the file, going back; and
//! reviewed snapshots at 80×24 and 120×40.

mod tui_support;

use lianfang::tui::screens::due::DuePage;
use lianfang::tui::screens::lookup::Page;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// 张秀英's accepted matter opened from the lookup, as an administrator.
fn matter_page(m: &Morning) -> Desk {
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.lookup().page(), Page::Matter);
    desk
}

fn snap(desk: &Desk, name: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text_of(&desk.render(w, h)));
    }
}

#[test]
fn the_preview_opens_on_the_acceptance_notice() {
    let m = busy_morning();
    let mut desk = matter_page(&m);
    assert!(desk.screen_text(80, 24).contains("F9告知书"));
    desk.key(KeyCode::F(9));
    snap(&desk, "notice_accept");
}

#[test]
fn another_kind_is_refused_in_the_preview_and_esc_goes_back_to_the_matter() {
    let m = busy_morning();
    let mut desk = matter_page(&m);
    desk.key(KeyCode::F(9));
    // 受理告知书 → 不予受理告知书: the matter was accepted, so the hall says why not.
    desk.key(KeyCode::Right);
    let screen = desk.screen_text(120, 40);
    assert!(
        screen.contains("没有作出不予受理的决定，不能出具不予受理告知书"),
        "{screen}"
    );
    assert!(!screen.contains("F6保存为文件"), "{screen}");
    snap(&desk, "notice_refused");
    // ← twice wraps round to the last kind.
    desk.key(KeyCode::Left);
    desk.key(KeyCode::Left);
    assert!(desk.screen_text(120, 40).contains("尚未办结答复"));
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.lookup().page(), Page::Matter);
    assert!(!desk.screen_text(120, 40).contains("告知书 · 事项"));
}

#[test]
fn f6_writes_the_notice_and_names_the_file() {
    let m = busy_morning();
    let mut desk = matter_page(&m);
    let dir = tempfile::tempdir().unwrap();
    desk.app.ctx.notice_dir = dir.path().join("告知书");
    desk.key(KeyCode::F(9));
    desk.key(KeyCode::F(6));
    let file = dir.path().join("告知书").join("2026-000001-受理告知书.txt");
    let text = std::fs::read_to_string(&file).expect("the notice is written");
    assert!(
        text.contains("张秀英：") && text.contains("依法受理"),
        "{text}"
    );
    let screen = desk.screen_text(200, 40);
    assert!(screen.contains("受理告知书已保存为"), "{screen}");
    assert!(screen.contains("2026-000001-受理告知书.txt"), "{screen}");
    // PgDn moves the text: the title line leaves the view.
    let before = desk.screen_text(80, 24);
    desk.key(KeyCode::PageDown);
    assert_ne!(desk.screen_text(80, 24), before);
}

/// A matter opened from the deadlines screen (F12) offers the same tools as one opened
/// from the lookup: the notice preview (F9) and the evaluation form (F8).
#[test]
fn a_matter_opened_from_the_deadlines_screen_has_the_same_tools() {
    let m = deadlines_due();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(12));
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.due().page(), DuePage::Matter);
    desk.key(KeyCode::F(9));
    let preview = desk.screen_text(120, 40);
    assert!(preview.contains("告知书 · 事项"), "{preview}");
    desk.key(KeyCode::Esc);
    assert!(!desk.screen_text(120, 40).contains("告知书 · 事项"));
    assert_eq!(desk.app.due().page(), DuePage::Matter);
    desk.key(KeyCode::F(8));
    assert!(desk.app.due().matter.evaluation().is_some());
    desk.key(KeyCode::Esc);
    assert!(desk.app.due().matter.evaluation().is_none());
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.due().page(), DuePage::List);
}
