//! lianfang (联访): the desks of a joint petition reception hall.
//!
//! Layers, from the bottom: [`domain`] (pure rules), [`store`] (the only sled code),
//! [`hall`] (the service API every front end uses), then the front ends.

pub mod allocator;
pub mod cli;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod hall;
pub mod ledger;
pub mod net;
pub mod notice;
pub mod store;
pub mod tui;
