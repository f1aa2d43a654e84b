//! The real binary in a real terminal: `gha-triage demo` under tmux at 120×40, driven with
//! keys the way a user would, read back with `capture-pane`. It goes to Stage 2 run #36, reads
//! the missing `requirements.txt` and its fix in the findings pane, opens the failing step's
//! log, searches it, exports the write-up, quits, and checks the shell got a sane terminal back.
//! Skipped with a note when tmux is not installed (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long one screen may take to appear before the test gives up.
const DEADLINE: Duration = Duration::from_secs(15);

/// How often the screen is read while waiting.
const POLL: Duration = Duration::from_millis(50);

/// The window the program runs in.
const SIZE: (u16, u16) = (120, 40);

/// What the pane runs: the program, then what the shell sees once it has ended.
const SCRIPT: &str = r#""$1" demo
echo "gha-triage exited with $?"
echo "terminal: $(stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' ')"
exec sleep 600
"#;

/// A tmux server of its own (its socket in the test's temporary folder), killed when the test
/// ends, pass or fail.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    /// Starts `sh script bin` in a detached session of `SIZE`, in `work`, with `home` as
    /// both HOME and the config folder.
    fn start(script: &Path, work: &Path, home: &Path) -> Tmux {
        let tmux = Tmux { socket: work.with_file_name("tmux.sock") };
        let (columns, rows) = SIZE;
        let output = Command::new("tmux")
            .arg("-S")
            .arg(&tmux.socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "demo"])
            .args(["-x", &columns.to_string(), "-y", &rows.to_string()])
            .arg("-c")
            .arg(work)
            .arg("sh")
            .arg(script)
            .arg(env!("CARGO_BIN_EXE_gha-triage"))
            .current_dir(work)
            .env("HOME", home)
            .env("GHA_TRIAGE_CONFIG_DIR", home)
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert_success(&output, "tmux new-session");
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert_success(&output, &format!("tmux {}", args.join(" ")));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Sends named keys (`Enter`, `Tab`, `j`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "demo"];
        args.extend(keys);
        self.run(&args);
    }

    /// Types text as it is, with no key names.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "demo", "-l", text]);
    }

    /// The screen as text.
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "demo"])
    }

    /// Waits until the screen passes `check`; fails with the last screen after `DEADLINE`.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(&format!("`{text}`"), |screen| screen.contains(text))
    }

    /// A pane variable, such as `alternate_on`.
    fn pane_variable(&self, name: &str) -> String {
        let format = format!("#{{{name}}}");
        self.run(&["display-message", "-p", "-t", "demo", &format]).trim().to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
}

/// A pane running `script` in a temporary working folder with a home of its own: the folder
/// (removed when dropped), the working folder inside it, and the tmux server.
fn pane(script: &str) -> (tempfile::TempDir, PathBuf, Tmux) {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let (home, work) = (temp.path().join("home"), temp.path().join("work"));
    std::fs::create_dir_all(&home).expect("a home folder");
    std::fs::create_dir_all(&work).expect("a working folder");
    let file = temp.path().join("pane.sh");
    std::fs::write(&file, script).expect("the pane's script");
    let tmux = Tmux::start(&file, &work, &home);
    (temp, work, tmux)
}

fn tmux_installed() -> bool {
    Command::new("tmux").arg("-V").output().is_ok_and(|output| output.status.success())
}

/// The text inside the box titled `title`, its rows joined with spaces, so that words wrapped
/// across rows read as one sentence.
fn box_text(screen: &str, title: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|row| row.chars().collect()).collect();
    let found = screen.lines().enumerate().find_map(|(top, row)| Some((top, row.find(title)?)));
    let Some((top, byte)) = found else { panic!("no box `{title}` on the screen:\n{screen}") };
    let before = screen.lines().nth(top).expect("the row")[..byte].chars().count();
    let left = rows[top][..before].iter().rposition(|c| *c == '┌').expect("a box corner");
    let mut words = Vec::new();
    for row in &rows[top + 1..] {
        let Some(edge) = row.get(left) else { break };
        if *edge != '│' {
            break;
        }
        let inside: String = row[left + 1..].iter().take_while(|c| **c != '│').collect();
        words.extend(inside.split_whitespace().map(str::to_owned));
    }
    words.join(" ")
}

/// The number the findings pane gives the finding `title` (`2 missing_file pip …`).
fn finding_number(findings: &str, title: &str) -> usize {
    let Some(end) = findings.find(title) else { panic!("no `{title}` in the pane: {findings}") };
    let number = findings[..end].split_whitespace().next_back().and_then(|word| word.parse().ok());
    number.unwrap_or_else(|| panic!("`{title}` has no number in the pane: {findings}"))
}

#[test]
fn a_user_triages_stage_2_run_36_in_a_real_terminal_and_exports_the_write_up() {
    if !tmux_installed() {
        println!("note: tmux is not installed, so the terminal test was skipped");
        return;
    }
    let (_temp, work, tmux) = pane(SCRIPT);

    tmux.wait_for_text("25 runs of octo-org/vehicle-inspections");
    assert_eq!(tmux.pane_variable("alternate_on"), "1", "the TUI draws on the alternate screen");

    tmux.keys(&["/"]);
    tmux.type_text("#36");
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("Stage 2 - Data Processing on main: failing since #34 on 2025-12-14");
    tmux.keys(&["Enter"]);
    let run_screen = tmux.wait_for("run #36 with its findings", |screen| {
        screen.contains("Stage 2 - Data Processing #36 · attempt 1/1")
            && screen.contains("◀ failed here")
            && screen.contains("requirements.txt")
    });
    println!("Stage 2 #36 as a user sees it:\n{run_screen}");

    tmux.keys(&["Tab"]);
    let findings = box_text(&tmux.screen(), "Findings");
    let rank = finding_number(&findings, "missing_file pip cannot open requirements.txt");
    for _ in 1..rank {
        tmux.keys(&["j"]);
    }
    // The workflow line behind the finding comes first in its fix, with the patch.
    let fixed = tmux.wait_for("the missing file's fix", |screen| {
        box_text(screen, "Findings")
            .contains("In the workflow: .github/workflows/data_process.yml:51")
    });
    let findings = box_text(&fixed, "Findings");
    assert!(
        findings.contains("which manages Python with uv") && findings.contains("uv sync --frozen"),
        "{findings}"
    );
    tmux.keys(&["Tab"]);

    tmux.keys(&["j"; 8]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the failing step's lines", |screen| {
        screen.contains("┌ Run data processing script · 20 lines")
            && screen.contains("Run python scripts/data_process.py")
    });

    tmux.keys(&["/"]);
    tmux.type_text("waiting for raw data");
    tmux.keys(&["Enter"]);
    let searched = tmux.wait_for_text("/waiting for raw data/: 6 matches");
    assert!(searched.contains("INFO waiting for raw data in data/raw"), "the match:\n{searched}");

    tmux.keys(&["e"]);
    tmux.wait_for_text("write-up saved to");
    let path = work.join("gha-triage-run-20758968196-attempt-1.md");
    let write_up = std::fs::read_to_string(&path).expect("the write-up is in the working folder");
    assert!(write_up.contains("Stage 2 - Data Processing"), "{write_up}");
    assert!(write_up.contains("requirements.txt"), "{write_up}");

    tmux.keys(&["q"]);
    let after = tmux.wait_for("the shell's report after the program ended", |screen| {
        screen.lines().any(|line| line.starts_with("terminal:") && line.contains("echo"))
    });
    assert!(after.contains("gha-triage exited with 0"), "the program ended well:\n{after}");
    assert!(after.contains("terminal: icanon echo"), "raw mode is off again:\n{after}");
    assert_eq!(tmux.pane_variable("alternate_on"), "0", "the alternate screen is left");
    assert_eq!(tmux.pane_variable("mouse_any_flag"), "0", "mouse capture is off");
}

/// An interactive shell with job control, so that Ctrl-Z and `fg` work as they do for a user.
const SHELL: &str = "exec bash --norc --noprofile -i\n";

#[test]
fn ctrl_z_hands_the_terminal_to_the_shell_and_fg_brings_the_tui_back() {
    if !tmux_installed() {
        println!("note: tmux is not installed, so the terminal test was skipped");
        return;
    }
    let (_temp, _work, tmux) = pane(SHELL);

    tmux.type_text("PS1='shell> '");
    tmux.keys(&["Enter"]);
    tmux.type_text(&format!("'{}' demo", env!("CARGO_BIN_EXE_gha-triage")));
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("25 runs of octo-org/vehicle-inspections");

    tmux.keys(&["C-z"]);
    let stopped = tmux.wait_for("the shell after Ctrl-Z", |screen| {
        screen.contains("Stopped") && screen.trim_end().ends_with("shell>")
    });
    assert_eq!(
        tmux.pane_variable("alternate_on"),
        "0",
        "the shell gets the normal screen:\n{stopped}"
    );
    assert_eq!(tmux.pane_variable("cursor_flag"), "1", "the shell's cursor shows:\n{stopped}");

    tmux.type_text("fg");
    tmux.keys(&["Enter"]);
    tmux.wait_for_text("25 runs of octo-org/vehicle-inspections");
    assert_eq!(tmux.pane_variable("alternate_on"), "1", "the TUI draws again");
    assert_eq!(tmux.pane_variable("cursor_flag"), "0", "the TUI hides the cursor again");
    tmux.keys(&["j"]);
    tmux.wait_for_text("Findings");

    tmux.keys(&["q"]);
    // Keys typed before the TUI has let go of the terminal would be read by it, not the shell.
    tmux.wait_for("the shell after q", |screen| screen.trim_end().ends_with("shell>"));
    tmux.type_text("echo \"exit=$?\"");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for_text("exit=0");
    assert!(!after.contains("terminal error"), "the TUI ended well after fg:\n{after}");
}

#[test]
fn sigterm_gives_the_terminal_back_and_exits_143() {
    if !tmux_installed() {
        println!("note: tmux is not installed, so the terminal test was skipped");
        return;
    }
    let (_temp, _work, tmux) = pane(SCRIPT);
    tmux.wait_for_text("25 runs of octo-org/vehicle-inspections");

    let shell = tmux.pane_variable("pane_pid");
    let child = Command::new("pgrep").args(["-P", &shell]).output().expect("pgrep runs");
    let program = String::from_utf8_lossy(&child.stdout).trim().to_owned();
    let killed = Command::new("kill").args(["-TERM", &program]).output().expect("kill runs");
    assert_success(&killed, "kill -TERM");

    let after = tmux.wait_for("the shell's report after SIGTERM", |screen| {
        screen.lines().any(|line| line.starts_with("terminal:") && line.contains("echo"))
    });
    assert!(after.contains("gha-triage exited with 143"), "128 + SIGTERM:\n{after}");
    assert!(after.contains("terminal: icanon echo"), "raw mode is off again:\n{after}");
    assert_eq!(tmux.pane_variable("alternate_on"), "0", "the alternate screen is left");
    assert_eq!(tmux.pane_variable("cursor_flag"), "1", "the cursor shows");
}
