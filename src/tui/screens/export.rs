//! The ledger export dialog (F9 on the statistics screen): which ledger, which days, `.xlsx`
//! or CSV, the file, and — administrators only — full identity numbers. F6 posts the export
//! on [`Slot::Export`]; it runs on a thread of its own (`jobs::spawn_export`), so the desk
//! keeps working while the dialog counts the rows written, then shows the result or the error.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::ledger::LedgerKind;
use crate::domain::officer::Role;
use crate::domain::stats::period::Period;
use crate::domain::text::to_halfwidth;
use crate::ledger::export::ExportSpec;
use crate::ledger::FileFormat;
use crate::tui::component::{hint, is_back_tab, is_submit, Consumed, Ctx, KeyHint};
use crate::tui::jobs::{Job, Slot};
use crate::tui::widgets::field::{Choice, TextField};
use crate::tui::widgets::form::label_cell;
use crate::tui::widgets::open_popup;

const KINDS: [LedgerKind; 2] = [LedgerKind::Visits, LedgerKind::Matters];
const FORMATS: [FileFormat; 2] = [FileFormat::Xlsx, FileFormat::Csv];

/// The dialog's rows in focus order; 完整号码 only for administrators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    Kind,
    From,
    To,
    Format,
    FullId,
    File,
}

impl Row {
    fn label(self) -> &'static str {
        match self {
            Row::Kind => "台账",
            Row::From => "起始日期",
            Row::To => "结束日期",
            Row::Format => "格式",
            Row::FullId => "完整号码",
            Row::File => "文件名",
        }
    }
}

/// Where the export stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportState {
    /// Being filled in; a mistake F6 found.
    Editing(Option<String>),
    /// The file exists: the next F6 replaces it.
    ConfirmOverwrite(PathBuf),
    Running {
        rows: u64,
        out: PathBuf,
    },
    Done {
        rows: u64,
        out: PathBuf,
    },
    Failed(String),
}

pub struct ExportDialog {
    kind: Choice,
    from: TextField,
    to: TextField,
    format: Choice,
    full_id: Choice,
    file: TextField,
    /// The officer typed the file name: it no longer follows the other fields.
    file_edited: bool,
    admin: bool,
    focus: usize,
    state: ExportState,
}

fn short(kind: LedgerKind) -> &'static str {
    match kind {
        LedgerKind::Visits => "来访",
        LedgerKind::Matters => "事项",
    }
}

fn extension(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Xlsx => "xlsx",
        FileFormat::Csv => "csv",
    }
}

/// `台账-来访-20261101-20261127.xlsx`.
pub fn default_file_name(
    kind: LedgerKind,
    from: NaiveDate,
    to: NaiveDate,
    format: FileFormat,
) -> String {
    format!(
        "台账-{}-{}-{}.{}",
        short(kind),
        from.format("%Y%m%d"),
        to.format("%Y%m%d"),
        extension(format)
    )
}

/// A date as the officer types it: `2026-11-01` or `2026/11/01`, full-width digits too.
fn parse_date(label: &str, text: &str) -> Result<NaiveDate, String> {
    let text = to_halfwidth(text.trim()).replace('/', "-");
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| format!("{label}“{}”无法识别，请写成 2026-11-01", text))
}

impl ExportDialog {
    /// Opens on the statistics screen's period, cut at today: nothing after it exists yet.
    pub fn new(period: Period, today: NaiveDate, ctx: &Ctx) -> ExportDialog {
        let to = if (period.from..=period.to).contains(&today) {
            today
        } else {
            period.to
        };
        let mut from_field = TextField::default();
        from_field.set(&period.from.format("%Y-%m-%d").to_string());
        let mut to_field = TextField::default();
        to_field.set(&to.format("%Y-%m-%d").to_string());
        let mut dialog = ExportDialog {
            kind: Choice::new(KINDS.iter().map(|k| k.label().into()).collect()),
            from: from_field,
            to: to_field,
            format: Choice::new(vec!["Excel（.xlsx）".into(), "CSV（.csv，UTF-8）".into()]),
            full_id: Choice::new(vec!["否，打码".into(), "是，完整号码（记入审计）".into()]),
            file: TextField::default(),
            file_edited: false,
            admin: ctx
                .session
                .as_ref()
                .is_some_and(|s| s.officer.role == Role::Admin),
            focus: 0,
            state: ExportState::Editing(None),
        };
        dialog.follow_fields();
        dialog
    }

    pub fn state(&self) -> &ExportState {
        &self.state
    }

    pub fn is_running(&self) -> bool {
        matches!(self.state, ExportState::Running { .. })
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows = vec![Row::Kind, Row::From, Row::To, Row::Format];
        if self.admin {
            rows.push(Row::FullId);
        }
        rows.push(Row::File);
        rows
    }

    fn focused(&self) -> Row {
        let rows = self.rows();
        rows[self.focus.min(rows.len() - 1)]
    }

    fn kind(&self) -> LedgerKind {
        KINDS[self.kind.index()]
    }

    fn file_format(&self) -> FileFormat {
        FORMATS[self.format.index()]
    }

    /// The default name follows the ledger, days and format until the officer types one;
    /// a typed name still takes the chosen format's extension.
    fn follow_fields(&mut self) {
        let format = self.file_format();
        if self.file_edited {
            let name = PathBuf::from(self.file.value());
            let known = name
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| FileFormat::parse(e).is_ok());
            if known {
                let renamed = name.with_extension(extension(format));
                self.file.set(&renamed.to_string_lossy());
            }
            return;
        }
        let from = parse_date("", self.from.value());
        let to = parse_date("", self.to.value());
        if let (Ok(from), Ok(to)) = (from, to) {
            self.file
                .set(&default_file_name(self.kind(), from, to, format));
        }
    }

    /// What F6 would export, and where; or what to correct first.
    fn spec(&self, ctx: &Ctx) -> Result<(ExportSpec, PathBuf), String> {
        let from = parse_date("起始日期", self.from.value())?;
        let to = parse_date("结束日期", self.to.value())?;
        if from > to {
            return Err(format!("起始日期 {from} 晚于结束日期 {to}，请调换"));
        }
        let name = self.file.value().trim();
        if name.is_empty() {
            return Err("请填写文件名，如 台账-来访.xlsx".into());
        }
        let format = self.file_format();
        let mut file = PathBuf::from(name);
        match file.extension().and_then(|e| e.to_str()) {
            None => {
                file.set_extension(extension(format));
            }
            Some(e) if FileFormat::parse(e).ok() == Some(format) => {}
            Some(e) => {
                return Err(format!(
                    "文件名的扩展名 .{e} 与所选格式不符，请改为 .{}",
                    extension(format)
                ))
            }
        }
        let spec = ExportSpec {
            kind: self.kind(),
            from,
            to,
            full_id: self.admin && self.full_id.index() == 1,
            format,
        };
        // A folder typed into the name (absolute or relative) wins over the default one.
        Ok((spec, ctx.export_dir.join(file)))
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if self.is_running() || ctx.outbox.is_waiting(Slot::Export) {
            return;
        }
        let (spec, out) = match self.spec(ctx) {
            Ok(s) => s,
            Err(e) => {
                self.state = ExportState::Editing(Some(e));
                return;
            }
        };
        let confirmed = self.state == ExportState::ConfirmOverwrite(out.clone());
        if out.exists() && !confirmed {
            self.state = ExportState::ConfirmOverwrite(out);
            return;
        }
        let Some(session) = &ctx.session else {
            return;
        };
        let job = Job::Export {
            token: session.token.clone(),
            spec,
            out: out.clone(),
        };
        ctx.outbox.post(Slot::Export, job);
        self.state = ExportState::Running { rows: 0, out };
    }

    /// Rows written so far, from the export's thread.
    pub fn progress(&mut self, written: u64) -> bool {
        match &mut self.state {
            ExportState::Running { rows, .. } => {
                *rows = written;
                true
            }
            _ => false,
        }
    }

    /// The file is complete; the status line says so too, on whatever screen.
    pub fn done(&mut self, rows: u64, ctx: &mut Ctx) {
        let out = match &self.state {
            ExportState::Running { out, .. } => out.clone(),
            _ => PathBuf::new(),
        };
        ctx.info_notice(format!(
            "已导出{} {rows} 行到 {}",
            self.kind().label(),
            out.display()
        ));
        self.state = ExportState::Done { rows, out };
    }

    pub fn failed(&mut self, message: String) {
        self.state = ExportState::Failed(message);
    }

    fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        let row = self.focused();
        let changed = match row {
            Row::Kind => self.kind.handle(key),
            Row::Format => self.format.handle(key),
            Row::FullId => self.full_id.handle(key),
            Row::From => self.from.handle(key),
            Row::To => self.to.handle(key),
            Row::File => self.file.handle(key),
        }?;
        if changed {
            if row == Row::File {
                self.file_edited = true;
            } else {
                self.follow_fields();
            }
        }
        Some(changed)
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.rows().len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Keys while the dialog is open; Esc is left to the statistics screen, which closes it.
    pub fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if is_submit(&key) {
            self.submit(ctx);
            return Consumed::Yes;
        }
        if key.code == KeyCode::Esc {
            return Consumed::No;
        }
        // The running export's settings stay as they were sent.
        if self.is_running() {
            return Consumed::Yes;
        }
        match key.code {
            _ if is_back_tab(&key) => self.move_focus(false),
            KeyCode::Tab | KeyCode::Down | KeyCode::Enter => self.move_focus(true),
            KeyCode::Up => self.move_focus(false),
            _ => match self.handle(key) {
                Some(_) => self.state = ExportState::Editing(None),
                None => return Consumed::No,
            },
        }
        Consumed::Yes
    }

    pub fn commands(&self) -> Vec<KeyHint> {
        let editing = !self.is_running();
        let choice = matches!(self.focused(), Row::Kind | Row::Format | Row::FullId);
        let again = matches!(self.state, ExportState::ConfirmOverwrite(_));
        vec![
            hint(
                "F6",
                if again {
                    "覆盖并导出"
                } else {
                    "开始导出"
                },
            )
            .when(editing),
            hint("Tab", "下一项").when(editing),
            hint("←→", "选择").when(editing && choice),
            hint("Esc", "关闭导出"),
            hint("Ctrl-S", "开始导出").quiet().when(editing),
        ]
    }

    /// The lines under the fields: the folder, then what F6 did.
    fn status(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let t = &ctx.theme;
        let folder = match ctx.export_dir.as_os_str().is_empty() {
            true => "启动窗口程序时所在的文件夹".to_string(),
            false => ctx.export_dir.display().to_string(),
        };
        let mut lines = vec![Line::styled(format!("保存到：{folder}"), t.dim())];
        let audited = if self.admin && self.full_id.index() == 1 {
            "完整号码的导出记入审计。"
        } else {
            ""
        };
        if let ExportState::Done { rows, out } = &self.state {
            lines.push(Line::styled(
                format!("已导出{} {rows} 行，文件：", self.kind().label()),
                t.ok(),
            ));
            lines.push(Line::styled(out.display().to_string(), t.ok()));
            return lines;
        }
        lines.push(match &self.state {
            ExportState::Editing(Some(e)) => Line::styled(e.clone(), t.error()),
            ExportState::Editing(None) => Line::styled(
                format!("{audited}按 F6 开始导出；导出时可以继续工作"),
                t.dim(),
            ),
            ExportState::ConfirmOverwrite(out) => Line::styled(
                format!("文件 {} 已存在：再按 F6 覆盖，或改文件名", name_of(out)),
                t.warn(),
            ),
            ExportState::Running { rows, .. } => Line::styled(
                format!("正在导出……已写入 {rows} 行。可以按 Esc 继续工作，完成后底部会提示"),
                t.strong(),
            ),
            ExportState::Done { .. } => Line::default(),
            ExportState::Failed(e) => Line::styled(format!("导出失败：{e}"), t.error()),
        });
        lines
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let rows = self.rows();
        // The fields, a gap, the folder and five lines of result: an error with a long path.
        let popup = open_popup(f, area, 76, rows.len() as u16 + 9);
        let block = t.block(" 导出台账 ");
        let inner = block.inner(popup);
        f.render_widget(block, popup);
        let line = |i: u16| Rect {
            y: inner.y + i,
            height: 1,
            ..inner
        };
        let editing = !self.is_running();
        for (i, row) in rows.iter().enumerate() {
            if i as u16 >= inner.height {
                return;
            }
            let focused = editing && self.focus == i;
            let rest = label_cell(f, line(i as u16), row.label(), 10, focused, t);
            let style = t.input_for(focused);
            let narrow = |w: u16| Rect {
                width: w.min(rest.width),
                ..rest
            };
            match row {
                Row::Kind => self
                    .kind
                    .render(f, narrow(self.kind.cols()), style, focused),
                Row::Format => self
                    .format
                    .render(f, narrow(self.format.cols()), style, focused),
                Row::FullId => self
                    .full_id
                    .render(f, narrow(self.full_id.cols()), style, focused),
                Row::From => self.from.render(f, narrow(12), style, focused),
                Row::To => self.to.render(f, narrow(12), style, focused),
                Row::File => self.file.render(f, rest, style, focused),
            }
        }
        let top = rows.len() as u16 + 1;
        let status = Rect {
            y: inner.y + top.min(inner.height),
            height: inner.height.saturating_sub(top),
            ..inner
        };
        let wrap = Wrap { trim: false };
        f.render_widget(Paragraph::new(self.status(ctx)).wrap(wrap), status);
    }
}

fn name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    )
}
