//! The desk's screens; each is a [`Component`](super::component::Component).

pub mod actions;
pub mod board;
pub mod due;
pub mod evaluation;
pub mod export;
pub mod help;
pub mod intake;
pub mod login;
pub mod lookup;
pub mod matter_page;
pub mod notice;
pub mod password;
pub mod records;
pub mod setup;
pub mod stats;
pub mod window;
