//! Drawing: reads the state and draws one frame. No I/O, no clock, no locks, no large clones;
//! the cost of a frame depends on the terminal's size, not on the size of a log.

mod findings;
mod log;
mod markdown;
mod notes;
mod overlay;
mod rate;
mod rows;
mod runs;
mod status;
mod suspects;
pub mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::app::state::{Focus, Screen, State, split_heights};
use crate::config::theme::Role;
use crate::source::SourceKind;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, state: &State) {
    let area = frame.area();
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)])
            .areas(area);
    draw_header(frame, header, state);

    let (main, pane) = split_body(body, state);
    match state.screen {
        Screen::Runs => runs::draw_runs(frame, main, state),
        Screen::Run => runs::draw_run(frame, main, state),
        Screen::Log => log::draw(frame, main, state),
    }
    findings::draw(frame, pane, state);
    status::draw(frame, footer, state);
    overlay::draw(frame, area, state);
}

fn split_body(body: Rect, state: &State) -> (Rect, Rect) {
    let (_, pane_height) = split_heights(state.size);
    if pane_height == 0 {
        let [main, pane] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        return (main, pane);
    }
    let [main, pane] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(pane_height)]).areas(body);
    (main, pane)
}

fn draw_header(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    let kind = match state.source.kind {
        SourceKind::Demo => "DEMO",
        SourceKind::Offline => "OFFLINE",
        SourceKind::Stored => "OFFLINE · local store",
        SourceKind::Live => "LIVE",
    };
    let mut spans = vec![
        Span::styled(" gha-triage ", theme.style(Role::Accent).add_modifier(Modifier::BOLD)),
        Span::styled(format!("[{kind}] "), theme.style(Role::Warning)),
        Span::raw(state.source.name.clone()),
    ];
    for crumb in breadcrumb(state) {
        spans.push(Span::styled(" › ", theme.style(Role::Muted)));
        spans.push(Span::raw(crumb));
    }
    let Some(budget) = rate::budget(state) else {
        frame.render_widget(Line::from(spans), area);
        return;
    };
    let width = u16::try_from(budget.chars().count() + 1).unwrap_or(u16::MAX).min(area.width / 3);
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(width)]).areas(area);
    let room = usize::from(left.width).saturating_sub(2);
    frame.render_widget(Line::from(spans_within(spans, room)), left);
    let role = if rate::budget_is_low(state) { Role::Warning } else { Role::Muted };
    frame.render_widget(Line::styled(budget, theme.style(role)), right);
}

/// The spans that fit in `width` columns, the first that does not cut after a whole word
/// with `…` and the rest dropped.
fn spans_within(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut room = width;
    let mut kept = Vec::with_capacity(spans.len());
    for span in spans {
        let columns = span.content.chars().count();
        if columns <= room {
            room -= columns;
            kept.push(span);
            continue;
        }
        if room > 0 {
            let cut = text::cut_at_word(span.content.trim_end(), room);
            kept.push(Span::styled(cut, span.style));
        }
        break;
    }
    kept
}

fn breadcrumb(state: &State) -> Vec<String> {
    let mut crumbs = vec!["runs".to_owned()];
    if let Some(view) = state.run.as_ref().filter(|_| state.screen != Screen::Runs) {
        let workflow = view.run.name.as_deref().unwrap_or("run");
        crumbs.push(format!("{workflow} #{} (attempt {})", view.run.run_number, view.attempt));
    }
    if let Some(log) = state.log.as_ref().filter(|_| state.screen == Screen::Log) {
        crumbs.push(log.job.name.clone());
        if let Some((step, _, _)) = &log.step {
            crumbs.push(step.clone());
        }
    }
    crumbs
}

/// The border style of a pane: accented when it has the keyboard.
fn border_style(state: &State, focus: Focus) -> Style {
    if state.focus == focus && state.overlay.is_none() {
        state.config.theme.style(Role::Accent)
    } else {
        state.config.theme.style(Role::Muted)
    }
}
