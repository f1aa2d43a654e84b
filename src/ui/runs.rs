//! The runs list and the run screen (jobs, steps, attempts).

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::border_style;
use crate::app::action::Action;
use crate::app::derived::{attempt_run, pane_report, run_rows, selected_run, visible_runs};
use crate::app::state::{Focus, RunRow, State, StatusFilter};
use crate::app::update::context;
use crate::category::Severity;
use crate::config::Theme;
use crate::config::theme::Role;
use crate::github::model::{Conclusion, Run, Status, Step, human_duration};
use crate::streak;

/// The icon and role of a status and conclusion.
pub fn status_icon(status: Option<Status>, conclusion: Option<Conclusion>) -> (&'static str, Role) {
    match (status, conclusion) {
        (_, Some(Conclusion::Success)) => ("✓", Role::Success),
        (_, Some(Conclusion::Failure | Conclusion::TimedOut | Conclusion::StartupFailure)) => {
            ("✗", Role::Failure)
        }
        (_, Some(Conclusion::Cancelled)) => ("⊘", Role::Muted),
        (_, Some(Conclusion::Skipped)) => ("-", Role::Muted),
        (Some(Status::InProgress), _) => ("●", Role::Running),
        (Some(Status::Queued | Status::Waiting | Status::Pending | Status::Requested), _) => {
            ("○", Role::Running)
        }
        _ => ("?", Role::Muted),
    }
}

fn age(now: Timestamp, then: Timestamp) -> String {
    let seconds = now.duration_since(then).as_secs();
    match seconds {
        s if s < 0 => then.strftime("%Y-%m-%d").to_string(),
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s if s < 7 * 86_400 => format!("{}d ago", s / 86_400),
        _ => then.strftime("%Y-%m-%d").to_string(),
    }
}

fn filters_title(state: &State) -> String {
    let runs = &state.runs;
    let mut parts = Vec::new();
    match runs.status {
        StatusFilter::All => {}
        StatusFilter::Failed => parts.push("status: failed".to_owned()),
        StatusFilter::Succeeded => parts.push("status: succeeded".to_owned()),
        StatusFilter::Active => parts.push("status: active".to_owned()),
    }
    if let Some(workflow) = runs.workflow.and_then(|id| runs.workflows.iter().find(|w| w.id == id))
    {
        parts.push(format!("workflow: {}", workflow.name));
    }
    if let Some(branch) = &runs.branch {
        parts.push(format!("branch: {branch}"));
    }
    if !runs.search.is_empty() {
        parts.push(format!("search: {}", runs.search));
    }
    if parts.is_empty() {
        return " Runs ".to_owned();
    }
    let shown = visible_runs(state).len();
    format!(" Runs ({}) · {shown} of {} ", parts.join(", "), runs.all.len())
}

/// Draws the runs list.
pub fn draw_runs(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    let block = Block::bordered()
        .title(filters_title(state))
        .border_style(border_style(state, Focus::Main));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [streak_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);

    let streak_line = selected_run(state)
        .and_then(|run| streak::failing_streak(&state.runs.all, run).map(|s| (run, s)))
        .map_or_else(
            || Line::styled("no failing streak for the selected run", theme.style(Role::Muted)),
            |(run, streak)| {
                let workflow = run.name.as_deref().unwrap_or("workflow");
                let branch = run.head_branch.as_deref().unwrap_or("?");
                let text = format!("{workflow} on {branch}: {streak}");
                let width = usize::from(streak_area.width);
                Line::styled(crate::ui::text::cut_at_word(&text, width), theme.style(Role::Failure))
            },
        );
    frame.render_widget(Paragraph::new(streak_line), streak_area);

    let runs = visible_runs(state);
    if runs.is_empty() {
        let (text, role) = empty_list_text(state);
        let paragraph = Paragraph::new(text).style(theme.style(role)).wrap(Wrap { trim: false });
        frame.render_widget(paragraph, table_area);
        return;
    }
    let columns: Vec<&Column> =
        COLUMNS.iter().filter(|column| table_area.width >= column.from_width).collect();
    let rows: Vec<Row<'_>> = runs
        .iter()
        .map(|run| Row::new(columns.iter().map(|column| (column.cell)(run, state.now, theme))))
        .collect();
    let widths: Vec<Constraint> = columns.iter().map(|column| column.width).collect();
    let header = Row::new(columns.iter().map(|column| column.title))
        .style(theme.style(Role::Muted).add_modifier(Modifier::BOLD));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.style(Role::Selection));
    let mut table_state = TableState::default().with_selected(Some(state.runs.selected));
    frame.render_stateful_widget(table, table_area, &mut table_state);
}

/// A column of the runs table, shown from a given table width up.
struct Column {
    title: &'static str,
    width: Constraint,
    from_width: u16,
    cell: fn(&Run, Timestamp, &Theme) -> Cell<'static>,
}

const COLUMNS: [Column; 9] = [
    Column { title: "", width: Constraint::Length(1), from_width: 0, cell: icon_cell },
    Column { title: "workflow", width: Constraint::Fill(2), from_width: 0, cell: workflow_cell },
    Column { title: "#", width: Constraint::Length(6), from_width: 0, cell: number_cell },
    Column { title: "title", width: Constraint::Fill(3), from_width: 50, cell: title_cell },
    Column { title: "branch", width: Constraint::Length(12), from_width: 60, cell: branch_cell },
    Column { title: "event", width: Constraint::Length(12), from_width: 100, cell: event_cell },
    Column { title: "actor", width: Constraint::Length(10), from_width: 120, cell: actor_cell },
    Column { title: "age", width: Constraint::Length(10), from_width: 0, cell: age_cell },
    Column { title: "took", width: Constraint::Length(7), from_width: 40, cell: took_cell },
];

fn icon_cell(run: &Run, _: Timestamp, theme: &Theme) -> Cell<'static> {
    let (icon, role) =
        if run.is_local() { ("·", Role::Muted) } else { status_icon(run.status, run.conclusion) };
    Cell::from(Span::styled(icon, theme.style(role)))
}

fn workflow_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.name.clone().unwrap_or_default())
}

fn number_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    let attempt =
        run.run_attempt.filter(|attempt| *attempt > 1).map(|a| format!("↻{a}")).unwrap_or_default();
    Cell::from(format!("{}{attempt}", run.run_number))
}

fn title_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.title().lines().next().unwrap_or("").to_owned())
}

fn branch_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.head_branch.clone().unwrap_or_default())
}

fn event_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.event.clone())
}

fn actor_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.actor.as_ref().map(|actor| actor.login.clone()).unwrap_or_default())
}

fn age_cell(run: &Run, now: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(age(now, run.created_at))
}

fn took_cell(run: &Run, _: Timestamp, _: &Theme) -> Cell<'static> {
    Cell::from(run.duration().map(human_duration).unwrap_or_default())
}

/// Draws the run screen: the run's facts, the suspect commits of its failing streak, then jobs
/// and their steps.
pub fn draw_run(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    let Some(view) = &state.run else { return };
    let run = &view.run;
    let latest = run.run_attempt.unwrap_or(1);
    let title = format!(
        " {} #{} · attempt {}/{latest}{} ",
        run.name.as_deref().unwrap_or("run"),
        run.run_number,
        view.attempt,
        if latest > 1 { " ([ ] to switch)" } else { "" }
    );
    let block = Block::bordered().title(title).border_style(border_style(state, Focus::Main));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let job_rows = if view.loading { 1 } else { run_rows(view).len() };
    let spare = usize::from(inner.height).saturating_sub(1 + job_rows);
    let suspects = super::suspects::lines(state, run, spare);
    let suspects_height = u16::try_from(suspects.len()).unwrap_or(u16::MAX);
    let [facts_area, suspects_area, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(suspects_height),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(suspects), suspects_area);
    let shown = attempt_run(view);
    let run = shown.as_ref();
    let (icon, role, outcome) = run_outcome(state, run);
    let duration = match run.duration() {
        Some(took) => Some(human_duration(took)),
        None if run.is_local() => None,
        None => Some(format!(
            "{} so far",
            human_duration(state.now.duration_since(run.run_started_at.unwrap_or(run.created_at)))
        )),
    };
    let known: Vec<String> = [
        duration,
        run.head_branch.clone(),
        Some(run.event.clone()),
        run.actor.as_ref().map(|actor| actor.login.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let facts = Line::from(vec![
        Span::styled(format!("{icon} {outcome} "), theme.style(role)),
        Span::styled(format!("· {}", known.join(" · ")), theme.style(Role::Muted)),
        Span::styled(following(state), theme.style(Role::Running)),
    ]);
    frame.render_widget(Paragraph::new(facts), facts_area);

    if view.loading {
        frame.render_widget(
            Paragraph::new("loading jobs…").style(theme.style(Role::Muted)),
            list_area,
        );
        return;
    }
    let rows: Vec<Row<'_>> = run_rows(view)
        .into_iter()
        .map(|row| match row {
            RunRow::Job(job) => {
                let job = &view.jobs[job];
                let (icon, role) = if run.is_local() {
                    local_outcome(state, Some(&job.name))
                        .map_or(("·", Role::Muted), |o| (o.0, o.1))
                } else {
                    status_icon(job.status, job.conclusion)
                };
                Row::new(vec![
                    Cell::from(Span::styled(icon, theme.style(role))),
                    Cell::from(Span::styled(
                        job.name.clone(),
                        Style::new().add_modifier(Modifier::BOLD),
                    )),
                    Cell::from(elapsed(job.started_at, job.completed_at, job.status, state.now)),
                ])
            }
            RunRow::Step(job, step) => step_row(&view.jobs[job].steps[step], state.now, theme),
            RunRow::Matrix(base, legs) => matrix_row(&base, &legs, view, theme),
        })
        .collect();
    let table =
        Table::new(rows, [Constraint::Length(2), Constraint::Min(10), Constraint::Length(8)])
            .row_highlight_style(theme.style(Role::Selection));
    let mut table_state = TableState::default().with_selected(Some(view.selected));
    frame.render_stateful_widget(table, list_area, &mut table_state);
}

/// The icon, role and word of how the run in view ended; for local files, whether their
/// findings hold an error.
fn run_outcome(state: &State, run: &Run) -> (&'static str, Role, &'static str) {
    if run.is_local() {
        return local_outcome(state, None).unwrap_or(("·", Role::Muted, "local files"));
    }
    let (icon, role) = status_icon(run.status, run.conclusion);
    let word = run.conclusion.map_or(
        if run.status == Some(Status::Completed) { "completed" } else { "running" },
        Conclusion::id,
    );
    (icon, role, word)
}

/// What local files, which carry no conclusion, show instead: whether the findings of `job`
/// (or of every job) hold an error; `None` until they are read.
fn local_outcome(state: &State, job: Option<&str>) -> Option<(&'static str, Role, &'static str)> {
    let report = pane_report(state)?;
    let errors = report
        .findings
        .iter()
        .filter(|finding| job.is_none_or(|job| finding.job.as_deref() == Some(job)))
        .any(|finding| finding.severity == Severity::Error);
    Some(if errors {
        ("✗", Role::Failure, "has errors")
    } else {
        ("·", Role::Muted, "no errors found")
    })
}

fn matrix_row(
    base: &str,
    legs: &[usize],
    view: &crate::app::state::RunState,
    theme: &Theme,
) -> Row<'static> {
    let failed = legs.iter().filter(|leg| view.jobs[**leg].failed()).count();
    let cancelled = legs
        .iter()
        .filter(|leg| view.jobs[**leg].conclusion == Some(Conclusion::Cancelled))
        .count();
    let mut parts = vec![format!("{} legs", legs.len())];
    if failed > 0 {
        parts.push(format!("{failed} failed"));
    }
    if cancelled > 0 {
        parts.push(format!("{cancelled} canceled"));
    }
    let summary = parts.join(", ");
    let role = if failed > 0 { Role::Failure } else { Role::Muted };
    Row::new(vec![
        Cell::from(Span::styled("▾", theme.style(role))),
        Cell::from(Line::from(vec![
            Span::styled(format!("{base} "), Style::new().add_modifier(Modifier::BOLD)),
            Span::styled(format!("(matrix: {summary})"), theme.style(Role::Muted)),
        ])),
        Cell::from(""),
    ])
}

fn step_row<'a>(step: &'a Step, now: Timestamp, theme: &Theme) -> Row<'a> {
    let (icon, role) = status_icon(step.status, step.conclusion);
    let failed = step.conclusion.is_some_and(Conclusion::is_failure);
    let name = Line::from(vec![
        Span::raw(format!("  {icon} {:>2} ", step.number)),
        Span::styled(
            step.name.clone(),
            if failed { theme.style(Role::Failure) } else { Style::new() },
        ),
        Span::styled(if failed { "  ◀ failed here" } else { "" }, theme.style(Role::Failure)),
    ]);
    Row::new(vec![
        Cell::from(Span::styled(" ", theme.style(role))),
        Cell::from(name),
        Cell::from(elapsed(step.started_at, step.completed_at, step.status, now)),
    ])
}

/// How long something ran: start to end once it ended, start to now while it runs.
fn elapsed(
    started: Option<Timestamp>,
    completed: Option<Timestamp>,
    status: Option<Status>,
    now: Timestamp,
) -> String {
    match (started, completed) {
        (Some(started), Some(completed)) => human_duration(completed.duration_since(started)),
        (Some(started), None) if status == Some(Status::InProgress) => {
            human_duration(now.duration_since(started))
        }
        _ => String::new(),
    }
}

/// ` · ⟳ every 5 s` while the run in view is polled.
fn following(state: &State) -> String {
    if state.requests.poll.is_none() {
        return String::new();
    }
    format!(" · ⟳ every {} s", state.config.live.poll_seconds)
}

/// What stands in the list when no run is shown: the load under way, why it failed, that the
/// repository has no runs, or that the filters hide them all and which key clears them.
fn empty_list_text(state: &State) -> (String, Role) {
    if state.runs.loading {
        return ("loading runs…".to_owned(), Role::Muted);
    }
    if let Some(error) = &state.runs.error {
        return (error.clone(), Role::Failure);
    }
    if state.runs.all.is_empty() {
        let text = if state.source.kind == crate::source::SourceKind::Stored {
            format!("the local store has no runs of {}: open it once online", state.source.name)
        } else {
            format!("{} has no workflow runs yet", state.source.name)
        };
        return (text, Role::Muted);
    }
    let key = state.config.keymap.key_for(context(state), Action::ClearFilters);
    let hint = key.map_or_else(String::new, |key| format!("; press {key} to clear filters"));
    (format!("none of the {} runs match{hint}", state.runs.all.len()), Role::Muted)
}
