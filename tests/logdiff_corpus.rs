//! The log comparison on real breakages: each case in `../shared/corpus/full/breakages` has the
//! last passing log, the failing log and the lines a person marked as the error. Measures the
//! share of cases whose marked lines are all among the new lines, and how many lines a reader
//! looks at with the comparison against the whole log. Run with `--nocapture` for the figures;
//! skipped with a note when the corpus is not there (`GHA_TRIAGE_CORPUS` points elsewhere).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use gha_triage::logdiff::new_lines;

/// Lines a person marked as the error (`E a-b` rows of `groundtruth`).
fn marked_lines(groundtruth: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    for row in groundtruth.lines().skip(1) {
        let Some(range) = row.strip_prefix("E ") else { continue };
        let (from, to) = range.trim().split_once('-').unwrap_or((range.trim(), range.trim()));
        let (from, to): (u64, u64) = (from.parse().expect("line"), to.parse().expect("line"));
        lines.extend(from..=to);
    }
    lines
}

#[test]
fn new_lines_hold_what_a_person_marked_in_most_breakages() {
    let corpus = std::env::var_os("GHA_TRIAGE_CORPUS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"), Into::into);
    let root = corpus.join("full/breakages");
    let Ok(entries) = fs::read_dir(&root) else {
        println!("note: {} is not there; the log comparison was not measured", root.display());
        return;
    };
    let mut cases: Vec<_> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    cases.sort();

    let (mut found, mut marked_total, mut marked_new) = (0_u32, 0_usize, 0_usize);
    let (mut shown, mut whole) = (0_u32, 0_u32);
    for case in &cases {
        let pass = fs::read(case.join("pass.log")).expect("pass.log");
        let fail = fs::read(case.join("fail.log")).expect("fail.log");
        let groundtruth = fs::read_to_string(case.join("groundtruth")).expect("groundtruth");
        let diff = new_lines(&pass, &fail);
        let everything = new_lines(b"", &fail);
        let with_text: HashSet<u64> = everything.new_lines.iter().map(|line| line.line).collect();
        let new: HashSet<u64> = diff.new_lines.iter().map(|line| line.line).collect();
        let marked: Vec<u64> = marked_lines(&groundtruth)
            .into_iter()
            .filter(|line| with_text.contains(line))
            .collect();
        let hits = marked.iter().filter(|line| new.contains(line)).count();
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "{name:<24} marked {hits}/{} new; reader sees {} of {} lines",
            marked.len(),
            diff.new_lines.len(),
            diff.failing_lines
        );

        marked_total += marked.len();
        marked_new += hits;
        found += u32::from(hits == marked.len());
        shown += u32::try_from(diff.new_lines.len()).expect("lines");
        whole += u32::try_from(diff.failing_lines).expect("lines");
    }

    let count = u32::try_from(cases.len()).expect("cases");
    let share = f64::from(found) / f64::from(count.max(1));
    let reading = f64::from(shown) / f64::from(whole.max(1));
    println!(
        "log diff: {found}/{} cases with every marked line new ({:.0}%), {marked_new}/{marked_total} marked lines new; \
         reader sees {shown} of {whole} lines ({:.1}%)",
        cases.len(),
        share * 100.0,
        reading * 100.0
    );
    // Measured: 10 of 11 cases (91%), 160 of 169 marked lines, 6.8% of the lines to read.
    assert!(share >= 0.85, "only {found} of {} cases had every marked line new", cases.len());
    assert!(
        marked_new * 100 >= marked_total * 90,
        "{marked_new} of {marked_total} marked lines new"
    );
    assert!(reading <= 0.10, "the reader still sees {:.1}% of the lines", reading * 100.0);
}
