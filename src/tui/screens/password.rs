//! The two password screens of a logged-in desk: the forced change of a password an
//! administrator set (nothing else works until it is done), and the lock screen that
//! hides every screen after the configured idle time. Both send the password to the
//! hall, which checks it; the screens only compare the two entries of a new one.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::account::{MAX_FAILURES, MIN_PASSWORD_CHARS};
use crate::hall::Command;
use crate::tui::component::{hint, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::TextField;
use crate::tui::widgets::form;

/// `张人社（rs1，人社）`: who the desk is logged in as.
fn officer_line(ctx: &Ctx) -> String {
    ctx.session.as_ref().map_or_else(String::new, |s| {
        format!(
            "{}（{}，{}）",
            s.officer.display_name,
            s.officer.username,
            ctx.dept_short(&s.officer.department)
        )
    })
}

/// One labelled password field with its message beside it.
fn secret_row<'a>(label: &'a str, focused: bool, note: &'a str) -> form::FieldRow<'a> {
    form::FieldRow {
        label,
        cols: (10, 24),
        focused,
        note,
    }
}

const NEW_LABELS: [&str; 2] = ["新密码", "再次输入"];

pub struct ChangePasswordScreen {
    fields: [TextField; 2],
    focus: usize,
    error: Option<String>,
}

impl Default for ChangePasswordScreen {
    fn default() -> Self {
        ChangePasswordScreen {
            fields: [TextField::secret(), TextField::secret()],
            focus: 0,
            error: None,
        }
    }
}

impl ChangePasswordScreen {
    fn submit(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Password) {
            return;
        }
        let Some(username) = ctx.session.as_ref().map(|s| s.officer.username.clone()) else {
            return;
        };
        let (new, again) = (self.fields[0].value(), self.fields[1].value());
        let error = if new.is_empty() {
            Some("请输入新密码")
        } else if new != again {
            Some("两次输入的密码不一致，请重新输入")
        } else {
            None
        };
        if let Some(message) = error {
            // Typed blind twice: both are typed again.
            self.refused(message.to_string());
            return;
        }
        self.error = None;
        let password = new.to_string();
        ctx.command(Slot::Password, Command::SetPassword { username, password });
        ctx.info_notice("正在修改密码…");
    }

    /// The hall refused the new password (a rule, or the old one again), or the two
    /// entries differ.
    pub fn refused(&mut self, message: String) {
        for field in &mut self.fields {
            field.clear();
        }
        self.focus = 0;
        self.error = Some(message);
    }
}

impl Component for ChangePasswordScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if is_submit(&key) {
            self.submit(ctx);
            return Consumed::Yes;
        }
        match form::column_event(&mut self.fields, &mut self.focus, key) {
            form::ColumnKey::Submit => self.submit(ctx),
            form::ColumnKey::Done(consumed) => return consumed,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        vec![hint("Tab", "切换"), hint("Enter", "下一项/确定")]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 修改初始密码 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [intro, _, rows, _, rules] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let what = "您的密码是管理员设置的，请先设置只有自己知道的新密码，然后才能开始工作。";
        form::intro(f, intro, "当前人员：", officer_line(ctx), what.into(), t);
        for (i, label) in NEW_LABELS.iter().enumerate() {
            let row = Rect {
                y: rows.y + i as u16,
                height: 1,
                ..rows
            };
            // The message stands beside the first field, where typing starts again.
            let note = match &self.error {
                Some(m) if i == 0 => m.as_str(),
                _ => "",
            };
            secret_row(label, self.focus == i, note).draw(f, row, &self.fields[i], t);
        }
        f.render_widget(
            Paragraph::new(format!(
                "新密码至少 {MIN_PASSWORD_CHARS} 位，须同时包含英文字母和数字，不能与用户名或原密码相同。"
            ))
            .style(t.dim())
            .wrap(Wrap { trim: true }),
            rules,
        );
    }
}

/// Hides the desk after the idle time; the data and half-typed forms stay behind it.
pub struct LockScreen {
    password: TextField,
    error: Option<String>,
}

impl Default for LockScreen {
    fn default() -> Self {
        LockScreen {
            password: TextField::secret(),
            error: None,
        }
    }
}

impl LockScreen {
    fn submit(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Unlock) {
            return;
        }
        if self.password.value().is_empty() {
            self.error = Some("请输入密码".into());
            return;
        }
        let password = self.password.value().to_string();
        ctx.command(Slot::Unlock, Command::ConfirmPassword { password });
        ctx.info_notice("正在核对密码…");
    }

    /// A wrong password: counted by the hall toward the lockout.
    pub fn refused(&mut self, message: String) {
        self.password.clear();
        self.error = Some(message);
    }
}

impl Component for LockScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if is_submit(&key) || key.code == KeyCode::Enter {
            self.submit(ctx);
            return Consumed::Yes;
        }
        match self.password.handle(key) {
            Some(_) => Consumed::Yes,
            None => Consumed::No,
        }
    }

    fn commands(&self) -> Vec<KeyHint> {
        vec![hint("Enter", "解锁")]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 已锁屏 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [intro, _, row, _, note] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let what = "本窗口无人操作，已锁屏。数据和正在填写的内容都已保留，输入密码后继续。";
        form::intro(f, intro, "当前人员：", officer_line(ctx), what.into(), t);
        let error = self.error.as_deref().unwrap_or("");
        secret_row("密码", true, error).draw(f, row, &self.password, t);
        f.render_widget(
            Paragraph::new(format!(
                "密码连续输错 {MAX_FAILURES} 次账号将被锁定。换人使用请按 Ctrl-Q 退出后重新登录。"
            ))
            .style(t.dim())
            .wrap(Wrap { trim: true }),
            note,
        );
    }
}
