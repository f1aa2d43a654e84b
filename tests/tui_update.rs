//! Every key binding of the default config (`assets/config.toml`), pressed on the embedded demo
//! through `update` alone: no terminal, no runtime. Each test checks what a user would see
//! change: the selected run, the filters, the screen, the log line under the cursor, the
//! findings pane, the notice, or what the program asks the outside world to do.

#[path = "tui_support/session.rs"]
#[allow(dead_code, reason = "each test file uses its part of the session helpers")]
mod session;

use std::sync::Arc;

use gha_triage::app::action::ACTIONS;
use gha_triage::app::derived::shown_lines;
use gha_triage::app::effect::Effect;
use gha_triage::app::msg::Msg;
use gha_triage::app::state::{
    Confirm, Ending, Focus, Level, Overlay, PromptKind, Screen, StatusFilter, Triage,
};
use gha_triage::app::suspects::{self, Suspects};
use gha_triage::classify::Engine;
use gha_triage::config::DEFAULT_CONFIG;
use gha_triage::export::writeup;
use gha_triage::github::act::{DebugLogging, RunAction};
use gha_triage::logdoc::search::SearchResult;
use gha_triage::source::SourceKind;
use gha_triage::triage::Report;
use gha_triage::triage::recall::Recall;

use session::{Session, key_event};

const STAGE_2: &str = "Stage 2 - Data Processing";
const FAILING_STEP: &str = "Run data processing script";
const MISSING_FILE: &str = "ERROR: Could not open requirements file: [Errno 2] No such file or \
                            directory: 'requirements.txt'";

const CACHE_NEVER_SAVED: &str =
    "Cache key `raw-data-v2-${{ steps.cache-key.outputs.week }}` is restored but never saved";

/// The demo with Stage 2 #36 open on its run screen.
fn stage_2_run() -> Session {
    let mut app = Session::demo();
    app.open_run(STAGE_2, 36);
    app
}

/// The demo with the whole log of Stage 2 #36's failed job open, cursor on its first line.
fn stage_2_log() -> Session {
    let mut app = stage_2_run();
    app.select_step("Process raw data");
    app.press("enter");
    assert_eq!(app.state.screen, Screen::Log);
    assert!(app.log().index.complete, "the log is indexed");
    app
}

// The runs list.

#[test]
fn the_demo_opens_on_every_run_newest_first() {
    let app = Session::demo();

    assert_eq!(app.state.screen, Screen::Runs);
    assert_eq!(app.listed_runs().len(), 25);
    assert_eq!(app.listed_runs()[0], "CI #106");
    assert_eq!(app.notice(), "25 runs of octo-org/vehicle-inspections");
}

#[test]
fn j_and_down_move_the_selection_down_and_k_and_up_move_it_back() {
    for (down, up) in [("j", "k"), ("down", "up")] {
        let mut app = Session::demo();

        app.press_all(&[down, down]);
        assert_eq!(app.listed_runs()[app.state.runs.selected], "Stage 2 - Data Processing #36");

        app.press(up);
        assert_eq!(app.listed_runs()[app.state.runs.selected], "CI #105");

        app.press_all(&[up, up]);
        assert_eq!(app.state.runs.selected, 0, "{up} stops at the first run");
    }
}

#[test]
fn page_keys_move_the_selection_by_a_screenful() {
    for (down, up) in [("pagedown", "pageup"), ("ctrl-f", "ctrl-b"), ("space", "ctrl-b")] {
        let mut app = Session::demo_at((80, 24));
        let page = app.state.page_rows();

        app.press(down);
        assert_eq!(app.state.runs.selected, page, "{down} moves one page down");

        app.press(up);
        assert_eq!(app.state.runs.selected, 0, "{up} moves one page up");
    }
}

#[test]
fn home_and_g_go_to_the_newest_run_and_end_and_shift_g_to_the_oldest() {
    for (top, bottom) in [("g", "G"), ("home", "end")] {
        let mut app = Session::demo();

        app.press(bottom);
        assert_eq!(app.listed_runs()[app.state.runs.selected], "CI #97");

        app.press(top);
        assert_eq!(app.listed_runs()[app.state.runs.selected], "CI #106");
    }
}

#[test]
fn selecting_a_failed_run_fills_the_findings_pane_without_a_key_press() {
    let mut app = Session::demo();

    app.select_run(STAGE_2, 36);

    let titles = app.pane_titles();
    assert!(
        titles.iter().any(|title| title == "pip cannot open requirements.txt"),
        "the pane lists the missing requirements file: {titles:?}"
    );
}

#[test]
fn on_a_live_repository_only_the_run_where_the_selection_rests_is_triaged() {
    let mut app = Session::demo();
    app.state.source.kind = SourceKind::Live;

    app.press_all(&["j", "j", "j"]);

    let rests: Vec<u64> = app
        .outside
        .iter()
        .filter_map(|effect| match effect {
            Effect::TriageAfter { request, after } => {
                assert_eq!(*after, std::time::Duration::from_millis(300));
                Some(*request)
            }
            _ => None,
        })
        .collect();
    assert_eq!(rests.len(), 3, "one wait per move, no triage yet: {:?}", app.outside);
    assert!(app.send(Msg::SelectionRested { request: rests[0] }).is_empty(), "a stale wait");
    let effects = app.send(Msg::SelectionRested { request: rests[2] });
    let selected = app.state.runs.selected;
    let Some(Effect::Triage { run, .. }) = effects.first() else {
        panic!("the resting selection is triaged: {effects:?}")
    };
    assert_eq!(selected, 3);
    let name = format!("{} #{}", run.name.as_deref().unwrap_or("?"), run.run_number);
    assert_eq!(name, app.listed_runs()[3]);
}

#[test]
fn enter_l_and_right_open_the_selected_run_with_its_jobs_and_steps() {
    for key in ["enter", "l", "right"] {
        let mut app = Session::demo();
        app.select_run(STAGE_2, 36);

        app.press(key);

        assert_eq!(app.state.screen, Screen::Run, "{key} opens the run");
        let run = app.run();
        assert_eq!(run.run.run_number, 36);
        assert_eq!(run.jobs.len(), 1);
        assert_eq!(run.jobs[0].name, "Process raw data");
        assert!(run.jobs[0].steps.iter().any(|step| step.name == FAILING_STEP));
    }
}

#[test]
fn slash_search_narrows_the_runs_list_as_the_user_types() {
    let mut app = Session::demo();

    app.press("/");
    assert!(matches!(
        &app.state.overlay,
        Some(Overlay::Prompt(prompt)) if prompt.kind == PromptKind::RunSearch
    ));
    app.type_text("#3");
    assert!(app.listed_runs().len() > 1, "#3 matches #30 to #36 and Stage 2's titles");
    app.type_text("6");
    assert_eq!(app.listed_runs(), ["Stage 2 - Data Processing #36"]);

    app.press("enter");
    assert_eq!(app.state.overlay, None);
    assert_eq!(app.listed_runs(), ["Stage 2 - Data Processing #36"], "enter keeps the search");
    assert!(app.state.triage.contains_key(&(app.selected_run().unwrap().id, 1)));
}

#[test]
fn the_run_search_prompt_edits_its_text_and_esc_drops_it() {
    let mut app = Session::demo();

    app.press("/");
    app.type_text("qxz");
    assert!(app.listed_runs().is_empty(), "q is typed, not a quit");
    assert!(!app.state.quit);

    app.press("backspace");
    app.press("backspace");
    app.type_text("publish");
    assert!(app.listed_runs().is_empty(), "q + publish matches nothing");

    app.press("ctrl-u");
    app.type_text("publish");
    assert_eq!(app.listed_runs(), ["Publish image #12", "Publish image #11"]);

    app.press("esc");
    assert_eq!(app.state.overlay, None);
    assert_eq!(app.listed_runs().len(), 25, "esc clears the search");
}

#[test]
fn s_cycles_the_status_filter_through_failed_succeeded_active_and_all() {
    let mut app = Session::demo();

    app.press("s");
    assert_eq!(app.state.runs.status, StatusFilter::Failed);
    assert_eq!(
        app.listed_runs(),
        [
            "CI #105",
            "Stage 2 - Data Processing #36",
            "Stage 2 - Data Processing #35",
            "Stage 2 - Data Processing #34",
            "Publish image #12",
        ]
    );

    app.press("s");
    assert_eq!(app.state.runs.status, StatusFilter::Succeeded);
    assert_eq!(app.listed_runs().len(), 20);

    app.press("s");
    assert_eq!(app.state.runs.status, StatusFilter::Active);
    assert!(app.listed_runs().is_empty(), "every demo run has finished");

    app.press("s");
    assert_eq!(app.state.runs.status, StatusFilter::All);
    assert_eq!(app.listed_runs().len(), 25);
}

#[test]
fn w_cycles_the_workflow_filter_through_every_workflow_then_all() {
    let mut app = Session::demo();
    let workflows: Vec<String> =
        app.state.runs.workflows.iter().map(|workflow| workflow.name.clone()).collect();
    assert_eq!(workflows.len(), 4);

    for workflow in &workflows {
        app.press("w");
        let listed = app.listed_runs();
        assert!(!listed.is_empty(), "{workflow} has runs");
        assert!(
            listed.iter().all(|run| run.starts_with(&format!("{workflow} #"))),
            "only {workflow}: {listed:?}"
        );
    }

    app.press("w");
    assert_eq!(app.state.runs.workflow, None);
    assert_eq!(app.listed_runs().len(), 25);
}

#[test]
fn b_cycles_the_branch_filter_through_every_branch_then_all() {
    let mut app = Session::demo();

    app.press("b");
    assert_eq!(app.state.runs.branch.as_deref(), Some("feature/defect-trends"));
    assert_eq!(app.listed_runs(), ["CI #106", "CI #105"]);

    app.press("b");
    assert_eq!(app.state.runs.branch.as_deref(), Some("main"));
    assert_eq!(app.listed_runs().len(), 21);

    app.press_all(&["b", "b"]);
    assert_eq!(app.state.runs.branch.as_deref(), Some("v1.7.0"));
    assert_eq!(app.listed_runs(), ["Publish image #12"]);

    app.press("b");
    assert_eq!(app.state.runs.branch, None);
    assert_eq!(app.listed_runs().len(), 25);
}

#[test]
fn x_clears_every_filter_and_the_search_at_once() {
    let mut app = Session::demo();
    app.press_all(&["s", "w", "b"]);
    app.press("/");
    app.type_text("nothing like this");
    app.press("enter");
    assert!(app.listed_runs().is_empty());

    app.press("x");

    assert_eq!(app.state.runs.status, StatusFilter::All);
    assert_eq!(app.state.runs.workflow, None);
    assert_eq!(app.state.runs.branch, None);
    assert_eq!(app.state.runs.search, "");
    assert_eq!(app.listed_runs().len(), 25);
}

// The run screen.

#[test]
fn moving_on_the_run_screen_walks_jobs_and_steps() {
    let mut app = stage_2_run();
    assert_eq!(app.selected_row_text(), "Process raw data");

    app.press_all(&["j", "down"]);
    assert_eq!(app.selected_row_text(), "Checkout");
    app.press_all(&["k", "up"]);
    assert_eq!(app.selected_row_text(), "Process raw data");

    for bottom in ["G", "end"] {
        app.press(bottom);
        assert_eq!(app.selected_row_text(), "Complete job");
    }
    for top in ["g", "home"] {
        app.press(top);
        assert_eq!(app.selected_row_text(), "Process raw data");
    }

    for down in ["pagedown", "ctrl-f", "space"] {
        app.press("g");
        app.press(down);
        assert_eq!(app.selected_row_text(), "Post Set up Python", "{down} moves ten rows");
    }
    for up in ["pageup", "ctrl-b"] {
        app.press("G");
        app.press(up);
        assert_eq!(app.selected_row_text(), "Checkout", "{up} moves ten rows");
    }
}

#[test]
fn brackets_switch_between_the_two_attempts_of_ci_101() {
    let mut app = Session::demo();
    app.open_run("CI", 101);
    assert_eq!(app.run().attempt, 2, "the latest attempt opens first");
    assert!(app.run().jobs.iter().all(|job| !job.failed()), "attempt 2 passed");

    app.press("[");
    assert_eq!(app.run().attempt, 1);
    assert_eq!(app.notice(), "attempt 1 of 2");
    let failed: Vec<&str> =
        app.run().jobs.iter().filter(|job| job.failed()).map(|job| job.name.as_str()).collect();
    assert_eq!(failed, ["Test (Python 3.12)"], "attempt 1 failed on 3.12");
    assert!(
        app.pane_texts().iter().any(|text| text.contains("test_fetch_is_quick")),
        "the pane shows attempt 1's flaky test: {:?}",
        app.pane_texts()
    );

    app.press("[");
    assert_eq!(app.run().attempt, 1);
    assert_eq!(app.notice(), "attempt 1 of 2: no other attempt that way");

    app.press("]");
    assert_eq!(app.run().attempt, 2);
    assert_eq!(app.notice(), "attempt 2 of 2");
}

#[test]
fn enter_on_a_step_opens_the_log_limited_to_that_step() {
    let mut app = Session::demo();
    app.open_run("CI", 105);
    app.select_row(&["Test (Python 3.13)", "Run actions/checkout@v4"]);

    app.press("enter");

    assert_eq!(app.state.screen, Screen::Log);
    let log = app.log();
    assert_eq!(log.job.name, "Test (Python 3.13)");
    let (step, first, last) = log.step.clone().expect("the log is limited to the step");
    assert_eq!(step, "Run actions/checkout@v4");
    assert_eq!(app.cursor_line(), "Run actions/checkout@v4", "the cursor starts on its first line");
    app.press("G");
    assert_eq!(app.log().cursor, last, "G stops at the step's last line");
    app.press("g");
    assert_eq!(app.log().cursor, first, "g goes back to its first line");
}

#[test]
fn enter_on_the_failing_step_opens_the_log_limited_to_that_step() {
    let mut app = stage_2_run();
    app.select_step(FAILING_STEP);

    app.press("enter");

    let log = app.log();
    let (step, _, _) = log.step.clone().unwrap_or_else(|| {
        panic!("the log is limited to the failing step; the notice said: {}", app.notice())
    });
    assert_eq!(step, FAILING_STEP);
    assert!(
        app.cursor_line().starts_with("Run python scripts/data_process.py"),
        "the cursor starts on the step's first line: {}",
        app.cursor_line()
    );
}

#[test]
fn shift_l_opens_the_whole_job_log_even_on_a_step() {
    let mut app = stage_2_run();
    app.select_step(FAILING_STEP);

    app.press("L");

    let log = app.log();
    assert_eq!(log.step, None);
    assert_eq!(log.index.len(), 196);
    assert_eq!(app.cursor_line(), "Current runner version: '2.329.0'");
}

#[test]
fn enter_on_a_matrix_header_opens_the_leg_that_failed() {
    let mut app = Session::demo();
    app.open_run("CI", 105);
    assert_eq!(app.selected_row_text(), "Test");

    app.press("enter");

    assert_eq!(app.log().job.name, "Test (Python 3.13)");
}

// The log screen.

#[test]
fn moving_in_the_log_skips_folded_groups() {
    let mut app = stage_2_log();

    app.press("j");
    assert_eq!(app.cursor_line(), "Runner Image Provisioner", "groups start folded");
    app.press("down");
    assert_eq!(app.cursor_line(), "Operating System", "the folded group's lines are skipped");
    app.press_all(&["k", "up"]);
    assert_eq!(app.cursor_line(), "Current runner version: '2.329.0'");

    for bottom in ["G", "end"] {
        app.press(bottom);
        assert_eq!(app.log().cursor, 195, "{bottom} goes to the last line");
    }
    for top in ["g", "home"] {
        app.press(top);
        assert_eq!(app.log().cursor, 0, "{top} goes to the first line");
    }
}

#[test]
fn page_keys_scroll_the_log_by_a_screenful() {
    for (down, up) in [("pagedown", "pageup"), ("ctrl-f", "ctrl-b"), ("space", "pageup")] {
        let mut app = stage_2_log();
        app.press("+");
        let page = app.state.page_rows();

        app.press(down);
        assert_eq!(app.log().cursor, page, "{down} moves one page down");
        let rows = app.state.log_rows();
        assert!(shown_lines(app.log(), rows).contains(&page), "the cursor stays on screen");

        app.press(up);
        assert_eq!(app.log().cursor, 0, "{up} moves one page up");
    }
}

#[test]
fn a_hint_about_a_key_that_did_nothing_goes_at_the_next_key() {
    let mut app = stage_2_run();
    app.press("]");
    assert_eq!(app.notice(), "attempt 1 of 1: no other attempt that way");

    app.press("j");
    assert_eq!(app.notice(), "", "the hint spoke of the key before");

    let mut app = stage_2_log();
    app.press_all(&["G", "f"]);
    assert_eq!(app.notice(), "no later finding from here");

    app.press("F");
    assert_eq!(app.notice(), "", "F moved, so the hint is gone");
}

#[test]
fn enlarging_the_window_at_the_end_of_the_log_fills_it_from_above() {
    let mut app = stage_2_log();
    app.press("+");
    app.send(Msg::Resize(80, 24));
    app.press("G");
    let last = app.log().cursor;

    app.send(Msg::Resize(200, 60));

    let rows = app.state.log_rows();
    let shown = shown_lines(app.log(), rows);
    assert!(last >= rows, "the log is longer than the window");
    assert_eq!(shown.len(), rows, "no blank rows below the last line");
    assert_eq!(shown.last(), Some(&last), "the last line stays at the bottom");
}

#[test]
fn slash_search_counts_matches_and_n_and_shift_n_move_between_them() {
    let mut app = stage_2_log();

    app.press("/");
    assert!(matches!(
        &app.state.overlay,
        Some(Overlay::Prompt(prompt)) if prompt.kind == PromptKind::LogSearch
    ));
    app.type_text("requirements\\.txt");
    app.press("enter");

    assert_eq!(app.notice(), "/requirements\\.txt/: 2 matches; n and N move between them");
    assert_eq!(app.cursor_line(), "pip install -r requirements.txt", "the first match");

    app.press("n");
    assert_eq!(app.cursor_line(), MISSING_FILE);
    assert_eq!(app.notice(), "match 2 of 2");

    app.press("n");
    assert_eq!(app.cursor_line(), "pip install -r requirements.txt", "n wraps around");

    app.press("N");
    assert_eq!(app.cursor_line(), MISSING_FILE, "N goes back, wrapping too");
    assert_eq!(app.notice(), "match 2 of 2");

    app.press("esc");
    assert!(app.state.notice.is_none(), "the count of the log just left is gone");
}

#[test]
fn a_search_without_a_match_or_with_a_bad_regex_says_so() {
    let mut app = stage_2_log();

    app.press("/");
    app.type_text("left-pad");
    app.press("enter");
    assert_eq!(app.notice(), "/left-pad/: no match");

    app.press("/");
    app.press("ctrl-u");
    app.type_text("(unclosed");
    app.press("enter");
    assert!(app.notice().starts_with("not a valid regex:"), "{}", app.notice());
}

#[test]
fn slash_opens_an_empty_search_prompt_and_up_recalls_the_last_query() {
    let mut app = stage_2_log();
    app.press("/");
    app.type_text("requirements\\.txt");
    app.press("enter");
    app.press("n");
    assert_eq!(app.notice(), "match 2 of 2");

    app.press("/");
    assert_eq!(prompt_text(&app), "", "a new search starts empty");
    app.type_text("cache");
    assert_eq!(prompt_text(&app), "cache");
    app.press("ctrl-u");
    app.press("up");
    assert_eq!(prompt_text(&app), "requirements\\.txt", "up recalls the last query");
    app.press("esc");

    app.press("n");
    assert!(app.notice().starts_with("match "), "n still repeats the last search");
    app.press("/");
    app.press("enter");
    assert_eq!(app.log().search.query, "requirements\\.txt", "an empty query repeats the last");
}

#[test]
fn a_bad_regex_leaves_the_status_line_at_the_next_key() {
    let mut app = stage_2_log();
    app.press("/");
    app.type_text("(unclosed");
    app.press("enter");
    assert!(app.notice().starts_with("not a valid regex:"), "{}", app.notice());

    app.press("esc");

    assert_eq!(app.state.screen, Screen::Run);
    assert_eq!(app.notice(), "", "the run screen does not speak of the log's search");
}

fn prompt_text(app: &Session) -> String {
    match &app.state.overlay {
        Some(Overlay::Prompt(prompt)) => prompt.text.clone(),
        other => panic!("no prompt open: {other:?}"),
    }
}

#[test]
fn esc_cancels_a_search_that_is_still_running() {
    let mut app = stage_2_log();
    app.press("/");
    app.type_text("error");
    let effects = app.send(Msg::Key(key_event("enter")));
    let Some(Effect::Search { cancel, .. }) = effects.into_iter().next() else {
        panic!("enter starts a search")
    };

    app.press("esc");

    assert!(cancel.load(std::sync::atomic::Ordering::Relaxed), "the search is told to stop");
    assert_eq!(app.notice(), "search canceled");
    assert_eq!(app.state.screen, Screen::Log, "esc cancels the search, not the screen");
}

#[test]
fn brackets_jump_between_error_lines() {
    let mut app = stage_2_log();

    app.press("]");
    assert_eq!(app.cursor_line(), "Process completed with exit code 1.");
    app.press("]");
    assert_eq!(
        app.cursor_line(),
        "The action 'Run data processing script' has timed out after 1 minutes."
    );
    app.press("[");
    assert_eq!(app.cursor_line(), "Process completed with exit code 1.");
    app.press("[");
    assert_eq!(app.notice(), "no earlier error line from here");
}

#[test]
fn f_and_shift_f_jump_between_the_findings_evidence_lines() {
    let mut app = stage_2_log();

    app.press("f");
    assert_eq!(app.cursor_line(), "Failed to restore: Cache service responded with 400");
    app.press("f");
    assert_eq!(app.cursor_line(), MISSING_FILE);
    app.press("F");
    assert_eq!(app.cursor_line(), "Failed to restore: Cache service responded with 400");
    app.press("F");
    assert_eq!(app.notice(), "no earlier finding from here");
}

#[test]
fn enter_and_z_unfold_and_fold_the_group_under_the_cursor() {
    for key in ["enter", "z"] {
        let mut app = stage_2_log();
        app.press("j");
        assert_eq!(app.cursor_line(), "Runner Image Provisioner");

        app.press(key);
        app.press("j");
        assert_eq!(app.cursor_line(), "Hosted Compute Agent", "{key} unfolded the group");

        app.press_all(&["k", key, "j"]);
        assert_eq!(app.cursor_line(), "Operating System", "{key} folded it again");
    }
}

#[test]
fn minus_folds_every_group_and_plus_unfolds_them_all() {
    let mut app = stage_2_log();

    app.press("+");
    app.press_all(&["j", "j"]);
    assert_eq!(app.cursor_line(), "Hosted Compute Agent", "every group is open");

    app.press("-");
    assert_eq!(app.cursor_line(), "Runner Image Provisioner", "the cursor moves to its header");
    app.press("j");
    assert_eq!(app.cursor_line(), "Operating System", "every group is shut");
}

#[test]
fn t_toggles_timestamps_and_shift_w_toggles_wrapping() {
    let mut app = stage_2_log();
    assert!(!app.log().timestamps);
    assert!(!app.log().wrap);

    app.press("t");
    assert!(app.log().timestamps);
    app.press("W");
    assert!(app.log().wrap);

    app.press_all(&["t", "W"]);
    assert!(!app.log().timestamps);
    assert!(!app.log().wrap);
}

// The findings pane.

#[test]
fn tab_focuses_the_findings_pane_and_enter_there_jumps_to_the_evidence_line() {
    let mut app = stage_2_run();

    app.press("tab");
    assert_eq!(app.state.focus, Focus::Findings);
    app.select_finding("pip cannot open requirements.txt");
    app.press("enter");

    assert_eq!(app.state.screen, Screen::Log);
    assert_eq!(app.state.focus, Focus::Main, "the log has the keyboard again");
    assert_eq!(app.log().cursor, 159, "line 160 of the job's log");
    assert_eq!(app.cursor_line(), MISSING_FILE);
}

#[test]
fn enter_on_a_finding_from_the_runs_list_opens_the_run_and_jumps_to_the_evidence_line() {
    let mut app = Session::demo();
    app.select_run(STAGE_2, 36);

    app.press("tab");
    app.select_finding("pip cannot open requirements.txt");
    app.press("enter");

    assert_eq!(app.state.screen, Screen::Log, "one enter is enough");
    assert_eq!(app.state.focus, Focus::Main);
    assert_eq!(app.cursor_line(), MISSING_FILE);
    assert!(!app.notice().contains("opening the run"), "{}", app.notice());
}

#[test]
fn enter_on_a_finding_in_the_log_jumps_to_its_line_there() {
    let mut app = stage_2_log();

    app.press("tab");
    app.select_finding("pip cannot open requirements.txt");
    app.press("enter");

    assert_eq!(app.cursor_line(), MISSING_FILE);
    assert_eq!(app.state.focus, Focus::Main);
}

#[test]
fn the_match_count_leaves_the_status_line_once_the_cursor_leaves_the_match() {
    let mut app = stage_2_log();
    app.press("/");
    app.type_text("requirements\\.txt");
    app.press("enter");
    app.press("n");
    assert_eq!(app.notice(), "match 2 of 2");

    app.press("g");

    assert!(!app.notice().starts_with("match"), "{}", app.notice());
}

#[test]
fn enter_on_a_workflow_finding_jumps_to_its_symptom_in_the_log_and_keeps_it_selected() {
    let mut app = stage_2_run();
    app.press("tab");
    app.select_finding(CACHE_NEVER_SAVED);
    let selected = app.state.finding;

    app.press("enter");

    assert_eq!(app.state.screen, Screen::Log);
    assert_eq!(app.log().cursor, 179, "line 180, the step's timeout");
    assert_eq!(app.state.finding, selected, "the pane keeps the finding");
    assert_eq!(app.pane_titles()[app.state.finding], CACHE_NEVER_SAVED);
}

#[test]
fn enter_on_a_workflow_finding_without_a_symptom_says_where_its_evidence_is() {
    let mut app = stage_2_run();
    let key = (app.run().run.id, 1);
    let Some(Triage::Ready(report)) = app.state.triage.get_mut(&key) else {
        panic!("the run is triaged")
    };
    let report = Arc::make_mut(report);
    let cause = report.findings.iter().position(|f| f.title == CACHE_NEVER_SAVED).unwrap();
    for symptom in report.symptoms_under(cause) {
        report.findings[symptom].symptom_of = None;
    }
    app.press("tab");
    app.select_finding(CACHE_NEVER_SAVED);
    let selected = app.state.finding;

    app.press("enter");

    assert_eq!(app.state.screen, Screen::Run, "no log opens");
    assert_eq!(app.state.finding, selected);
    assert_eq!(
        app.notice(),
        "the evidence is in the workflow file, .github/workflows/data_process.yml:36, shown in \
         the fix pane"
    );
}

#[test]
fn keys_move_the_selection_in_the_findings_pane_and_backtab_leaves_it() {
    let mut app = stage_2_run();
    app.press("backtab");
    assert_eq!(app.state.focus, Focus::Findings, "backtab also switches panes");

    for (down, up) in [("j", "k"), ("down", "up")] {
        app.press(down);
        assert_eq!(app.state.finding, 1);
        app.press(up);
        assert_eq!(app.state.finding, 0);
    }

    app.press("backtab");
    assert_eq!(app.state.focus, Focus::Main);
}

#[test]
fn tab_back_into_the_findings_pane_keeps_its_selection_until_the_run_changes() {
    let mut app = stage_2_run();
    app.press("tab");
    app.press("j");
    let title = app.pane_titles()[app.state.finding].clone();
    app.press("enter");
    assert_eq!(app.state.focus, Focus::Main);

    app.press("tab");

    assert_eq!(app.state.focus, Focus::Findings);
    assert_eq!(app.pane_titles()[app.state.finding], title, "the pane keeps the finding");

    let mut list = Session::demo();
    list.select_run(STAGE_2, 36);
    list.press("tab");
    list.press("j");
    assert_eq!(list.state.finding, 1);
    list.press_all(&["tab", "tab"]);
    assert_eq!(list.state.finding, 1, "the same run is in view");
    list.press_all(&["tab", "j"]);
    assert_eq!(list.state.finding, 0, "another run's findings start at the top");
}

#[test]
fn esc_in_the_findings_pane_gives_the_keyboard_back_to_the_view() {
    let mut app = stage_2_run();
    app.press("tab");

    app.press("esc");

    assert_eq!(app.state.focus, Focus::Main);
    assert_eq!(app.state.screen, Screen::Run, "the screen stays");
}

// Actions that mean the same everywhere.

#[test]
fn e_asks_to_export_the_write_up_of_the_run_in_view_to_a_file() {
    let mut app = stage_2_run();

    app.press("e");

    let Some(Effect::Export { facts, report, path }) = app.outside.pop() else {
        panic!("e asks for an export: {:?}", app.outside)
    };
    assert_eq!(path.to_str(), Some("gha-triage-run-20758968196-attempt-1.md"));
    let text = writeup::render(&facts, &report);
    assert!(text.contains("Stage 2 - Data Processing"), "{text}");
    assert!(text.contains("requirements.txt"), "{text}");

    app.send(Msg::Exported { result: Ok(path.clone()) });
    assert_eq!(app.notice(), format!("write-up saved to {}", path.display()));
}

#[test]
fn e_on_a_run_still_being_read_says_to_wait() {
    let mut app = Session::demo();
    let _unanswered = app.send(Msg::Key(key_event("j")));

    app.press("e");

    assert!(app.outside.is_empty());
    assert_eq!(app.notice(), "findings are not ready yet; try again in a moment");
}

#[test]
fn y_copies_the_run_link_the_log_line_or_the_finding_in_view() {
    let mut app = Session::demo();
    app.press("y");
    let Some(Effect::Copy(link)) = app.outside.pop() else { panic!("y copies in the list") };
    assert_eq!(
        link, "https://github.com/octo-org/vehicle-inspections/actions/runs/20762500287",
        "the runs list copies the run's link"
    );

    let mut app = stage_2_log();
    app.press_all(&["f", "f", "y"]);
    let Some(Effect::Copy(cursor)) = app.outside.pop() else { panic!("y copies in the log") };
    assert_eq!(cursor, MISSING_FILE, "the log copies the line under the cursor");

    app.press("tab");
    app.select_finding("pip cannot open requirements.txt");
    app.press("y");
    let Some(Effect::Copy(evidence)) = app.outside.pop() else { panic!("y copies a finding") };
    assert_eq!(evidence, MISSING_FILE, "the pane copies the finding's evidence");
}

#[test]
fn y_copies_a_log_line_with_its_token_redacted() {
    let mut app = stage_2_run();
    app.open_log_with(
        b"2025-12-15T10:21:33.1234567Z remote: token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 denied\n",
    );

    app.press("y");

    let Some(Effect::Copy(copied)) = app.outside.pop() else { panic!("y copies the line") };
    assert_eq!(copied, "remote: token [REDACTED] denied");
}

#[test]
fn o_opens_the_run_page_in_the_browser() {
    let mut app = stage_2_run();

    app.press("o");

    let Some(Effect::OpenUrl(url)) = app.outside.pop() else { panic!("o opens a page") };
    assert_eq!(url, "https://github.com/octo-org/vehicle-inspections/actions/runs/20758968196");
}

#[test]
fn r_and_shift_r_ask_first_and_say_that_nothing_is_sent_in_demo_mode() {
    for (key, what) in [("r", "the failed jobs"), ("R", "the whole run")] {
        let mut app = stage_2_run();

        app.press(key);

        let Some(Overlay::Confirm(confirm)) = app.state.overlay.clone() else {
            panic!("{key} asks first")
        };
        assert_eq!(confirm.title, format!("Rerun {what} of Stage 2 - Data Processing #36?"));
        assert!(confirm.body.iter().any(|line| line == "Demo mode: nothing is sent."));
        assert!(app.outside.is_empty(), "nothing leaves the program");

        app.press("j");
        assert!(app.state.overlay.is_some(), "other keys leave the question open");

        app.press("y");
        assert_eq!(app.state.overlay, None);
        assert_eq!(
            app.notice(),
            format!("Rerun {what} of Stage 2 - Data Processing #36: demo mode: nothing was sent")
        );
        assert!(app.outside.is_empty(), "nothing leaves the program on yes either");
    }
}

#[test]
fn n_or_esc_cancel_a_rerun_question() {
    for key in ["n", "esc"] {
        let mut app = stage_2_run();
        app.press("r");

        app.press(key);

        assert_eq!(app.state.overlay, None);
        assert_eq!(app.notice(), "canceled");
        assert_eq!(app.state.screen, Screen::Run, "{key} closes only the question");
    }
}

#[test]
fn q_answers_no_to_a_rerun_question_and_ctrl_c_quits_from_it() {
    let mut app = stage_2_run();
    app.press("r");

    app.press("q");
    assert_eq!(app.state.overlay, None);
    assert_eq!(app.notice(), "canceled");
    assert!(!app.state.quit, "q answers the question");

    app.press("r");
    app.press("ctrl-c");
    assert!(app.state.quit, "ctrl-c quits even with the question open");
}

#[test]
fn ctrl_c_quits_from_the_help_and_from_a_prompt_where_q_is_typed() {
    let mut app = Session::demo();
    app.press("?");
    app.press("ctrl-c");
    assert!(app.state.quit, "ctrl-c quits with the help open");

    let mut app = Session::demo();
    app.press_all(&["/", "q"]);
    assert!(!app.state.quit, "q is typed into the search");
    assert_eq!(app.state.runs.search, "q");

    app.press("ctrl-c");
    assert!(app.state.quit, "ctrl-c quits from the search prompt");
}

#[test]
fn question_mark_shows_the_help_and_any_key_closes_it_without_acting() {
    let mut app = Session::demo();

    app.press("?");
    assert_eq!(app.state.overlay, Some(Overlay::Help));

    app.press("j");
    assert_eq!(app.state.overlay, None);
    assert_eq!(app.state.runs.selected, 0, "the key only closed the help");
}

#[test]
fn esc_goes_back_from_the_log_to_the_run_to_the_runs_list() {
    let mut app = stage_2_log();

    app.press("esc");
    assert_eq!(app.state.screen, Screen::Run);
    assert!(app.state.log.is_none());

    app.press("esc");
    assert_eq!(app.state.screen, Screen::Runs);
    assert_eq!(app.listed_runs()[app.state.runs.selected], "Stage 2 - Data Processing #36");

    app.press("esc");
    assert_eq!(app.state.screen, Screen::Runs, "the runs list is the first screen");
    assert!(!app.state.quit);
}

#[test]
fn q_and_ctrl_c_quit_from_every_screen() {
    for key in ["q", "ctrl-c"] {
        let mut app = Session::demo();
        app.press(key);
        assert!(app.state.quit, "{key} quits the runs list");

        let mut app = stage_2_run();
        app.press(key);
        assert!(app.state.quit, "{key} quits the run screen");

        let mut app = stage_2_log();
        app.press("tab");
        app.press(key);
        assert!(app.state.quit, "{key} quits the findings pane");
    }
}

#[test]
fn sigterm_quits_and_says_so_for_the_exit_code_while_a_quit_key_ends_normally() {
    let mut app = stage_2_log();
    app.send(Msg::Terminate);
    assert!(app.state.quit);
    assert_eq!(app.state.ending, Ending::Terminated);

    let mut app = stage_2_log();
    app.press("ctrl-c");
    assert!(app.state.quit);
    assert_eq!(app.state.ending, Ending::Quit);
}

#[test]
fn ctrl_z_asks_to_suspend_to_the_shell() {
    let mut app = stage_2_log();

    app.press("ctrl-z");

    assert!(matches!(app.outside.as_slice(), [Effect::Suspend]));
    assert!(!app.state.quit);
}

// The failing streak's suspects.

/// The commits the state keeps for the streak of the run on the run screen, as
/// `sha author subject`.
fn suspect_lines(app: &Session) -> Vec<String> {
    let commits = suspects::compared(&app.state, &app.run().run).expect("the commits arrived");
    commits
        .commits
        .iter()
        .map(|commit| {
            format!("{} {} {}", commit.short_sha(), commit.author_name(), commit.subject())
        })
        .collect()
}

/// The part of a write-up from `heading` up to the next heading.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(heading).unwrap_or_else(|| panic!("no `{heading}` in:\n{text}"));
    let rest = &text[start..];
    let end = rest[heading.len()..].find("\n## ").map_or(rest.len(), |end| end + heading.len());
    &rest[..end]
}

#[test]
fn stage_2_run_36_names_the_commits_between_its_last_green_and_first_red_run_as_suspects() {
    let app = stage_2_run();

    assert_eq!(
        suspect_lines(&app),
        [
            "51b892c @rkoster Move Python deps to uv (scripts/pyproject.toml)",
            "76b4b9d @rkoster Stage 1: cache each dataset under its own v2 key",
            "13069dd @mvisser Stage 2: bump raw-data cache key to v2",
            "849afb9 @rkoster README: describe the two pipeline stages",
        ]
    );
}

#[test]
fn the_suspects_of_a_streak_are_asked_for_once_with_its_first_triage() {
    let mut app = Session::demo();
    app.press("j");

    let selecting = app.send(Msg::Key(key_event("j")));
    let compares = |effects: &[Effect]| {
        effects.iter().filter(|effect| matches!(effect, Effect::Compare { .. })).count()
    };
    assert_eq!(compares(&selecting), 1, "selecting #36 asks: {selecting:?}");
    app.settle(selecting);
    let opening = app.send(Msg::Key(key_event("enter")));

    assert_eq!(compares(&opening), 0, "opening #36 does not ask again: {opening:?}");
}

#[test]
fn suspects_that_could_not_be_compared_are_asked_for_again_when_the_run_is_opened() {
    let mut app = Session::demo();
    app.press("j");
    let mut selecting = app.send(Msg::Key(key_event("j")));
    let at = selecting.iter().position(|effect| matches!(effect, Effect::Compare { .. }));
    let Effect::Compare { request, range } = selecting.remove(at.expect("a compare")) else {
        unreachable!()
    };
    app.settle(selecting);
    let failed = Err("GitHub answered 502; try again in a minute".to_owned());
    app.send(Msg::Compared { request, range: range.clone(), result: failed });
    assert!(matches!(app.state.suspects.get(&range), Some(Suspects::Failed(_))));

    app.press("enter");

    assert_eq!(suspect_lines(&app).len(), 4, "the second ask was answered");
}

#[test]
fn commits_compared_for_a_request_nobody_waits_for_are_dropped() {
    let mut app = stage_2_run();
    let (_, range, _) = suspects::of_run(&app.state, &app.run().run).expect("a streak");
    let stale = app.state.requests.last + 100;

    app.send(Msg::Compared { request: stale, range, result: Ok(None) });

    assert_eq!(suspect_lines(&app).len(), 4, "the stale answer was dropped");
}

#[test]
fn e_writes_the_same_suspects_as_report_demo() {
    let mut app = stage_2_run();
    app.press("e");
    let Some(Effect::Export { facts, report, .. }) = app.outside.pop() else {
        panic!("e asks for an export: {:?}", app.outside)
    };
    let exported = writeup::render(&facts, &report);
    let engine = Engine::builtin().expect("the built-in rules load");
    let reported = gha_triage::cli::report::demo_report(&engine, true).expect("report --demo");

    let suspects = section(&exported, "## Suspects");
    assert_eq!(suspects, section(&reported, "## Suspects"));
    assert!(suspects.contains("The 4 commits after `316cd86` (last green, #33)"), "{suspects}");
    assert!(suspects.contains("- `13069dd` @mvisser: Stage 2: bump raw-data cache key to v2"));
}

/// A left click at a row of the terminal.
fn click(row: u16) -> Msg {
    Msg::Mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 10,
        row,
        modifiers: crossterm::event::KeyModifiers::NONE,
    })
}

#[test]
fn a_click_selects_the_run_under_the_pointer_below_the_streak_line_and_column_titles() {
    let mut app = Session::demo();

    app.send(click(6));

    assert_eq!(app.listed_runs()[app.state.runs.selected], "Stage 2 - Data Processing #36");
}

#[test]
fn a_click_on_the_run_screen_selects_the_step_under_the_pointer_below_the_suspects() {
    for (size, row) in [((120, 40), 17), ((80, 24), 12)] {
        let mut app = Session::demo_at(size);
        app.open_run(STAGE_2, 36);

        app.send(click(row));

        assert_eq!(app.selected_row_text(), "Run data processing script", "at {size:?}");
    }
}

// Answers that come too late.

#[test]
fn a_runs_list_nobody_asked_for_is_dropped() {
    let mut app = Session::demo();

    app.send(Msg::RunsLoaded { request: 999, result: Ok((Vec::new(), Vec::new())) });

    assert_eq!(app.listed_runs().len(), 25);
}

#[test]
fn jobs_of_a_run_the_user_left_do_not_replace_the_open_runs_jobs() {
    let mut app = Session::demo();
    app.select_run("CI", 105);
    let first = app.send(Msg::Key(key_event("enter")));
    let Some(&Effect::LoadJobs { request: old, .. }) = first.first() else {
        panic!("enter asks for jobs")
    };
    app.press("esc");
    app.open_run(STAGE_2, 36);

    app.send(Msg::JobsLoaded { request: old, result: Ok(Vec::new()) });

    assert_eq!(app.run().run.run_number, 36);
    assert_eq!(app.run().jobs.len(), 1, "the late answer was dropped");
}

#[test]
fn a_log_that_arrives_after_the_user_left_it_is_dropped() {
    let mut app = stage_2_run();
    let effects = app.send(Msg::Key(key_event("L")));
    let Some(&Effect::OpenLog { request: old, .. }) = effects.first() else {
        panic!("L asks for the log")
    };
    app.press("esc");
    app.press("L");
    let lines = app.log().index.len();

    app.send(Msg::LogOpened { request: old, result: Err("too late".to_owned()) });

    assert_eq!(app.log().error, None, "the late answer was dropped");
    assert_eq!(app.log().index.len(), lines);
}

#[test]
fn findings_from_an_old_request_do_not_replace_newer_ones() {
    let mut app = stage_2_run();
    let key = (app.run().run.id, 1);
    let stale = app.state.requests.last + 100;
    let empty = Report {
        source: "stale".to_owned(),
        findings: Vec::new(),
        jobs: Vec::new(),
        notices: Vec::new(),
        recall: Recall::default(),
    };

    app.send(Msg::Triaged { request: stale, key, result: Ok(Arc::new(empty)) });

    let Some(Triage::Ready(report)) = app.state.triage.get(&key) else { panic!("findings") };
    assert!(!report.findings.is_empty(), "the stale answer was dropped");
}

#[test]
fn matches_of_a_replaced_search_are_dropped() {
    let mut app = stage_2_log();
    app.press("/");
    app.type_text("error");
    let effects = app.send(Msg::Key(key_event("enter")));
    let Some(&Effect::Search { request: old, .. }) = effects.first() else {
        panic!("enter starts a search")
    };
    app.press("/");
    app.press("ctrl-u");
    app.type_text("requirements");
    app.press("enter");

    let late = SearchResult { lines: vec![0, 1, 2], finished: true, capped: false };
    app.send(Msg::Searched { request: old, result: late });

    assert_eq!(app.log().search.query, "requirements");
    assert_eq!(app.log().search.matches.len(), 2, "the old search's matches were dropped");
}

// Rerun and cancel.

/// Stage 2 #36 on its run screen, as if read from GitHub.
fn live_stage_2_run() -> Session {
    let mut app = stage_2_run();
    app.state.source.kind = SourceKind::Live;
    app
}

/// The confirmation in view.
fn confirmation(app: &Session) -> Confirm {
    let Some(Overlay::Confirm(confirm)) = app.state.overlay.clone() else {
        panic!("a confirmation is open: {:?}", app.state.overlay)
    };
    confirm
}

#[test]
fn shift_d_asks_to_rerun_the_failed_jobs_with_debug_logging_and_shows_the_body() {
    let mut app = stage_2_run();
    let run = app.run().run.id;

    app.press("D");

    let confirm = confirmation(&app);
    assert_eq!(
        confirm.title,
        "Rerun the failed jobs with debug logging of Stage 2 - Data Processing #36?"
    );
    let route =
        format!("POST /repos/octo-org/vehicle-inspections/actions/runs/{run}/rerun-failed-jobs");
    assert_eq!(confirm.body[0], format!("Would send: {route}"));
    assert_eq!(confirm.body[1], r#"with the body {"enable_debug_logging":true}"#);
    app.press("y");
    assert!(app.notice().ends_with("demo mode: nothing was sent"), "{}", app.notice());
    assert!(app.outside.is_empty(), "the demo sends nothing");
}

#[test]
fn c_asks_to_cancel_and_warns_that_a_completed_run_will_be_refused() {
    let mut app = stage_2_run();
    let run = app.run().run.id;

    app.press("c");

    let confirm = confirmation(&app);
    assert_eq!(confirm.title, "Cancel Stage 2 - Data Processing #36?");
    assert!(confirm.body[0].ends_with(&format!("/actions/runs/{run}/cancel")));
    assert!(confirm.body.iter().any(|line| line.contains("has completed")), "{confirm:?}");
    app.press("n");
    assert_eq!(app.notice(), "canceled");
}

#[test]
fn ctrl_r_asks_to_rerun_the_selected_job_alone() {
    let mut app = stage_2_run();
    app.select_step("Process raw data");
    let job = app.run().jobs.iter().find(|job| job.name == "Process raw data").unwrap().id;

    app.press("ctrl-r");

    let confirm = confirmation(&app);
    assert_eq!(confirm.title, "Rerun job `Process raw data` of Stage 2 - Data Processing #36?");
    assert!(confirm.body[0].ends_with(&format!("/actions/jobs/{job}/rerun")), "{confirm:?}");
}

#[test]
fn shift_c_asks_to_force_cancel_with_the_exact_post_and_says_what_it_does() {
    let mut app = live_stage_2_run();
    let run = app.run().run.id;

    app.press("C");

    let confirm = confirmation(&app);
    assert_eq!(confirm.title, "Force-cancel Stage 2 - Data Processing #36?");
    let route = format!("POST /repos/octo-org/vehicle-inspections/actions/runs/{run}/force-cancel");
    assert_eq!(confirm.body[0], format!("Sends: {route}"));
    assert!(confirm.body.iter().any(|line| line.contains("past always() steps")), "{confirm:?}");
    app.press("y");
    let Some(Effect::Act { action, .. }) = app.outside.pop() else { panic!("y sends it") };
    assert_eq!(action, RunAction::ForceCancel);
}

#[test]
fn alt_shift_r_asks_to_rerun_the_whole_run_with_debug_logging() {
    let mut app = stage_2_run();
    let run = app.run().run.id;

    app.press("alt-R");

    let confirm = confirmation(&app);
    assert_eq!(
        confirm.title,
        "Rerun the whole run with debug logging of Stage 2 - Data Processing #36?"
    );
    assert!(confirm.body[0].ends_with(&format!("/actions/runs/{run}/rerun")), "{confirm:?}");
    assert_eq!(confirm.body[1], r#"with the body {"enable_debug_logging":true}"#);
}

#[test]
fn alt_r_asks_to_rerun_the_selected_job_alone_with_debug_logging() {
    let mut app = live_stage_2_run();
    app.select_step("Process raw data");
    let job = app.run().jobs.iter().find(|job| job.name == "Process raw data").unwrap().id;

    app.press("alt-r");

    let confirm = confirmation(&app);
    assert_eq!(
        confirm.title,
        "Rerun job `Process raw data` with debug logging of Stage 2 - Data Processing #36?"
    );
    assert!(confirm.body[0].ends_with(&format!("/actions/jobs/{job}/rerun")), "{confirm:?}");
    assert_eq!(confirm.body[1], r#"with the body {"enable_debug_logging":true}"#);
    app.press("y");
    let Some(Effect::Act { action, .. }) = app.outside.pop() else { panic!("y sends it") };
    assert_eq!(action, RunAction::RerunJob(job, DebugLogging::On));
}

#[test]
fn a_confirmed_rerun_on_a_live_source_is_sent_and_github_s_answer_is_shown() {
    let mut app = live_stage_2_run();
    let run = app.run().run.id;
    app.press("r");
    assert!(confirmation(&app).body.iter().any(|line| line.contains("Actions write")));

    app.press("y");

    let Some(Effect::Act { request, run: asked, action }) = app.outside.pop() else {
        panic!("y sends the rerun: {:?}", app.outside)
    };
    assert_eq!((asked, action), (run, RunAction::RerunFailed(DebugLogging::Off)));
    assert_eq!(app.notice(), format!("asking GitHub to rerun the failed jobs of run {run}…"));
    let effects = app.send(Msg::Acted { request, run, action, result: Ok(201) });
    app.settle(effects);
    assert_eq!(app.notice(), format!("rerun requested (201) for run {run}"));
}

#[test]
fn a_refused_rerun_or_cancel_says_why_on_the_status_line() {
    for (key, why) in
        [("R", "403: token lacks actions: write"), ("c", "409: run has already completed")]
    {
        let mut app = live_stage_2_run();
        app.press_all(&[key, "y"]);
        let Some(Effect::Act { request, run, action }) = app.outside.pop() else {
            panic!("{key} then y sends a request")
        };

        app.send(Msg::Acted { request, run, action, result: Err(why.to_owned()) });

        assert_eq!(app.notice(), why);
        assert_eq!(app.state.notice.as_ref().unwrap().level, Level::Error);
    }
}

// The keymap as a whole.

#[test]
fn every_key_of_the_default_config_is_pressed_by_a_test_here() {
    let source = include_str!("tui_update.rs");
    let config: toml::Table = toml::from_str(DEFAULT_CONFIG).expect("the defaults parse");
    let sections = config["keys"].as_table().expect("a [keys] table");
    let mut missing = Vec::new();
    for (section, bindings) in sections {
        for (action, keys) in bindings.as_table().expect("a table of actions") {
            for key in keys.as_array().expect("a list of keys") {
                let key = key.as_str().expect("a key string");
                if !source.contains(&format!("\"{key}\"")) {
                    missing.push(format!("[keys.{section}] {action}: {key}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "bindings no test presses: {missing:?}");
    assert_eq!(ACTIONS.len(), 42, "a new action needs a binding and a test here");
}

// The local store first, then GitHub.

#[test]
fn runs_kept_in_the_local_store_show_at_once_and_the_live_list_replaces_them() {
    use gha_triage::app::update;
    use gha_triage::source::demo::DemoSource;
    use gha_triage::source::{Source as _, SourceInfo};

    let demo = DemoSource::load().unwrap();
    let info = SourceInfo { kind: SourceKind::Live, name: "octo-org/vehicle-inspections".into() };
    let config = Arc::new(gha_triage::config::Config::defaults());
    let now = session::NOW.parse().unwrap();
    let mut state = gha_triage::app::state::State::new(info, config, now, (120, 40));
    let Some(Effect::LoadRuns { request }) = update::start(&mut state).into_iter().next() else {
        panic!("the runs are asked for first")
    };
    let (workflows, runs) = (demo.workflows().unwrap(), demo.runs().unwrap());

    let kept = (workflows.clone(), runs[..3].to_vec());
    let effects = update::update(&mut state, Msg::RunsStored { request, result: kept });
    assert!(effects.is_empty(), "nothing is triaged from the provisional list");
    assert_eq!(state.runs.all.len(), 3);
    assert!(!state.runs.loading, "the kept runs are shown, not 'loading runs…'");
    let notice = state.notice.as_ref().unwrap().text.clone();
    assert_eq!(notice, "3 runs from the local store; refreshing…");

    update::update(&mut state, Msg::RunsLoaded { request, result: Ok((workflows, runs)) });
    assert_eq!(state.runs.all.len(), 25);
    let notice = state.notice.as_ref().unwrap().text.clone();
    assert_eq!(notice, "25 runs of octo-org/vehicle-inspections");
}

#[test]
fn a_kept_list_arriving_after_the_live_one_is_dropped() {
    let mut app = Session::demo();

    app.send(Msg::RunsStored { request: 999, result: (Vec::new(), Vec::new()) });

    assert_eq!(app.listed_runs().len(), 25);
}

#[test]
fn offline_from_the_local_store_says_so_in_the_confirmation_and_sends_nothing() {
    let mut app = stage_2_run();
    app.state.source.kind = SourceKind::Stored;

    app.press("r");
    let confirm = confirmation(&app);
    assert!(
        confirm.body.iter().any(|line| line == "Offline mode (local store): nothing is sent."),
        "{:?}",
        confirm.body
    );
    app.press("y");

    assert!(app.notice().ends_with("offline mode: nothing was sent"), "{}", app.notice());
    assert!(app.outside.iter().all(|effect| !matches!(effect, Effect::Act { .. })));
}
