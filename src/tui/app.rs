//! The desk's state and its one update function. `update` takes an
//! [`AppEvent`] and says whether the screen must be redrawn; `draw` is a pure
//! function of the state, so every screen renders into a `TestBackend`.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::component::{hint, is_ctrl, Component, Consumed, Ctx, KeyHint, Notice};
use super::event::AppEvent;
use super::jobs::{Answer, Outbox, Reply, Request, Slot};
use super::screens::board::BoardScreen;
use super::screens::due::DueScreen;
use super::screens::help::draw_help;
use super::screens::intake::IntakeScreen;
use super::screens::login::LoginScreen;
use super::screens::lookup::LookupScreen;
use super::screens::matter_page::MatterPage;
use super::screens::password::{ChangePasswordScreen, LockScreen};
use super::screens::setup::SetupScreen;
use super::screens::stats::StatsScreen;
use super::screens::window::WindowScreen;
use super::theme::Theme;
use super::widgets::text::width;
use crate::hall::{CommandReply, EventKind, HallError, HallInfo, Query, QueryReply};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Setup,
    Login,
    Board,
    Intake,
    Window,
    Lookup,
    Due,
    /// The forced change of a password an administrator set, before anything else.
    ChangePassword,
    Stats,
}

impl Screen {
    pub fn title(self) -> &'static str {
        match self {
            Screen::Setup => "首次设置",
            Screen::Login => "登录",
            Screen::Board => "排队总览",
            Screen::Intake => "来访登记",
            Screen::Window => "本窗口",
            Screen::Lookup => "查询",
            Screen::Due => "期限",
            Screen::ChangePassword => "修改密码",
            Screen::Stats => "数据统计",
        }
    }
}

/// Keys that work on every screen once logged in: help, the screens, then Esc and quit.
pub const GLOBAL_KEYS: [KeyHint; 9] = [
    hint("F1", "帮助"),
    hint("F2", "登记"),
    hint("F3", "查询"),
    hint("F4", "本窗口"),
    hint("F10", "排队总览"),
    // Not F11: terminal emulators take it for full screen.
    hint("F12", "期限"),
    hint("F7", "统计"),
    ESC_KEY,
    QUIT_KEY,
];
const ESC_KEY: KeyHint = hint("Esc", "返回");
const QUIT_KEY: KeyHint = hint("Ctrl-Q", "退出");
/// The keys of `GLOBAL_KEYS` that open screens.
const SCREEN_KEYS: usize = 7;

pub struct App {
    pub ctx: Ctx,
    screen: Screen,
    setup: SetupScreen,
    login: LoginScreen,
    board: BoardScreen,
    pub intake: IntakeScreen,
    window: WindowScreen,
    lookup: LookupScreen,
    due: DueScreen,
    stats: StatsScreen,
    /// The after-login banner with the due counts stays until the officer opens the list.
    due_banner: bool,
    help: bool,
    quit: bool,
    /// Sequence number of the last hall event seen.
    last_event: Option<u64>,
    /// The link to the hall server is down: a banner stays up until it is back.
    offline: bool,
    change_password: ChangePasswordScreen,
    /// Shown over every screen after the idle time, until the password is typed again.
    lock: Option<LockScreen>,
    /// Timer ticks since the last key.
    idle_ticks: u32,
    /// Ticks of idle time that lock the desk; `None` never locks.
    lock_after_ticks: Option<u32>,
}

impl App {
    pub fn new(info: HallInfo, ascii_borders: bool, desk_name: String, today: NaiveDate) -> App {
        let screen = if info.needs_setup {
            Screen::Setup
        } else {
            Screen::Login
        };
        let intake = IntakeScreen::new(&info);
        App {
            ctx: Ctx {
                info,
                session: None,
                queue: None,
                outbox: Outbox::default(),
                notice: None,
                theme: Theme {
                    ascii: ascii_borders,
                },
                today,
                desk_name,
                notice_dir: crate::notice::DEFAULT_DIR.into(),
                export_dir: std::path::PathBuf::new(),
            },
            screen,
            setup: SetupScreen::new(),
            login: LoginScreen::default(),
            board: BoardScreen::default(),
            intake,
            window: WindowScreen::default(),
            lookup: LookupScreen::default(),
            due: DueScreen::default(),
            stats: StatsScreen::new(today),
            due_banner: false,
            help: false,
            quit: false,
            last_event: None,
            offline: false,
            change_password: ChangePasswordScreen::default(),
            lock: None,
            idle_ticks: 0,
            lock_after_ticks: None,
        }
    }

    /// Locks the desk after this many idle minutes (`[desk] lock_after_minutes`); 0 never.
    pub fn set_lock_after(&mut self, minutes: u32) {
        // A day at most: longer is never meant, and the tick count stays small.
        let minutes = u64::from(minutes.min(24 * 60));
        let tick = super::TICK.as_secs().max(1);
        self.lock_after_ticks = (minutes > 0).then(|| (minutes * 60).div_ceil(tick) as u32);
    }

    pub fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn window(&self) -> &WindowScreen {
        &self.window
    }

    pub fn stats(&self) -> &StatsScreen {
        &self.stats
    }

    pub fn lookup(&self) -> &LookupScreen {
        &self.lookup
    }

    pub fn due(&self) -> &DueScreen {
        &self.due
    }

    /// The due counts the banner shows after login, if any are due.
    pub fn due_banner(&self) -> Option<String> {
        let counts = self.due.counts().filter(|c| !c.is_empty())?;
        self.due_banner.then(|| {
            format!(
                " 期限提醒（{}）：{}。按 F12 查看",
                self.due.scope(),
                counts.text()
            )
        })
    }

    /// The banner's lines: the due counts, and a gap in the holiday file that makes
    /// working-day deadlines unreliable.
    pub fn banner_lines(&self) -> Vec<String> {
        let calendar = self.ctx.info.calendar_warning.as_ref();
        let calendar = calendar
            .filter(|_| self.due_banner)
            .map(|w| format!(" {w}"));
        self.due_banner().into_iter().chain(calendar).collect()
    }

    /// Requests posted since the last call, for the worker.
    pub fn take_requests(&mut self) -> Vec<Request> {
        self.ctx.outbox.take()
    }

    fn focused(&self) -> &dyn Component {
        if let Some(lock) = &self.lock {
            return lock;
        }
        match self.screen {
            Screen::Setup => &self.setup,
            Screen::Login => &self.login,
            Screen::Board => &self.board,
            Screen::Intake => &self.intake,
            Screen::Window => &self.window,
            Screen::Lookup => &self.lookup,
            Screen::Due => &self.due,
            Screen::ChangePassword => &self.change_password,
            Screen::Stats => &self.stats,
        }
    }

    fn dispatch(&mut self, key: KeyEvent) -> Consumed {
        let ctx = &mut self.ctx;
        if let Some(lock) = &mut self.lock {
            return lock.event(key, ctx);
        }
        match self.screen {
            Screen::Setup => self.setup.event(key, ctx),
            Screen::Login => self.login.event(key, ctx),
            Screen::Board => self.board.event(key, ctx),
            Screen::Intake => self.intake.event(key, ctx),
            Screen::Window => self.window.event(key, ctx),
            Screen::Lookup => self.lookup.event(key, ctx),
            Screen::Due => self.due.event(key, ctx),
            Screen::ChangePassword => self.change_password.event(key, ctx),
            Screen::Stats => self.stats.event(key, ctx),
        }
    }

    /// A session that may work: logged in, and not held at the forced password change.
    fn logged_in(&self) -> bool {
        self.ctx
            .session
            .as_ref()
            .is_some_and(|s| !s.must_change_password)
    }

    /// Screens, help and the global keys are open: logged in and not locked.
    fn keys_open(&self) -> bool {
        self.logged_in() && self.lock.is_none()
    }

    /// Applies one event; true when the screen must be redrawn.
    pub fn update(&mut self, event: AppEvent) -> bool {
        match event {
            AppEvent::Key(key) => self.key(key),
            AppEvent::Resize => true,
            // The link's own events (seq 0) are not part of the hall's numbering.
            AppEvent::Hall(e) if e.seq == 0 => self.hall_event(e.kind),
            AppEvent::Hall(e) => {
                // A gap in the numbering means events were lost: refresh everything shown.
                let gap = self.last_event.is_some_and(|last| e.seq != last + 1);
                self.last_event = Some(e.seq);
                if gap {
                    self.refresh_all();
                }
                self.hall_event(e.kind)
            }
            AppEvent::HallEventsEnded => {
                self.ctx
                    .error("与大厅的实时连接已断开，排队情况不再自动更新；请退出后重新启动");
                true
            }
            AppEvent::Reply(r) => self.reply(r),
            AppEvent::InputLost => {
                self.quit = true;
                false
            }
            AppEvent::Tick => {
                if !self.logged_in() {
                    return false;
                }
                // Waiting minutes: the queue answer carries the hall's "now".
                self.ctx.query(Slot::Queue, Query::Queue);
                self.idle_tick()
            }
        }
    }

    fn key(&mut self, key: KeyEvent) -> bool {
        if is_ctrl(&key, 'q') || is_ctrl(&key, 'c') {
            self.quit = true;
            return false;
        }
        self.idle_ticks = 0;
        if self.help {
            if matches!(key.code, KeyCode::Esc | KeyCode::F(1) | KeyCode::Enter) {
                self.help = false;
                return true;
            }
            return false;
        }
        if key.code == KeyCode::F(1) && self.lock.is_none() {
            self.help = true;
            return true;
        }
        let notice_before = self.ctx.notice.clone();
        self.ctx.notice = None;
        let consumed = self.dispatch(key);
        let mut changed = consumed == Consumed::Yes;
        if consumed == Consumed::No && self.keys_open() {
            changed |= self.global_key(key);
        }
        if !changed && self.ctx.notice.is_none() {
            // A key nobody wanted keeps the notice, and needs no redraw.
            self.ctx.notice = notice_before;
            return false;
        }
        true
    }

    /// One more idle tick; locks the desk once the idle time is up.
    fn idle_tick(&mut self) -> bool {
        if self.lock.is_some() {
            return false;
        }
        self.idle_ticks += 1;
        if self.lock_after_ticks.is_some_and(|n| self.idle_ticks >= n) {
            self.lock = Some(LockScreen::default());
            self.help = false;
            return true;
        }
        false
    }

    /// Logged in with a password of one's own: the board, the queue and the due list.
    fn start_work(&mut self) {
        let ctx = &mut self.ctx;
        ctx.query(Slot::Queue, Query::Queue);
        self.due = DueScreen::for_session(ctx);
        self.due_banner = true;
        self.login = LoginScreen::default();
        self.screen = Screen::Board;
    }

    /// The session is over (logged out by the hall, or locked out): back to the login.
    fn session_ended(&mut self) {
        self.ctx.session = None;
        self.lock = None;
        self.screen = Screen::Login;
    }

    fn global_key(&mut self, key: KeyEvent) -> bool {
        if !(key.modifiers - KeyModifiers::SHIFT).is_empty() {
            return false;
        }
        let to = match key.code {
            KeyCode::F(2) => Screen::Intake,
            KeyCode::F(3) => Screen::Lookup,
            KeyCode::F(4) => Screen::Window,
            KeyCode::F(10) => Screen::Board,
            KeyCode::F(12) => Screen::Due,
            KeyCode::F(7) => Screen::Stats,
            KeyCode::Esc if self.screen != Screen::Board => Screen::Board,
            _ => return false,
        };
        self.go(to)
    }

    /// Opens a screen. Always redraws: the screen left behind may have changed
    /// on the way out (a dismissed ticket, say).
    fn go(&mut self, screen: Screen) -> bool {
        match screen {
            Screen::Window => self.window.refresh(&mut self.ctx),
            Screen::Lookup => self.lookup.reload(&mut self.ctx),
            Screen::Due => {
                self.due.reload(&mut self.ctx);
                self.due_banner = false;
            }
            Screen::Stats => self.stats.reload(&mut self.ctx),
            _ => {}
        }
        self.screen = screen;
        true
    }

    fn refresh_all(&mut self) {
        if !self.logged_in() {
            return;
        }
        self.ctx.query(Slot::Queue, Query::Queue);
        self.window.load_records(&mut self.ctx);
        self.lookup.reload(&mut self.ctx);
        self.due.reload(&mut self.ctx);
    }

    fn hall_event(&mut self, kind: EventKind) -> bool {
        if !self.logged_in() {
            return false;
        }
        match kind {
            EventKind::QueueChanged { .. } => {
                self.ctx.query(Slot::Queue, Query::Queue);
                false
            }
            EventKind::TicketCalled { label, desk, .. } => {
                self.ctx.query(Slot::Queue, Query::Queue);
                self.board.last_called = Some((label, desk));
                self.screen == Screen::Board
            }
            EventKind::MatterChanged { matter } => {
                if self.window.shows_matter(matter) {
                    self.window.load_records(&mut self.ctx);
                }
                self.lookup.reload(&mut self.ctx);
                // The list reads every matter: asked again only when someone looks at it.
                if self.screen == Screen::Due || self.due.shows_matter(matter) {
                    self.due.reload(&mut self.ctx);
                }
                if self.screen == Screen::Stats {
                    self.stats.reload(&mut self.ctx);
                }
                false
            }
            EventKind::VisitorChanged { .. } => {
                self.lookup.reload(&mut self.ctx);
                false
            }
            EventKind::OfficersChanged => false,
            EventKind::Connection { online } => {
                self.offline = !online;
                if online {
                    self.ctx.info_notice("已重新连接服务器，屏幕已刷新");
                    // Numbering restarts with whatever the server sends next.
                    self.last_event = None;
                    self.refresh_all();
                }
                true
            }
        }
    }

    fn reply(&mut self, reply: Reply) -> bool {
        // Progress comes before the answer and leaves the slot waiting for it.
        if let Ok(Answer::ExportProgress(rows)) = reply.result {
            let current = self.ctx.outbox.is_current(&reply);
            return current && self.stats.export_progress(rows) && self.screen == Screen::Stats;
        }
        if !self.ctx.outbox.accept(&reply) {
            return false;
        }
        let slot = reply.slot;
        match reply.result {
            Ok(answer) => self.answer(slot, answer),
            Err(e) => {
                self.failure(slot, e);
                true
            }
        }
    }

    fn answer(&mut self, slot: Slot, answer: Answer) -> bool {
        let ctx = &mut self.ctx;
        match (slot, answer) {
            (Slot::Setup, Answer::Done) => {
                self.login = LoginScreen::new(self.setup.username());
                self.ctx.info.needs_setup = false;
                self.screen = Screen::Login;
                self.ctx.info_notice("管理员账号已创建，请输入密码登录");
                true
            }
            (Slot::Login, Answer::Session(session)) => {
                let name = format!(
                    "{}（{}）已登录 {}",
                    session.officer.display_name,
                    session.officer.role.label(),
                    session.desk
                );
                let must_change = session.must_change_password;
                ctx.session = Some(*session);
                if must_change {
                    ctx.info_notice("请先修改管理员设置的初始密码");
                    self.login = LoginScreen::default();
                    self.change_password = ChangePasswordScreen::default();
                    self.screen = Screen::ChangePassword;
                    return true;
                }
                ctx.info_notice(name);
                self.start_work();
                true
            }
            (Slot::Password, Answer::Command(CommandReply::Done)) => {
                if let Some(s) = &mut ctx.session {
                    s.must_change_password = false;
                }
                ctx.info_notice("密码已修改，请记住新密码");
                self.start_work();
                true
            }
            (Slot::Unlock, Answer::Command(CommandReply::Done)) => {
                self.lock = None;
                self.idle_ticks = 0;
                ctx.info_notice("已解锁");
                // Events seen while locked already refreshed what they touched.
                true
            }
            (Slot::Queue, Answer::Query(QueryReply::Queue(q))) => {
                if ctx.queue.as_ref() == Some(&q) {
                    return false;
                }
                ctx.queue = Some(q);
                matches!(self.screen, Screen::Board | Screen::Window)
            }
            (Slot::PanelLookup, Answer::Query(QueryReply::Lookup(hits))) => {
                let changed = self.intake.panel.hits_arrived(hits, ctx);
                self.intake.ask_candidates(ctx);
                changed
            }
            (Slot::PanelCandidates, Answer::Query(QueryReply::Matters(list))) => {
                self.intake.candidates_arrived(list, ctx)
            }
            (Slot::PanelProfile, Answer::Query(QueryReply::Visitor(p))) => {
                self.intake.panel.profile_arrived(*p)
            }
            (Slot::Register, Answer::Command(CommandReply::Registered(r))) => {
                self.intake.registered(r, ctx);
                true
            }
            (Slot::Desk, Answer::Query(QueryReply::Desk(serving))) => {
                self.window.set_serving(serving, ctx)
            }
            (Slot::DeskCommand, Answer::Command(CommandReply::Serving(s))) => {
                ctx.info_notice(format!("请 {} 号到本窗口（{}人）", s.label, s.headcount));
                self.window.set_serving(Some(s), ctx);
                true
            }
            (Slot::Finish, Answer::Command(CommandReply::Done)) => {
                self.window.finished(ctx);
                true
            }
            (Slot::DeskCommand, Answer::Command(CommandReply::Done)) => {
                self.window.skipped(ctx);
                true
            }
            (Slot::DeskProfile, Answer::Query(QueryReply::Visitor(p))) => {
                self.window.profile_arrived(*p)
            }
            (Slot::DeskMatter, Answer::Query(QueryReply::Matter(m))) => {
                self.window.matter_arrived(*m)
            }
            (Slot::Lookup, Answer::Query(QueryReply::Lookup(hits))) => {
                self.lookup.hits_arrived(hits)
            }
            (Slot::Profile, Answer::Query(QueryReply::Visitor(p))) => {
                self.lookup.profile_arrived(*p)
            }
            (Slot::Matter, Answer::Query(QueryReply::Matter(m))) => self.lookup.matter.arrived(*m),
            (Slot::Notice, Answer::Query(QueryReply::Notice(n))) => {
                opened_matter(self.screen, &mut self.lookup, &mut self.due).notice_arrived(n)
            }
            (Slot::Due, Answer::Query(QueryReply::Matters(list))) => {
                self.due.list_arrived(list) && (self.screen == Screen::Due || self.due_banner)
            }
            (Slot::Evaluate, Answer::Command(CommandReply::Done)) => {
                opened_matter(self.screen, &mut self.lookup, &mut self.due).evaluated(ctx);
                true
            }
            (Slot::DueMatter, Answer::Query(QueryReply::Matter(m))) => {
                self.due.matter.arrived(*m) && self.screen == Screen::Due
            }
            (Slot::MatterAction, Answer::Command(CommandReply::Done)) => {
                match self.screen {
                    Screen::Window => self.window.action_done(ctx),
                    _ => {
                        opened_matter(self.screen, &mut self.lookup, &mut self.due).action_done(ctx)
                    }
                }
                true
            }
            (Slot::Stats, Answer::Query(QueryReply::Stats(r))) => {
                self.stats.report_arrived(*r) && self.screen == Screen::Stats
            }
            (Slot::Daily, Answer::Query(QueryReply::Daily(r))) => {
                self.stats.daily_arrived(*r) && self.screen == Screen::Stats
            }
            (Slot::Export, Answer::Exported(rows)) => {
                self.stats.export_done(rows, ctx);
                true
            }
            (Slot::Export, Answer::ExportFailed(message)) => {
                self.stats.export_failed(message.clone());
                ctx.error(format!("台账导出失败：{message}"));
                true
            }
            (slot, answer) => {
                ctx.error(format!(
                    "服务返回了意外的应答（{slot:?}: {answer:?}），请重试"
                ));
                true
            }
        }
    }

    fn failure(&mut self, slot: Slot, e: HallError) {
        let message = match (slot, &e) {
            // The lock screen knows the account (and says the tries left): only the
            // password can be wrong.
            (Slot::Unlock, HallError::BadCredentials) => "密码不正确，请重新输入".to_string(),
            _ => e.to_string(),
        };
        let locked_out = slot == Slot::Unlock && matches!(e, HallError::Locked { .. });
        if (e == HallError::NotLoggedIn && slot != Slot::Login) || locked_out {
            self.session_ended();
        }
        match (slot, e) {
            (Slot::Setup, _) => self.setup.refused(message.clone()),
            (Slot::Unlock, _) if locked_out => self.login.refused(message.clone()),
            (Slot::Unlock, _) => {
                if let Some(lock) = &mut self.lock {
                    lock.refused(message.clone());
                }
            }
            (Slot::Password, _) => self.change_password.refused(message.clone()),
            (Slot::Login, _) => self.login.refused(message.clone()),
            (Slot::Register, HallError::Invalid(fe)) => {
                self.intake.field_error(fe, &mut self.ctx);
                return;
            }
            (Slot::Finish, _) => self.window.refused(message.clone()),
            // The preview says why a notice is refused; the status line need not repeat it.
            (Slot::MatterAction, _) if self.screen == Screen::Window => {
                self.window.action_refused(message.clone())
            }
            (Slot::Notice | Slot::Evaluate | Slot::MatterAction, e) => {
                let page = opened_matter(self.screen, &mut self.lookup, &mut self.due);
                match slot {
                    // The preview says why a notice is refused; the status line need not repeat it.
                    Slot::Notice if matches!(e, HallError::Conflict(_) | HallError::Denied(_)) => {
                        page.notice_refused(message);
                        return;
                    }
                    Slot::Notice => {
                        page.notice_refused(message.clone());
                    }
                    Slot::Evaluate => page.evaluation_refused(message.clone()),
                    _ => page.action_refused(message.clone()),
                }
            }
            (Slot::Export, _) => self.stats.export_failed(message.clone()),
            _ => {}
        }
        self.ctx.error(message);
    }

    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        // Nothing of the hall shows behind the lock, not even the due counts.
        let banner = match self.lock {
            None => self.banner_lines(),
            Some(_) => Vec::new(),
        };
        let [header, banner_rows, body, notice, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(banner.len() as u16),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_header(f, header);
        if !banner.is_empty() {
            let lines: Vec<Line> = banner.into_iter().map(Line::from).collect();
            f.render_widget(
                Paragraph::new(lines).style(self.ctx.theme.banner()),
                banner_rows,
            );
        }
        self.focused().draw(f, body, &self.ctx);
        self.draw_notice(f, notice);
        self.draw_keys(f, keys);
        if self.help {
            let global: &[KeyHint] = if self.keys_open() {
                &GLOBAL_KEYS
            } else {
                std::slice::from_ref(&QUIT_KEY)
            };
            let caret = draw_help(
                f,
                body,
                self.screen.title(),
                &self.focused().commands(),
                global,
                &self.ctx,
            );
            f.set_cursor_position(caret);
        }
    }

    fn draw_header(&self, f: &mut Frame, area: Rect) {
        let t = &self.ctx.theme;
        if self.offline {
            let banner = " ！与服务器断开，正在自动重连。正在输入的内容会保留；没有得到服务器确认的操作不算保存";
            f.render_widget(Paragraph::new(banner).style(t.banner()), area);
            return;
        }
        let title = if self.lock.is_some() {
            "已锁屏"
        } else {
            self.screen.title()
        };
        let left = format!(" 联访 · {} · {title}", self.ctx.info.name);
        let right = match &self.ctx.session {
            Some(s) => format!(
                "{} {}（{}） ",
                s.desk,
                s.officer.display_name,
                self.ctx.dept_short(&s.officer.department)
            ),
            None => String::new(),
        };
        let gap = usize::from(area.width).saturating_sub(width(&left) + width(&right));
        let line = Line::from(vec![
            Span::raw(left),
            Span::raw(" ".repeat(gap)),
            Span::raw(right),
        ]);
        f.render_widget(Paragraph::new(line).style(t.header()), area);
    }

    fn draw_notice(&self, f: &mut Frame, area: Rect) {
        let t = &self.ctx.theme;
        let line = match &self.ctx.notice {
            Some(Notice::Error(m)) => Line::styled(format!(" ! {m}"), t.error()),
            Some(Notice::Info(m)) => Line::styled(format!(" {m}"), t.ok()),
            None => Line::raw(""),
        };
        f.render_widget(Paragraph::new(line), area);
    }

    /// The status line: this screen's keys first, then the global ones, as many as fit.
    fn draw_keys(&self, f: &mut Frame, area: Rect) {
        let t = &self.ctx.theme;
        let mut hints: Vec<KeyHint> = self
            .focused()
            .commands()
            .into_iter()
            .filter(KeyHint::in_status_line)
            .collect();
        if self.keys_open() {
            hints.extend(&GLOBAL_KEYS[..SCREEN_KEYS]);
            // Esc goes home from any other screen, unless the screen uses it itself.
            let has_esc = hints.iter().any(|h| h.key == ESC_KEY.key);
            if self.screen != Screen::Board && !has_esc {
                hints.push(ESC_KEY);
            }
        }
        hints.push(QUIT_KEY);
        let mut spans = Vec::new();
        let mut used = 0;
        let max = usize::from(area.width);
        for h in hints {
            let w = width(h.key) + width(h.label) + 1;
            if used + w > max {
                break;
            }
            spans.push(Span::styled(h.key, t.key()));
            spans.push(Span::raw(format!("{} ", h.label)));
            used += w;
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

/// The matter page the officer acts on: replies to its forms go there.
fn opened_matter<'a>(
    screen: Screen,
    lookup: &'a mut LookupScreen,
    due: &'a mut DueScreen,
) -> &'a mut MatterPage {
    match screen {
        Screen::Due => &mut due.matter,
        _ => &mut lookup.matter,
    }
}
