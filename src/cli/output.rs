//! How command results are printed: aligned text for people, stable JSON for scripts.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::config::HallConfig;
use crate::domain::officer::OfficerInfo;
use crate::hall::{LookupHit, MatchKind};

/// Columns aligned by display width, so Chinese text lines up in a terminal.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

pub fn json<T: Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
}

/// One lookup hit as `lianfang lookup --json` prints it. A shape of its own, so
/// scripts do not break when the service's types change.
#[derive(Serialize)]
pub struct LookupRow {
    pub visitor: u64,
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub visit_count: u32,
    /// Local time, `2026-11-27 09:30`.
    pub last_visit: Option<String>,
    pub open_matters: u32,
    pub departments: Vec<String>,
    pub key_grade: Option<String>,
    /// `id_number`, `phone`, `matter_number`, `name`, `id_prefix`, `phone_suffix`,
    /// `name_prefix`, `initials` or `pinyin`.
    pub matched: &'static str,
}

fn match_code(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::IdNumber => "id_number",
        MatchKind::Phone => "phone",
        MatchKind::MatterNumber => "matter_number",
        MatchKind::Name => "name",
        MatchKind::IdPrefix => "id_prefix",
        MatchKind::PhoneSuffix => "phone_suffix",
        MatchKind::NamePrefix => "name_prefix",
        MatchKind::Initials => "initials",
        MatchKind::Pinyin => "pinyin",
    }
}

pub fn lookup_row(hit: &LookupHit, config: &HallConfig) -> LookupRow {
    LookupRow {
        visitor: hit.visitor,
        name: hit.name.clone(),
        id_number_masked: hit.id_masked.clone(),
        phone_masked: hit.phone_masked.clone(),
        visit_count: hit.visit_count,
        last_visit: hit.last_visit.map(|t| t.format(config.timezone)),
        open_matters: hit.open_matters,
        departments: hit.departments.iter().map(|d| d.to_string()).collect(),
        key_grade: hit.key_grade.map(|g| format!("{g:?}")),
        matched: match_code(hit.matched),
    }
}

pub fn lookup_text(hits: &[LookupHit], config: &HallConfig) -> String {
    if hits.is_empty() {
        return "没有找到匹配的来访人\n".into();
    }
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| {
            let departments: Vec<String> =
                h.departments.iter().map(|d| config.dept_short(d)).collect();
            vec![
                h.name.clone(),
                h.id_masked.clone(),
                h.phone_masked.clone(),
                h.visit_count.to_string(),
                h.last_visit
                    .map(|t| t.format_date(config.timezone))
                    .unwrap_or_default(),
                h.open_matters.to_string(),
                departments.join("、"),
                h.key_grade
                    .map(|g| g.label().to_string())
                    .unwrap_or_default(),
                h.matched.label().to_string(),
            ]
        })
        .collect();
    let header = [
        "姓名",
        "身份证号",
        "电话",
        "来访次数",
        "最近来访",
        "未结事项",
        "涉及部门",
        "重点人员",
        "匹配",
    ];
    format!("找到 {} 位来访人：\n{}", hits.len(), table(&header, &rows))
}

#[derive(Serialize)]
pub struct OfficerRow {
    pub username: String,
    pub display_name: String,
    /// `registrar`, `window`, `leader`, `admin` or `display`.
    pub role: &'static str,
    pub department: String,
    pub disabled: bool,
}

pub fn officer_row(o: &OfficerInfo) -> OfficerRow {
    OfficerRow {
        username: o.username.clone(),
        display_name: o.display_name.clone(),
        role: o.role.cli_name(),
        department: o.department.to_string(),
        disabled: o.disabled,
    }
}

pub fn officers_text(officers: &[OfficerInfo], config: &HallConfig) -> String {
    if officers.is_empty() {
        return "还没有任何账号。请先运行 lianfang init --admin 用户名 --password-stdin\n".into();
    }
    let rows: Vec<Vec<String>> = officers
        .iter()
        .map(|o| {
            let dept = config
                .department(&o.department)
                .map_or_else(|| o.department.to_string(), |d| d.name.clone());
            vec![
                o.username.clone(),
                o.display_name.clone(),
                o.role.label().to_string(),
                dept,
                if o.disabled { "已停用" } else { "正常" }.to_string(),
            ]
        })
        .collect();
    table(&["用户名", "姓名", "角色", "部门", "状态"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_by_display_width() {
        let t = table(
            &["姓名", "x"],
            &[
                vec!["欧阳娜娜".into(), "1".into()],
                vec!["ab".into(), "2".into()],
            ],
        );
        // The second column starts at the same display column on every line.
        assert_eq!(t, "姓名      x\n欧阳娜娜  1\nab        2\n");
    }
}
