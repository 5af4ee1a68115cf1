//! `init` and `user …`: accounts from the command line, for the hall's owner.

use std::io::BufRead;
use std::path::Path;

use super::output::{json, officer_row, officers_text, OfficerRow};
use super::paths::open_hall;
use super::{CliError, UserCommand};
use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::officer::Role;
use crate::domain::registration::Field;
use crate::hall::{Command, Hall, HallError, HallExt, LocalHall, NewOfficer, SessionToken};

/// The first line of standard input, without its line ending.
fn password_from_stdin() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Input(format!("无法从标准输入读取密码：{e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(CliError::Input(
            "标准输入中没有密码：请把密码作为第一行输入，例如 echo '密码' | lianfang …".into(),
        ));
    }
    Ok(password)
}

pub fn init(data: &Path, config: HallConfig, admin: &str, name: &str) -> Result<(), CliError> {
    let password = password_from_stdin()?;
    let department = config.intake_department().clone();
    let hall = open_hall(data, config)?;
    hall.setup(NewOfficer {
        username: admin.to_string(),
        display_name: name.to_string(),
        role: Role::Admin,
        department: department.code,
        password,
    })?;
    println!(
        "已创建管理员账号 {admin}（{}）。现在可以运行 lianfang 登录窗口界面。",
        department.name
    );
    Ok(())
}

pub fn user(data: &Path, config: HallConfig, command: UserCommand) -> Result<(), CliError> {
    // Read the password before opening the database, so a missing one changes nothing.
    let password = match &command {
        UserCommand::Add { .. } | UserCommand::Passwd { .. } => Some(password_from_stdin()?),
        _ => None,
    };
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let password = password.unwrap_or_default();
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            dept,
            password_stdin: _,
        } => {
            hall.command(
                &system,
                Command::AddOfficer(NewOfficer {
                    username: username.clone(),
                    display_name: name,
                    role,
                    department: DeptCode(dept),
                    password,
                }),
            )
            .map_err(|e| with_department_hint(e, hall.config()))?;
            println!(
                "已创建账号 {username}（{}），首次登录时须修改密码",
                role.label()
            );
        }
        UserCommand::Passwd { username, .. } => {
            hall.command(
                &system,
                Command::SetPassword {
                    username: username.clone(),
                    password,
                },
            )?;
            println!("已修改 {username} 的密码，该账号下次登录时须再设置自己的密码");
        }
        UserCommand::Disable { username } => {
            set_disabled(&hall, &system, &username, true)?;
            println!("已停用账号 {username}（历史记录保留）");
        }
        UserCommand::Enable { username } => {
            set_disabled(&hall, &system, &username, false)?;
            println!("已启用账号 {username}");
        }
        UserCommand::Unlock { username } => {
            hall.command(
                &system,
                Command::UnlockAccount {
                    username: username.clone(),
                },
            )?;
            println!("已解除账号 {username} 的锁定");
        }
        UserCommand::List { json: as_json } => {
            let officers = hall.officers(&system)?;
            if as_json {
                let rows: Vec<OfficerRow> = officers.iter().map(officer_row).collect();
                println!("{}", json(&rows));
            } else {
                print!("{}", officers_text(&officers, hall.config()));
            }
        }
    }
    Ok(())
}

fn set_disabled(
    hall: &LocalHall,
    system: &SessionToken,
    username: &str,
    disabled: bool,
) -> Result<(), CliError> {
    hall.command(
        system,
        Command::SetDisabled {
            username: username.to_string(),
            disabled,
        },
    )?;
    Ok(())
}

/// An unknown department code is easier to fix with the list of codes at hand.
fn with_department_hint(e: HallError, config: &HallConfig) -> CliError {
    match e {
        HallError::Invalid(f) if f.field == Field::Department => {
            let codes: Vec<String> = config
                .departments
                .iter()
                .map(|d| format!("{}（{}）", d.code, d.name))
                .collect();
            CliError::Input(format!(
                "{}。可用的部门代码：{}",
                f.message,
                codes.join("、")
            ))
        }
        e => CliError::Hall(e),
    }
}
