//! Every desk screen rendered into a `TestBackend` at 80×24 and 120×40 with
//! Chinese data, compared with reviewed snapshots.

mod tui_support;

use lianfang::domain::lifecycle::Transition;
use lianfang::domain::officer::Role;
use lianfang::domain::oversight::{FollowUp, FollowUpWay, Oversight};
use lianfang::domain::registration::MatterChoice;
use lianfang::hall::HallExt;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn snap(desk: &Desk, name: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut terminal = desk.render(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text_of(&terminal));
        // The caret must be on screen wherever the field is.
        let p = terminal.get_cursor_position().expect("cursor");
        assert!(p.x < w && p.y < h, "{name}: cursor {p:?} off screen");
    }
}

#[test]
fn first_run_setup() {
    let t = TestHall::empty();
    let mut desk = Desk::new(t.hall.clone());
    desk.type_text("admin");
    desk.key(KeyCode::Tab);
    desk.type_text("王主任");
    desk.key(KeyCode::Tab);
    desk.type_text("12345678");
    desk.key(KeyCode::Tab);
    desk.type_text("1234");
    desk.key(KeyCode::F(6));
    snap(&desk, "setup_mismatch");
}

#[test]
fn login_with_error() {
    let t = TestHall::staffed();
    let mut desk = Desk::new(t.hall.clone());
    desk.type_text("rs1");
    desk.key(KeyCode::Enter);
    desk.type_text("wrong");
    desk.key(KeyCode::Enter);
    snap(&desk, "login_refused");
}

#[test]
fn login_lists_demo_accounts() {
    let t = TestHall::demo();
    let desk = Desk::new(t.hall.clone());
    snap(&desk, "login_demo");
}

#[test]
fn queue_board_with_ascii_borders() {
    let m = busy_morning();
    let mut desk = Desk::with_options(m.t.hall.clone(), "", true);
    desk.type_text("admin");
    desk.key(KeyCode::Enter);
    desk.type_text(PASSWORD);
    desk.key(KeyCode::Enter);
    let text = desk.screen_text(80, 24);
    insta::assert_snapshot!("board_ascii_80x24", text);
    assert!(!text.contains('│') && !text.contains('─'), "{text}");
}

#[test]
fn every_screen_survives_tiny_terminals() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    let sizes = [(1, 1), (10, 3), (30, 8), (50, 12), (79, 23)];
    let steps: [&[KeyCode]; 7] = [
        &[KeyCode::F(10)],
        &[KeyCode::F(2), KeyCode::Char('1'), KeyCode::F(6)],
        &[KeyCode::F(4), KeyCode::F(5), KeyCode::F(6)],
        &[KeyCode::F(1)],
        &[
            KeyCode::Esc,
            KeyCode::Esc,
            KeyCode::F(3),
            KeyCode::Char('z'),
        ],
        &[KeyCode::Enter],
        &[KeyCode::Enter],
    ];
    for keys in steps {
        for k in keys {
            desk.key(*k);
        }
        for (w, h) in sizes {
            // Drawing must not panic, whatever the size.
            desk.render(w, h);
        }
    }
}

#[test]
fn queue_board() {
    let m = busy_morning();
    let desk = Desk::logged_in(m.t.hall.clone(), "admin");
    snap(&desk, "board");
}

#[test]
fn intake_form_with_errors() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text("11010519491231002");
    desk.type_text("1"); // wrong check character
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Tab);
    desk.type_text("刘");
    desk.key(KeyCode::Tab);
    desk.type_text("12345");
    desk.key(KeyCode::Tab);
    snap(&desk, "intake_errors");
}

#[test]
fn intake_form_with_repeat_visitor() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(ZHANG_ID);
    desk.key(KeyCode::F(9));
    snap(&desk, "intake_repeat");
}

#[test]
fn intake_ticket_issued() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(&id18("11010819781111002"));
    desk.tab(2);
    desk.type_text("周晓梅");
    desk.tab(1);
    desk.type_text("13700002222");
    desk.tab(1);
    desk.type_text("海淀区学院路 12 号");
    desk.tab(5); // channel, headcount, representatives, level, category
    desk.key(KeyCode::Right); // 检举控告类 → 申诉求决类
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Tab);
    for _ in 0..5 {
        desk.key(KeyCode::Right); // 城乡建设 … 教育
    }
    desk.key(KeyCode::Tab);
    desk.type_text("海淀区");
    desk.tab(1);
    desk.type_text("孩子入学申请被退回，学校未说明理由");
    desk.key(KeyCode::F(6));
    snap(&desk, "intake_ticket");
}

#[test]
fn intake_form_for_an_accusation() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(9);
    desk.key(KeyCode::Right); // 检举控告类: the accused party is asked
    desk.tab(1);
    desk.key(KeyCode::End);
    desk.tab(1);
    desk.type_text("东城区");
    desk.tab(1);
    desk.type_text("举报某科长收受礼金");
    desk.tab(2);
    desk.type_text("人社某科长");
    desk.tab(1);
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Right); // 不详 → 信访局 → 公安局 → 人社
    desk.tab(2); // the lower level's body, then the department
    desk.key(KeyCode::End); // 纪委监委
    desk.key(KeyCode::Up);
    desk.key(KeyCode::Up);
    snap(&desk, "intake_accusation");
}

#[test]
fn department_window_serving_with_outcome_form() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(4));
    snap(&desk, "window_idle");
    desk.key(KeyCode::F(5));
    snap(&desk, "window_serving");
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::Right); // 受理 → next is 转送 after one more
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::F(6));
    snap(&desk, "window_outcome_error");
}

#[test]
fn lookup_profile_and_matter() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    snap(&desk, "lookup_results");
    desk.key(KeyCode::Enter);
    snap(&desk, "lookup_profile");
    desk.key(KeyCode::Enter);
    snap(&desk, "lookup_matter");
}

#[test]
fn profile_and_matter_detail_with_an_overdue_deadline() {
    let m = busy_morning();
    // 张秀英's matter was accepted on 11-20: its 60 days ended on 2027-01-19.
    m.t.minutes(55 * 24 * 60);
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    desk.key(KeyCode::Enter);
    snap(&desk, "lookup_profile_overdue");
    desk.key(KeyCode::Enter);
    snap(&desk, "lookup_matter_overdue");
}

#[test]
fn help_overlay() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(4));
    desk.key(KeyCode::F(1));
    snap(&desk, "help_window");
}

#[test]
fn due_list_with_banner_and_matter() {
    let m = deadlines_due();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    snap(&desk, "due_banner");
    desk.key(KeyCode::F(12));
    snap(&desk, "due_hall");
    desk.key(KeyCode::Enter);
    snap(&desk, "due_matter");
}

#[test]
fn intake_on_a_final_matter_warns_not_accepted_again() {
    let m = busy_morning();
    // 张秀英's wage matter has been through 复查 and 复核: 终结.
    for step in [
        Transition::Reply,
        Transition::RequestReview,
        Transition::StartReview,
        Transition::AnswerReview,
        Transition::RequestRecheck,
        Transition::StartRecheck,
        Transition::AnswerRecheck,
    ] {
        m.t.hall
            .step(&m.admin, m.zhang.matter, step, "")
            .expect("step");
    }
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.type_text(ZHANG_ID);
    desk.key(KeyCode::F(9));
    snap(&desk, "intake_final_matter");
    desk.key(KeyCode::F(6));
    snap(&desk, "intake_not_accepted_again");
}

#[test]
fn a_key_persons_profile_says_who_graded_them_when_and_why() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("欧阳建国");
    snap(&desk, "lookup_key_person_hit");
    desk.key(KeyCode::Enter);
    snap(&desk, "lookup_key_person");
}

#[test]
fn intake_form_for_an_anonymous_letter_pending_at_a_lower_level() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(2));
    desk.tab(5);
    desk.key(KeyCode::Right); // 走访 → 来信: 匿名 is offered beside it
    desk.tab(1);
    desk.key(KeyCode::Char(' ')); // the personal fields go
    desk.tab(2);
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Right); // 本级 → 到市 → 到省
    desk.tab(4); // representatives, category, content class, place
    desk.type_text("东城区");
    desk.tab(1);
    desk.type_text("匿名反映某小区违建");
    desk.tab(2); // demands, the lower level
    desk.type_text("东城区住建委");
    desk.tab(1);
    desk.type_text("2026-12-20");
    snap(&desk, "intake_anonymous_lower_level");
    desk.key(KeyCode::F(6));
    snap(&desk, "intake_anonymous_lower_level_ticket");
}

#[test]
fn evaluation_form_from_the_opened_matter() {
    let m = busy_morning();
    m.t.hall
        .step(&m.admin, m.zhang.matter, Transition::Reply, "已书面答复")
        .expect("reply");
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::F(8));
    desk.key(KeyCode::Right);
    desk.key(KeyCode::Right); // 满意 → 基本满意 → 不满意
    desk.tab(1);
    desk.type_text("认为补发金额偏少");
    snap(&desk, "evaluation_record");
    desk.key(KeyCode::F(6));
    desk.key(KeyCode::F(8));
    desk.key(KeyCode::F(6)); // no reason yet
    snap(&desk, "evaluation_send");
}

/// A leader of the 信访局 opens 张秀英's matter: the panel lists only what a leader outside
/// 人社 may do; a 督办 dated in the past is refused in the form; then 督办, 包案 and 批示 are
/// taken from the desk and a 回访 recorded, and the matter's detail shows them all.
#[test]
fn matter_actions_panel_form_error_and_oversight_in_the_detail() {
    let m = busy_morning();
    m.t.hall
        .add_officer_direct(&officer("ld1", "刘局长", Role::Leader, "xfj"))
        .expect("leader");
    let mut desk = Desk::logged_in(m.t.hall.clone(), "ld1");
    desk.key(KeyCode::F(3));
    desk.type_text("zxy");
    desk.key(KeyCode::Enter);
    desk.key(KeyCode::Enter);
    desk.ctrl('a');
    snap(&desk, "matter_actions_panel");

    // 督办 with a date already past: the service's refusal shows in the form.
    desk.key(KeyCode::Enter);
    desk.type_text("2026-11-20");
    desk.key(KeyCode::Tab);
    desk.type_text("月底前办结并报告");
    desk.key(KeyCode::F(6));
    snap(&desk, "matter_action_form_error");

    // Corrected, it is recorded and the panel closes.
    desk.key(KeyCode::BackTab);
    for _ in 0..2 {
        desk.key(KeyCode::Backspace);
    }
    desk.type_text("30");
    desk.key(KeyCode::F(6));
    // Now offered: 督办, 解除督办, 领导批示, 领导包案, 回访.
    for (below, text) in [(2, "请人社局十日内拿出解决方案"), (3, "")] {
        desk.ctrl('a');
        for _ in 0..below {
            desk.key(KeyCode::Down);
        }
        desk.key(KeyCode::Enter);
        desk.type_text(text);
        desk.key(KeyCode::F(6));
    }
    m.t.hall
        .oversee(
            &m.admin,
            m.zhang.matter,
            Oversight::FollowUp(FollowUp {
                way: FollowUpWay::Phone,
                on: today(),
                result: "信访人称已收到部分欠薪".into(),
            }),
        )
        .expect("follow-up");
    desk.settle();
    snap(&desk, "matter_oversight_detail");
    // Listed under 督办 on the deadlines screen (Ctrl-D) until cleared.
    desk.key(KeyCode::F(12));
    desk.ctrl('d');
    snap(&desk, "due_supervised");
    // 包案 shows beside the visitor in the lookup at every width.
    let mut fresh = Desk::logged_in(m.t.hall.clone(), "admin");
    fresh.key(KeyCode::F(3));
    fresh.type_text("zxy");
    for (width, height, marker) in [(80, 24, "〔包案〕"), (120, 40, "〔包案 刘局长〕")] {
        let text = fresh.screen_text(width, height);
        let line = text
            .lines()
            .find(|l| l.contains("张秀英"))
            .unwrap_or_default();
        assert!(line.contains(marker), "{text}");
    }
}

/// The deadline tier of a waiting ticket's matter shows on the queue board and beside the
/// visitor in the lookup's results.
#[test]
fn the_tier_marker_shows_in_the_queue_and_the_lookup() {
    let m = busy_morning();
    // 16 days on, the matters registered this morning are past their 15-day route
    // limit; 王建军 comes back about his and waits with today's ticket.
    m.t.minutes(16 * 24 * 60);
    let wang = m.t.hall.lookup(&m.admin, "王建军", 1).expect("lookup")[0].visitor;
    let profile = m.t.hall.profile(&m.admin, wang, false).expect("profile");
    let mut again = visit(
        "王建军",
        &id18("13010219750606001"),
        "13611112222",
        "rs",
        "",
    );
    again.matter = MatterChoice::Attach(profile.matters[0].id);
    m.t.register(&m.admin, again);
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    let board = desk.screen_text(120, 40);
    assert!(board.contains("〔超期〕"), "{board}");
    desk.key(KeyCode::F(3));
    desk.type_text("wjj");
    let lookup = desk.screen_text(80, 24);
    let line = lookup
        .lines()
        .find(|l| l.contains("王建军"))
        .unwrap_or_default();
    assert!(line.contains("〔超期〕"), "{lookup}");
}

#[test]
fn statistics_of_the_month_and_the_daily_report() {
    let m = busy_morning();
    let mut desk = Desk::logged_in(m.t.hall.clone(), "admin");
    desk.key(KeyCode::F(7));
    snap(&desk, "stats_month");
    // Tab steps 月 → 季度 → 年 → 日: today alone, with its group and repeat visits.
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::Tab);
    desk.key(KeyCode::F(5));
    snap(&desk, "stats_day_by_class");
    desk.key(KeyCode::F(6));
    snap(&desk, "stats_daily_report");
}
