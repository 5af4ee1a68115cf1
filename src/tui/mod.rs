//! The desk: keyboard-driven screens over any [`Hall`].

use std::sync::Arc;

use crate::hall::Hall;

/// How a desk was started, from the command line and the config.
#[derive(Clone, Debug, Default)]
pub struct DeskOptions {
    /// Draw borders with `+ - |` for terminals that draw box characters double-width.
    pub ascii_borders: bool,
    /// The desk's name (`人社-1号窗口`); empty lets the hall derive one from the officer.
    pub desk: String,
}

/// Runs the desk until the officer quits; the terminal is restored on every exit path.
pub fn run_desk(hall: Arc<dyn Hall>, options: DeskOptions) -> std::io::Result<()> {
    let _ = (hall, options);
    Err(std::io::Error::other("桌面界面尚在开发中"))
}
