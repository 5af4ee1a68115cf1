//! No subcommand: open the desk on this data directory, or on a throw-away demo hall.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use super::paths::open_hall;
use super::tools::fill;
use super::CliError;
use crate::config::HallConfig;
use crate::demo;
use crate::hall::clock::SystemClock;
use crate::hall::LocalHall;
use crate::tui::{run_desk, DeskOptions};

pub struct DeskArgs {
    pub desk: String,
    pub ascii: bool,
    /// `--demo`: how many visitors the throw-away hall gets.
    pub demo_visitors: Option<u64>,
}

pub fn run(data: &Path, config: HallConfig, args: DeskArgs) -> Result<(), CliError> {
    // Checked first, so a script that runs `lianfang` by mistake changes nothing.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CliError::Desk(
            "标准输入或输出不是终端。请在终端窗口中直接运行 lianfang；\
             在脚本中请使用子命令（lianfang --help 查看）"
                .into(),
        ));
    }
    let options = DeskOptions {
        ascii_borders: args.ascii || config.ascii_borders,
        desk: args.desk,
    };
    let hall = match args.demo_visitors {
        Some(visitors) => demo_hall(config, visitors)?,
        None => open_hall(data, config)?,
    };
    run_desk(Arc::new(hall), options).map_err(|e| CliError::Desk(e.to_string()))
}

/// A hall in a temporary database with generated data and the demo accounts listed on its
/// login screen.
fn demo_hall(config: HallConfig, visitors: u64) -> Result<LocalHall, CliError> {
    let mut hall = LocalHall::temporary(config, Box::new(SystemClock))?;
    fill(&hall, visitors, 1)?;
    let accounts = demo::create_accounts(&hall)?;
    hall.set_demo_accounts(accounts);
    Ok(hall)
}
