//! The ledger (台账): one row per visit or per matter, as a hall keeps it in a
//! spreadsheet. The columns are defined once here and shared by the export, the
//! import and the template file, so a file exported by one hall imports into another.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::identity::IdNumber;
use super::lifecycle::Lifecycle;
use super::matter::{Category, Matter, MatterId, Subject};
use super::name::PersonName;
use super::phone::Phone;
use super::time::Timestamp;
use super::visit::{Channel, Visit};
use super::visitor::{Visitor, VisitorId};

/// Which ledger: visits (批次) or matters (件).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerKind {
    Visits,
    Matters,
}

impl LedgerKind {
    /// `visits` / `来访` or `matters` / `事项`, as the command line and the benchmark name it.
    pub fn parse(text: &str) -> Result<LedgerKind, String> {
        match text {
            "visits" | "来访" => Ok(LedgerKind::Visits),
            "matters" | "事项" => Ok(LedgerKind::Matters),
            _ => Err("请选择 visits（来访台账）或 matters（事项台账）".into()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LedgerKind::Visits => "来访台账",
            LedgerKind::Matters => "事项台账",
        }
    }

    pub fn headers(self) -> Vec<&'static str> {
        match self {
            LedgerKind::Visits => VisitCol::ALL.iter().map(|c| c.header()).collect(),
            LedgerKind::Matters => MatterCol::ALL.iter().map(|c| c.header()).collect(),
        }
    }

    /// Column widths in characters of a spreadsheet.
    pub fn widths(self) -> Vec<u16> {
        match self {
            LedgerKind::Visits => VisitCol::ALL.iter().map(|c| c.width()).collect(),
            LedgerKind::Matters => MatterCol::ALL.iter().map(|c| c.width()).collect(),
        }
    }
}

/// One cell as a spreadsheet holds it; times are the hall's local wall clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Number(u32),
    Time(NaiveDateTime),
}

/// The time format of text cells (CSV) and of date cells' display in Excel.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Time(t) => t.format(TIME_FORMAT).to_string(),
        }
    }
}

/// The visit ledger's columns, in file order. The import finds them by header, so a
/// hall's own file may order them differently or leave the optional ones out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VisitCol {
    At,
    VisitorNo,
    Name,
    IdNumber,
    NoDocument,
    Phone,
    Address,
    Channel,
    Headcount,
    Representatives,
    MatterNumber,
    Category,
    ContentClass,
    Place,
    Summary,
    Demands,
    Accused,
    AccusedDepartment,
    Department,
    Repeat,
}

impl VisitCol {
    pub const ALL: [VisitCol; 20] = [
        VisitCol::At,
        VisitCol::VisitorNo,
        VisitCol::Name,
        VisitCol::IdNumber,
        VisitCol::NoDocument,
        VisitCol::Phone,
        VisitCol::Address,
        VisitCol::Channel,
        VisitCol::Headcount,
        VisitCol::Representatives,
        VisitCol::MatterNumber,
        VisitCol::Category,
        VisitCol::ContentClass,
        VisitCol::Place,
        VisitCol::Summary,
        VisitCol::Demands,
        VisitCol::Accused,
        VisitCol::AccusedDepartment,
        VisitCol::Department,
        VisitCol::Repeat,
    ];

    pub fn header(self) -> &'static str {
        match self {
            VisitCol::At => "来访时间",
            VisitCol::VisitorNo => "来访人编号",
            VisitCol::Name => "姓名",
            VisitCol::IdNumber => "身份证号码",
            VisitCol::NoDocument => "无证件",
            VisitCol::Phone => "联系电话",
            VisitCol::Address => "住址",
            VisitCol::Channel => "信访形式",
            VisitCol::Headcount => "来访人数",
            VisitCol::Representatives => "代表姓名",
            VisitCol::MatterNumber => "事项编号",
            VisitCol::Category => "事项性质",
            VisitCol::ContentClass => "内容分类",
            VisitCol::Place => "问题属地",
            VisitCol::Summary => "反映的问题",
            VisitCol::Demands => "诉求",
            VisitCol::Accused => "被反映人或单位",
            VisitCol::AccusedDepartment => "被反映单位所属部门",
            VisitCol::Department => "接待部门",
            VisitCol::Repeat => "重复访",
        }
    }

    fn width(self) -> u16 {
        match self {
            VisitCol::At => 17,
            VisitCol::IdNumber => 21,
            VisitCol::Phone | VisitCol::MatterNumber => 14,
            VisitCol::Address | VisitCol::Demands => 30,
            VisitCol::Summary => 40,
            VisitCol::Representatives | VisitCol::Accused | VisitCol::Place => 20,
            VisitCol::AccusedDepartment => 18,
            VisitCol::VisitorNo | VisitCol::ContentClass | VisitCol::Department => 12,
            VisitCol::Category => 12,
            VisitCol::Name => 10,
            VisitCol::NoDocument | VisitCol::Channel | VisitCol::Headcount | VisitCol::Repeat => 9,
        }
    }

    /// Columns an imported row must fill (others may be blank or missing).
    pub fn required(self) -> bool {
        matches!(
            self,
            VisitCol::At
                | VisitCol::Name
                | VisitCol::Category
                | VisitCol::ContentClass
                | VisitCol::Place
                | VisitCol::Summary
                | VisitCol::Department
        )
    }

    pub fn by_header(header: &str) -> Option<VisitCol> {
        VisitCol::ALL
            .into_iter()
            .find(|c| c.header() == header.trim())
    }
}

/// One visit as the ledger shows it: names and labels, not codes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitLine {
    pub at: NaiveDateTime,
    /// The visitor's number in the hall that wrote the ledger: rows of one visitor
    /// without an identity number are kept together on import.
    pub visitor_no: String,
    pub name: String,
    /// Masked unless an administrator asked for full numbers.
    pub id_number: String,
    pub no_document: bool,
    pub phone: String,
    pub address: String,
    pub channel: String,
    pub headcount: u16,
    pub representatives: Vec<String>,
    pub matter_number: String,
    pub category: String,
    pub content_class: String,
    pub place: String,
    pub summary: String,
    pub demands: String,
    pub accused: String,
    pub accused_department: String,
    pub department: String,
    pub repeat: bool,
}

/// One visit with what its ledger row shows of the visitor and the matter, as they read
/// now. The store keeps one per visit in time order, rewritten when the visitor's card or
/// the matter's subject is corrected, so that an export reads one tree in order instead of
/// every row's visitor and matter at random places of a large hall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitEntry {
    pub visit: Visit,
    pub visitor: LedgerVisitor,
    pub matter: LedgerMatter,
}

/// The visitor's card as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerVisitor {
    pub id: VisitorId,
    pub name: PersonName,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub address: String,
}

/// The matter as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerMatter {
    pub number: String,
    pub subject: Subject,
}

/// One matter with what its ledger row shows: its subject, department and lifecycle (the
/// status and next deadline are read from it on the day of the export), how often it was
/// visited and its visitors' names in the order they came. The store keeps one per matter
/// in the order received, rewritten at each step of the matter, so that an export reads one
/// tree in order instead of every row's matter and visitors at random places of a large
/// hall (a demo hall numbers its matters visitor by visitor, not as they came).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterEntry {
    pub matter: MatterId,
    pub received: Timestamp,
    pub shown: LedgerMatter,
    pub department: DeptCode,
    pub status: Lifecycle,
    pub visits: u32,
    pub visitors: Vec<PersonName>,
}

impl VisitEntry {
    pub fn of(visit: &Visit, visitor: &Visitor, matter: &Matter) -> VisitEntry {
        VisitEntry {
            visit: visit.clone(),
            visitor: LedgerVisitor::of(visitor),
            matter: LedgerMatter::of(matter),
        }
    }
}

impl MatterEntry {
    /// The entry of `m` with its visitors' `visitors` names.
    pub fn of(m: &Matter, visitors: Vec<PersonName>) -> MatterEntry {
        MatterEntry {
            matter: m.id,
            received: m.received,
            shown: LedgerMatter::of(m),
            department: m.department.clone(),
            status: m.status.clone(),
            visits: m.visits.len() as u32,
            visitors,
        }
    }
}

impl LedgerVisitor {
    pub fn of(v: &Visitor) -> LedgerVisitor {
        LedgerVisitor {
            id: v.id,
            name: v.name.clone(),
            id_number: v.id_number.clone(),
            phone: v.phone.clone(),
            address: v.address.clone(),
        }
    }
}

impl LedgerMatter {
    pub fn of(m: &Matter) -> LedgerMatter {
        LedgerMatter {
            number: m.number.clone(),
            subject: m.subject(),
        }
    }
}

/// Representatives share one cell, separated by `、`.
const LIST_SEPARATOR: char = '、';

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "是" } else { "否" }.into())
}

impl VisitLine {
    pub fn cell(&self, col: VisitCol) -> Cell {
        let text = |s: &String| Cell::Text(s.clone());
        match col {
            VisitCol::At => Cell::Time(self.at),
            VisitCol::VisitorNo => text(&self.visitor_no),
            VisitCol::Name => text(&self.name),
            VisitCol::IdNumber => text(&self.id_number),
            VisitCol::NoDocument => yes_no(self.no_document),
            VisitCol::Phone => text(&self.phone),
            VisitCol::Address => text(&self.address),
            VisitCol::Channel => text(&self.channel),
            VisitCol::Headcount => Cell::Number(u32::from(self.headcount)),
            VisitCol::Representatives => {
                Cell::Text(self.representatives.join(&LIST_SEPARATOR.to_string()))
            }
            VisitCol::MatterNumber => text(&self.matter_number),
            VisitCol::Category => text(&self.category),
            VisitCol::ContentClass => text(&self.content_class),
            VisitCol::Place => text(&self.place),
            VisitCol::Summary => text(&self.summary),
            VisitCol::Demands => text(&self.demands),
            VisitCol::Accused => text(&self.accused),
            VisitCol::AccusedDepartment => text(&self.accused_department),
            VisitCol::Department => text(&self.department),
            VisitCol::Repeat => yes_no(self.repeat),
        }
    }

    pub fn cells(&self) -> Vec<Cell> {
        VisitCol::ALL.iter().map(|c| self.cell(*c)).collect()
    }

    /// Fills one column from an imported cell; says in Chinese what is wrong.
    pub fn set(&mut self, col: VisitCol, cell: &Cell) -> Result<(), String> {
        let text = cell.text().trim().to_string();
        if col.required() && text.is_empty() {
            return Err(format!("“{}”不能为空", col.header()));
        }
        match col {
            VisitCol::At => self.at = parse_time(cell)?,
            VisitCol::VisitorNo => self.visitor_no = text,
            VisitCol::Name => self.name = text,
            VisitCol::IdNumber => self.id_number = text,
            VisitCol::NoDocument => self.no_document = parse_yes_no(col, &text)?,
            VisitCol::Phone => self.phone = text,
            VisitCol::Address => self.address = text,
            VisitCol::Channel => self.channel = text,
            VisitCol::Headcount => {
                self.headcount = if text.is_empty() {
                    1
                } else {
                    text.parse()
                        .map_err(|_| format!("“来访人数”应为 1 以上的整数，现在是“{text}”"))?
                }
            }
            VisitCol::Representatives => {
                self.representatives = text
                    .split([LIST_SEPARATOR, ',', '，'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            VisitCol::MatterNumber => self.matter_number = text,
            VisitCol::Category => self.category = text,
            VisitCol::ContentClass => self.content_class = text,
            VisitCol::Place => self.place = text,
            VisitCol::Summary => self.summary = text,
            VisitCol::Demands => self.demands = text,
            VisitCol::Accused => self.accused = text,
            VisitCol::AccusedDepartment => self.accused_department = text,
            VisitCol::Department => self.department = text,
            VisitCol::Repeat => self.repeat = parse_yes_no(col, &text)?,
        }
        Ok(())
    }

    pub fn channel(&self) -> Result<Channel, String> {
        if self.channel.is_empty() {
            return Ok(Channel::Walkin);
        }
        by_label(&Channel::ALL, Channel::label, &self.channel, "信访形式")
    }

    pub fn category(&self) -> Result<Category, String> {
        by_label(&Category::ALL, Category::label, &self.category, "事项性质")
    }

    /// What makes this row the same row when a file is imported again: the time,
    /// the person and the matter's text. FNV-1a, stable across builds and platforms.
    pub fn row_key(&self) -> String {
        let canonical = [
            self.at.format(TIME_FORMAT).to_string(),
            self.name.clone(),
            self.id_number.to_uppercase(),
            self.visitor_no.clone(),
            self.department.clone(),
            self.matter_number.clone(),
            self.summary.clone(),
        ]
        .join("\u{1f}");
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in canonical.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

/// The value a ledger cell names by its label, or the error listing the labels.
fn by_label<T: Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
    text: &str,
    what: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| label(*v) == text)
        .ok_or_else(|| {
            let labels: Vec<&str> = all.iter().map(|v| label(*v)).collect();
            format!("{what}“{text}”无法识别，应为{}之一", labels.join("、"))
        })
}

fn parse_yes_no(col: VisitCol, text: &str) -> Result<bool, String> {
    match text {
        "是" | "Y" | "y" | "1" => Ok(true),
        "否" | "N" | "n" | "0" | "" => Ok(false),
        _ => Err(format!("“{}”应填“是”或“否”，现在是“{text}”", col.header())),
    }
}

/// A date cell, or text such as `2026-11-27 09:30`, `2026/11/27` or `2026-11-27`.
fn parse_time(cell: &Cell) -> Result<NaiveDateTime, String> {
    if let Cell::Time(t) = cell {
        return Ok(*t);
    }
    let text = cell.text();
    let text = text.trim();
    for format in [
        TIME_FORMAT,
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t);
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(text, format) {
            return Ok(d.and_time(chrono::NaiveTime::MIN));
        }
    }
    Err(format!(
        "“来访时间”无法识别：“{text}”，请写成 2026-11-27 09:30 或 2026-11-27"
    ))
}

/// The matter ledger's columns (export only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatterCol {
    Number,
    Received,
    Category,
    ContentClass,
    Place,
    Summary,
    Demands,
    Accused,
    Department,
    Status,
    Due,
    Visitors,
    Visits,
}

impl MatterCol {
    pub const ALL: [MatterCol; 13] = [
        MatterCol::Number,
        MatterCol::Received,
        MatterCol::Category,
        MatterCol::ContentClass,
        MatterCol::Place,
        MatterCol::Summary,
        MatterCol::Demands,
        MatterCol::Accused,
        MatterCol::Department,
        MatterCol::Status,
        MatterCol::Due,
        MatterCol::Visitors,
        MatterCol::Visits,
    ];

    pub fn header(self) -> &'static str {
        match self {
            MatterCol::Number => "事项编号",
            MatterCol::Received => "登记时间",
            MatterCol::Category => "事项性质",
            MatterCol::ContentClass => "内容分类",
            MatterCol::Place => "问题属地",
            MatterCol::Summary => "反映的问题",
            MatterCol::Demands => "诉求",
            MatterCol::Accused => "被反映人或单位",
            MatterCol::Department => "责任部门",
            MatterCol::Status => "办理状态",
            MatterCol::Due => "下一期限",
            MatterCol::Visitors => "信访人",
            MatterCol::Visits => "来访批次",
        }
    }

    fn width(self) -> u16 {
        match self {
            MatterCol::Number => 14,
            MatterCol::Received => 17,
            MatterCol::Summary => 40,
            MatterCol::Demands | MatterCol::Visitors => 30,
            MatterCol::Accused | MatterCol::Place => 20,
            MatterCol::Due => 12,
            MatterCol::Category
            | MatterCol::ContentClass
            | MatterCol::Department
            | MatterCol::Status => 12,
            MatterCol::Visits => 9,
        }
    }
}

/// One matter as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterLine {
    pub number: String,
    pub received: NaiveDateTime,
    pub category: String,
    pub content_class: String,
    pub place: String,
    pub summary: String,
    pub demands: String,
    pub accused: String,
    pub department: String,
    pub status: String,
    /// The next legal deadline, `YYYY-MM-DD`; blank once closed.
    pub due: String,
    pub visitors: Vec<String>,
    pub visits: u32,
}

impl MatterLine {
    pub fn cells(&self) -> Vec<Cell> {
        MatterCol::ALL
            .iter()
            .map(|col| {
                let text = |s: &String| Cell::Text(s.clone());
                match col {
                    MatterCol::Number => text(&self.number),
                    MatterCol::Received => Cell::Time(self.received),
                    MatterCol::Category => text(&self.category),
                    MatterCol::ContentClass => text(&self.content_class),
                    MatterCol::Place => text(&self.place),
                    MatterCol::Summary => text(&self.summary),
                    MatterCol::Demands => text(&self.demands),
                    MatterCol::Accused => text(&self.accused),
                    MatterCol::Department => text(&self.department),
                    MatterCol::Status => text(&self.status),
                    MatterCol::Due => text(&self.due),
                    MatterCol::Visitors => {
                        Cell::Text(self.visitors.join(&LIST_SEPARATOR.to_string()))
                    }
                    MatterCol::Visits => Cell::Number(self.visits),
                }
            })
            .collect()
    }
}

/// One page of a ledger, in date order; `next` continues after its last row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerLines {
    Visits(Vec<VisitLine>),
    Matters(Vec<MatterLine>),
}

impl LedgerLines {
    pub fn len(&self) -> usize {
        match self {
            LedgerLines::Visits(v) => v.len(),
            LedgerLines::Matters(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn rows(&self) -> Vec<Vec<Cell>> {
        match self {
            LedgerLines::Visits(v) => v.iter().map(VisitLine::cells).collect(),
            LedgerLines::Matters(m) => m.iter().map(MatterLine::cells).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> VisitLine {
        VisitLine {
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
                .and_then(|d| d.and_hms_opt(9, 30, 0))
                .unwrap(),
            name: "张三".into(),
            category: "申诉求决类".into(),
            representatives: vec!["李四".into(), "王五".into()],
            headcount: 6,
            no_document: true,
            ..VisitLine::default()
        }
    }

    #[test]
    fn every_exported_visit_cell_reads_back_into_the_same_line() {
        let original = line();
        let mut back = VisitLine::default();
        for col in VisitCol::ALL {
            back.set(col, &Cell::Text(original.cell(col).text()))
                .unwrap_or_else(|e| {
                    // Required blanks of the sample are not what this test checks.
                    assert!(e.contains("不能为空"), "{col:?}: {e}");
                });
        }
        assert_eq!(back, original);
        assert_eq!(back.row_key(), original.row_key());
    }

    #[test]
    fn headers_are_unique_and_found_by_name() {
        let headers = LedgerKind::Visits.headers();
        let mut unique = headers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), headers.len());
        assert_eq!(VisitCol::by_header(" 姓名 "), Some(VisitCol::Name));
        assert_eq!(VisitCol::by_header("名字"), None);
        assert_eq!(LedgerKind::Matters.widths().len(), MatterCol::ALL.len());
    }

    #[test]
    fn bad_cells_say_what_is_wrong() {
        let mut l = VisitLine::default();
        let err = l.set(VisitCol::At, &Cell::Text("昨天".into())).unwrap_err();
        assert!(err.contains("来访时间"), "{err}");
        assert!(l.set(VisitCol::At, &Cell::Text("2026/3/4".into())).is_ok());
        assert!(l
            .set(VisitCol::Headcount, &Cell::Text("三".into()))
            .is_err());
        assert!(l
            .set(VisitCol::NoDocument, &Cell::Text("也许".into()))
            .is_err());
        assert!(l.set(VisitCol::Name, &Cell::Text("  ".into())).is_err());
        l.category = "投诉".into();
        assert!(l.category().unwrap_err().contains("申诉求决类"));
        l.channel = String::new();
        assert_eq!(l.channel(), Ok(Channel::Walkin));
    }

    #[test]
    fn the_row_key_changes_with_the_facts_not_with_id_letter_case() {
        let a = line();
        let mut b = line();
        b.id_number = "x".into();
        let mut c = line();
        c.id_number = "X".into();
        assert_eq!(b.row_key(), c.row_key());
        assert_ne!(a.row_key(), b.row_key());
        c.summary = "另一件事".into();
        assert_ne!(b.row_key(), c.row_key());
    }
}
