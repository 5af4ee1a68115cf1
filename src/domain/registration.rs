//! Validating what the intake form sends, with the same rules at the desk and in the service.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::department::{Department, DeptCode};
use super::identity::IdNumber;
use super::matter::{Category, MatterId};
use super::name::PersonName;
use super::phone::Phone;
use super::text::char_count;
use super::time::Timestamp;
use super::visit::Channel;
use super::visit_facts::{self, VisitFacts, ANONYMOUS_NAME};
use super::visitor::{Visitor, VisitorId, VisitorSummary};

/// The form field an error belongs to, so a screen can show it beside that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    IdNumber,
    Name,
    Phone,
    Address,
    Headcount,
    Representatives,
    ContentClass,
    Place,
    Summary,
    Demands,
    Department,
    Accused,
    AccusedDepartment,
    Matter,
    Note,
    Username,
    Password,
    Level,
    Anonymous,
    LowerLevel,
    /// The last day of the lower level's time limit, as typed at the desk.
    LowerLevelUntil,
    /// The desk name an officer signs in at.
    Desk,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

pub const MAX_ADDRESS: usize = 200;
pub const MAX_PLACE: usize = 100;
pub const MAX_SUMMARY: usize = 4000;
pub const MAX_DEMANDS: usize = 2000;
pub const MAX_NOTE: usize = 2000;
pub const MAX_ACCUSED: usize = 100;
pub const MAX_HEADCOUNT: u16 = 999;

/// A free-text field: trimmed, no control characters but line breaks, bounded length.
pub fn text_field(
    field: Field,
    label: &str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(FieldError::new(field, format!("请填写{label}")));
    }
    let len = char_count(text);
    if len > max {
        return Err(FieldError::new(
            field,
            format!("{label}最多 {max} 字，现在是 {len} 字，请精简"),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(
            field,
            format!("{label}含有不可见的控制字符，请重新输入"),
        ));
    }
    Ok(text.to_string())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMatter {
    pub category: Category,
    pub content_class: String,
    pub place: String,
    pub summary: String,
    pub demands: String,
    /// 被反映人或单位: required for 检举控告类, empty otherwise.
    pub accused: String,
    /// The department the accused unit belongs to, when known (检举控告类 only).
    pub accused_department: Option<DeptCode>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatterChoice {
    /// A repeat visit on an open matter: no duplicate is opened.
    Attach(MatterId),
    New(NewMatter),
}

/// The intake form as typed: raw text, validated by [`validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInput {
    /// A visitor picked from the repeat-visitor panel.
    pub visitor: Option<VisitorId>,
    pub id_number: String,
    pub no_document: bool,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub channel: Channel,
    pub headcount: u16,
    pub representatives: Vec<String>,
    pub matter: MatterChoice,
    pub department: DeptCode,
    /// Level already reached, anonymity, a lower level's acceptance.
    pub facts: VisitFacts,
}

/// The rules a registration is checked against, taken from the hall's config.
pub struct Rules<'a> {
    pub departments: &'a [Department],
    pub content_classes: &'a [String],
    pub group_threshold: u16,
    pub max_representatives: usize,
    pub today: NaiveDate,
    /// How many visit levels the hall configures (`本级 / 到市 / 到省 / 进京`).
    pub visit_levels: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRegistration {
    pub visitor: Option<VisitorId>,
    pub id_number: Option<IdNumber>,
    pub name: PersonName,
    pub phone: Option<Phone>,
    pub address: String,
    pub channel: Channel,
    pub headcount: u16,
    pub representatives: Vec<PersonName>,
    pub matter: MatterChoice,
    pub department: DeptCode,
    pub facts: VisitFacts,
}

impl ValidRegistration {
    pub fn is_group(&self, threshold: u16) -> bool {
        self.headcount >= threshold
    }
}

impl ValidRegistration {
    /// The visitor this registration makes when nobody on record is the same person.
    pub fn new_visitor(&self, id: VisitorId, created: Timestamp) -> Visitor {
        Visitor {
            id,
            id_number: self.id_number.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            key_grade: None,
            created,
            summary: VisitorSummary::default(),
            anonymous: self.facts.anonymous,
        }
    }
}

pub fn validate_id_number(
    text: &str,
    no_document: bool,
    today: NaiveDate,
) -> Result<Option<IdNumber>, FieldError> {
    let blank = text.trim().is_empty();
    match (no_document, blank) {
        (true, true) => Ok(None),
        (true, false) => Err(FieldError::new(
            Field::IdNumber,
            "已勾选“无证件”，请清空身份证号码，或取消勾选",
        )),
        (false, true) => Err(FieldError::new(
            Field::IdNumber,
            "请填写身份证号码；来访人没有证件时请勾选“无证件”",
        )),
        (false, false) => IdNumber::parse_on(text, today)
            .map(Some)
            .map_err(|e| FieldError::new(Field::IdNumber, e.to_string())),
    }
}

pub fn validate_phone(text: &str) -> Result<Option<Phone>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Phone::parse(text)
        .map(Some)
        .map_err(|e| FieldError::new(Field::Phone, e.to_string()))
}

pub fn validate_name(text: &str) -> Result<PersonName, FieldError> {
    PersonName::parse(text).map_err(|e| FieldError::new(Field::Name, e.to_string()))
}

pub fn validate_group(
    headcount: u16,
    representatives: &[String],
    rules: &Rules,
) -> Result<Vec<PersonName>, FieldError> {
    if headcount == 0 {
        return Err(FieldError::new(Field::Headcount, "来访人数至少为 1"));
    }
    if headcount > MAX_HEADCOUNT {
        return Err(FieldError::new(
            Field::Headcount,
            format!("来访人数不能超过 {MAX_HEADCOUNT}，请核对"),
        ));
    }
    let reps = representatives
        .iter()
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            PersonName::parse(r)
                .map_err(|e| FieldError::new(Field::Representatives, format!("代表姓名“{r}”：{e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if reps.len() > rules.max_representatives {
        return Err(FieldError::new(
            Field::Representatives,
            format!(
                "集体访推选的代表不得超过 {} 人（《信访工作条例》第二十条），现在是 {} 人",
                rules.max_representatives,
                reps.len()
            ),
        ));
    }
    if headcount >= rules.group_threshold && reps.is_empty() {
        return Err(FieldError::new(
            Field::Representatives,
            format!(
                "{headcount} 人来访属于集体访，请登记推选的代表（最多 {} 人）",
                rules.max_representatives
            ),
        ));
    }
    if usize::from(headcount) < reps.len() {
        return Err(FieldError::new(
            Field::Representatives,
            "代表人数不能多于来访人数",
        ));
    }
    Ok(reps)
}

pub fn validate_department(code: &DeptCode, rules: &Rules) -> Result<(), FieldError> {
    if rules.departments.iter().any(|d| &d.code == code) {
        Ok(())
    } else {
        Err(FieldError::new(
            Field::Department,
            format!("没有代码为“{code}”的部门，请从列表中选择"),
        ))
    }
}

pub fn validate_new_matter(m: &NewMatter, rules: &Rules) -> Result<NewMatter, FieldError> {
    if !rules
        .content_classes
        .iter()
        .any(|c| c == m.content_class.trim())
    {
        return Err(FieldError::new(
            Field::ContentClass,
            format!(
                "内容分类“{}”不在配置的分类中，请从列表中选择",
                m.content_class
            ),
        ));
    }
    let (accused, accused_department) = validate_accused(m, rules)?;
    Ok(NewMatter {
        category: m.category,
        content_class: m.content_class.trim().to_string(),
        place: text_field(Field::Place, "问题属地", &m.place, MAX_PLACE, true)?,
        summary: text_field(Field::Summary, "反映的问题", &m.summary, MAX_SUMMARY, true)?,
        demands: text_field(Field::Demands, "诉求", &m.demands, MAX_DEMANDS, false)?,
        accused,
        accused_department,
    })
}

/// The accused party of a 检举控告类 matter: required there, and nowhere else, so that no
/// other matter carries a name that must stay with 纪委监委.
fn validate_accused(
    m: &NewMatter,
    rules: &Rules,
) -> Result<(String, Option<DeptCode>), FieldError> {
    let confidential = m.category.confidential();
    let label = "被反映人或单位";
    let accused = text_field(Field::Accused, label, &m.accused, MAX_ACCUSED, confidential)?;
    if !confidential && (!accused.is_empty() || m.accused_department.is_some()) {
        return Err(FieldError::new(
            Field::Accused,
            format!("只有检举控告类事项登记{label}，请清空该项或改选事项性质"),
        ));
    }
    if let Some(code) = &m.accused_department {
        if !rules.departments.iter().any(|d| &d.code == code) {
            return Err(FieldError::new(
                Field::AccusedDepartment,
                format!("没有代码为“{code}”的部门，请从列表中选择被反映单位所属部门"),
            ));
        }
    }
    Ok((accused, m.accused_department.clone()))
}

pub fn validate(input: &RegistrationInput, rules: &Rules) -> Result<ValidRegistration, FieldError> {
    let personal = [
        input.name.as_str(),
        input.id_number.as_str(),
        input.phone.as_str(),
        input.address.as_str(),
    ];
    let facts = visit_facts::validate(&input.facts, input.channel, personal, rules.visit_levels)?;
    if facts.anonymous && input.visitor.is_some() {
        return Err(FieldError::new(
            Field::Anonymous,
            "匿名登记不关联已登记的来访人，请取消所选来访人，或取消“匿名”",
        ));
    }
    if facts.lower_level.is_some() && matches!(input.matter, MatterChoice::Attach(_)) {
        return Err(FieldError::new(
            Field::LowerLevel,
            "追加到已有事项的来访不登记下级受理情况，请清空该项，或登记为新事项",
        ));
    }
    // An anonymous letter or call has no number; its name is the word 匿名.
    let (id_number, name) = if facts.anonymous {
        (None, validate_name(ANONYMOUS_NAME)?)
    } else {
        (
            validate_id_number(&input.id_number, input.no_document, rules.today)?,
            validate_name(&input.name)?,
        )
    };
    let phone = validate_phone(&input.phone)?;
    let address = text_field(Field::Address, "住址", &input.address, MAX_ADDRESS, false)?;
    let representatives = validate_group(input.headcount, &input.representatives, rules)?;
    validate_department(&input.department, rules)?;
    let matter = match &input.matter {
        MatterChoice::Attach(id) => MatterChoice::Attach(*id),
        MatterChoice::New(m) => MatterChoice::New(validate_new_matter(m, rules)?),
    };
    Ok(ValidRegistration {
        visitor: input.visitor,
        id_number,
        name,
        phone,
        address,
        channel: input.channel,
        headcount: input.headcount,
        representatives,
        matter,
        department: input.department.clone(),
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn departments() -> Vec<Department> {
        vec![Department {
            code: DeptCode::new("rs"),
            name: "人社".into(),
            ticket_prefix: "人社".into(),
            intake: false,
            accusations: false,
        }]
    }

    fn input() -> RegistrationInput {
        RegistrationInput {
            visitor: None,
            id_number: "11010519491231002X".into(),
            no_document: false,
            name: "张三".into(),
            phone: "13812345678".into(),
            address: "".into(),
            channel: Channel::Walkin,
            headcount: 1,
            representatives: vec![],
            matter: MatterChoice::New(NewMatter {
                category: Category::Claim,
                content_class: "劳动社保".into(),
                place: "东城区".into(),
                summary: "拖欠工资".into(),
                demands: "".into(),
                accused: "".into(),
                accused_department: None,
            }),
            department: DeptCode::new("rs"),
            facts: VisitFacts::default(),
        }
    }

    fn check(input: &RegistrationInput) -> Result<ValidRegistration, FieldError> {
        let deps = departments();
        let classes = vec!["劳动社保".to_string()];
        validate(
            input,
            &Rules {
                departments: &deps,
                content_classes: &classes,
                group_threshold: 5,
                max_representatives: 5,
                today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                visit_levels: 4,
            },
        )
    }

    fn field_of(input: &RegistrationInput) -> Field {
        check(input).unwrap_err().field
    }

    #[test]
    fn a_plain_registration_is_valid() {
        let v = check(&input()).unwrap();
        assert_eq!(v.name.as_str(), "张三");
        assert!(!v.is_group(5));
    }

    #[test]
    fn group_visits_need_between_one_and_five_representatives() {
        let mut i = input();
        i.headcount = 5;
        assert_eq!(field_of(&i), Field::Representatives);
        i.representatives = vec!["李四".into(), "王五".into()];
        assert!(check(&i).unwrap().is_group(5));
        i.representatives = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
            .map(String::from)
            .to_vec();
        i.headcount = 30;
        let err = check(&i).unwrap_err();
        assert_eq!(err.field, Field::Representatives);
        assert!(err.message.contains("第二十条"));
        i.headcount = 0;
        assert_eq!(field_of(&i), Field::Headcount);
        i.headcount = 4;
        i.representatives = vec!["李四".into()];
        assert_eq!(check(&i).unwrap().representatives.len(), 1);
    }

    #[test]
    fn bad_fields_are_named() {
        let mut i = input();
        i.id_number = "110105194912310021".into();
        assert_eq!(field_of(&i), Field::IdNumber);
        i = input();
        i.id_number.clear();
        assert_eq!(field_of(&i), Field::IdNumber);
        i.no_document = true;
        assert!(check(&i).unwrap().id_number.is_none());
        i = input();
        i.name = "  ".into();
        assert_eq!(field_of(&i), Field::Name);
        i = input();
        i.phone = "12345".into();
        assert_eq!(field_of(&i), Field::Phone);
        i = input();
        i.department = DeptCode::new("nope");
        assert_eq!(field_of(&i), Field::Department);
        i = input();
        if let MatterChoice::New(m) = &mut i.matter {
            m.summary = "字".repeat(MAX_SUMMARY + 1);
        }
        assert_eq!(field_of(&i), Field::Summary);
    }

    fn accusation(accused: &str, department: Option<&str>) -> RegistrationInput {
        let mut i = input();
        if let MatterChoice::New(m) = &mut i.matter {
            m.category = Category::Accusation;
            m.accused = accused.into();
            m.accused_department = department.map(DeptCode::new);
        }
        i
    }

    fn accused_of(v: ValidRegistration) -> (String, Option<DeptCode>) {
        match v.matter {
            MatterChoice::New(m) => (m.accused, m.accused_department),
            MatterChoice::Attach(_) => panic!("a new matter was registered"),
        }
    }

    #[test]
    fn an_accusation_names_the_accused_and_nothing_else_does() {
        let valid = check(&accusation("  某街道办事处 ", Some("rs"))).unwrap();
        assert_eq!(
            accused_of(valid),
            ("某街道办事处".to_string(), Some(DeptCode::new("rs")))
        );
        assert_eq!(
            accused_of(check(&accusation("王某", None)).unwrap()).1,
            None
        );

        let err = check(&accusation(" ", None)).unwrap_err();
        assert_eq!(err.field, Field::Accused);
        assert!(err.message.contains("被反映人或单位"), "{}", err.message);
        let long = "某".repeat(MAX_ACCUSED + 1);
        assert_eq!(field_of(&accusation(&long, None)), Field::Accused);
        assert!(check(&accusation(&"某".repeat(MAX_ACCUSED), None)).is_ok());
        assert_eq!(
            field_of(&accusation("王某", Some("nope"))),
            Field::AccusedDepartment
        );

        // A claim carrying an accused party is refused, not silently stripped.
        let mut claim = accusation("王某", None);
        if let MatterChoice::New(m) = &mut claim.matter {
            m.category = Category::Claim;
        }
        assert_eq!(field_of(&claim), Field::Accused);
    }
}
