//! Taking the terminal and giving it back: raw mode, the alternate screen and mouse capture on
//! the way in, the cursor hidden while drawing; all undone on the way out, on panic, on Ctrl-C and SIGTERM (through the
//! loop), and around Ctrl-Z.

use std::io::{self, Stdout};

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the TUI draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Takes the terminal and installs a panic hook that gives it back before the message.
pub fn init() -> io::Result<Tui> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = restore();
        previous(info);
    }));
    enter()?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)
}

/// Gives the terminal back as it was, cursor shown.
pub fn restore() -> io::Result<()> {
    let left = crossterm::execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    disable_raw_mode()?;
    left
}

/// Hands the terminal to the shell (Ctrl-Z) and takes it back when resumed.
///
/// The screen is wiped by drawing one empty frame rather than with `Terminal::clear`, which asks
/// the terminal for the cursor position: the event reader would take that answer as input, and
/// the request would time out.
pub fn suspend(terminal: &mut Tui) -> io::Result<()> {
    restore()?;
    #[cfg(unix)]
    nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).map_err(io::Error::from)?;
    enter()?;
    crossterm::execute!(io::stdout(), Clear(ClearType::All))?;
    terminal.hide_cursor()?;
    terminal.draw(|_| {})?;
    Ok(())
}

/// Copies text through the terminal (OSC 52), which also works over SSH and inside tmux.
pub fn copy(text: &str) -> Result<String, String> {
    use crossterm::clipboard::CopyToClipboard;
    crossterm::execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))
        .map(|()| {
            format!("copied {} characters through the terminal's clipboard", text.chars().count())
        })
        .map_err(|error| format!("cannot copy: {error}"))
}
