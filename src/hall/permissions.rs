//! Who may do what. Checked in the service for every command and query, never
//! only in a screen.

use super::error::{HallError, HallResult};
use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::lifecycle::TransitionKind;
use crate::domain::matter::{Category, Matter};
use crate::domain::officer::{OfficerInfo, Role};
use crate::domain::oversight::OversightKind;
use crate::domain::registration::{Field, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Register,
    /// Call, recall, skip and finish at a department's window.
    ServeQueue,
    AddNote,
    SetKeyGrade,
    ManageOfficers,
    /// Lookups, profiles, matters: everything but the bare queue.
    ViewRecords,
    ViewQueue,
    /// The overdue / due-soon list of the whole hall, not only one's own department.
    ViewHallDeadlines,
    /// A visitor's full identity number and phone (个人信息保护法: only who needs them,
    /// and audited): intake checks documents, leaders and administrators oversee; a
    /// department's window works with the masked number.
    ViewFullIdentity,
    /// The hall's whole audit trail: logins, identity views, exports, every change.
    ViewAudit,
    /// A copy of the whole database: every visitor's record.
    Backup,
    /// Export the ledger: desks their own department's rows, leaders and
    /// administrators the whole hall's (see [`exports_hall_wide`]).
    ExportLedger,
    /// Import a hall's existing ledger: writes history, so administrators only.
    ImportLedger,
}

/// Whether a role may do an action at all; desks use it to offer only what works.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Display => action == ViewQueue,
        Role::Registrar => matches!(
            action,
            Register | AddNote | ViewRecords | ViewQueue | ViewFullIdentity | ExportLedger
        ),
        Role::Window => matches!(
            action,
            Register | ServeQueue | AddNote | ViewRecords | ViewQueue | ExportLedger
        ),
        // Leaders oversee the hall, deadlines included; desks see their own department's.
        Role::Leader => !matches!(action, ManageOfficers | ViewAudit | Backup | ImportLedger),
        Role::Admin => true,
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Register => "登记来访",
        Action::ServeQueue => "叫号和接待",
        Action::AddNote => "添加备注",
        Action::SetKeyGrade => "设置重点人员等级",
        Action::ManageOfficers => "管理账号",
        Action::ViewRecords => "查看来访记录",
        Action::ViewQueue => "查看排队情况",
        Action::ViewHallDeadlines => "查看全大厅的超期和临期事项",
        Action::ViewFullIdentity => "查看完整的身份证号码和电话",
        Action::ViewAudit => "查看大厅审计记录",
        Action::Backup => "备份数据库",
        Action::ExportLedger => "导出台账",
        Action::ImportLedger => "导入台账",
    }
}

pub fn require(officer: &OfficerInfo, action: Action) -> HallResult<()> {
    if allowed(officer.role, action) {
        Ok(())
    } else {
        Err(HallError::Denied(format!(
            "{}账号不能{}，请用有权限的账号登录",
            officer.role.label(),
            action_label(action)
        )))
    }
}

/// Leaders and administrators export the whole hall's ledger; desks only the rows
/// of their own department.
pub fn exports_hall_wide(officer: &OfficerInfo) -> bool {
    matches!(officer.role, Role::Leader | Role::Admin)
}

/// 检举控告类 matters are seen only by the accusations department and administrators (Art 30).
pub fn can_see(officer: &OfficerInfo, config: &HallConfig, category: Category) -> bool {
    !category.confidential()
        || officer.role == Role::Admin
        || config
            .department(&officer.department)
            .is_some_and(|d| d.accusations)
}

/// A matter as its category allows, and never to the department of the unit it accuses
/// (Art 30), whatever that department's remit; administrators see every matter.
pub fn can_see_matter(officer: &OfficerInfo, config: &HallConfig, matter: &Matter) -> bool {
    can_see_subject(
        officer,
        config,
        matter.category,
        matter.accused_department(),
    )
}

/// [`can_see_matter`] from what a matter is about (a ledger entry holds no whole matter).
pub fn can_see_subject(
    officer: &OfficerInfo,
    config: &HallConfig,
    category: Category,
    accused_department: Option<&DeptCode>,
) -> bool {
    can_see(officer, config, category)
        && (officer.role == Role::Admin || accused_department != Some(&officer.department))
}

pub fn require_visible(
    officer: &OfficerInfo,
    config: &HallConfig,
    matter: &Matter,
) -> HallResult<()> {
    if can_see_matter(officer, config, matter) {
        Ok(())
    } else {
        Err(HallError::Denied(
            "该事项为检举控告类，仅纪委监委和管理员可以查看和处理".into(),
        ))
    }
}

/// A department may hold a matter — queue it, be routed it — only if its windows
/// may see it: otherwise a 检举控告类 matter would sit in a queue whose officers
/// call and close it without being allowed to read it. An accusation never goes to the
/// department of the unit it accuses (Art 30).
pub fn may_hold(config: &HallConfig, department: &DeptCode, matter: &Matter) -> HallResult<()> {
    if matter.accused_department() == Some(department) {
        return Err(FieldError::new(
            Field::Department,
            format!(
                "该事项检举控告的是{}的人员或单位，不能交由该部门办理，也不能让其知悉（《信访工作条例》第三十条）；请交由其他有权处理的机关或上级纪检监察机关",
                config.dept_short(department)
            ),
        )
        .into());
    }
    let category = matter.category;
    let holds =
        !category.confidential() || config.department(department).is_some_and(|d| d.accusations);
    if holds {
        return Ok(());
    }
    let allowed: Vec<&str> = config
        .departments
        .iter()
        .filter(|d| d.accusations)
        .map(|d| d.name.as_str())
        .collect();
    Err(FieldError::new(
        Field::Department,
        format!(
            "检举控告类事项只能交由{}办理，请改选部门",
            allowed.join("或")
        ),
    )
    .into())
}

/// A matter is routed by its current department, by the intake desk, or by an administrator.
pub fn may_route(officer: &OfficerInfo, config: &HallConfig, current: &DeptCode) -> HallResult<()> {
    let intake = config
        .department(&officer.department)
        .is_some_and(|d| d.intake);
    let own = &officer.department == current
        && matches!(officer.role, Role::Window | Role::Leader | Role::Registrar);
    if officer.role == Role::Admin || intake && officer.role != Role::Display || own {
        Ok(())
    } else {
        Err(HallError::Denied(
            "只有事项当前的责任部门、信访局登记分流人员或管理员可以转送、交办".into(),
        ))
    }
}

/// 满意度评价 and 第三方评价 are recorded by the department handling the matter: its window
/// officers or leaders, or an administrator.
pub fn may_evaluate(officer: &OfficerInfo, holder: &DeptCode) -> HallResult<()> {
    let own = &officer.department == holder;
    if officer.role == Role::Admin || own && matches!(officer.role, Role::Window | Role::Leader) {
        Ok(())
    } else {
        Err(HallError::Denied(
            "满意度评价只能由事项责任部门的窗口人员或领导、或管理员记录".to_string(),
        ))
    }
}

/// Who records a lifecycle step on a matter held by `holder`, besides administrators:
/// - 转送交办: as `may_route`;
/// - 延期: a leader of the holding department, who approves it (Art 34);
/// - 复查 / 复核 and a lapsed request window: 复查 is the next level up's, so in the hall it is
///   recorded by the intake desk (信访局) or a leader;
/// - every other step (受理, 办结答复, 不予受理, 退回 …): the holding department's windows and
///   leaders.
pub fn may_step(
    officer: &OfficerInfo,
    config: &HallConfig,
    holder: &DeptCode,
    kind: TransitionKind,
) -> HallResult<()> {
    use TransitionKind as T;
    if kind == T::Route {
        return may_route(officer, config, holder);
    }
    let role = officer.role;
    let own = &officer.department == holder;
    let intake = config
        .department(&officer.department)
        .is_some_and(|d| d.intake);
    let (allowed, who) = match kind {
        T::Extend => (own && role == Role::Leader, "事项责任部门的领导"),
        T::RequestReview
        | T::StartReview
        | T::AnswerReview
        | T::RequestRecheck
        | T::StartRecheck
        | T::AnswerRecheck
        | T::Lapse => (
            role == Role::Leader || intake && role != Role::Display,
            "信访局工作人员或领导",
        ),
        _ => (
            own && matches!(role, Role::Window | Role::Leader),
            "事项责任部门的窗口人员或领导",
        ),
    };
    if allowed || role == Role::Admin {
        Ok(())
    } else {
        Err(HallError::Denied(format!(
            "“{}”只能由{}或管理员办理",
            kind.label(),
            who
        )))
    }
}

/// Who takes an oversight action on a matter held by `holder`, besides administrators:
/// - 督办 and its clearing: leaders, and the 信访局 (intake) staff who supervise the hall's
///   matters — never the holding department's own windows, which the supervision is about;
/// - 领导批示: leaders;
/// - 领导包案: a leader, for themselves (an administrator is not a leader and cannot);
///   解除包案: the leader in charge (`in_charge`), or an administrator;
/// - 回访: the holding department's windows and leaders, and the 信访局 staff.
pub fn may_oversee(
    officer: &OfficerInfo,
    config: &HallConfig,
    holder: &DeptCode,
    in_charge: Option<&str>,
    kind: OversightKind,
) -> HallResult<()> {
    use OversightKind as O;
    let role = officer.role;
    let leader = role == Role::Leader;
    let admin = role == Role::Admin;
    let intake_staff = role != Role::Display
        && config
            .department(&officer.department)
            .is_some_and(|d| d.intake);
    let own = &officer.department == holder && matches!(role, Role::Window | Role::Leader);
    let (allowed, who) = match kind {
        O::Supervise | O::ClearSupervision => (
            leader || admin || intake_staff,
            "领导、信访局工作人员或管理员",
        ),
        O::Instruct => (leader || admin, "领导或管理员"),
        O::TakeCharge => (leader, "带班领导本人"),
        O::ReleaseCharge => (
            admin || in_charge == Some(officer.username.as_str()),
            "包案领导本人或管理员",
        ),
        O::FollowUp => (
            own || intake_staff || admin,
            "事项责任部门的窗口人员或领导、信访局工作人员或管理员",
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(HallError::Denied(format!(
            "“{}”只能由{}办理",
            kind.label(),
            who
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(role: Role, dept: &str) -> OfficerInfo {
        OfficerInfo {
            username: "u".into(),
            display_name: "某".into(),
            role,
            department: DeptCode::new(dept),
            disabled: false,
        }
    }

    #[test]
    fn roles_allow_what_the_matrix_says() {
        assert!(require(&officer(Role::Display, "xfj"), Action::ViewQueue).is_ok());
        assert!(require(&officer(Role::Display, "xfj"), Action::ViewRecords).is_err());
        assert!(require(&officer(Role::Registrar, "xfj"), Action::ServeQueue).is_err());
        assert!(require(&officer(Role::Window, "rs"), Action::ServeQueue).is_ok());
        assert!(require(&officer(Role::Window, "rs"), Action::ManageOfficers).is_err());
        assert!(require(&officer(Role::Leader, "rs"), Action::SetKeyGrade).is_ok());
        assert!(require(&officer(Role::Leader, "rs"), Action::ManageOfficers).is_err());
        assert!(require(&officer(Role::Admin, "xfj"), Action::ManageOfficers).is_ok());
        assert!(require(&officer(Role::Window, "rs"), Action::ViewHallDeadlines).is_err());
        assert!(require(&officer(Role::Leader, "rs"), Action::ViewHallDeadlines).is_ok());
        assert!(require(&officer(Role::Registrar, "xfj"), Action::ViewFullIdentity).is_ok());
        assert!(require(&officer(Role::Window, "rs"), Action::ViewFullIdentity).is_err());
        assert!(require(&officer(Role::Leader, "rs"), Action::ViewAudit).is_err());
        assert!(require(&officer(Role::Admin, "xfj"), Action::ViewAudit).is_ok());
    }

    #[test]
    fn accusations_are_seen_by_the_discipline_desk_and_admins_only() {
        let c = HallConfig::embedded();
        assert!(can_see(
            &officer(Role::Window, "jw"),
            &c,
            Category::Accusation
        ));
        assert!(can_see(
            &officer(Role::Admin, "xfj"),
            &c,
            Category::Accusation
        ));
        assert!(!can_see(
            &officer(Role::Leader, "rs"),
            &c,
            Category::Accusation
        ));
        assert!(can_see(&officer(Role::Leader, "rs"), &c, Category::Claim));
    }

    #[test]
    fn lifecycle_steps_follow_the_holder_intake_and_leaders() {
        use TransitionKind as T;
        let c = HallConfig::embedded();
        let rs = DeptCode::new("rs");
        let may = |role, dept, kind| may_step(&officer(role, dept), &c, &rs, kind).is_ok();
        assert!(may(Role::Leader, "rs", T::Extend));
        assert!(!may(Role::Window, "rs", T::Extend));
        assert!(!may(Role::Leader, "ga", T::Extend));
        assert!(may(Role::Admin, "xfj", T::Extend));
        assert!(may(Role::Window, "rs", T::Reply));
        assert!(may(Role::Window, "rs", T::ReturnToSender));
        assert!(!may(Role::Window, "ga", T::ReturnToSender));
        assert!(!may(Role::Registrar, "rs", T::Reply));
        assert!(may(Role::Registrar, "xfj", T::RequestReview));
        assert!(may(Role::Leader, "ga", T::AnswerRecheck));
        assert!(!may(Role::Window, "rs", T::RequestReview));
        assert!(!may(Role::Display, "xfj", T::Lapse));
        assert!(may(Role::Registrar, "xfj", T::Route));
    }

    #[test]
    fn routing_is_for_the_owner_intake_or_admin() {
        let c = HallConfig::embedded();
        let rs = DeptCode::new("rs");
        assert!(may_route(&officer(Role::Window, "rs"), &c, &rs).is_ok());
        assert!(may_route(&officer(Role::Registrar, "xfj"), &c, &rs).is_ok());
        assert!(may_route(&officer(Role::Window, "ga"), &c, &rs).is_err());
        assert!(may_route(&officer(Role::Display, "xfj"), &c, &rs).is_err());
    }

    #[test]
    fn oversight_follows_leaders_intake_and_the_holder() {
        use OversightKind as O;
        let c = HallConfig::embedded();
        let rs = DeptCode::new("rs");
        let may = |role, dept, kind| may_oversee(&officer(role, dept), &c, &rs, None, kind).is_ok();
        assert!(may(Role::Leader, "ga", O::Supervise));
        assert!(may(Role::Registrar, "xfj", O::Supervise));
        assert!(!may(Role::Window, "rs", O::Supervise));
        assert!(!may(Role::Display, "xfj", O::ClearSupervision));
        assert!(may(Role::Leader, "rs", O::Instruct));
        assert!(!may(Role::Window, "xfj", O::Instruct));
        assert!(may(Role::Admin, "xfj", O::Instruct));
        assert!(may(Role::Leader, "ga", O::TakeCharge));
        assert!(!may(Role::Admin, "xfj", O::TakeCharge));
        assert!(!may(Role::Leader, "ga", O::ReleaseCharge));
        assert!(may(Role::Admin, "xfj", O::ReleaseCharge));
        let mine = may_oversee(
            &officer(Role::Leader, "ga"),
            &c,
            &rs,
            Some("u"),
            O::ReleaseCharge,
        );
        assert!(mine.is_ok());
        assert!(may(Role::Window, "rs", O::FollowUp));
        assert!(!may(Role::Window, "ga", O::FollowUp));
        assert!(may(Role::Registrar, "xfj", O::FollowUp));
    }
}
