//! Pure domain types and rules: no IO, no sled, no terminal.

pub mod account;
pub mod audit;
pub mod calendar;
pub mod department;
pub mod evaluation;
pub mod identity;
pub mod ledger;
pub mod lifecycle;
pub mod matter;
pub mod name;
pub mod officer;
pub mod oversight;
pub mod phone;
pub mod pinyin;
pub mod registration;
pub mod stats;
pub mod text;
pub mod ticket;
pub mod time;
pub mod visit;
pub mod visit_facts;
pub mod visitor;
