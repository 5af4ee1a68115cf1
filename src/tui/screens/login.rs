//! Login: officer and password; a demo hall lists its accounts here.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::component::{hint, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::{Job, Slot};
use crate::tui::widgets::field::TextField;
use crate::tui::widgets::form::FieldRow;
use crate::tui::widgets::text::fit;

#[derive(Default)]
pub struct LoginScreen {
    username: TextField,
    password: TextField,
    on_password: bool,
    error: Option<String>,
}

impl LoginScreen {
    pub fn new(username: &str) -> LoginScreen {
        let mut s = LoginScreen {
            password: TextField::secret(),
            ..LoginScreen::default()
        };
        s.username.set(username);
        s.on_password = !username.is_empty();
        s
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Login) {
            return;
        }
        let username = self.username.value().trim().to_string();
        if username.is_empty() {
            self.on_password = false;
            self.error = Some("请输入账号".into());
            return;
        }
        self.error = None;
        ctx.outbox.post(
            Slot::Login,
            Job::Login {
                username,
                password: self.password.value().to_string(),
                desk: ctx.desk_name.clone(),
            },
        );
        ctx.info_notice("正在登录…");
    }

    pub fn refused(&mut self, message: String) {
        self.password.clear();
        self.on_password = true;
        self.error = Some(message);
    }
}

impl Component for LoginScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if is_submit(&key) {
            self.submit(ctx);
            return Consumed::Yes;
        }
        match key.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                self.on_password = !self.on_password;
            }
            KeyCode::Enter if !self.on_password => self.on_password = true,
            KeyCode::Enter => self.submit(ctx),
            _ => {
                let field = if self.on_password {
                    &mut self.password
                } else {
                    &mut self.username
                };
                return match field.handle(key) {
                    Some(_) => Consumed::Yes,
                    None => Consumed::No,
                };
            }
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        vec![hint("Tab", "切换"), hint("Enter", "登录")]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 登录 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let demo = &ctx.info.demo_accounts;
        let [title, _, user_row, pass_row, _, demo_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(ctx.info.name.clone(), t.strong()),
                Span::styled("  请登录本窗口", t.label()),
            ])),
            title,
        );
        let error = self.error.as_deref().unwrap_or("");
        for (row, label, field, focused, note) in [
            (user_row, "账号", &self.username, !self.on_password, ""),
            (pass_row, "密码", &self.password, self.on_password, error),
        ] {
            let shape = FieldRow {
                label,
                cols: (8, 20),
                focused,
                note,
            };
            shape.draw(f, row, field, t);
        }
        if !demo.is_empty() {
            let mut lines = vec![Line::styled("演示账号（仅用于演示大厅）：", t.label())];
            for a in demo {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", fit(&a.username, 10)), t.strong()),
                    Span::raw(format!("密码 {}  ", fit(&a.password, 10))),
                    Span::styled(a.description.clone(), t.dim()),
                ]));
            }
            f.render_widget(Paragraph::new(lines), demo_area);
        }
    }
}
