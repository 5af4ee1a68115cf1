//! First run: the hall has no account yet, so the first administrator is created here.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::officer::{valid_username, Role};
use crate::hall::NewOfficer;
use crate::tui::component::{hint, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::{Job, Slot};
use crate::tui::widgets::field::TextField;
use crate::tui::widgets::form;

const LABELS: [&str; 4] = ["管理员账号", "显示姓名", "设置密码", "再次输入"];

#[derive(Default)]
pub struct SetupScreen {
    fields: [TextField; 4],
    focus: usize,
    error: Option<(usize, String)>,
}

impl SetupScreen {
    pub fn new() -> SetupScreen {
        SetupScreen {
            fields: [
                TextField::default(),
                TextField::default(),
                TextField::secret(),
                TextField::secret(),
            ],
            ..SetupScreen::default()
        }
    }

    pub fn username(&self) -> &str {
        self.fields[0].value().trim()
    }

    /// Checks what the screen can check itself, then asks the hall.
    fn submit(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Setup) {
            return;
        }
        let username = self.username().to_string();
        let name = self.fields[1].value().trim().to_string();
        let error = if !valid_username(&username) {
            Some((
                0,
                "账号用 2 至 32 个英文字母、数字或 _ - . 组成".to_string(),
            ))
        } else if name.is_empty() {
            Some((1, "请填写管理员的姓名".to_string()))
        } else if self.fields[2].value().is_empty() {
            Some((2, "请设置密码".to_string()))
        } else if self.fields[2].value() != self.fields[3].value() {
            Some((3, "两次输入的密码不一致，请重新输入".to_string()))
        } else {
            None
        };
        if let Some((field, _)) = &error {
            self.focus = *field;
            self.error = error;
            return;
        }
        let Some(intake) = ctx
            .info
            .departments
            .iter()
            .find(|d| d.intake)
            .or_else(|| ctx.info.departments.first())
        else {
            ctx.error("配置中没有任何部门，无法创建管理员；请检查配置文件");
            return;
        };
        self.error = None;
        let admin = NewOfficer {
            username,
            display_name: name,
            role: Role::Admin,
            department: intake.code.clone(),
            password: self.fields[2].value().to_string(),
        };
        ctx.outbox.post(Slot::Setup, Job::Setup(admin));
        ctx.info_notice("正在创建管理员账号…");
    }

    /// The hall refused: a password rule, usually; shown beside the password.
    pub fn refused(&mut self, message: String) {
        self.error = Some((2, message));
        self.focus = 2;
    }
}

impl Component for SetupScreen {
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
        vec![
            hint("Tab", "下一项"),
            hint("Enter", "下一项/完成"),
            hint("F6", "创建管理员"),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 首次使用：设置管理员 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [intro, _, rows, _, note] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Length(4),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let intake = ctx
            .info
            .departments
            .iter()
            .find(|d| d.intake)
            .map_or("", |d| d.name.as_str());
        let what = format!(
            "本大厅还没有任何账号。请创建第一个管理员账号（属于{intake}），之后用它登录并添加其他窗口的账号。"
        );
        form::intro(f, intro, "大厅：", ctx.info.name.clone(), what, t);
        for (i, label) in LABELS.iter().enumerate() {
            let row = Rect {
                y: rows.y + i as u16,
                height: 1,
                ..rows
            };
            let message = match &self.error {
                Some((field, m)) if *field == i => m.as_str(),
                _ => "",
            };
            let shape = form::FieldRow {
                label,
                cols: (12, 24),
                focused: self.focus == i,
                note: message,
            };
            shape.draw(f, row, &self.fields[i], t);
        }
        f.render_widget(
            Paragraph::new("账号只能用英文字母和数字，不用切换输入法；密码至少 8 位，须同时包含英文字母和数字。")
                .style(t.dim())
                .wrap(Wrap { trim: true }),
            note,
        );
    }
}
