//! How visitors and matters read on screen; shared by the window and the lookup.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::lifecycle::Tier;
use crate::domain::matter::{HistoryKind, Matter, Outcome};
use crate::hall::{MatterBrief, MatterDetail, VisitView, VisitorProfile};
use crate::tui::component::Ctx;
use crate::tui::widgets::scroll::clamp_scroll;
use crate::tui::widgets::text::fit;

/// The visitor's card: name, number, grade, facts, phone, address; under a key person's grade,
/// who graded them, when and why.
pub fn card_lines(p: &VisitorProfile, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let c = &p.card;
    let mut first = vec![
        Span::styled(c.name.clone(), t.strong()),
        Span::raw("  "),
        Span::raw(if c.anonymous {
            "匿名来信来电，未登记身份".to_string()
        } else if c.no_document {
            "无证件".to_string()
        } else {
            c.id_number.clone()
        }),
    ];
    if let Some(g) = c.key_grade {
        first.push(Span::raw("  "));
        first.push(Span::styled(format!("重点人员 {}", g.label()), t.grade(g)));
    }
    let facts: Vec<String> = [&c.sex, &c.birth_date, &c.region]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut lines = vec![Line::from(first)];
    if !facts.is_empty() {
        lines.push(Line::styled(facts.join(" "), t.label()));
    }
    lines.push(Line::from(vec![
        Span::styled("电话 ", t.label()),
        Span::raw(if c.phone.is_empty() {
            "未登记".to_string()
        } else {
            c.phone.clone()
        }),
        Span::styled("  来访 ", t.label()),
        Span::raw(format!("{} 次", c.visit_count)),
        Span::styled("  首次 ", t.label()),
        Span::raw(c.first_seen.format_date(ctx.tz())),
    ]));
    if !c.address.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("住址 ", t.label()),
            Span::raw(c.address.clone()),
        ]));
    }
    if let (Some(_), Some(last)) = (c.key_grade, p.key_grades.last()) {
        lines.push(Line::from(vec![
            Span::styled("定级理由 ", t.label()),
            Span::raw(last.reason.replace('\n', " ")),
            Span::styled(
                format!("（{} {} 定级）", ctx.date(last.at), last.officer),
                t.dim(),
            ),
        ]));
    }
    lines
}

pub fn visit_line(v: &VisitView, ctx: &Ctx) -> Line<'static> {
    let t = &ctx.theme;
    let mut spans = vec![
        Span::raw(format!("{} ", ctx.date(v.at))),
        Span::styled(fit(&ctx.dept_short(&v.department), 8), t.strong()),
        Span::raw(format!(
            " {} {}人 {}",
            v.channel.label(),
            v.headcount,
            v.matter_number
        )),
    ];
    if v.repeat {
        spans.push(Span::styled(" 重复访", t.warn()));
    }
    if v.group {
        spans.push(Span::styled(" 集体访", t.warn()));
    }
    if v.anonymous {
        spans.push(Span::styled(" 匿名", t.warn()));
    }
    // The hall's own level is the usual case: only a higher one is worth a word.
    if v.level != ctx.info.visit_levels.first().map_or("", String::as_str) {
        spans.push(Span::raw(format!(" {}", v.level)));
    }
    if v.skip_level {
        spans.push(Span::styled(" 越级访", t.warn()));
    }
    if let Some(label) = &v.ticket_label {
        spans.push(Span::styled(format!(" {label}"), t.dim()));
    }
    Line::from(spans)
}

pub fn matter_brief_line(m: &MatterBrief, ctx: &Ctx) -> Line<'static> {
    let t = &ctx.theme;
    let status = if m.is_open() { t.ok() } else { t.dim() };
    let mut spans = vec![
        Span::raw(format!("{} ", m.number)),
        Span::styled(fit(&ctx.dept_short(&m.department), 8), t.strong()),
        Span::styled(format!(" {} ", fit(&m.status, 14)), status),
    ];
    // Late or nearly due matters say so in every list (临期预警 / 超期 / 严重超期).
    if let Some(tier) = m.deadline.as_ref().and_then(|d| d.tier) {
        spans.push(Span::styled(tier_marker(tier), tier_style(Some(tier), ctx)));
    }
    spans.extend(oversight_spans(m, ctx));
    spans.push(Span::raw(format!("{} ", m.content_class)));
    spans.push(Span::styled(m.summary.replace('\n', " "), t.label()));
    Line::from(spans)
}

/// Today in the hall, from the queue's clock (asked for again every few minutes) once it has
/// arrived: a desk left open overnight still counts from the right day.
pub fn hall_today(ctx: &Ctx) -> chrono::NaiveDate {
    ctx.queue
        .as_ref()
        .map_or(ctx.today, |q| q.now.local_date(ctx.tz()))
}

/// `〔督办 至2026-12-05〕〔包案 刘局长〕`: supervision and the leader in charge, wherever the
/// matter is listed; an overdue supervision in red.
pub fn oversight_spans(m: &MatterBrief, ctx: &Ctx) -> Vec<Span<'static>> {
    let t = &ctx.theme;
    let mut spans = Vec::new();
    if let Some(s) = &m.supervision {
        let style = if s.overdue(hall_today(ctx)) {
            t.error()
        } else {
            t.warn()
        };
        spans.push(Span::styled(
            format!("〔{}〕", s.marker(hall_today(ctx))),
            style,
        ));
    }
    if let Some(name) = &m.lead {
        spans.push(Span::styled(format!("〔包案 {name}〕"), t.strong()));
    }
    spans
}

/// 督办, 领导包案, 领导批示 and 回访 of a matter, for its detail.
fn oversight_lines(m: &Matter, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let mut lines = Vec::new();
    if let Some(s) = &m.supervision {
        let style = if s.overdue(hall_today(ctx)) {
            t.error()
        } else {
            t.warn()
        };
        lines.push(Line::from(vec![
            Span::styled(s.marker(hall_today(ctx)), style),
            Span::raw(format!(" {}", s.note.replace('\n', " "))),
            Span::styled(format!("（{} {} 督办）", s.since, s.by), t.dim()),
        ]));
    }
    if let Some(l) = &m.lead {
        lines.push(Line::from(vec![
            Span::styled("包案领导 ", t.label()),
            Span::styled(l.name.clone(), t.strong()),
            Span::styled(format!("（{} 起）", l.since), t.dim()),
        ]));
    }
    for (officer, text) in m.instructions() {
        lines.push(Line::from(vec![
            Span::styled("领导批示 ", t.label()),
            Span::raw(text.replace('\n', " ")),
            Span::styled(format!("（{officer}）"), t.dim()),
        ]));
    }
    for (officer, f) in m.follow_ups() {
        lines.push(Line::from(vec![
            Span::styled("回访 ", t.label()),
            Span::raw(format!(
                "{} {} {}",
                f.on,
                f.way.label(),
                f.result.replace('\n', " ")
            )),
            Span::styled(format!("（{officer}）"), t.dim()),
        ]));
    }
    lines
}

/// Red when late, yellow when nearly due.
pub fn tier_style(tier: Option<Tier>, ctx: &Ctx) -> ratatui::style::Style {
    ctx.theme.tier(tier)
}

/// `〔超期〕`: the marker every list shows beside a late or nearly due matter.
pub fn tier_marker(tier: Tier) -> String {
    format!("〔{}〕", tier.label())
}

fn outcome_text(o: &Outcome, ctx: &Ctx) -> String {
    match o {
        Outcome::Forwarded { to } | Outcome::Assigned { to } => {
            format!("{}至{}", o.label(), ctx.dept_short(to))
        }
        Outcome::LegalChannel(c) => format!("{}（{}）", o.label(), c.label()),
        _ => o.label().to_string(),
    }
}

pub fn history_line(at: String, officer: &str, kind: &HistoryKind, ctx: &Ctx) -> Line<'static> {
    let t = &ctx.theme;
    let what = match kind {
        HistoryKind::Registered { department } => {
            format!("登记，分流至{}", ctx.dept_short(department))
        }
        HistoryKind::Routed {
            from,
            to,
            assigned,
            reason,
        } => format!(
            "{} {}→{}：{reason}",
            if *assigned { "交办" } else { "转送" },
            ctx.dept_short(from),
            ctx.dept_short(to)
        ),
        HistoryKind::Outcome { outcome, note } if note.is_empty() => outcome_text(outcome, ctx),
        HistoryKind::Outcome { outcome, note } => format!("{}：{note}", outcome_text(outcome, ctx)),
        HistoryKind::Note { text } => format!("备注：{text}"),
        HistoryKind::Step { step, note } if note.is_empty() => step.describe(),
        HistoryKind::Step { step, note } => format!("{}；{note}", step.describe()),
        HistoryKind::RepeatVisit { .. } => "重复来访".to_string(),
        HistoryKind::Evaluated { step } => step.describe(),
        HistoryKind::Oversight(o) => o.describe(),
    };
    Line::from(vec![
        Span::styled(format!("{at} {officer} "), t.dim()),
        Span::raw(what.replace('\n', " ")),
    ])
}

/// Status, deadlines, the visitor's words, and the routing history of a matter.
pub fn matter_lines(d: &MatterDetail, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let m = &d.matter;
    let names: Vec<&str> = d.visitor_names.iter().map(|(_, n)| n.as_str()).collect();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("事项 {} ", m.number), t.strong()),
            Span::styled(d.brief.status.clone(), t.ok()),
            Span::raw(format!(" {}·{}", m.category.label(), m.content_class)),
        ]),
        Line::from(vec![
            Span::styled("责任部门 ", t.label()),
            Span::raw(ctx.dept_short(&m.department)),
            Span::styled("  来访人 ", t.label()),
            Span::raw(names.join("、")),
            Span::styled("  属地 ", t.label()),
            Span::raw(m.place.clone()),
        ]),
    ];
    for dl in &d.deadlines {
        lines.push(Line::from(vec![
            Span::styled("期限 ", t.label()),
            Span::styled(dl.line(), tier_style(dl.tier, ctx)),
        ]));
    }
    lines.extend(oversight_lines(m, ctx));
    lines.push(Line::from(vec![
        Span::styled("反映问题 ", t.label()),
        Span::raw(m.summary.replace('\n', " ")),
    ]));
    if !m.demands.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("诉求 ", t.label()),
            Span::raw(m.demands.replace('\n', " ")),
        ]));
    }
    // Only 纪委监委 and administrators are sent a 检举控告类 matter at all.
    if let Some(a) = &m.accused {
        let mut spans = vec![
            Span::styled("被反映人 ", t.label()),
            Span::raw(a.party.clone()),
        ];
        if let Some(d) = &a.department {
            spans.push(Span::styled("  所属部门 ", t.label()));
            spans.push(Span::raw(ctx.dept_short(d)));
        }
        lines.push(Line::from(spans));
    }
    if let Some(lower) = &m.lower_level {
        lines.push(Line::from(vec![
            Span::styled("下级受理 ", t.label()),
            Span::raw(format!("{}，办理期限至 {}", lower.body, lower.until)),
        ]));
    }
    lines.extend(evaluation_lines(m, ctx));
    lines.push(Line::styled(
        format!("办理经过（{}）", m.history.len()),
        t.title(),
    ));
    for h in &m.history {
        lines.push(history_line(ctx.time(h.at), &h.officer, &h.kind, ctx));
    }
    lines
}

/// The matter's evaluation as it stands, each answer's word and the third party's result.
fn evaluation_lines(m: &Matter, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let Some(label) = m.evaluation_label() else {
        return Vec::new();
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("满意度 ", t.label()),
        Span::styled(label, t.strong()),
    ])];
    for e in &m.evaluations {
        let mut text = format!(
            "  {}：{}（{} {}）",
            e.answer.label(),
            e.satisfaction.label(),
            e.on,
            e.officer
        );
        if !e.note.is_empty() {
            text.push_str(&format!(" {}", e.note.replace('\n', " ")));
        }
        lines.push(Line::styled(text, t.dim()));
        if let Some(tp) = &e.third_party {
            let result = match &tp.result {
                None => "评价中".to_string(),
                Some(r) => format!(
                    "{}，{}；{}",
                    r.vote.verdict().label(),
                    r.vote.describe(),
                    r.opinion.replace('\n', " ")
                ),
            };
            lines.push(Line::styled(
                format!("  第三方评价（{} 送评）：{result}", tp.sent_on),
                t.dim(),
            ));
        }
    }
    lines
}

/// A matter's detail with its visits, in a block: the same on every screen that opens a matter.
pub fn draw_matter_detail(
    f: &mut Frame,
    area: Rect,
    matter: Option<&MatterDetail>,
    scroll: u16,
    ctx: &Ctx,
) {
    let t = &ctx.theme;
    let block = t.block(" 事项详情 ");
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(d) = matter else {
        f.render_widget(Paragraph::new("正在读取事项…").style(t.dim()), inner);
        return;
    };
    let mut lines = matter_lines(d, ctx);
    lines.push(Line::styled(
        format!("来访记录（{}）", d.visits.len()),
        t.title(),
    ));
    lines.extend(d.visits.iter().map(|v| visit_line(v, ctx)));
    let scroll = clamp_scroll(scroll, lines.len());
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
