//! The findings pane: ranked causes with their symptoms and legs, and the selected one's fix
//! rendered from markdown, with "a rerun is likely to help" for transient causes.

use crate::workflow::link::WorkflowLink;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::border_style;
use super::rows::wrap_line;
use super::text::visible;
use crate::app::derived::{PaneItem, pane_items, pane_triage};
use crate::app::state::{Focus, State, Triage};
use crate::category::Severity;
use crate::config::Theme;
use crate::config::theme::Role;
use crate::triage::Report;
use crate::triage::recall::SincePassed;

/// The most lines shown of what is new since the job last passed.
const PANE_NEW_LINES: usize = 6;

/// The most rows an evidence or symptom line takes in the list; the CLI shows one line.
const EVIDENCE_ROWS: usize = 3;

/// Characters read past what the rows hold, so a token cut at the edge is still redacted.
const REDACT_MARGIN: usize = 256;

/// Draws the findings pane.
pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    let block =
        Block::bordered().title(" Findings ").border_style(border_style(state, Focus::Findings));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let message = match pane_triage(state) {
        None => Some("select a run to see its findings".to_owned()),
        Some((run, _, None)) if run.status != Some(crate::github::model::Status::Completed) => {
            Some("the run has not finished: findings come once it has".to_owned())
        }
        Some((_, _, None | Some(Triage::Loading))) => {
            Some("reading the failed jobs' logs…".to_owned())
        }
        Some((_, _, Some(Triage::Failed(error)))) => Some(format!("could not triage: {error}")),
        Some((_, _, Some(Triage::Ready(_)))) => None,
    };
    if let Some(message) = message {
        frame.render_widget(
            Paragraph::new(message).style(theme.style(Role::Muted)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    }
    let Some((_, _, Some(Triage::Ready(report)))) = pane_triage(state) else { return };
    let inner = super::notes::draw(frame, inner, report, theme);
    let items = pane_items(state, report);
    if items.is_empty() {
        let text = if report.jobs.is_empty() {
            "no failed job, so no log was read: nothing to triage"
        } else if report.findings.is_empty() {
            "no findings: nothing in these logs looks like a failure or a warning"
        } else {
            "no findings for the selection; other jobs of the run have some"
        };
        let paragraph = Paragraph::new(text).style(theme.style(Role::Muted));
        frame.render_widget(paragraph.wrap(Wrap { trim: false }), inner);
        return;
    }
    let selected = state.finding.min(items.len() - 1);
    let [list_area, fix_area] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);

    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected_row = 0;
    let width = usize::from(list_area.width.max(1));
    for (position, item) in items.iter().enumerate() {
        if position == selected {
            selected_row = lines.iter().map(|line| line.width().div_ceil(width).max(1)).sum();
        }
        let marks = ItemMarks {
            position,
            selected: position == selected && state.focus == Focus::Findings,
            width,
        };
        item_lines(&mut lines, report, item, marks, theme);
    }
    let height = usize::from(list_area.height);
    let rows: usize = lines.iter().map(|line| line.width().div_ceil(width).max(1)).sum();
    // Once the list has scrolled, it never leaves blank rows under its end (after a resize).
    let scroll = selected_row.saturating_sub(height / 3).min(rows.saturating_sub(height));
    let scroll = u16::try_from(scroll).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)),
        list_area,
    );
    draw_fix(frame, fix_area, report, &items[selected], theme);
}

/// Where an item sits in the list: its position, whether it is selected, the list's width.
#[derive(Clone, Copy)]
struct ItemMarks {
    position: usize,
    selected: bool,
    width: usize,
}

fn item_lines(
    lines: &mut Vec<Line<'static>>,
    report: &Report,
    item: &PaneItem,
    marks: ItemMarks,
    theme: &Theme,
) {
    let ItemMarks { position, selected, width } = marks;
    let finding = &report.findings[item.finding];
    let role = match finding.severity {
        Severity::Error => Role::Failure,
        Severity::Warning => Role::Warning,
        Severity::Notice => Role::Muted,
    };
    let title_style = if selected {
        theme.style(Role::Selection)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    let count = if finding.count > 1 { format!(" ×{}", finding.count) } else { String::new() };
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", position + 1), theme.style(Role::Muted)),
        Span::styled(format!("{} ", finding.category), theme.style(role)),
        Span::styled(format!("{}{count}", finding.title), title_style),
    ]));
    let place = [finding.job.clone(), finding.step.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" › ");
    let at = match (&finding.workflow, finding.from_workflow()) {
        (Some(link), true) => format!("{}:{}", link.file, link.line),
        _ if finding.from_annotations() => "check-run annotation".to_owned(),
        _ => format!("line {}", finding.line),
    };
    let seen = report.recall.seen.get(&item.finding).map(|seen| {
        let role = if seen.is_new() { Role::Accent } else { Role::Muted };
        Span::styled(format!(" · {}", seen.summary()), theme.style(role))
    });
    let mut place_line = vec![Span::styled(format!("  {place} · {at}"), theme.style(Role::Muted))];
    place_line.extend(seen);
    lines.push(Line::from(place_line));
    lines.push(cut_line("  │ ", &finding.text, width, Style::new()));
    if !item.legs.is_empty() {
        lines.push(Line::styled(
            format!("  hit {} legs: {}", item.legs.len(), item.legs.join(", ")),
            theme.style(Role::Muted),
        ));
    }
    for symptom in &item.symptoms {
        let symptom = &report.findings[*symptom];
        let file =
            symptom.file_apart_from(finding).map(|file| format!("{file} ")).unwrap_or_default();
        let prefix = if symptom.from_annotations() {
            let job = symptom.job.as_deref().unwrap_or("a job");
            format!("  └ symptom (check-run annotation of {job}): ")
        } else {
            format!("  └ symptom ({file}line {}): ", symptom.line)
        };
        lines.push(cut_line(&prefix, &symptom.text, width, theme.style(Role::Muted)));
    }
}

/// `prefix` and `text` as one line of at most about [`EVIDENCE_ROWS`] rows of `width`, ending in
/// `…` when the text goes on: a huge log line must leave room for the rest of the pane.
fn cut_line(prefix: &str, text: &str, width: usize, style: Style) -> Line<'static> {
    let budget = width * EVIDENCE_ROWS + REDACT_MARGIN;
    let head = match text.char_indices().nth(budget) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let whole = Line::styled(format!("{prefix}{}", visible(head)), style);
    let rows = wrap_line(whole.clone(), width);
    if rows.len() <= EVIDENCE_ROWS && head.len() == text.len() {
        return whole;
    }
    let mut kept: String = rows.iter().take(EVIDENCE_ROWS).map(ToString::to_string).collect();
    kept.pop();
    kept.push('…');
    Line::styled(kept, style)
}

fn draw_fix(frame: &mut Frame<'_>, area: Rect, report: &Report, item: &PaneItem, theme: &Theme) {
    let finding = &report.findings[item.finding];
    let mut text = Text::default();
    if let Some(since) = finding.job.as_deref().and_then(|job| report.recall.for_job(job)) {
        since_passed_lines(&mut text, since, theme);
    }
    text.lines.push(Line::styled("Fix", theme.style(Role::Accent).add_modifier(Modifier::BOLD)));
    if finding.transient {
        text.lines.push(Line::styled(
            "↻ a rerun is likely to help: this cause is usually transient",
            theme.style(Role::Success),
        ));
    }
    if let Some(link) = &finding.workflow {
        workflow_lines(&mut text, link, theme);
    }
    text.lines.extend(super::markdown::fix_lines(&finding.fix, theme));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
}

/// What the job printed that its last passing run did not, the first few lines.
fn since_passed_lines(text: &mut Text<'static>, since: &SincePassed, theme: &Theme) {
    text.lines.push(Line::styled(since.heading(), theme.style(Role::Accent)));
    for line in since.lines.iter().take(PANE_NEW_LINES) {
        text.lines.push(Line::raw(format!("  {:>5} │ {}", line.line, visible(&line.text))));
    }
    let left = since.new_lines.saturating_sub(PANE_NEW_LINES as u64);
    if left > 0 {
        text.lines.push(Line::styled(format!("  … {left} more"), theme.style(Role::Muted)));
    }
    text.lines.push(Line::default());
}

/// The workflow line behind the finding and its patch, `+` and `-` lines coloured, before the
/// rule's general fix.
fn workflow_lines(text: &mut Text<'static>, link: &WorkflowLink, theme: &Theme) {
    text.lines.push(Line::styled(
        format!("In the workflow: {}:{}", link.file, link.line),
        theme.style(Role::Accent).add_modifier(Modifier::BOLD),
    ));
    text.lines.push(Line::raw(visible(&link.message)));
    let Some(patch) = &link.patch else {
        text.lines.push(Line::default());
        return;
    };
    text.lines.push(Line::styled("Suggested patch", theme.style(Role::Accent)));
    for line in patch.lines() {
        let role = match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => Some(Role::Success),
            Some(b'-') if !line.starts_with("---") => Some(Role::Failure),
            Some(b'@') => Some(Role::Muted),
            _ => None,
        };
        let shown = visible(line);
        text.lines.push(role.map_or_else(
            || Line::raw(shown.clone()),
            |r| Line::styled(shown.clone(), theme.style(r)),
        ));
    }
    text.lines.push(Line::default());
}
