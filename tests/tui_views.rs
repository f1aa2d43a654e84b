//! Every screen of the TUI drawn on a `TestBackend` at 80×24 and 120×40 and kept as an insta
//! snapshot: the runs list (plain and filtered), Stage 2 #36's run screen, its failing step's
//! log (plain and searched), the findings pane with the keyboard (symptoms of symptoms under
//! their root cause), the help and a confirmation,
//! and a log full of colours and control characters, which must reach the terminal as text.
//! The clock is fixed (`session::NOW`), so ages do not drift.

#[path = "tui_support/session.rs"]
#[allow(dead_code, reason = "each test file uses its part of the session helpers")]
mod session;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use gha_triage::app::effect::Effect;
use gha_triage::app::msg::Msg;
use gha_triage::app::state::Triage;
use gha_triage::app::update::log_finding_lines;
use gha_triage::github::model::{Conclusion, LOCAL_EVENT};
use gha_triage::source::SourceKind;
use session::Session;

/// The sizes every screen is drawn at: the smallest supported terminal and a roomy one.
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

const STAGE_2: &str = "Stage 2 - Data Processing";
const FAILING_STEP: &str = "Run data processing script";

/// Draws the session's state on a terminal of the size `update` was told about.
fn draw(app: &Session) -> Terminal<TestBackend> {
    let (columns, rows) = app.state.size;
    let mut terminal = Terminal::new(TestBackend::new(columns, rows)).expect("a test terminal");
    terminal.draw(|frame| gha_triage::ui::draw(frame, &app.state)).expect("a frame");
    terminal
}

/// Builds the screen at every size and compares it with its snapshot `name_COLSxROWS`.
fn assert_screen(name: &str, build: impl Fn(&mut Session)) {
    for size in SIZES {
        let mut app = Session::demo_at(size);
        build(&mut app);
        let terminal = draw(&app);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), terminal.backend());
    }
}

/// The screen's text, row after row.
fn screen_text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(ratatui::buffer::Cell::symbol).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Stage 2 #36's run screen.
fn open_stage_2(app: &mut Session) {
    app.open_run(STAGE_2, 36);
}

/// The log of Stage 2 #36's failing step.
fn open_failing_step(app: &mut Session) {
    open_stage_2(app);
    app.select_step(FAILING_STEP);
    app.press("enter");
}

#[test]
fn the_runs_list_shows_status_workflow_number_title_branch_event_age_and_duration() {
    assert_screen("runs_list", |app| app.select_run(STAGE_2, 36));
}

#[test]
fn the_filtered_runs_list_names_its_filters_in_the_title() {
    assert_screen("runs_list_filtered", |app| {
        app.press("s");
        app.press("/");
        app.type_text("stage 2");
        app.press("enter");
    });
}

#[test]
fn the_run_screen_lists_jobs_and_steps_and_marks_the_failing_step() {
    assert_screen("run_screen", open_stage_2);
}

#[test]
fn the_log_screen_shows_the_failing_steps_lines_and_marks_the_findings() {
    assert_screen("log_failing_step", open_failing_step);
}

#[test]
fn a_searched_log_counts_its_matches_in_the_title() {
    assert_screen("log_search", |app| {
        open_failing_step(app);
        app.press("/");
        app.type_text("waiting for raw data");
        app.press("enter");
    });
}

#[test]
fn the_focused_findings_pane_shows_the_selected_findings_fix() {
    assert_screen("findings_focused", |app| {
        open_stage_2(app);
        app.press("tab");
        app.select_finding("Cache service refused the request with 400: not a missing key");
    });
}

#[test]
fn the_help_overlay_lists_the_keys_of_the_screen_in_view() {
    assert_screen("help_overlay", |app| app.press("?"));
}

#[test]
fn the_confirm_overlay_says_what_would_be_sent_and_that_nothing_is() {
    assert_screen("confirm_overlay", |app| {
        open_stage_2(app);
        app.press("r");
    });
}

#[test]
fn a_live_debug_rerun_confirmation_shows_the_request_and_its_body() {
    assert_screen("confirm_live_debug_rerun", |app| {
        app.state.source.kind = SourceKind::Live;
        open_stage_2(app);
        app.press("D");
    });
}

#[test]
fn github_s_answer_to_a_rerun_shows_on_the_status_line() {
    for (name, result) in [
        ("rerun_accepted", Ok(201)),
        ("rerun_refused", Err("403: token lacks actions: write".to_owned())),
    ] {
        assert_screen(name, |app| {
            app.state.source.kind = SourceKind::Live;
            open_stage_2(app);
            app.press_all(&["r", "y"]);
            let Some(Effect::Act { request, run, action }) = app.outside.pop() else {
                panic!("r then y sends the rerun")
            };
            app.send(Msg::Acted { request, run, action, result: result.clone() });
        });
    }
}

#[test]
fn the_help_overlay_ends_with_how_to_close_it_on_a_roomy_terminal() {
    let mut app = Session::demo_at((120, 40));
    app.press("?");

    let text = screen_text(draw(&app).backend().buffer());

    assert!(text.contains("any key closes this help"), "{text}");
    assert!(text.contains("switch between the view and the findings"), "{text}");
}

#[test]
fn the_confirm_overlay_fits_its_whole_text_at_every_size() {
    for size in SIZES {
        let mut app = Session::demo_at(size);
        open_stage_2(&mut app);
        app.press("R");

        let text = screen_text(draw(&app).backend().buffer());

        assert!(text.contains("Demo mode: nothing is sent."), "at {size:?}:\n{text}");
        assert!(text.contains("y: confirm · n or esc: cancel"), "at {size:?}:\n{text}");
    }
}

#[test]
fn the_run_screen_names_the_suspect_commits_in_full_where_it_has_room() {
    let mut roomy = Session::demo_at((120, 40));
    open_stage_2(&mut roomy);
    let mut small = Session::demo_at((80, 24));
    open_stage_2(&mut small);

    let roomy = screen_text(draw(&roomy).backend().buffer());
    let small = screen_text(draw(&small).backend().buffer());

    assert!(roomy.contains("│Suspects: 4 commits between #33 and #34    "), "{roomy}");
    assert!(roomy.contains("  13069dd @mvisser Stage 2: bump raw-data cache key to v2"), "{roomy}");
    let shas = "Suspects: 4 commits between #33 and #34 · 51b892c 76b4b9d 13069dd 849afb9";
    assert!(small.contains(shas), "{small}");
    assert!(small.contains("◀ failed here"), "the failing step stays in view:\n{small}");
}

#[test]
fn offline_from_the_local_store_the_run_screen_says_the_suspects_are_not_compared() {
    let mut app = Session::demo_at((120, 40));
    app.state.source.kind = SourceKind::Stored;
    app.press("j");
    let mut selecting = app.send(Msg::Key(session::key_event("j")));
    let at = selecting.iter().position(|effect| matches!(effect, Effect::Compare { .. }));
    let Effect::Compare { request, range } = selecting.remove(at.expect("a compare")) else {
        unreachable!()
    };
    app.settle(selecting);
    app.send(Msg::Compared { request, range, result: Ok(None) });
    app.press("enter");

    let text = screen_text(draw(&app).backend().buffer());

    let note = "│Suspects: none offline; GitHub compares #33 with #34  ";
    assert!(text.contains(note), "{text}");
}

/// A note as triage adds it when a log line was too long to match in full.
const CUT_LINES: &str =
    "Process raw data: 1 line(s) longer than 1048576 bytes were cut; matching used their start";

#[test]
fn the_findings_pane_shows_the_notes_of_the_run_s_triage_above_the_findings() {
    assert_screen("findings_notes", |app| {
        app.notices = vec![CUT_LINES.to_owned()];
        open_stage_2(app);
    });
}

#[test]
fn a_run_without_notes_keeps_the_whole_findings_pane_for_its_findings() {
    let mut app = Session::demo_at((120, 40));
    open_stage_2(&mut app);

    let text = screen_text(draw(&app).backend().buffer());

    assert!(!text.contains("note:"), "{text}");
    let first = text.lines().nth(2).expect("a row under the pane's border");
    assert!(first.ends_with("││1 missing_file pip cannot open                │"), "{text}");
}

/// A job log in the runner's format whose lines carry what a terminal must never be sent raw:
/// SGR colours, a bell, a backspace, tabs, a stray ESC, an unfinished CSI, an OSC 8 link, a
/// carriage return and bytes that are not UTF-8.
const HOSTILE_LOG: &[u8] = b"\xEF\xBB\xBF2025-12-15T09:31:53.0000000Z ##[group]Run ./build.sh
2025-12-15T09:31:53.1000000Z \x1b[36;1m./build.sh\x1b[0m
2025-12-15T09:31:53.2000000Z ##[endgroup]
2025-12-15T09:31:53.3000000Z \x1b[32mPASS\x1b[0m unit \x1b[1;31mFAIL\x1b[0m lint \x1b[38;5;208morange\x1b[0m
2025-12-15T09:31:53.4000000Z bell\x07 backspace\x08 tab\tcolumn\ttwo
2025-12-15T09:31:53.5000000Z stray \x1b escape, unfinished \x1b[31
2025-12-15T09:31:53.6000000Z link \x1b]8;;https://example.com\x07here\x1b]8;;\x07 done
2025-12-15T09:31:53.7000000Z progress 10%\rprogress 100%
2025-12-15T09:31:53.8000000Z not utf-8: \xff\xfe\xc3( end
2025-12-15T09:31:53.9000000Z ##[error]Process completed with exit code 2.
";

/// The demo's run screen with its job's log replaced by [`HOSTILE_LOG`].
fn open_hostile_log(app: &mut Session) {
    open_stage_2(app);
    app.open_log_with(HOSTILE_LOG);
    app.press("+");
}

#[test]
fn a_log_with_colours_and_control_characters_is_drawn_as_safe_text() {
    assert_screen("log_controls", open_hostile_log);
}

#[test]
fn no_control_character_of_a_log_reaches_the_terminal() {
    for size in SIZES {
        let mut app = Session::demo_at(size);
        open_hostile_log(&mut app);

        let terminal = draw(&app);
        let buffer = terminal.backend().buffer();

        let controls: Vec<(u16, u16, String)> = buffer
            .content
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell.symbol().chars().any(char::is_control))
            .map(|(index, cell)| {
                let (x, y) = buffer.pos_of(index);
                (x, y, cell.symbol().escape_debug().to_string())
            })
            .collect();
        assert!(controls.is_empty(), "control characters drawn at {size:?}: {controls:?}");

        let text = screen_text(buffer);
        assert!(text.contains("bell^G backspace^H tab"), "controls are shown as ^X:\n{text}");
        assert!(text.contains("stray "), "the line with a stray ESC is drawn:\n{text}");
        assert!(text.contains(" escape, unfinished"), "the text after it too:\n{text}");
        assert!(text.contains("not utf-8: \u{fffd}"), "bad bytes become U+FFFD:\n{text}");
    }
}

#[test]
fn ansi_colours_in_a_log_become_colours_on_screen() {
    let mut app = Session::demo();
    open_hostile_log(&mut app);

    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();

    let colour_of = |word: &str| {
        let text = screen_text(buffer);
        let row = text.lines().position(|line| line.contains(word)).expect("the word is shown");
        let line = text.lines().nth(row).expect("a row");
        let column = line[..line.find(word).expect("the word")].chars().count();
        let x = u16::try_from(column).expect("a column");
        let y = u16::try_from(row).expect("a row");
        buffer[(x, y)].fg
    };
    assert_eq!(colour_of("PASS"), Color::Green);
    assert_eq!(colour_of("FAIL"), Color::Red);
    assert_eq!(colour_of("orange"), Color::Indexed(208));
}

#[test]
fn the_fix_pane_shows_the_workflow_line_and_its_patch() {
    assert_screen("findings_workflow_patch", |app| {
        open_stage_2(app);
        app.press("tab");
        app.select_finding("pip cannot open requirements.txt");
    });
}

#[test]
fn a_symptom_of_a_symptom_is_listed_under_the_root_cause() {
    let select_cache_key = |app: &mut Session| {
        open_stage_2(app);
        app.press("tab");
        let titles = app.pane_titles();
        let title = titles.iter().find(|title| title.ends_with("is restored but never saved"));
        app.select_finding(title.expect("the never-saved cache key is a cause"));
    };
    let mut app = Session::demo_at(SIZES[1]);
    select_cache_key(&mut app);
    let report = gha_triage::app::derived::pane_report(&app.state).expect("findings are ready");
    let items = gha_triage::app::derived::pane_items(&app.state, &report);

    let texts: Vec<&str> = items[app.state.finding]
        .symptoms
        .iter()
        .map(|&index| report.findings[index].text.as_str())
        .collect();

    assert_eq!(
        texts,
        [
            "The action 'Run data processing script' has timed out after 1 minutes.",
            "The operation was canceled."
        ]
    );
    assert_screen("findings_symptom_chain", select_cache_key);
}

#[test]
fn the_findings_pane_says_how_often_a_cause_was_seen_and_what_is_new_since_it_passed() {
    use gha_triage::app::state::Triage;
    use gha_triage::logdiff::NewLine;
    use gha_triage::triage::recall::{Recurrence, SincePassed};

    assert_screen("findings_recall", |app| {
        open_stage_2(app);
        let key = (app.run().run.id, 1);
        let Some(Triage::Ready(report)) = app.state.triage.get(&key) else { panic!("triaged") };
        let mut report = (**report).clone();
        let title = "pip cannot open requirements.txt";
        let cause = report.findings.iter().position(|f| f.title == title).expect("the cause");
        let first_seen = "2025-12-14T08:00:00Z".parse().ok();
        report.recall.seen.insert(cause, Recurrence { runs: 5, first_seen, flaky_runs: 2 });
        report.recall.since_passed.push(SincePassed {
            job: "Process raw data".to_owned(),
            passed_run: gha_triage::github::model::RunId(20_700_000_033),
            passed_number: 33,
            lines: vec![NewLine {
                line: 160,
                text: "ERROR: Could not open requirements file: [Errno 2] No such file or \
                       directory: 'requirements.txt'"
                    .to_owned(),
            }],
            new_lines: 1,
            failing_lines: 190,
        });
        app.state.triage.insert(key, Triage::Ready(std::sync::Arc::new(report)));
        app.press("tab");
        app.select_finding(title);
    });
}

/// Stage 2 #36 with its missing `requirements.txt` recalled as `recurrence` across runs, the
/// findings pane focused on it.
fn recall_missing_file(app: &mut Session, recurrence: gha_triage::triage::recall::Recurrence) {
    use gha_triage::app::state::Triage;
    open_stage_2(app);
    let key = (app.run().run.id, 1);
    let Some(Triage::Ready(report)) = app.state.triage.get(&key) else { panic!("triaged") };
    let mut report = (**report).clone();
    let title = "pip cannot open requirements.txt";
    let cause = report.findings.iter().position(|f| f.title == title).expect("the cause");
    report.recall.seen.insert(cause, recurrence);
    app.state.triage.insert(key, Triage::Ready(std::sync::Arc::new(report)));
    app.press("tab");
    app.select_finding(title);
}

#[test]
fn the_findings_pane_says_a_cause_no_other_run_had_is_new() {
    use gha_triage::triage::recall::Recurrence;
    let first_seen = "2025-12-15T14:02:00Z".parse().ok();
    let new = Recurrence { runs: 1, first_seen, flaky_runs: 0 };

    assert_screen("findings_new", |app| recall_missing_file(app, new.clone()));

    let mut app = Session::demo_at(SIZES[1]);
    recall_missing_file(&mut app, new.clone());
    let screen = screen_text(draw(&app).backend().buffer());
    assert!(screen.contains("line 160 · new"), "where the count would be: {screen}");
    assert!(!screen.contains("seen in") && !screen.contains("flaky"), "{screen}");
}

#[test]
fn a_symptom_from_another_job_file_than_its_cause_names_that_file_in_the_pane() {
    use gha_triage::app::state::Triage;

    let mut app = Session::demo_at(SIZES[1]);
    open_stage_2(&mut app);
    let key = (app.run().run.id, 1);
    let Some(Triage::Ready(report)) = app.state.triage.get(&key) else { panic!("triaged") };
    let mut report = (**report).clone();
    for finding in &mut report.findings {
        let file = if finding.symptom_of.is_some() { "2_b.txt" } else { "1_a.txt" };
        finding.file = Some(file.to_owned());
    }
    app.state.triage.insert(key, Triage::Ready(std::sync::Arc::new(report)));

    let screen = screen_text(draw(&app).backend().buffer());

    assert!(screen.contains("└ symptom (2_b.txt line 161): Process"), "{screen}");
}

#[test]
fn offline_from_the_local_store_shows_in_the_header_and_the_status_bar() {
    let mut app = Session::demo();
    app.state.source.kind = SourceKind::Stored;
    let screen = screen_text(draw(&app).backend().buffer());
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].starts_with(" gha-triage [OFFLINE · local store] "), "{}", rows[0]);
    assert!(rows[rows.len() - 1].contains("offline · local store · ? help"), "{screen}");
}

/// Whether `row` keeps two blank columns between its text and the right-hand part starting
/// at `right`, and cuts the text with `…` rather than mid-word.
fn apart(row: &str, right: &str) -> bool {
    let Some((text, _)) = row.split_once(right) else { return false };
    text.ends_with("  ") && !text.trim_end().is_empty()
}

#[test]
fn the_status_message_stays_apart_from_the_offline_mark_and_the_hints() {
    let notice = "opening the run; press enter on the finding again once its jobs are listed";
    for size in SIZES {
        let mut app = Session::demo_at(size);
        app.state.source.kind = SourceKind::Stored;
        let screen = screen_text(draw(&app).backend().buffer());
        let status = screen.lines().last().unwrap_or_default();
        assert!(apart(status, "offline · local store"), "{size:?}: {status}");

        app.state.inform(notice);
        let screen = screen_text(draw(&app).backend().buffer());
        let status = screen.lines().last().unwrap_or_default();
        assert!(apart(status, "offline · local store"), "{size:?}: {status}");
        let cut = size.0 < 100;
        assert_eq!(status.contains("…  "), cut, "{size:?}: cut with … when narrow: {status}");
    }
}

#[test]
fn the_header_breadcrumb_is_cut_with_an_ellipsis_before_the_api_budget() {
    use gha_triage::github::ratelimit::{RateBudget, RateState};
    let mut app = Session::demo_at((80, 24));
    open_failing_step(&mut app);
    app.state.source.kind = SourceKind::Live;
    let budget = RateBudget { limit: Some(5000), remaining: 4321, reset: None };
    app.send(Msg::RateNoted(RateState { budget: Some(budget), waiting_until: None }));

    let screen = screen_text(draw(&app).backend().buffer());
    let header = screen.lines().next().unwrap_or_default();

    assert!(apart(header, "API 4321/5000 left"), "{header}");
    assert!(header.contains("…"), "the breadcrumb is cut with …: {header}");
}

#[test]
fn a_runs_list_github_would_not_give_shows_why_where_the_runs_would_be() {
    let info = gha_triage::source::SourceInfo {
        kind: SourceKind::Live,
        name: "octo-org/vehicle-inspections".into(),
    };
    let config = std::sync::Arc::new(gha_triage::config::Config::defaults());
    let mut state =
        gha_triage::app::state::State::new(info, config, session::NOW.parse().unwrap(), (80, 24));
    let Some(Effect::LoadRuns { request }) =
        gha_triage::app::update::start(&mut state).into_iter().next()
    else {
        panic!("the runs are asked for first")
    };
    let error = "cannot reach 127.0.0.1:9 (connection refused) after 4 tries".to_owned();
    gha_triage::app::update::update(&mut state, Msg::RunsLoaded { request, result: Err(error) });

    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
    terminal.draw(|frame| gha_triage::ui::draw(frame, &state)).expect("a frame");
    let screen = screen_text(terminal.backend().buffer());
    assert!(screen.contains("cannot list runs: cannot reach 127.0.0.1:9"), "{screen}");
    assert!(screen.contains("after 4 tries"), "the reason is not cut off:\n{screen}");
    assert!(!screen.contains("clear filters"), "no filter is set:\n{screen}");
}

#[test]
fn a_filter_that_hides_every_run_names_the_key_that_clears_it() {
    let mut app = Session::demo_at((80, 24));
    app.press("/");
    for key in ["z", "q", "x", "z", "q"] {
        app.press(key);
    }
    app.press("enter");

    let screen = screen_text(draw(&app).backend().buffer());
    assert!(screen.contains("none of the 25 runs match; press x to clear filters"), "{screen}");
}

#[test]
fn an_earlier_attempt_shows_how_that_attempt_ended_not_the_latest() {
    let mut app = Session::demo_at((120, 40));
    app.open_run("CI", 101);
    let latest = screen_text(draw(&app).backend().buffer());
    assert!(latest.contains("attempt 2/2") && latest.contains("✓ success"), "{latest}");

    app.press("[");

    let first = screen_text(draw(&app).backend().buffer());
    assert!(first.contains("attempt 1/2"), "{first}");
    assert!(first.contains("✗ failure ·"), "attempt 1 failed a leg:\n{first}");
    assert!(!first.contains("✓ success ·"), "{first}");
}

#[test]
fn a_rate_limit_wait_counts_down_on_the_status_line_beside_the_budget_in_the_header() {
    use gha_triage::github::ratelimit::{RateBudget, RateState};
    let mut app = Session::demo_at((120, 40));
    app.state.source.kind = SourceKind::Live;
    let now: jiff::Timestamp = session::NOW.parse().unwrap();
    let until = now + jiff::SignedDuration::from_secs(42);
    let budget = RateBudget { limit: Some(5000), remaining: 0, reset: Some(until) };
    app.send(Msg::RateNoted(RateState { budget: Some(budget), waiting_until: Some(until) }));

    let waiting = screen_text(draw(&app).backend().buffer());
    app.send(Msg::Tick(now + jiff::SignedDuration::from_secs(2)));
    let later = screen_text(draw(&app).backend().buffer());
    app.send(Msg::Tick(until));
    let over = screen_text(draw(&app).backend().buffer());

    assert!(waiting.contains("GitHub's rate limit: waiting 42 s, until 09:00:42 UTC"), "{waiting}");
    assert!(waiting.lines().next().unwrap().contains("API 0/5000 left"), "{waiting}");
    assert!(later.contains("waiting 40 s"), "{later}");
    assert!(!over.contains("waiting"), "{over}");
}

#[test]
fn a_long_notice_keeps_its_end_and_the_key_hints_make_room() {
    let path = "/home/someone/work/gha-triage-run-20758968196-attempt-1.md";
    for size in SIZES {
        let mut app = Session::demo_at(size);
        app.send(Msg::Exported { result: Ok(std::path::PathBuf::from(path)) });

        let screen = screen_text(draw(&app).backend().buffer());
        let status = screen.lines().last().unwrap_or_default();
        assert!(status.contains(&format!("write-up saved to {path}")), "{size:?}: {status}");
    }
    let app = Session::demo_at((120, 40));
    let screen = screen_text(draw(&app).backend().buffer());
    assert!(
        screen.lines().last().unwrap_or_default().contains("? help"),
        "hints when there is room"
    );
}

/// The rows of the log pane, inside its border, of a screen drawn with the pane on the left.
fn log_pane_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(2)
        .take_while(|row| !row.starts_with('└'))
        .map(|row| row.split('│').nth(1).unwrap_or_default().trim_end().to_owned())
        .collect()
}

#[test]
fn shift_g_puts_the_last_line_of_the_log_on_the_pane_s_last_row() {
    for (size, fold) in [((120, 35), "+"), ((120, 35), "-"), ((200, 60), "+"), ((200, 60), "-")] {
        let mut app = Session::demo_at(size);
        open_stage_2(&mut app);
        app.select_step("Process raw data");
        app.press_all(&["L", fold, "G"]);

        let rows = log_pane_rows(&screen_text(draw(&app).backend().buffer()));

        assert!(rows.iter().all(|row| !row.is_empty()), "{size:?} {fold}: {rows:#?}");
        let last = rows.last().unwrap();
        assert!(last.contains("196 Cleaning up orphan processes"), "{size:?} {fold}: {last}");
    }
}

#[test]
fn a_wrapped_log_reaches_the_line_after_a_huge_line_and_ends_on_the_last_row() {
    let mut bytes = "A".repeat(1 << 20).into_bytes();
    bytes.extend_from_slice(b"\nsecond line\nthird line\n");
    let mut app = Session::demo_at((120, 35));
    open_stage_2(&mut app);
    app.open_log_with(Vec::leak(bytes));
    app.press("W");

    app.press("j");
    let rows = log_pane_rows(&screen_text(draw(&app).backend().buffer()));
    assert_eq!(rows.last().map(String::as_str), Some(" 2 second line"), "j: {rows:#?}");

    app.press("G");
    let rows = log_pane_rows(&screen_text(draw(&app).backend().buffer()));
    assert_eq!(rows.last().map(String::as_str), Some(" 3 third line"), "G: {rows:#?}");
    assert!(rows[0].ends_with("AAAA"), "the huge line's end fills the rows above: {rows:#?}");
}

#[test]
fn a_huge_evidence_line_takes_a_few_rows_of_the_pane_and_leaves_the_fix_in_view() {
    let mut app = Session::demo_at((120, 35));
    open_stage_2(&mut app);
    let key = (app.run().run.id, 1);
    let Some(Triage::Ready(report)) = app.state.triage.get_mut(&key) else {
        panic!("the run is triaged")
    };
    let huge = format!("Error: {}", "A".repeat(1 << 20));
    std::sync::Arc::make_mut(report).findings[0].text = huge;
    app.press("tab");

    let screen = screen_text(draw(&app).backend().buffer());

    let evidence: Vec<&str> = screen.lines().filter(|row| row.contains("AAAA")).collect();
    assert!((1..=3).contains(&evidence.len()), "{screen}");
    assert!(evidence.last().unwrap().contains("AAA…"), "{screen}");
    assert!(
        screen.contains("2 cache Cache service refused the request"),
        "the next finding: {screen}"
    );
    assert!(screen.contains("Fix"), "{screen}");
}

#[test]
fn local_files_show_whether_their_findings_hold_errors_and_no_made_up_facts() {
    let mut app = Session::demo_at((120, 35));
    open_stage_2(&mut app);
    let view = app.state.run.as_mut().expect("the run screen");
    view.run.event = LOCAL_EVENT.to_owned();
    view.run.conclusion = None;
    (view.run.head_branch, view.run.actor) = (None, None);
    for job in &mut view.jobs {
        job.conclusion = Some(Conclusion::Unknown);
    }
    let local = view.run.clone();

    let screen = screen_text(draw(&app).backend().buffer());

    let facts = screen.lines().nth(2).unwrap_or_default();
    assert!(facts.contains("✗ has errors · local"), "{facts}");
    assert!(!facts.contains('?') && !facts.contains("0s"), "{facts}");
    let job = screen.lines().find(|row| row.contains("Process raw data")).unwrap_or_default();
    assert!(job.trim_start_matches('│').starts_with('✗'), "the job's icon: {job}");
    assert_eq!(local.duration(), None, "the runs list says nothing of how long it took");
}

/// `gh run view --log` output of one job: its name and step in two columns before each line.
const GH_VIEW_LOG: &str = "\
build\tSet up job\t2025-12-15T10:00:00.0000000Z Current runner version: '2.330.0'
build\tSet up job\t2025-12-15T10:00:00.1000000Z Complete job name: build
build\tRun tests\t2025-12-15T10:00:01.0000000Z ##[group]Run npm test
build\tRun tests\t2025-12-15T10:00:01.1000000Z npm test
build\tRun tests\t2025-12-15T10:00:01.2000000Z ##[endgroup]
build\tRun tests\t2025-12-15T10:00:02.0000000Z ##[error]Process completed with exit code 1.
";

#[test]
fn gh_run_view_output_opens_as_its_job_s_runner_log_with_the_findings_beside_it() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("gh.log");
    std::fs::write(&path, GH_VIEW_LOG).expect("the log is written");
    let mut app = Session::offline(&path);

    let screen = screen_text(draw(&app).backend().buffer());

    assert!(screen.contains("whole job · 6 lines · build"), "named after its job: {screen}");
    assert!(screen.contains("│ 3 ▸ Run npm test"), "the group folds: {screen}");
    assert!(screen.contains("Error: Process completed"), "{screen}");
    assert!(!screen.contains("2025-12-15T10"), "no column or timestamp is shown: {screen}");
    assert!(screen.contains("build › Run tests · line 6"), "{screen}");
    let job = &app.run().jobs[0];
    let steps: Vec<_> = job.steps.iter().map(|step| (step.number, step.name.as_str())).collect();
    assert_eq!(steps, [(1, "Set up job"), (2, "Run tests")]);

    app.press_all(&["tab", "enter"]);

    assert_eq!(app.log().cursor, 5);
    assert_eq!(app.cursor_line(), "Process completed with exit code 1.");
}

/// A job's whole log beside its per-step files, as the run log archive lays them out; the
/// whole log starts at the first step of its own.
const WHOLE_BUILD_LOG: &str = "\
2025-12-15T10:00:01.0000000Z ##[group]Run actions/checkout@v4
2025-12-15T10:00:01.1000000Z with:
2025-12-15T10:00:01.2000000Z ##[endgroup]
2025-12-15T10:00:02.0000000Z ##[group]Run npm test
2025-12-15T10:00:02.1000000Z npm test
2025-12-15T10:00:02.2000000Z ##[endgroup]
2025-12-15T10:00:03.0000000Z npm ERR! Missing script: \"test\"
2025-12-15T10:00:03.1000000Z ##[error]Process completed with exit code 1.
";

#[test]
fn a_run_log_folder_s_step_files_number_and_name_the_steps_of_the_run_screen() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let files = [
        ("0_build.txt", WHOLE_BUILD_LOG),
        ("build/1_Set up job.txt", "2025-12-15T10:00:00.0000000Z Current runner version\n"),
        ("build/2_Run actionscheckout@v4.txt", "2025-12-15T10:00:01.0000000Z with:\n"),
        ("build/3_Run tests.txt", "2025-12-15T10:00:02.1000000Z npm test\n"),
    ];
    std::fs::create_dir(folder.path().join("build")).expect("the job folder");
    for (name, text) in files {
        std::fs::write(folder.path().join(name), text).expect("a log file");
    }
    let mut app = Session::offline(folder.path());
    app.press("esc");

    let steps: Vec<_> =
        app.run().jobs[0].steps.iter().map(|step| (step.number, step.name.clone())).collect();
    let failed: Vec<_> = app.run().jobs[0].steps.iter().map(|step| step.conclusion).collect();
    app.select_row(&["build", "Run tests"]);
    app.press("enter");

    assert_eq!(
        steps,
        [
            (1, "Set up job".to_owned()),
            (2, "Run actions/checkout@v4".to_owned()),
            (3, "Run tests".to_owned())
        ]
    );
    assert_eq!(failed[2], Some(Conclusion::Failure), "{failed:?}");
    let screen = screen_text(draw(&app).backend().buffer());
    assert!(screen.contains("┌ Run tests · "), "the step's own lines: {screen}");
    assert!(screen.contains("build › Run tests · line 8"), "{screen}");
}

#[test]
fn a_cancellation_from_a_check_run_annotation_is_a_symptom_that_says_where_it_was_read() {
    let mut app = Session::demo();
    app.open_run("CI", 105);
    app.press("tab");

    let screen = screen_text(draw(&app).backend().buffer());

    let titles = app.pane_titles();
    assert!(!titles.iter().any(|title| title.starts_with("Canceled because")), "{titles:?}");
    let pane: String = screen
        .lines()
        .filter_map(|line| {
            line.rsplit_once("││").map(|(_, pane)| pane.trim_end_matches("│").trim_end())
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(pane.contains("└ symptom (check-run annotation of Test (Python 3.11))"), "{screen}");
    assert!(!pane.contains("annotations line 1"), "{screen}");
    assert!(!log_finding_lines(&app.state).contains(&0), "line 1 holds no finding");
}

#[test]
fn the_findings_list_leaves_no_blank_rows_under_its_end_while_its_first_finding_is_hidden() {
    let mut app = Session::demo();
    app.open_run(STAGE_2, 36);
    app.press("tab");
    let last = app.pane_titles().len() - 1;
    for _ in 0..last {
        app.press("j");
    }

    for (columns, rows) in [(120, 40), (160, 60), (120, 40)] {
        app.send(Msg::Resize(columns, rows));
        let screen = screen_text(draw(&app).backend().buffer());
        let pane: Vec<&str> = screen
            .lines()
            .filter_map(|line| line.rsplit_once("││").map(|(_, pane)| pane))
            .collect();
        let fix = pane.iter().position(|row| row.starts_with("Fix")).expect("the fix pane");
        let first_shown = pane.iter().any(|row| row.starts_with("1 "));
        let blank_above_fix = pane[fix - 1].trim_end_matches('│').trim().is_empty();
        assert!(first_shown || !blank_above_fix, "at {columns}x{rows}:\n{screen}");
        assert!(screen.contains("3 cache"), "the selected finding is in view:\n{screen}");
    }
}
