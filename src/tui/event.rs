//! Everything the desk's loop reacts to arrives as one [`AppEvent`].

use ratatui::crossterm::event::KeyEvent;

use super::jobs::Reply;
use crate::hall::Event;

#[derive(Debug)]
pub enum AppEvent {
    Key(KeyEvent),
    Resize,
    /// Something changed in the hall (pushed by its event stream).
    Hall(Event),
    /// The hall's event stream ended: nothing refreshes by itself any more.
    HallEventsEnded,
    /// The answer to a request posted by a screen.
    Reply(Reply),
    /// The slow timer: waiting minutes on the board move on.
    Tick,
    /// The keyboard can no longer be read (the terminal went away): quit.
    InputLost,
}
