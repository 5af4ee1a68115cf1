//! Notice templates: plain text with `{占位符}` fields, checked when the hall starts.
//!
//! Lines starting with `#` are comments for whoever edits the file and are not printed.
//! A field the kind cannot fill (an unknown name, or `{延期天数}` in a 受理告知书) is an
//! error naming the file and line, so a broken template stops the hall at startup and
//! `lianfang check`, never at the moment a visitor waits for the paper.

use std::path::{Path, PathBuf};

use super::kind::NoticeKind;

/// A hall's own templates live in this folder beside its config; one file per kind.
pub const TEMPLATES_DIR: &str = "templates";

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("告知书模板 {source_name} 第 {line} 行有误：{message}")]
    Invalid {
        source_name: String,
        line: usize,
        message: String,
    },
    #[error("无法读取告知书模板 {path}：{message}")]
    Read { path: PathBuf, message: String },
    #[error(
        "模板目录 {dir} 中的 {file} 不是告知书模板的文件名，可用的文件名：{choices}。请改名或移走这个文件"
    )]
    UnknownFile {
        dir: PathBuf,
        file: String,
        choices: String,
    },
}

/// A field of a template. No field names the accused party of a 检举控告 matter: a notice
/// goes to the visitor by hand or post and may be seen by others (Art 30, see `fill`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    HallName,
    Issuer,
    Today,
    Number,
    Visitors,
    Received,
    Category,
    ContentClass,
    Place,
    Summary,
    Demands,
    Department,
    Accepted,
    HandleDue,
    RefusalReason,
    RefusalGround,
    LegalChannel,
    RouteKind,
    RouteTo,
    RouteOn,
    RouteReason,
    ExtendDays,
    ExtendReason,
    ToldOn,
    Replied,
    Opinion,
    ReviewDue,
}

impl Field {
    const ALL: [Field; 27] = [
        Field::HallName,
        Field::Issuer,
        Field::Today,
        Field::Number,
        Field::Visitors,
        Field::Received,
        Field::Category,
        Field::ContentClass,
        Field::Place,
        Field::Summary,
        Field::Demands,
        Field::Department,
        Field::Accepted,
        Field::HandleDue,
        Field::RefusalReason,
        Field::RefusalGround,
        Field::LegalChannel,
        Field::RouteKind,
        Field::RouteTo,
        Field::RouteOn,
        Field::RouteReason,
        Field::ExtendDays,
        Field::ExtendReason,
        Field::ToldOn,
        Field::Replied,
        Field::Opinion,
        Field::ReviewDue,
    ];

    /// The name written between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Field::HallName => "大厅名称",
            Field::Issuer => "发文机关",
            Field::Today => "今日",
            Field::Number => "事项编号",
            Field::Visitors => "信访人",
            Field::Received => "登记日期",
            Field::Category => "事项性质",
            Field::ContentClass => "内容分类",
            Field::Place => "问题属地",
            Field::Summary => "反映问题",
            Field::Demands => "诉求",
            Field::Department => "办理部门",
            Field::Accepted => "受理日期",
            Field::HandleDue => "办结期限",
            Field::RefusalReason => "不予受理理由",
            Field::RefusalGround => "不予受理依据",
            Field::LegalChannel => "法定途径",
            Field::RouteKind => "转送方式",
            Field::RouteTo => "转送部门",
            Field::RouteOn => "转送日期",
            Field::RouteReason => "转送理由",
            Field::ExtendDays => "延期天数",
            Field::ExtendReason => "延期理由",
            Field::ToldOn => "告知日期",
            Field::Replied => "答复日期",
            Field::Opinion => "处理意见",
            Field::ReviewDue => "复查申请期限",
        }
    }

    /// Whether a notice of `kind` has a value for this field; the common fields fit all.
    pub fn fits(self, kind: NoticeKind) -> bool {
        use NoticeKind as K;
        match self {
            Field::Accepted => matches!(kind, K::Accept | K::Extend | K::Reply),
            Field::HandleDue => matches!(kind, K::Accept | K::Extend),
            Field::RefusalReason | Field::RefusalGround | Field::LegalChannel => kind == K::Refuse,
            Field::RouteKind | Field::RouteTo | Field::RouteOn | Field::RouteReason => {
                kind == K::Route
            }
            Field::ExtendDays | Field::ExtendReason | Field::ToldOn => kind == K::Extend,
            Field::Replied | Field::Opinion | Field::ReviewDue => kind == K::Reply,
            _ => true,
        }
    }

    fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// `{事项编号}、{信访人}…`: the fields a kind may use, for error messages.
    fn list(kind: NoticeKind) -> String {
        let names: Vec<String> = Field::ALL
            .iter()
            .filter(|f| f.fits(kind))
            .map(|f| format!("{{{}}}", f.name()))
            .collect();
        names.join("")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Field(Field),
}

/// A checked template: text and fields in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub kind: NoticeKind,
    pub pieces: Vec<Piece>,
}

impl Template {
    /// Parses and checks `text`; every error names `source_name` and the line.
    pub fn parse(
        kind: NoticeKind,
        text: &str,
        source_name: &str,
    ) -> Result<Template, TemplateError> {
        let invalid = |line: usize, message: String| TemplateError::Invalid {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut pieces = Vec::new();
        let mut literal = String::new();
        for (index, line) in text.split_inclusive('\n').enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let mut rest = line;
            while let Some(open) = rest.find('{') {
                literal.push_str(&rest[..open]);
                let after = &rest[open + 1..];
                let close = after.find('}').ok_or_else(|| {
                    invalid(
                        index + 1,
                        "“{”没有对应的“}”：占位符要写成 {事项编号} 这样".into(),
                    )
                })?;
                let name = after[..close].trim();
                let field = Field::named(name).ok_or_else(|| {
                    invalid(
                        index + 1,
                        format!(
                            "没有占位符 {{{name}}}。{}可用的占位符：{}",
                            kind.label(),
                            Field::list(kind)
                        ),
                    )
                })?;
                if !field.fits(kind) {
                    return Err(invalid(
                        index + 1,
                        format!(
                            "{}不能使用占位符 {{{name}}}。可用的占位符：{}",
                            kind.label(),
                            Field::list(kind)
                        ),
                    ));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Field(field));
                rest = &after[close + 1..];
            }
            literal.push_str(rest);
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        if pieces
            .iter()
            .all(|p| matches!(p, Piece::Text(t) if t.trim().is_empty()))
        {
            return Err(invalid(1, "模板是空的，请写入告知书的正文".into()));
        }
        Ok(Template { kind, pieces })
    }
}

/// One template per kind: the embedded defaults, or a hall's own files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeTemplates {
    /// In the order of `NoticeKind::ALL`.
    templates: Vec<Template>,
}

/// The shipped templates, in the order of `NoticeKind::ALL`.
const EMBEDDED: [&str; 5] = [
    include_str!("../../config/templates/accept.txt"),
    include_str!("../../config/templates/refuse.txt"),
    include_str!("../../config/templates/route.txt"),
    include_str!("../../config/templates/extend.txt"),
    include_str!("../../config/templates/reply.txt"),
];

impl NoticeTemplates {
    pub fn embedded() -> NoticeTemplates {
        let templates = NoticeKind::ALL
            .into_iter()
            .zip(EMBEDDED)
            .map(|(kind, text)| {
                let source = format!("内置模板 config/templates/{}", kind.file_name());
                Template::parse(kind, text, &source).expect("the embedded templates are valid")
            })
            .collect();
        NoticeTemplates { templates }
    }

    pub fn get(&self, kind: NoticeKind) -> &Template {
        // `templates` holds one template per kind, in `ALL`'s order.
        let index = NoticeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        &self.templates[index]
    }

    /// Replaces the templates for which `DIR/templates/` holds a file; the others stay.
    /// A file there that is no template's name is an error (a misspelt name would
    /// otherwise leave the default in force unnoticed).
    pub fn load_dir(&mut self, config_dir: &Path) -> Result<(), TemplateError> {
        let dir = config_dir.join(TEMPLATES_DIR);
        if !dir.is_dir() {
            return Ok(());
        }
        let read_error = |path: &Path, e: std::io::Error| TemplateError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let entries = std::fs::read_dir(&dir).map_err(|e| read_error(&dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| read_error(&dir, e))?.path();
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(kind) = NoticeKind::ALL.into_iter().find(|k| k.file_name() == file) else {
                return Err(TemplateError::UnknownFile {
                    dir: dir.clone(),
                    file,
                    choices: file_choices(),
                });
            };
            let text = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
            let index = NoticeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
            self.templates[index] = Template::parse(kind, &text, &path.display().to_string())?;
        }
        Ok(())
    }
}

/// `accept.txt（受理告知书）、…`
fn file_choices() -> String {
    let names: Vec<String> = NoticeKind::ALL
        .iter()
        .map(|k| format!("{}（{}）", k.file_name(), k.label()))
        .collect();
    names.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: NoticeKind, text: &str) -> String {
        Template::parse(kind, text, "t.txt")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_embedded_templates_are_valid_and_each_names_its_matter() {
        let all = NoticeTemplates::embedded();
        for kind in NoticeKind::ALL {
            let t = all.get(kind);
            assert_eq!(t.kind, kind);
            assert!(t.pieces.contains(&Piece::Field(Field::Number)), "{kind:?}");
        }
    }

    #[test]
    fn fields_and_comments_are_parsed() {
        let t = Template::parse(
            NoticeKind::Extend,
            "# 注释不打印 {随便}\n{信访人}：延期 { 延期天数 } 日。\n",
            "t.txt",
        )
        .unwrap();
        assert_eq!(
            t.pieces,
            vec![
                Piece::Field(Field::Visitors),
                Piece::Text("：延期 ".into()),
                Piece::Field(Field::ExtendDays),
                Piece::Text(" 日。\n".into()),
            ]
        );
    }

    #[test]
    fn an_unknown_field_names_file_and_line() {
        let err = error(NoticeKind::Accept, "第一行\n# 注释\n{信访人}：{被反映人}\n");
        assert!(err.contains("t.txt 第 3 行"), "{err}");
        assert!(err.contains("{被反映人}"), "{err}");
        assert!(err.contains("{事项编号}"), "{err}");
    }

    #[test]
    fn a_field_of_another_kind_is_refused() {
        let err = error(NoticeKind::Accept, "延期 {延期天数} 日\n");
        assert!(err.contains("第 1 行"), "{err}");
        assert!(err.contains("受理告知书不能使用占位符 {延期天数}"), "{err}");
        assert!(Template::parse(NoticeKind::Extend, "{延期天数}", "t").is_ok());
    }

    #[test]
    fn an_unclosed_brace_or_an_empty_template_is_an_error() {
        assert!(error(NoticeKind::Reply, "a\nb {事项编号\n").contains("第 2 行"));
        assert!(error(NoticeKind::Reply, "# 只有注释\n\n").contains("模板是空的"));
    }

    #[test]
    fn a_hall_overrides_single_templates_and_misnamed_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut templates = NoticeTemplates::embedded();
        templates.load_dir(dir.path()).unwrap();
        assert_eq!(templates, NoticeTemplates::embedded());
        let own = dir.path().join(TEMPLATES_DIR);
        std::fs::create_dir(&own).unwrap();
        std::fs::write(own.join("reply.txt"), "本大厅的答复 {事项编号}\n").unwrap();
        templates.load_dir(dir.path()).unwrap();
        assert_eq!(
            templates.get(NoticeKind::Reply).pieces[0],
            Piece::Text("本大厅的答复 ".into())
        );
        assert_eq!(
            templates.get(NoticeKind::Accept),
            NoticeTemplates::embedded().get(NoticeKind::Accept)
        );
        std::fs::write(own.join("route.txt"), "ok\n{转送部门\n").unwrap();
        let err = templates.load_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("route.txt 第 2 行"), "{err}");
        std::fs::remove_file(own.join("route.txt")).unwrap();
        std::fs::write(own.join("acept.txt"), "{事项编号}").unwrap();
        let err = templates.load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("acept.txt") && err.contains("accept.txt"),
            "{err}"
        );
    }
}
