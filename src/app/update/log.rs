//! The log screen: cursor and scrolling over shown lines (folded groups skipped), folding,
//! timestamps and wrap, jumps to errors, findings and search matches, and starting a search.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use regex::RegexBuilder;

use crate::app::action::Action;
use crate::app::derived::{log_range, next_line, pane_report, previous_line};
use crate::app::effect::Effect;
use crate::app::state::{LogState, Overlay, Prompt, PromptKind, State};
use crate::joblog::line;
use crate::logdoc::line_bytes;

/// Keys of the log screen.
pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.page_rows();
    match action {
        Action::Up => move_by(state, -1),
        Action::Down => move_by(state, 1),
        Action::PageUp => move_by(state, -isize::try_from(page).unwrap_or(20)),
        Action::PageDown => move_by(state, isize::try_from(page).unwrap_or(20)),
        Action::Top => {
            let first = state.log.as_ref().map_or(0, |log| log_range(log).0);
            jump_to_line(state, first);
        }
        Action::Bottom => {
            let last = state.log.as_ref().map_or(0, |log| log_range(log).1);
            jump_to_line(state, last);
        }
        Action::Search => {
            let text = String::new();
            state.overlay = Some(Overlay::Prompt(Prompt { kind: PromptKind::LogSearch, text }));
        }
        Action::NextMatch | Action::PreviousMatch => step_match(state, action == Action::NextMatch),
        Action::NextError | Action::PreviousError => {
            let errors = state.log.as_ref().map(|log| log.index.errors.clone()).unwrap_or_default();
            jump_in(state, &errors, action == Action::NextError, "error line");
        }
        Action::NextFinding | Action::PreviousFinding => {
            let lines = finding_lines(state);
            jump_in(state, &lines, action == Action::NextFinding, "finding");
        }
        Action::ToggleGroup => toggle_group(state),
        Action::FoldAll => {
            if let Some(log) = &mut state.log {
                log.folded = log.index.groups.iter().map(|(start, _)| *start).collect();
                log.fold_new_groups = true;
            }
            keep_cursor_visible(state);
        }
        Action::UnfoldAll => {
            if let Some(log) = &mut state.log {
                log.folded.clear();
                log.fold_new_groups = false;
            }
        }
        Action::ToggleTimestamps => {
            if let Some(log) = &mut state.log {
                log.timestamps = !log.timestamps;
            }
        }
        Action::ToggleWrap => {
            if let Some(log) = &mut state.log {
                log.wrap = !log.wrap;
            }
        }
        _ => {}
    }
    forget_match_notice(state);
    Vec::new()
}

/// Drops "match N of M" once the cursor has left that match: it would name the wrong line.
fn forget_match_notice(state: &mut State) {
    let Some(log) = &state.log else { return };
    let on_match = log.search.matches.binary_search(&log.cursor).is_ok();
    if !on_match && state.notice.as_ref().is_some_and(|notice| notice.text.starts_with(MATCH_OF)) {
        state.notice = None;
    }
}

/// How the notice of a step between search matches begins.
const MATCH_OF: &str = "match ";

fn move_by(state: &mut State, rows: isize) {
    let Some(log) = &mut state.log else { return };
    let mut line = log.cursor;
    for _ in 0..rows.unsigned_abs() {
        let next = if rows > 0 { next_line(log, line) } else { previous_line(log, line) };
        match next {
            Some(next) => line = next,
            None => break,
        }
    }
    log.cursor = line;
    keep_cursor_visible(state);
}

/// Moves the cursor to `line`, unfolding its group if it is hidden, and scrolls to it.
pub fn jump_to_line(state: &mut State, line: usize) {
    let Some(log) = &mut state.log else { return };
    if log.index.len() <= line && !log.index.complete {
        log.pending_jump = Some(line);
        return;
    }
    let (first, last) = log_range(log);
    let line = line.clamp(first, last);
    if let Some(header) = log.folded.range(..line).next_back().copied()
        && log.index.group_at(header).is_some_and(|(_, end)| line <= end)
    {
        log.folded.remove(&header);
    }
    log.cursor = line;
    let page = state.log_rows();
    if let Some(log) = &mut state.log {
        log.top = line;
        for _ in 0..page / 3 {
            match previous_line(log, log.top) {
                Some(previous) => log.top = previous,
                None => break,
            }
        }
        log.top = log.top.min(last_page_top(log, page));
    }
}

/// The top line that puts the last shown line on the pane's last row, as a pager ends.
fn last_page_top(log: &LogState, page: usize) -> usize {
    let (_, last) = log_range(log);
    let mut top = if crate::app::derived::is_hidden(log, last) {
        log.folded.range(..last).next_back().copied().unwrap_or(last)
    } else {
        last
    };
    for _ in 1..page {
        match previous_line(log, top) {
            Some(previous) => top = previous,
            None => break,
        }
    }
    top
}

/// Scrolls so the cursor is on screen, with no blank rows below the last line while earlier
/// lines could fill them (a window grown at the end of the log keeps its bottom).
pub fn keep_cursor_visible(state: &mut State) {
    let page = state.log_rows();
    let Some(log) = &mut state.log else { return };
    let (first, _) = log_range(log);
    log.top = log.top.max(first);
    if crate::app::derived::is_hidden(log, log.cursor) {
        log.cursor = log.folded.range(..log.cursor).next_back().copied().unwrap_or(log.cursor);
    }
    if log.cursor < log.top {
        log.top = log.cursor;
    }
    let shown = crate::app::derived::shown_lines(log, page);
    if !shown.contains(&log.cursor) {
        let mut top = log.cursor;
        for _ in 1..page {
            match previous_line(log, top) {
                Some(previous) => top = previous,
                None => break,
            }
        }
        log.top = top;
    }

    log.top = log.top.min(last_page_top(log, page));
}

fn toggle_group(state: &mut State) {
    let Some(log) = &mut state.log else { return };
    let cursor = log.cursor;
    if log.index.group_at(cursor).is_none() {
        return;
    }
    if !log.folded.remove(&cursor) {
        log.folded.insert(cursor);
    }
}

fn jump_in(state: &mut State, lines: &[usize], forward: bool, what: &str) {
    let Some(log) = &state.log else { return };
    let cursor = log.cursor;
    let (first, last) = log_range(log);
    let target = if forward {
        lines.iter().copied().find(|line| *line > cursor && *line <= last)
    } else {
        lines.iter().rev().copied().find(|line| *line < cursor && *line >= first)
    };
    match target {
        Some(line) => jump_to_line(state, line),
        None => {
            state
                .hint(format!("no {} {what} from here", if forward { "later" } else { "earlier" }));
        }
    }
}

fn step_match(state: &mut State, forward: bool) {
    let Some(log) = &mut state.log else { return };
    let count = log.search.matches.len();
    if count == 0 {
        state.hint("no search matches; press / to search");
        return;
    }
    let cursor = log.cursor;
    let position = if forward {
        log.search.matches.iter().position(|line| *line > cursor).unwrap_or(0)
    } else {
        log.search.matches.iter().rposition(|line| *line < cursor).unwrap_or(count - 1)
    };
    log.search.current = Some(position);
    let line = log.search.matches[position];
    jump_to_line(state, line);
    state.inform(format!("{MATCH_OF}{} of {count}", position + 1));
}

/// 0-based evidence lines of the findings the log's job printed (annotations are no line).
pub fn finding_lines(state: &State) -> Vec<usize> {
    let (Some(log), Some(report)) = (&state.log, pane_report(state)) else { return Vec::new() };
    let mut lines: Vec<usize> = report
        .findings
        .iter()
        .filter(|finding| finding.job.as_ref() == Some(&log.job.name))
        .filter(|finding| !finding.from_annotations())
        .filter_map(|finding| usize::try_from(finding.line).ok()?.checked_sub(1))
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// Starts a regex search of the whole log, the last query again when `query` is empty; a bad
/// regex becomes a hint that the next key takes away.
pub fn start_search(state: &mut State, query: &str) -> Vec<Effect> {
    let Some(log) = &mut state.log else { return Vec::new() };
    let last = log.search.query.clone();
    let query = if query.is_empty() { last.as_str() } else { query };
    if let Some((_, cancel)) = log.search.running.take() {
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    query.clone_into(&mut log.search.query);
    log.search.matches.clear();
    log.search.current = None;
    if query.is_empty() {
        return Vec::new();
    }
    let regex = match RegexBuilder::new(query)
        .case_insensitive(!query.chars().any(char::is_uppercase))
        .build()
    {
        Ok(regex) => regex,
        Err(error) => {
            let first = error.to_string().lines().last().unwrap_or("").trim().to_owned();
            state.hint(format!("not a valid regex: {first}"));
            return Vec::new();
        }
    };
    let Some(bytes) = log.bytes.clone() else {
        state.warn("the log is not loaded yet");
        return Vec::new();
    };
    let request = state.requests.issue();
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(log) = &mut state.log {
        log.search.running = Some((request, Arc::clone(&cancel)));
        log.search.progress = 0.0;
    }
    state.inform(format!("searching for /{query}/… (esc cancels)"));
    vec![Effect::Search { request, bytes, regex, cancel }]
}

/// The readable text of the line under the cursor.
pub fn cursor_text(log: &LogState) -> Option<String> {
    let bytes = log.bytes.as_ref()?;
    let raw = line_bytes(bytes.as_slice(), &log.index, log.cursor)?;
    Some(line::readable(line::split(raw, false).message))
}
