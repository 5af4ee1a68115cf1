//! Shared by the network tests: a hall with desk accounts, fast timeouts, registrations.
#![allow(dead_code)] // each test binary uses a different part

use std::time::Duration;

use lianfang::domain::department::DeptCode;
use lianfang::domain::matter::Category;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::visit::Channel;
use lianfang::hall::{LocalHall, NewOfficer};
use lianfang::net::{ClientConfig, ServerConfig};

pub const PASSWORD: &str = "desk-password-1";

/// Window accounts of 人社 (they may register and call), plus a display account.
pub fn add_accounts(hall: &LocalHall, windows: usize) {
    for i in 0..windows {
        hall.add_officer_direct(&officer(&format!("rs{i}"), Role::Window))
            .expect("add window account");
    }
    hall.add_officer_direct(&officer("screen", Role::Display))
        .expect("add display account");
}

fn officer(username: &str, role: Role) -> NewOfficer {
    NewOfficer {
        username: username.into(),
        display_name: "测试".into(),
        role,
        department: DeptCode::new("rs"),
        password: PASSWORD.into(),
    }
}

/// A visitor without documents: every registration makes a new visitor.
pub fn registration(n: usize) -> RegistrationInput {
    RegistrationInput {
        visitor: None,
        id_number: String::new(),
        no_document: true,
        name: format!("张{}", ["一", "二", "三", "四", "五"][n % 5]),
        phone: String::new(),
        address: String::new(),
        channel: Channel::Walkin,
        headcount: 1,
        representatives: vec![],
        matter: MatterChoice::New(NewMatter {
            category: Category::Claim,
            content_class: "劳动社保".into(),
            place: "东城区".into(),
            summary: format!("拖欠工资 第{n}件"),
            demands: String::new(),
            accused: String::new(),
            accused_department: None,
        }),
        department: DeptCode::new("rs"),
        facts: Default::default(),
    }
}

/// Short timeouts so that timing-out cases finish quickly; generous enough for a loaded CI machine.
pub fn fast_server() -> ServerConfig {
    ServerConfig {
        handshake_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(3),
        write_timeout: Duration::from_millis(500),
        outgoing_queue: 16,
        max_connections: 64,
        tls: None,
    }
}

pub fn fast_client() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(20),
        heartbeat_interval: Duration::from_millis(200),
        dead_after: Duration::from_secs(5),
        reconnect_min: Duration::from_millis(20),
        reconnect_max: Duration::from_millis(200),
        tls: None,
    }
}
