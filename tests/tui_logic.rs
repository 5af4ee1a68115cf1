//! The desk's state logic without a terminal: focus, validation as typed,
//! stale answers, redraw decisions, and the registration and window flows.

mod tui_support;

use lianfang::domain::matter::{HistoryKind, LegalChannel, Outcome};
use lianfang::hall::{Hall, HallExt, Query};
use lianfang::tui::app::Screen;
use lianfang::tui::event::AppEvent;
use lianfang::tui::jobs::{execute, Reply, Slot};
use lianfang::tui::screens::due::DuePage;
use lianfang::tui::screens::intake::{FormField, IdStatus};
use lianfang::tui::screens::lookup::Page;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

#[test]
fn tab_and_shift_tab_walk_the_form_and_skip_an_attached_matter() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    assert_eq!(desk.app.intake.focus(), FormField::IdNumber);
    // 匿名 is skipped: a walk-in is registered by name.
    desk.tab(9);
    assert_eq!(desk.app.intake.focus(), FormField::Category);
    desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(desk.app.intake.focus(), FormField::Representatives);
    // Enter moves on too; Up moves back.
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.intake.focus(), FormField::Category);
    desk.key(KeyCode::Up);
    assert_eq!(desk.app.intake.focus(), FormField::Representatives);

    // Once attached to an open matter, the matter's own fields are not visited.
    desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    for _ in 0..7 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    assert_eq!(desk.app.intake.focus(), FormField::IdNumber);
    desk.type_text(ZHANG_ID);
    desk.key(KeyCode::F(9));
    assert!(desk.app.intake.attached().is_some());
    desk.tab(7);
    assert_eq!(desk.app.intake.focus(), FormField::Level);
    desk.tab(1);
    assert_eq!(desk.app.intake.focus(), FormField::Representatives);
    desk.tab(1);
    assert_eq!(desk.app.intake.focus(), FormField::Department);
}

#[test]
fn the_identity_number_is_checked_as_it_is_typed() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text("1101051949");
    assert_eq!(desk.app.intake.id_state(), &IdStatus::Partial(10));
    assert_eq!(desk.app.intake.error(FormField::IdNumber), None);
    desk.type_text("1231002X");
    match desk.app.intake.id_state() {
        IdStatus::Valid(info) => {
            assert!(info.contains("1949-12-31"), "{info}");
            assert!(info.contains('女'), "{info}");
            assert!(info.contains("北京市"), "{info}");
        }
        other => panic!("expected a valid number, got {other:?}"),
    }
    // The wrong check character is reported beside the field at once.
    desk.key(KeyCode::Backspace);
    desk.type_text("1");
    let error = desk.app.intake.error(FormField::IdNumber).expect("error");
    assert!(error.contains("校验码"), "{error}");
    // A letter in the middle can never be right: reported before the number is complete.
    desk.ctrl('u');
    desk.type_text("1101a");
    let error = desk.app.intake.error(FormField::IdNumber).expect("error");
    assert!(error.contains("第5位"), "{error}");
    // Cleared: nothing to say.
    desk.ctrl('u');
    assert_eq!(desk.app.intake.id_state(), &IdStatus::Empty);
    assert_eq!(desk.app.intake.error(FormField::IdNumber), None);
}

#[test]
fn saving_an_invalid_form_posts_nothing_and_points_at_the_field() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(&id18("11010819781111002"));
    desk.tab(2);
    desk.type_text("周晓梅");
    desk.app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::F(6),
        KeyModifiers::NONE,
    )));
    assert!(desk.app.take_requests().is_empty());
    assert_eq!(desk.app.intake.focus(), FormField::Place);
    assert!(desk.app.intake.error(FormField::Place).is_some());
}

#[test]
fn a_repeat_visit_is_attached_to_the_open_matter() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(2);
    desk.type_text("张秀英");
    assert!(desk
        .app
        .intake
        .panel
        .hit()
        .is_some_and(|h| h.name == "张秀英"));
    desk.key(KeyCode::F(9));
    let attached = desk.app.intake.attached().expect("attached").clone();
    assert_eq!(attached.matter, m.zhang.matter);
    // The identity document is still read at the counter.
    for _ in 0..2 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    assert_eq!(desk.app.intake.focus(), FormField::IdNumber);
    desk.type_text(ZHANG_ID);
    desk.ctrl('s');
    let screen = desk.screen_text(80, 24);
    let issued = desk
        .app
        .intake
        .issued()
        .unwrap_or_else(|| panic!("no ticket:\n{screen}"));
    assert!(issued.repeat);
    assert_eq!(issued.matter, m.zhang.matter);
    let profile =
        m.t.hall
            .profile(&m.admin, m.zhang.visitor, false)
            .expect("profile");
    assert_eq!(profile.visits.len(), 3);
    assert_eq!(profile.matters.len(), 1, "no duplicate matter was opened");
    // F9 again past the last open matter detaches.
    desk.key(KeyCode::Enter);
    desk.tab(2);
    desk.type_text("张秀英");
    desk.key(KeyCode::F(9));
    assert!(desk.app.intake.attached().is_some());
    desk.key(KeyCode::F(9));
    assert!(desk.app.intake.attached().is_none());
}

#[test]
fn a_stale_lookup_answer_is_dropped() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    // Two keystrokes; neither answer has arrived yet.
    desk.app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
    )));
    let first = desk.app.take_requests();
    desk.app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::Char('x'),
        KeyModifiers::NONE,
    )));
    let second = desk.app.take_requests();
    assert_eq!((first.len(), second.len()), (1, 1));
    let run = |r: &lianfang::tui::jobs::Request| Reply {
        slot: r.slot,
        generation: r.generation,
        result: execute(m.t.hall.as_ref(), r.job.clone()),
    };
    // The newer answer arrives first, then the old one.
    assert!(desk.app.update(AppEvent::Reply(run(&second[0]))));
    let names: Vec<String> = desk
        .app
        .lookup()
        .hits()
        .iter()
        .map(|h| h.name.clone())
        .collect();
    assert_eq!(names, ["张秀英"]);
    assert!(
        !desk.app.update(AppEvent::Reply(run(&first[0]))),
        "stale answer redrew"
    );
    let names: Vec<String> = desk
        .app
        .lookup()
        .hits()
        .iter()
        .map(|h| h.name.clone())
        .collect();
    assert_eq!(names, ["张秀英"], "stale answer replaced the newer one");
}

#[test]
fn nothing_changed_means_no_redraw() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    assert_eq!(desk.app.screen(), Screen::Board);
    // A key nobody uses, a tick whose queue answer is unchanged.
    assert!(!desk.key(KeyCode::F(11)));
    let before = desk.redraws;
    desk.update(AppEvent::Tick);
    desk.settle();
    assert_eq!(desk.redraws, before, "an unchanged queue redrew the board");
    // The waiting minutes moved on: one redraw.
    m.t.minutes(1);
    desk.update(AppEvent::Tick);
    desk.settle();
    assert_eq!(desk.redraws, before + 1);
    // A registration elsewhere reaches the board through the hall's events.
    let text_before = desk.screen_text(120, 40);
    m.t.register(
        &m.admin,
        visit("孙立", &id18("11010119900101001"), "", "mz", "低保申请"),
    );
    desk.settle();
    assert_eq!(desk.redraws, before + 2);
    let text_after = desk.screen_text(120, 40);
    assert_ne!(text_before, text_after);
    assert!(text_after.contains("民政-001"), "{text_after}");
}

#[test]
fn the_window_calls_and_records_an_outcome_with_its_note() {
    let m = busy_morning();
    let mut desk = Desk::logged_in_at(m.t.hall.clone(), "rs1", "人社-1号窗口");
    desk.key(KeyCode::F(4));
    // rs1 still serves 人社-001 from the morning: the window knows after opening.
    assert_eq!(
        desk.app.window().serving().map(|s| s.label.as_str()),
        Some("人社-001")
    );
    desk.key(KeyCode::F(5));
    assert!(desk
        .app
        .ctx
        .notice
        .as_ref()
        .is_some_and(|n| format!("{n:?}").contains("正在接待")));
    desk.key(KeyCode::F(6));
    assert!(desk.app.window().outcome_open());
    // 当场答复 needs a note: refused on screen, nothing sent.
    desk.app.update(AppEvent::Key(KeyEvent::new(
        KeyCode::F(6),
        KeyModifiers::NONE,
    )));
    assert!(desk.app.take_requests().is_empty());
    // The refusal put the caret in the note.
    desk.type_text("已当场答复：工资清欠由劳动监察大队督办");
    desk.key(KeyCode::F(6));
    let screen = desk.screen_text(80, 24);
    assert!(desk.app.window().serving().is_none(), "{screen}");
    let detail = m.t.hall.matter(&m.admin, m.zhang.matter).expect("matter");
    // 张三's matter was accepted in the morning: this reception answered him at the window
    // and left the matter in progress.
    assert_eq!(detail.matter.status.label(), "办理中");
    assert!(matches!(
        &detail.matter.history.last().expect("history").kind,
        HistoryKind::Outcome { outcome: Outcome::AnsweredOnSpot, note }
            if note.contains("劳动监察大队")
    ));
    // The queue moved on: the next call brings 人社-002.
    desk.key(KeyCode::F(5));
    assert_eq!(
        desk.app.window().serving().map(|s| s.label.as_str()),
        Some("人社-002")
    );
}

#[test]
fn lookup_opens_profile_then_matter_and_esc_goes_back() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("2026-000001");
    assert_eq!(desk.app.lookup().hits().len(), 1);
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.lookup().page(), Page::Profile);
    assert!(
        desk.screen_text(80, 24).contains(ZHANG_ID),
        "the profile shows the full number"
    );
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.lookup().page(), Page::Matter);
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.lookup().page(), Page::Profile);
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.lookup().page(), Page::Search);
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.screen(), Screen::Board);
    // Lists never show the full number.
    desk.key(KeyCode::F(3));
    assert!(!desk.screen_text(120, 40).contains(ZHANG_ID));
}

#[test]
fn service_errors_show_in_the_screen() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::F(5));
    desk.key(KeyCode::F(5)); // already serving: the hall refuses in Chinese
    let text = desk.screen_text(80, 24);
    assert!(text.contains("本窗口正在接待"), "{text}");
    let _ = desk.app.update(AppEvent::Tick);
    assert!(desk
        .app
        .take_requests()
        .iter()
        .any(|r| r.slot == Slot::Queue
            && matches!(&r.job, lianfang::tui::jobs::Job::Query(_, Query::Queue))));
}

#[test]
fn ctrl_q_and_ctrl_c_quit() {
    let t = TestHall::staffed();
    let mut desk = Desk::new(t.hall.clone());
    assert!(!desk.app.should_quit());
    desk.ctrl('c');
    assert!(desk.app.should_quit());
    let mut desk = Desk::new(t.hall.clone());
    desk.ctrl('q');
    assert!(desk.app.should_quit());
}

#[test]
fn the_caret_sits_after_wide_characters() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(2);
    desk.type_text("张秀英");
    // Header row, border, then the third field; border + 10-column label, then 6 columns of name.
    let mut terminal = desk.render(80, 24);
    let caret = terminal.get_cursor_position().expect("cursor");
    assert_eq!((caret.x, caret.y), (1 + 10 + 6, 1 + 1 + 2));
    // In the multi-line summary too, after mixed-width text.
    desk.tab(10);
    assert_eq!(desk.app.intake.focus(), FormField::Summary);
    desk.type_text("拖欠3个月");
    let mut terminal = desk.render(80, 24);
    let caret = terminal.get_cursor_position().expect("cursor");
    // 层级 sits beside 来访人数: no row of its own.
    assert_eq!((caret.x, caret.y), (1 + 10 + 9, 1 + 1 + 11));
    // Backspace moves it back by the width of what was deleted.
    desk.key(KeyCode::Backspace);
    let mut terminal = desk.render(80, 24);
    let caret = terminal.get_cursor_position().expect("cursor");
    assert_eq!(caret.x, 1 + 10 + 7);
}

#[test]
fn long_histories_page_with_pgdn() {
    let m = busy_morning();
    let id = id18("21010219580505001");
    let mz = mz_window(&m);
    for day in 0..15 {
        m.t.clock.set(lianfang::domain::time::Timestamp(
            morning().0 - (20 - day) * 86_400,
        ));
        register_received(&m, &mz, visit("郑国庆", &id, "", "mz", "低保资格被取消"));
    }
    m.t.clock.set(morning());
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("郑国庆");
    desk.key(KeyCode::Enter);
    let oldest = "2026-11-07 民政";
    assert!(!desk.screen_text(80, 24).contains(oldest));
    desk.key(KeyCode::PageDown);
    let text = desk.screen_text(80, 24);
    assert!(text.contains(oldest), "{text}");
    desk.key(KeyCode::PageUp);
    assert!(!desk.screen_text(80, 24).contains(oldest));
}

#[test]
fn the_selected_matter_stays_in_view() {
    let m = busy_morning();
    let id = id18("21010219580505001");
    let mz = mz_window(&m);
    for _ in 0..15 {
        register_received(&m, &mz, visit("郑国庆", &id, "", "mz", "低保资格被取消"));
    }
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("郑国庆");
    desk.key(KeyCode::Enter);
    for _ in 0..14 {
        desk.key(KeyCode::Down);
    }
    // The fifteenth matter is selected, below the first screenful: still on screen.
    let text = desk.screen_text(80, 24);
    assert!(text.lines().any(|l| l.starts_with("│>2026-")), "{text}");
}

#[test]
fn skipping_sends_the_ticket_to_the_end_of_the_queue() {
    let m = busy_morning();
    let mut desk = Desk::logged_in_at(m.t.hall.clone(), "rs1", "人社-1号窗口");
    desk.key(KeyCode::F(4));
    assert_eq!(
        desk.app.window().serving().map(|s| s.label.as_str()),
        Some("人社-001")
    );
    desk.key(KeyCode::F(8));
    assert!(desk.app.window().serving().is_none());
    let text = desk.screen_text(80, 24);
    assert!(text.contains("人社-001 已过号"), "{text}");
    // Back at the end of the queue, marked; the narrow column puts flags underneath.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("人社-001 张**"))
        .unwrap_or_else(|| panic!("人社-001 not back in the queue:\n{text}"));
    assert!(lines[at - 2].contains("人社-005"), "{text}");
    assert!(lines[at + 1].contains("重复访×1 过号"), "{text}");
}

#[test]
fn a_second_save_while_the_first_is_in_flight_registers_nothing() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(2);
    desk.type_text("张秀英");
    desk.key(KeyCode::F(9));
    for _ in 0..2 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    desk.type_text(ZHANG_ID);
    let f6 = || AppEvent::Key(KeyEvent::new(KeyCode::F(6), KeyModifiers::NONE));
    desk.app.update(f6());
    desk.app.update(f6());
    let sent = desk.app.take_requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    // The window too: one call at a time.
    let mut window = Desk::logged_in(m.t.hall.clone(), "admin");
    window.key(KeyCode::F(4));
    let f5 = || AppEvent::Key(KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE));
    window.app.update(f5());
    window.app.update(f5());
    assert_eq!(window.app.take_requests().len(), 1);
}

#[test]
fn a_long_queue_says_how_many_more_wait() {
    let m = busy_morning();
    for i in 0..25 {
        let first17 = format!("1101011990010{:02}01", i + 10);
        m.t.register(
            &m.admin,
            visit("钱多多", &id18(&first17), "", "mz", "低保申请"),
        );
    }
    let desk = Desk::logged_in(m.t.hall.clone(), "admin");
    let text = desk.screen_text(80, 24);
    assert!(text.contains("民政局  等候 25 号 25 人"), "{text}");
    assert!(text.contains("号等候"), "{text}");
    let more: u32 = text
        .lines()
        .find_map(|l| l.split("…另有 ").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no overflow line:\n{text}"));
    let shown = text.matches("民政-0").count() as u32;
    assert_eq!(shown + more, 25, "{text}");
}

#[test]
fn after_the_ticket_any_key_gives_a_blank_form() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(2);
    desk.type_text("张秀英");
    desk.key(KeyCode::F(9));
    for _ in 0..2 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    desk.type_text(ZHANG_ID);
    desk.key(KeyCode::F(6));
    assert!(desk.screen_text(80, 24).contains("已取号"));
    // F2 again: the same screen, a new form, drawn.
    assert!(desk.key(KeyCode::F(2)));
    let text = desk.screen_text(80, 24);
    assert!(
        !text.contains("已取号") && !text.contains("张秀英"),
        "{text}"
    );
}

#[test]
fn forwarding_names_the_target_department() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::F(5));
    let matter = desk.app.window().serving().expect("serving").matter;
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Right); // 受理
    desk.key(KeyCode::Right); // 转送
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Right); // 公安局 → 人力资源和社会保障局
    desk.key(KeyCode::Tab);
    desk.type_text("属劳动保障事项，转人社处理");
    desk.key(KeyCode::F(6));
    assert!(desk.app.window().serving().is_none());
    let detail = m.t.hall.matter(&m.admin, matter).expect("matter");
    assert_eq!(detail.matter.status.label(), "已转送");
    assert_eq!(detail.matter.department.as_str(), "rs");
}

#[test]
fn guiding_to_a_legal_channel_names_the_channel() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::F(5));
    let matter = desk.app.window().serving().expect("serving").matter;
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Left); // wraps to 导入法定途径
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Right); // 诉讼 → 仲裁
    desk.key(KeyCode::Tab);
    desk.type_text("劳动争议，告知申请劳动仲裁");
    desk.key(KeyCode::F(6));
    let detail = m.t.hall.matter(&m.admin, matter).expect("matter");
    let last = detail.matter.history.last().expect("history");
    assert!(
        matches!(
            &last.kind,
            HistoryKind::Outcome {
                outcome: Outcome::LegalChannel(LegalChannel::Arbitration),
                ..
            }
        ),
        "{:?}",
        last.kind
    );
}

#[test]
fn a_gap_in_hall_events_refreshes_what_is_shown() {
    use lianfang::hall::{Event, EventKind};
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    let event = |seq| {
        AppEvent::Hall(Event {
            seq,
            kind: EventKind::OfficersChanged,
        })
    };
    desk.app.update(event(100));
    desk.app.update(event(101));
    assert!(
        desk.app.take_requests().is_empty(),
        "no gap, nothing to refresh"
    );
    desk.app.update(event(105));
    let slots: Vec<Slot> = desk.app.take_requests().iter().map(|r| r.slot).collect();
    assert!(
        slots.contains(&Slot::Queue) && slots.contains(&Slot::Lookup),
        "{slots:?}"
    );
    // The stream ending is said on screen.
    assert!(desk.update(AppEvent::HallEventsEnded));
    assert!(desk.screen_text(80, 24).contains("实时连接已断开"));
}

#[test]
fn a_lost_server_link_shows_a_banner_until_it_is_back_and_keeps_the_form() {
    use lianfang::hall::{Event, EventKind};
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text("张秀英");
    let link = |online| {
        AppEvent::Hall(Event {
            seq: 0,
            kind: EventKind::Connection { online },
        })
    };
    assert!(desk.update(link(false)));
    let text = desk.screen_text(80, 24);
    assert!(text.contains("与服务器断开"), "{text}");
    assert!(text.contains("张秀英"), "what was typed stays: {text}");
    assert!(desk.update(link(true)));
    let text = desk.screen_text(80, 24);
    assert!(!text.contains("与服务器断开"), "{text}");
    assert!(text.contains("张秀英"), "{text}");
    let slots: Vec<Slot> = desk.app.take_requests().iter().map(|r| r.slot).collect();
    assert!(
        slots.contains(&Slot::Queue),
        "back online refreshes: {slots:?}"
    );
}

#[test]
fn the_due_list_shows_the_department_and_leaders_switch_to_the_hall() {
    let m = deadlines_due();
    // A window officer of 人社 sees 人社's matters only, and cannot widen the list.
    let mut rs = Desk::logged_in(m.t.hall.clone(), "rs1");
    rs.key(KeyCode::F(12));
    assert_eq!(rs.app.screen(), Screen::Due);
    assert!(!rs.app.due().hall_wide());
    let depts: Vec<String> = rs
        .app
        .due()
        .list()
        .iter()
        .map(|b| b.department.to_string())
        .collect();
    assert!(
        !depts.is_empty() && depts.iter().all(|d| *d == "rs"),
        "{depts:?}"
    );
    rs.key(KeyCode::Tab);
    assert!(!rs.app.due().hall_wide());
    assert!(!rs.screen_text(80, 24).contains("Tab"));

    // The administrator starts with the whole hall, most overdue first, and switches with Tab.
    let mut admin = Desk::logged_in(m.t.hall.clone(), "admin");
    admin.key(KeyCode::F(12));
    assert!(admin.app.due().hall_wide());
    let hall: Vec<i64> = admin
        .app
        .due()
        .list()
        .iter()
        .map(|b| b.deadline.as_ref().map_or(i64::MAX, |d| d.days_left))
        .collect();
    assert!(hall.windows(2).all(|w| w[0] <= w[1]), "{hall:?}");
    assert_eq!(hall.first(), Some(&-56));
    assert!(hall.len() > depts.len());
    admin.key(KeyCode::Tab);
    assert!(!admin.app.due().hall_wide());
    assert!(admin
        .app
        .due()
        .list()
        .iter()
        .all(|b| b.department.as_str() == "xfj"));
    assert!(admin
        .screen_text(120, 40)
        .contains("超期和临期事项 · 本部门"));
}

#[test]
fn enter_opens_a_due_matter_and_esc_goes_back_to_the_list() {
    let m = deadlines_due();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(12));
    desk.key(KeyCode::Down);
    let second = desk.app.due().list()[1].number.clone();
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.due().page(), DuePage::Matter);
    let text = desk.screen_text(120, 40);
    assert!(text.contains(&format!("事项 {second}")), "{text}");
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.due().page(), DuePage::List);
    assert_eq!(desk.app.screen(), Screen::Due);
    // A second Esc goes home, as on every screen.
    desk.key(KeyCode::Esc);
    assert_eq!(desk.app.screen(), Screen::Board);
}

#[test]
fn the_login_banner_counts_what_is_due_until_the_list_is_opened() {
    let m = deadlines_due();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "rs1");
    let banner = desk.app.due_banner().expect("banner");
    // 人社: 吴晓燕's matter is 25 days late; four of this morning's are due tomorrow.
    assert!(banner.contains("本部门"), "{banner}");
    assert!(banner.contains("超期 1 件"), "{banner}");
    assert!(banner.contains("临期预警 4 件"), "{banner}");
    assert!(desk.screen_text(80, 24).contains("期限提醒"));
    desk.key(KeyCode::F(12));
    assert_eq!(desk.app.due_banner(), None);
    assert!(!desk.screen_text(80, 24).contains("期限提醒"));

    // Nothing due: no banner at all.
    let quiet = busy_morning();
    let desk = Desk::logged_in(quiet.t.hall.clone(), "rs1");
    assert_eq!(desk.app.due_banner(), None);
    assert!(!desk.screen_text(80, 24).contains("期限提醒"));
}

#[test]
fn the_login_banner_warns_when_the_holiday_file_misses_the_year() {
    // The shipped holiday file lists 2025 and 2026; the morning is in November 2026.
    let m = busy_morning();
    let desk = Desk::logged_in(m.t.hall.clone(), "admin");
    assert!(!desk.screen_text(120, 40).contains("holidays.toml"));
    // Eight weeks later it is 2027: the banner says the calendar must be updated.
    m.t.minutes(55 * 24 * 60);
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    let lines = desk.app.banner_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("缺 2027 年"), "{lines:?}");
    assert!(desk.screen_text(120, 40).contains("holidays.toml"));
    desk.key(KeyCode::F(12));
    assert!(desk.app.banner_lines().is_empty());
}

#[test]
fn a_change_to_a_listed_matter_refreshes_the_due_list() {
    let m = deadlines_due();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(12));
    let before = desk.app.due().list().len();
    let late = desk.app.due().list()[0].id;
    // 住建 finally routes the 严重超期 matter: it leaves the list without a key press.
    let rs = m.t.login("admin", "信访-2号窗口");
    Hall::command(
        m.t.hall.as_ref(),
        &rs,
        lianfang::hall::Command::Route {
            matter: late,
            to: lianfang::domain::department::DeptCode::new("ga"),
            assigned: false,
            reason: "属公安职责".into(),
        },
    )
    .expect("route");
    desk.settle();
    assert!(desk.app.due().list().iter().all(|b| b.id != late));
    assert_eq!(desk.app.due().list().len(), before - 1);
}

#[test]
fn the_intake_form_shows_the_ticket_a_waiting_visitor_already_holds() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    // 陈静 waits at 信访局 with 信访-001 and is registered there again.
    desk.type_text(&id18("44030419920808004"));
    desk.tab(2);
    desk.type_text("陈静");
    desk.tab(9);
    desk.type_text("东城区");
    desk.tab(1);
    desk.type_text("村委会账目仍未公开");
    desk.key(KeyCode::F(6));
    let text = desk.screen_text(120, 40);
    assert!(text.contains("已持有信访局的 信访-001 号"), "{text}");
    assert_eq!(desk.app.screen(), Screen::Intake);
    // The form is kept, so the officer can send the visitor to another department instead.
    assert!(text.contains("村委会账目仍未公开"), "{text}");
}

/// The intake form with 张秀英's number, 劳动社保 and 东城区: her wage matter's class and place.
fn intake_with_wage_class_and_place(m: &Morning) -> Desk {
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(ZHANG_ID);
    desk.tab(2);
    desk.type_text("张秀英");
    desk.tab(8);
    assert_eq!(desk.app.intake.focus(), FormField::ContentClass);
    desk.key(KeyCode::Right); // 城乡建设 → 劳动社保
    desk.tab(1);
    desk.type_text("东城区");
    desk
}

#[test]
fn the_intake_panel_proposes_repeat_candidates_and_f7_confirms_one() {
    let m = busy_morning();
    let mut desk = intake_with_wage_class_and_place(&m);
    let text = desk.screen_text(120, 40);
    assert!(text.contains("发现 1 件可能重复的事项"), "{text}");
    assert!(text.contains("2026-000001 人社 办理中 可能重复"), "{text}");
    desk.key(KeyCode::F(9));
    assert_eq!(
        desk.app.intake.attached().map(|a| a.matter),
        Some(m.zhang.matter)
    );
    // Another place: no candidate any more.
    desk.key(KeyCode::F(9)); // detach
    for _ in 0..4 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    assert_eq!(desk.app.intake.focus(), FormField::Place);
    desk.key(KeyCode::Backspace);
    let text = desk.screen_text(120, 40);
    assert!(!text.contains("可能重复"), "{text}");
}

#[test]
fn saving_without_confirming_a_candidate_registers_a_new_matter() {
    let m = busy_morning();
    let mut desk = intake_with_wage_class_and_place(&m);
    desk.tab(1);
    desk.type_text("另一家公司也拖欠工资");
    desk.key(KeyCode::F(6));
    let text = desk.screen_text(120, 40);
    assert!(text.contains("新立事项"), "{text}");
    assert!(!text.contains("2026-000001，"), "{text}");
}

#[test]
fn a_display_account_logs_in_without_a_deadline_query_or_error() {
    let m = deadlines_due();
    m.t.hall
        .add_officer_direct(&officer(
            "wall",
            "大屏",
            lianfang::domain::officer::Role::Display,
            "xfj",
        ))
        .expect("officer");
    let desk = Desk::logged_in(m.t.hall.clone(), "wall");
    assert_eq!(desk.app.screen(), Screen::Board);
    assert_eq!(desk.app.due_banner(), None);
    let text = desk.screen_text(80, 24);
    assert!(!text.contains("不能"), "{text}");
}

/// From the form's category to its department, choosing `rights` steps right at the category.
fn walk_matter_fields(desk: &mut Desk, rights: usize) -> Vec<FormField> {
    let mut seen = Vec::new();
    desk.key(KeyCode::Home);
    for _ in 0..rights {
        desk.key(KeyCode::Right);
    }
    while desk.app.intake.focus() != FormField::Department {
        desk.key(KeyCode::Tab);
        seen.push(desk.app.intake.focus());
    }
    seen
}

#[test]
fn an_accusation_is_registered_with_whom_it_accuses() {
    let m = busy_morning();
    let config = m.t.hall.config().clone();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(&id18("11010819781111002"));
    desk.tab(2);
    desk.type_text("周晓梅");
    desk.tab(7);
    assert_eq!(desk.app.intake.focus(), FormField::Category);

    // The accused is asked of a 检举控告类 matter only (建议意见类 → 检举控告类 → 申诉求决类).
    use FormField as F;
    let plain = [
        F::ContentClass,
        F::Place,
        F::Summary,
        F::Demands,
        F::LowerBody,
        F::Department,
    ];
    assert_eq!(walk_matter_fields(&mut desk, 2), plain);
    desk.tab(10); // round to the category again
    assert_eq!(desk.app.intake.focus(), FormField::Category);
    let asked = walk_matter_fields(&mut desk, 1);
    assert_eq!(
        asked,
        [
            F::ContentClass,
            F::Place,
            F::Summary,
            F::Demands,
            F::Accused,
            F::AccusedDepartment,
            F::LowerBody,
            F::Department
        ]
    );

    // Fill the matter in, naming 人社 as the accused unit's department, sent to 纪委监委.
    desk.key(KeyCode::End); // 纪委监委, the last department of the config
    for _ in 0..7 {
        desk.press(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    assert_eq!(desk.app.intake.focus(), FormField::ContentClass);
    let class = config
        .content_classes
        .iter()
        .position(|c| c == "纪检监察")
        .expect("the embedded config has 纪检监察");
    desk.key(KeyCode::Home);
    for _ in 0..class {
        desk.key(KeyCode::Right);
    }
    desk.tab(1);
    desk.type_text("东城区");
    desk.tab(1);
    desk.type_text("举报某科长收受礼金");
    desk.tab(2);
    assert_eq!(desk.app.intake.focus(), FormField::Accused);
    desk.type_text("人社某科长");
    desk.tab(1);
    let rs = config
        .departments
        .iter()
        .position(|d| d.code.as_str() == "rs")
        .expect("the embedded config has 人社");
    for _ in 0..=rs {
        desk.key(KeyCode::Right); // past 不详
    }
    desk.key(KeyCode::F(6));
    let screen = desk.screen_text(100, 30);
    let issued = desk
        .app
        .intake
        .issued()
        .unwrap_or_else(|| panic!("no ticket:\n{screen}"))
        .clone();
    let accused =
        m.t.hall
            .matter(&m.admin, issued.matter)
            .expect("admin sees it");
    let accused = accused.matter.accused.expect("the accused is recorded");
    assert_eq!(accused.party, "人社某科长");
    assert_eq!(
        accused.department.map(|d| d.as_str().to_string()),
        Some("rs".into())
    );

    // The administrator's matter detail names the accused and the unit's department.
    desk.key(KeyCode::F(3));
    desk.type_text("周晓梅");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    let screen = desk.screen_text(120, 40);
    assert!(screen.contains("被反映人 人社某科长"), "{screen}");
    assert!(screen.contains("所属部门 人社"), "{screen}");
}

#[test]
fn an_anonymous_letter_sends_no_personal_field_typed_before_it_was_ticked() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(2);
    desk.type_text("王小明"); // typed, then the letter turns out anonymous
    desk.tab(3);
    assert_eq!(desk.app.intake.focus(), FormField::Channel);
    desk.key(KeyCode::Right); // 来信
    desk.tab(1);
    assert_eq!(desk.app.intake.focus(), FormField::Anonymous);
    desk.key(KeyCode::Char(' '));
    let text = desk.screen_text(80, 24);
    assert!(
        !text.contains("无证件") && !text.contains("王小明"),
        "{text}"
    );
    desk.tab(6);
    assert_eq!(desk.app.intake.focus(), FormField::Place);
    desk.type_text("东城区");
    desk.tab(1);
    desk.type_text("匿名反映某小区违建");
    desk.key(KeyCode::F(6));
    let issued = desk.app.intake.issued().expect("registered").clone();
    let visitor = m.t.hall.profile(&m.admin, issued.visitor, false).unwrap();
    assert_eq!(visitor.card.name, "匿名");
    assert!(visitor.visits[0].anonymous);
    // Found by its matter number only; the profile and its visit say 匿名.
    desk.key(KeyCode::F(3));
    desk.type_text(&issued.matter_number);
    desk.key(KeyCode::Enter);
    let text = desk.screen_text(120, 40);
    assert!(text.contains("匿名来信来电，未登记身份"), "{text}");
    assert!(
        text.contains("来信 1人") && text.contains(" 匿名"),
        "{text}"
    );
}

#[test]
fn the_evaluation_form_of_an_unanswered_matter_says_why_and_sends_nothing() {
    use lianfang::tui::screens::evaluation::Mode;
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::F(8));
    let form = desk
        .app
        .lookup()
        .matter
        .evaluation()
        .expect("the form opens");
    assert!(matches!(form.mode(), Mode::Closed(why) if why.contains("还没有书面答复")));
    desk.update(AppEvent::Key(KeyEvent::new(
        KeyCode::F(6),
        KeyModifiers::NONE,
    )));
    assert!(desk.app.take_requests().is_empty());
    assert!(m
        .t
        .hall
        .matter(&m.admin, m.zhang.matter)
        .unwrap()
        .matter
        .evaluations
        .is_empty());
    desk.key(KeyCode::Esc);
    assert!(desk.app.lookup().matter.evaluation().is_none());
    assert_eq!(desk.app.lookup().page(), Page::Matter);
}

#[test]
fn f7_opens_the_statistics_even_from_the_intake_form_and_arrows_step_the_period() {
    use lianfang::domain::stats::period::PeriodKind;
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text("张");
    desk.key(KeyCode::F(7));
    assert_eq!(desk.app.screen(), Screen::Stats);
    let month = desk.app.stats().period();
    assert_eq!(
        (month.kind, month.from),
        (PeriodKind::Month, date(2026, 11, 1))
    );
    desk.key(KeyCode::Left);
    assert_eq!(desk.app.stats().period().from, date(2026, 10, 1));
    desk.key(KeyCode::Tab);
    let quarter = desk.app.stats().period();
    assert_eq!(quarter.kind, PeriodKind::Quarter);
    assert_eq!(
        (quarter.from, quarter.to),
        (date(2026, 10, 1), date(2026, 12, 31))
    );
    desk.key(KeyCode::F(2));
    assert_eq!(desk.app.screen(), Screen::Intake);
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Ctrl-A at the window acts on the matter being served, as from the lookup: the panel
/// lists what this officer may do now, and an action taken there is recorded.
#[test]
fn the_window_offers_the_action_panel_on_the_matter_served() {
    let m = busy_morning();
    let mut desk = Desk::logged_in_at(m.t.hall.clone(), "rs1", "人社-1号窗口");
    desk.key(KeyCode::F(4));
    desk.settle();
    assert!(desk.screen_text(120, 40).contains("Ctrl-A办理"));
    desk.ctrl('a');
    // rs1 may answer the accepted matter in writing, or record a 回访.
    let panel = desk.screen_text(120, 40);
    assert!(panel.contains("办理 2026-000001"), "{panel}");
    assert!(
        panel.contains(">办结答复") && panel.contains(" 回访"),
        "{panel}"
    );
    desk.key(KeyCode::Down);
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Tab);
    desk.type_text("电话回访，信访人已收到部分工资");
    desk.key(KeyCode::F(6));
    desk.settle();
    let history = m.t.hall.matter(&m.admin, m.zhang.matter).expect("matter");
    let recorded = format!("{:?}", history.matter.history.last().expect("history"));
    assert!(
        recorded.contains("电话回访，信访人已收到部分工资"),
        "{recorded}"
    );
    // The panel closed; the window is still serving, F6 records the outcome as before.
    assert!(!desk.screen_text(120, 40).contains("办理 2026-000001"));
    desk.key(KeyCode::F(6));
    assert!(desk.app.window().outcome_open());
}
