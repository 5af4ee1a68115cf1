//! No subcommand: open the desk on this data directory, or on a throw-away demo hall.

use std::path::Path;
use std::sync::Arc;

use super::network::{connect, require_terminal};
use super::paths::open_hall;
use super::tools::fill;
use super::CliError;
use crate::config::HallConfig;
use crate::demo;
use crate::hall::clock::SystemClock;
use crate::hall::{Hall, LocalHall};
use crate::tui::{run_desk, DeskOptions};

pub struct DeskArgs {
    pub desk: String,
    pub ascii: bool,
    /// `--demo`: how many visitors the throw-away hall gets.
    pub demo_visitors: Option<u64>,
    /// `--server`: a hall server to connect to instead of the local data directory.
    pub server: Option<String>,
}

pub fn run(data: &Path, config: HallConfig, args: DeskArgs) -> Result<(), CliError> {
    // Checked first, so a script that runs `lianfang` by mistake changes nothing.
    require_terminal()?;
    let options = DeskOptions {
        ascii_borders: args.ascii || config.ascii_borders,
        desk: args.desk,
        // `join` keeps an absolute configured folder as it is.
        notice_dir: data.join(
            config
                .notice_dir
                .clone()
                .unwrap_or_else(|| crate::notice::DEFAULT_DIR.into()),
        ),
        // Unset: the folder the desk was started in (an empty path is relative to it).
        export_dir: config
            .export_dir
            .as_ref()
            .map(|d| data.join(d))
            .unwrap_or_default(),
        lock_after_minutes: config.lock_after_minutes,
    };
    // The desk gets a `Hall` and never knows which kind.
    let hall: Arc<dyn Hall> = match (args.server, args.demo_visitors) {
        (Some(server), _) => Arc::new(connect(&server, &config.tls)?),
        (None, Some(visitors)) => Arc::new(demo_hall(config, visitors)?),
        (None, None) => Arc::new(open_hall(data, config)?),
    };
    run_desk(hall, options).map_err(|e| CliError::Desk(e.to_string()))
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
