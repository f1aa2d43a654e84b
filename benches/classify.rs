//! Cost of the one-pass scan (`Engine::scan`) of a realistic 20 MB job log at 10, 60 and 600
//! rules. It should barely grow with the number of rules: a literal prefilter picks the lines
//! worth a look, and on those only the patterns whose literal the line holds are tried.
//!
//! The 10 and 60 are the first built-in rules; the 600 are all built-in rules plus variants of
//! them whose literals differ (every letter outside escapes, classes and group names shifted),
//! written as rule TOML and read through `rules::load::parse_file` like any user rule file.
//! The log comes from `benches/gen-large-log.py` (python3), or from the file named by
//! `GHA_TRIAGE_BENCH_LOG`. Run with `cargo bench --bench classify`.

use std::sync::LazyLock;

use gha_triage::classify::Engine;
use gha_triage::rules::Rule;
use gha_triage::rules::builtin;
use gha_triage::rules::load::parse_file;
use toml::{Table, Value};

/// Size of the log scanned.
const LOG_SIZE: &str = "20M";

/// The log every benchmark scans, made once.
static LOG: LazyLock<Vec<u8>> = LazyLock::new(realistic_log);

fn main() {
    divan::main();
}

#[divan::bench(args = [10, 60, 600], sample_count = 30, sample_size = 1)]
fn scan_20_mb_log(bencher: divan::Bencher<'_, '_>, rules: usize) {
    let engine = Engine::from_rules(rules_of(rules), Vec::new()).expect("the rules compile");
    let log = LOG.as_slice();
    bencher
        .counter(divan::counter::BytesCount::of_slice(log))
        .bench(|| engine.scan(log).expect("an in-memory log reads"));
}

fn realistic_log() -> Vec<u8> {
    if let Some(path) = std::env::var_os("GHA_TRIAGE_BENCH_LOG") {
        return std::fs::read(&path).expect("GHA_TRIAGE_BENCH_LOG names a readable file");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/gen-large-log.py");
    let output = std::process::Command::new("python3")
        .args([script, "--size", LOG_SIZE, "-"])
        .output()
        .expect("python3 runs benches/gen-large-log.py (or set GHA_TRIAGE_BENCH_LOG)");
    assert!(output.status.success(), "gen-large-log.py failed");
    output.stdout
}

/// The first `count` rules of the built-in ones followed by as many variants as it takes.
fn rules_of(count: usize) -> Vec<Rule> {
    let builtin: Vec<Table> =
        builtin::FILES.iter().flat_map(|(_, text)| rule_tables(text)).collect();
    let mut tables: Vec<Table> = builtin.iter().take(count).cloned().collect();
    let mut round = 0;
    while tables.len() < count {
        round += 1;
        let missing = count - tables.len();
        tables.extend(builtin.iter().take(missing).map(|rule| variant(rule, round)));
    }

    let mut file = Table::new();
    file.insert("rule".to_owned(), Value::Array(tables.into_iter().map(Value::Table).collect()));
    let text = toml::to_string(&file).expect("rules serialise");
    let parsed = parse_file("bench-rules.toml", &text).expect("generated rules are valid");
    assert_eq!(parsed.rules.len(), count);
    parsed.rules
}

fn rule_tables(text: &str) -> Vec<Table> {
    let file: Table = toml::from_str(text).expect("built-in rules parse");
    let Some(Value::Array(rules)) = file.get("rule") else { return Vec::new() };
    rules.iter().filter_map(|rule| rule.as_table().cloned()).collect()
}

/// A copy of `rule` with its own id and other literals in every pattern.
fn variant(rule: &Table, round: u8) -> Table {
    let mut copy = rule.clone();
    let id = rule.get("id").and_then(Value::as_str).unwrap_or("rule");
    copy.insert("id".to_owned(), Value::String(format!("{id}-variant-{round}")));
    if let Some(Value::Array(patterns)) = copy.get_mut("patterns") {
        for pattern in patterns.iter_mut() {
            shift_value(pattern, round);
        }
    }
    for key in ["requires", "unless"] {
        let Some(Value::Array(contexts)) = copy.get_mut(key) else { continue };
        for context in contexts.iter_mut().filter_map(Value::as_table_mut) {
            if let Some(pattern) = context.get_mut("pattern") {
                shift_value(pattern, round);
            }
        }
    }
    copy
}

fn shift_value(value: &mut Value, round: u8) {
    if let Value::String(pattern) = value {
        *pattern = shift_letters(pattern, round);
    }
}

/// The pattern with every letter that stands for itself moved `by` places along the alphabet;
/// escapes, classes, group flags and names are kept, so the result is still a valid regex.
fn shift_letters(pattern: &str, by: u8) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut at = 0;
    while at < chars.len() {
        let kept = match chars[at] {
            '\\' => escape_len(&chars[at..]),
            '[' => class_len(&chars[at..]),
            '(' if chars.get(at + 1) == Some(&'?') => group_head_len(&chars[at..]),
            _ => 0,
        };
        if kept > 0 {
            out.extend(&chars[at..at + kept]);
            at += kept;
            continue;
        }
        out.push(shift(chars[at], by));
        at += 1;
    }
    out
}

fn shift(c: char, by: u8) -> char {
    let base = match c {
        'a'..='z' => b'a',
        'A'..='Z' => b'A',
        _ => return c,
    };
    let offset = (u8::try_from(c).unwrap_or(base) - base + by) % 26;
    char::from(base + offset)
}

/// Length of the escape at the start of `chars` (`\d`, `\x1b`, `\p{L}`, `\u{2026}`, …).
fn escape_len(chars: &[char]) -> usize {
    let braced = |from: usize| {
        chars[from..].iter().position(|c| *c == '}').map_or(chars.len(), |end| from + end + 1)
    };
    match chars.get(1) {
        None => 1,
        Some('x' | 'u' | 'U' | 'p' | 'P') if chars.get(2) == Some(&'{') => braced(2),
        Some('x') => 4.min(chars.len()),
        Some('u') => 6.min(chars.len()),
        Some('U') => 10.min(chars.len()),
        Some('p' | 'P') => 3.min(chars.len()),
        Some(_) => 2,
    }
}

/// Length of the class at the start of `chars`, nested classes and escapes included; a `]`
/// first in a class (after `[` or `[^`) stands for itself.
fn class_len(chars: &[char]) -> usize {
    let mut depth = 0;
    let mut content = 0;
    let mut at = 0;
    while at < chars.len() {
        match chars[at] {
            '\\' => at += escape_len(&chars[at..]) - 1,
            '[' => {
                depth += 1;
                content = at + 1 + usize::from(chars.get(at + 1) == Some(&'^'));
            }
            ']' if at != content => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    chars.len()
}

/// Length of `(?flags)`, `(?flags:`, `(?P<name>` or `(?<name>` at the start of `chars`.
fn group_head_len(chars: &[char]) -> usize {
    let named = matches!(chars.get(2), Some('<' | 'P')) && chars.get(3) != Some(&'=');
    let end = if named { '>' } else { ':' };
    chars.iter().position(|c| *c == end || *c == ')').map_or(chars.len(), |at| at + 1)
}
