//! The command line as a user meets it: exit codes, one-line messages for bad input, output
//! formats, colour, and secrets kept out of every export.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn gha(args: &[&str]) -> Output {
    gha_with_stdin(args, None)
}

fn gha_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(args)
        .arg("--no-user-rules")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("the binary finishes")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Asserts exit code 2 and a single line on stderr that mentions `needle`.
fn assert_bad_input(output: &Output, needle: &str) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "one line, got: {message}");
    assert!(message.contains(needle), "{needle:?} not in {message:?}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn json_output_has_every_field_of_the_contract() {
    let path = fixture("oom-killed.log");
    let output = gha(&["classify", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["source"], path.to_str().unwrap());
    let first = &report["findings"][0];
    for field in [
        "rule",
        "category",
        "severity",
        "transient",
        "title",
        "fix",
        "job",
        "step",
        "line",
        "text",
        "symptom_of",
    ] {
        assert!(first.get(field).is_some(), "missing {field} in {first}");
    }
}

#[test]
fn the_oom_kill_is_the_cause_and_exit_code_137_its_symptom() {
    let path = fixture("oom-killed.log");
    let report = json(&gha(&["classify", "-f", "json", path.to_str().unwrap()]));
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings[0]["category"], "resources", "{report:#}");
    assert!(
        findings[0]["text"].as_str().unwrap().contains("Killed signal terminated program cc1plus")
    );
    assert_eq!(findings[0]["step"], "Run cmake --build build --parallel 8");
    let exit = findings
        .iter()
        .find(|f| f["text"].as_str().unwrap().contains("exit code 137"))
        .expect("the exit code line is a finding");
    assert_eq!(exit["symptom_of"], 0);
}

#[test]
fn a_green_crlf_log_yields_no_error_findings() {
    let path = fixture("green.log");
    let report = json(&gha(&["classify", "-f", "json", path.to_str().unwrap()]));
    let errors: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn standard_input_is_read_with_dash() {
    let log = fs::read(fixture("oom-killed.log")).unwrap();
    let output = gha_with_stdin(&["classify", "-f", "json", "-"], Some(&log));
    let report = json(&output);
    assert_eq!(report["source"], "-");
    assert_eq!(report["findings"][0]["category"], "resources");
}

#[test]
fn a_coloured_error_line_no_rule_knows_still_becomes_the_fallback_finding() {
    let log = "2025-03-01T10:00:00.0000000Z ##[group]Run ./frobnicate\n\
               2025-03-01T10:00:01.0000000Z ##[error]\u{1b}[31mFrobnication went sideways\u{1b}[0m\n\
               2025-03-01T10:00:01.1000000Z ##[endgroup]\n";
    let output = gha_with_stdin(&["classify", "-f", "json", "-"], Some(log.as_bytes()));
    let report = json(&output);
    let first = &report["findings"][0];
    assert_eq!(first["category"], "unknown", "{report:#}");
    assert_eq!(first["line"], 2);
    assert_eq!(first["text"], "Frobnication went sideways");
}

#[test]
fn fail_on_error_exits_with_one_only_when_an_error_is_found() {
    let red = fixture("oom-killed.log");
    let green = fixture("green.log");
    assert_eq!(
        gha(&["classify", "--fail-on", "error", red.to_str().unwrap()]).status.code(),
        Some(1)
    );
    assert_eq!(
        gha(&["classify", "--fail-on", "error", green.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(gha(&["classify", red.to_str().unwrap()]).status.code(), Some(0));
}

#[test]
fn text_output_has_no_colour_when_not_a_terminal() {
    let path = fixture("oom-killed.log");
    let output = gha(&["classify", path.to_str().unwrap()]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Killed signal terminated program cc1plus"), "{text}");
    assert!(!text.contains('\u{1b}'), "escape codes in piped output: {text:?}");
}

#[test]
fn an_empty_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.log");
    fs::write(&path, "").unwrap();
    assert_bad_input(&gha(&["classify", path.to_str().unwrap()]), "empty.log: the file is empty");
}

#[test]
fn a_binary_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("core.bin");
    fs::write(&path, b"\x7fELF\x02\x01\x01\0\0\0\0").unwrap();
    for command in ["classify", "open"] {
        assert_bad_input(
            &gha(&[command, path.to_str().unwrap()]),
            "core.bin: this is a binary file",
        );
    }
}

#[test]
fn a_missing_path_is_refused_by_name() {
    assert_bad_input(&gha(&["classify", "/no/such/run.log"]), "/no/such/run.log: no such file");
}

#[test]
fn classify_without_arguments_shows_a_path_or_run_is_wanted() {
    let output = gha(&["classify"]);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("<PATH|--run <ID>>"), "{}", stderr(&output));
}

#[test]
fn options_of_a_run_on_github_are_refused_with_a_local_log() {
    let path = fixture("green.log");
    let path = path.to_str().unwrap();
    for args in [
        vec!["classify", "--attempt", "2", path],
        vec!["classify", "--logs-only", path],
        vec!["report", "--attempt", "2", path],
        vec!["report", "--demo", "--attempt", "2"],
    ] {
        let output = gha(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?} was accepted");
        let named = ["--attempt", "--logs-only"].iter().any(|flag| stderr(&output).contains(flag));
        assert!(named, "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn an_unknown_format_is_bad_use() {
    let path = fixture("green.log");
    let output = gha(&["classify", "--format", "yaml", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("yaml"), "{}", stderr(&output));
}

#[test]
fn a_rule_file_with_a_bad_regex_names_file_rule_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"my-rule\"\ntitle = \"t\"\ncategory = \"test\"\npatterns = ['broken (']\n",
    )
    .unwrap();
    let log = fixture("green.log");
    let output = gha(&["classify", "--rules", rules.to_str().unwrap(), log.to_str().unwrap()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    let lines: Vec<&str> = message.lines().collect();
    assert!(lines[0].contains("mine.toml:5: rule `my-rule`: bad regex at column 8"), "{message}");
    assert_eq!(lines[1], "    broken (", "{message}");
    assert_eq!(lines[2].find('^'), lines[1].find('('), "the caret is under the fault: {message}");
}

#[test]
fn a_rule_file_that_is_not_toml_points_to_what_an_installed_user_has() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(&rules, "[[rule]\nid = \"my-rule\"\n").unwrap();

    let output = gha(&["rules", "check", rules.to_str().unwrap()]);

    assert_bad_input(&output, "README's Rules section");
    assert!(!stderr(&output).contains("assets/"), "{}", stderr(&output));
}

#[test]
fn rules_test_says_an_example_the_pattern_misses_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"my-rule\"\ntitle = \"t\"\ncategory = \"resources\"\n\
         patterns = ['No space left on device']\nmatches = ['Disk quota exceeded']\n",
    )
    .unwrap();

    let output = gha(&["rules", "test", rules.to_str().unwrap()]);

    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("does not match"), "{text}");
    assert!(!text.contains("prefilter"), "{text}");
}

#[test]
fn a_rule_file_with_an_unknown_category_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"my-rule\"\ntitle = \"t\"\ncategory = \"flaky\"\npatterns = ['x+y']\n",
    )
    .unwrap();
    let output = gha(&["rules", "check", rules.to_str().unwrap()]);
    assert_bad_input(&output, "mine.toml:4: rule `my-rule`: unknown category `flaky`");
}

#[test]
fn a_user_rule_overrides_and_disable_switches_off() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"cmake-object-failed\"\ntitle = \"Object {object} failed\"\ncategory = \"compile\"\npriority = 99\n\
         patterns = ['\\*\\*\\* \\[(?P<rule>[^\\]]+):\\d+: (?P<object>\\S+)\\] Error 1']\n",
    )
    .unwrap();
    let log = fixture("oom-killed.log");
    let report = json(&gha(&[
        "classify",
        "-f",
        "json",
        "--rules",
        rules.to_str().unwrap(),
        log.to_str().unwrap(),
    ]));
    let mine =
        report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "cmake-object-failed");
    assert_eq!(
        mine.expect("the user rule matched")["title"],
        "Object src/CMakeFiles/core.dir/index.cpp.o failed"
    );

    let report = json(&gha(&[
        "classify",
        "-f",
        "json",
        "--rules",
        rules.to_str().unwrap(),
        "--disable",
        "cmake-object-failed",
        log.to_str().unwrap(),
    ]));
    assert!(
        report["findings"].as_array().unwrap().iter().all(|f| f["rule"] != "cmake-object-failed")
    );
}

#[test]
fn tokens_never_reach_an_export() {
    let token = format!("ghp_{}", "Q7x".repeat(12));
    let log = format!(
        "2026-03-09T08:15:02.1000000Z ##[error]Bad credentials for {token}\n\
         2026-03-09T08:15:02.2000000Z ##[error]Process completed with exit code 1.\n"
    );
    for format in ["json", "markdown", "text"] {
        let output = gha_with_stdin(&["classify", "-f", format, "-"], Some(log.as_bytes()));
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains(&token), "{format}: {text}");
        assert!(text.contains("[REDACTED]"), "{format}: {text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.log");
    fs::write(&path, &log).unwrap();
    let report = gha(&["report", path.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&report.stdout).contains(&token));
}

#[test]
fn invalid_utf8_is_replaced_and_the_log_still_classified() {
    let mut log = b"2026-03-09T08:15:02.1000000Z caf\xe9 \xff\xfe latin-1 output\n".to_vec();
    log.extend_from_slice(b"2026-03-09T08:15:02.2000000Z c++: fatal error: Killed signal terminated program cc1plus\n");
    let report = json(&gha_with_stdin(&["classify", "-f", "json", "-"], Some(&log)));
    assert_eq!(report["findings"][0]["category"], "resources");
    assert_eq!(report["findings"][0]["line"], 2);
}

#[test]
fn a_huge_single_line_is_cut_with_a_notice_and_later_lines_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.log");
    let mut file = fs::File::create(&path).unwrap();
    file.write_all(b"2026-03-09T08:15:02.1000000Z ").unwrap();
    let block = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        file.write_all(&block).unwrap();
    }
    file.write_all(
        b"\n2026-03-09T08:15:03.1000000Z ##[error]Process completed with exit code 3.\n",
    )
    .unwrap();
    drop(file);

    let report = json(&gha(&["classify", "-f", "json", path.to_str().unwrap()]));
    assert_eq!(report["findings"][0]["line"], 2, "{report:#}");
    let notices = report["notices"].as_array().unwrap();
    assert!(notices.iter().any(|n| n.as_str().unwrap().contains("were cut")), "{notices:?}");
}

#[test]
fn a_log_with_errors_no_rule_knows_still_yields_a_finding() {
    let log = b"2026-03-09T08:15:02.1000000Z ##[error]Frobnicator reported state 0x2a\n";
    let report = json(&gha_with_stdin(&["classify", "-f", "json", "-"], Some(log)));
    let first = &report["findings"][0];
    assert_eq!(first["category"], "unknown");
    assert_eq!(first["text"], "Frobnicator reported state 0x2a");
}

#[test]
fn report_writes_the_write_up_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("write-up.md");
    let log = fixture("oom-killed.log");
    let output = gha(&["report", log.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = fs::read_to_string(&out).unwrap();
    for section in ["## Symptoms", "## Investigation", "## Root causes", "## Resolution"] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    assert!(text.contains("Killed signal terminated program cc1plus"));
}

#[test]
fn version_and_completions_work() {
    let version = gha(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("gha-triage "));
    let bash = gha(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bash.stdout).contains("gha-triage"));
}

#[test]
fn help_documents_exit_codes() {
    let help = String::from_utf8(gha(&["--help"]).stdout).unwrap();
    assert!(help.contains("Exit codes:"), "{help}");
}

#[test]
fn the_unpack_cap_takes_sizes_with_units_and_names_a_bad_one() {
    let path = fixture("green.log");
    for size in ["100000", "500MB", "8GiB"] {
        let output = gha(&["classify", "--max-unpacked", size, path.to_str().unwrap()]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{size}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = gha(&["classify", "--max-unpacked", "12x", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'12x' for '--max-unpacked"));
}

#[test]
fn rules_list_aligns_every_column_under_its_heading() {
    let output = gha(&["rules", "list"]);
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let columns: Vec<usize> = ["category", "severity", "origin"]
        .iter()
        .map(|name| header.find(name).expect("the column is named"))
        .collect();

    let rows: Vec<&str> = lines.filter(|line| line.contains("builtin:")).collect();

    assert!(rows.len() >= 60, "{text}");
    for row in rows {
        for &column in &columns {
            let cell = &row[column..];
            assert!(
                row.as_bytes()[column - 1] == b' ' && !cell.starts_with(' '),
                "a cell of {row:?} does not start at column {column}"
            );
        }
    }
    assert!(text.trim_end().ends_with(" rules"), "{text}");
}

#[test]
fn rules_check_refuses_a_placeholder_no_pattern_captures_naming_file_rule_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"my-rule\"\ntitle = \"Disk {nosuch} is full\"\ncategory = \"resources\"\n\
         patterns = ['No space left on (?P<device>\\S+)']\n",
    )
    .unwrap();

    let output = gha(&["rules", "check", rules.to_str().unwrap()]);

    assert_bad_input(&output, "mine.toml:3: rule `my-rule`: title uses `{nosuch}`");
}

#[test]
fn rules_check_counts_one_rule_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "[[rule]]\nid = \"my-rule\"\ntitle = \"Disk {device} is full\"\ncategory = \"resources\"\n\
         patterns = ['No space left on (?P<device>\\S+)']\n",
    )
    .unwrap();

    let output = gha(&["rules", "check", rules.to_str().unwrap()]);

    assert_eq!(String::from_utf8_lossy(&output.stdout), "1 rule, no errors\n");
}

#[test]
fn a_mistyped_disable_on_the_command_line_exits_2_naming_the_id() {
    let log = fixture("green.log");

    let output = gha(&["classify", "--disable", "no-such-id", log.to_str().unwrap()]);

    assert_bad_input(&output, "--disable: rule `no-such-id`: no rule has this id");
}

#[test]
fn a_rule_file_disabling_an_id_no_rule_has_warns_on_one_line_and_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("shared.toml");
    fs::write(&rules, "disable = [\"retired-rule\", \"disk-full\"]\n").unwrap();
    let log = fixture("green.log");

    let output = gha(&["classify", "--rules", rules.to_str().unwrap(), log.to_str().unwrap()]);

    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("warning: ") && message.contains("`retired-rule`"), "{message}");
    assert!(!message.contains("disk-full"), "{message}");
}

#[test]
fn a_report_of_many_causes_writes_the_first_ten_in_full_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("build.log");
    let mut log = String::from("2025-12-15T10:00:00.0000000Z ##[group]Run make\n");
    for n in 0..15 {
        let _ = writeln!(
            log,
            "2025-12-15T10:00:01.0000000Z src/unit{n}.c:{n}: error: unknown type name 'widget{n}'"
        );
    }
    log.push_str("2025-12-15T10:00:02.0000000Z ##[error]Process completed with exit code 2.\n");
    fs::write(&path, log).unwrap();

    let output = gha(&["report", path.to_str().unwrap()]);

    assert_eq!(output.status.code(), Some(0));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("### 10. "), "{report}");
    assert!(!report.contains("### 11. "), "{report}");
    assert!(report.contains("### 5 more causes, ranked lower"), "{report}");
}

#[test]
fn a_report_fitted_to_a_comment_keeps_its_root_causes_and_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("build.log");
    let mut log = String::from("2025-12-15T10:00:00.0000000Z ##[group]Run make\n");
    for n in 0..5_000 {
        let _ = writeln!(
            log,
            "2025-12-15T10:00:01.0000000Z src/part{n}.c:{n}: error: unknown type name 'gadget{n}'"
        );
    }
    log.push_str("2025-12-15T10:00:02.0000000Z ##[error]Process completed with exit code 2.\n");
    fs::write(&path, log).unwrap();

    let output = gha(&["report", "--fit", "comment", path.to_str().unwrap()]);

    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.chars().count() <= 65_536);
    assert!(report.contains("## Root causes") && report.contains("## Resolution"), "{report}");
    assert!(report.contains("more lines cut to fit"), "the long lists were shortened");
}
