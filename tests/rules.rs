//! The built-in rules as a whole: enough of them, every category covered, every example
//! behaving as its rule says, and no example copied from the evaluation corpus.

use std::collections::HashSet;
use std::path::Path;

use gha_triage::category::Category;
use gha_triage::classify::Engine;
use gha_triage::rules::examples;

#[test]
fn there_are_at_least_sixty_built_in_rules_covering_every_category() {
    let engine = Engine::builtin().expect("built-in rules load");
    assert!(engine.rules.len() >= 60, "only {} rules", engine.rules.len());
    let covered: HashSet<Category> = engine.rules.iter().map(|rule| rule.category).collect();
    let missing: Vec<_> = Category::ALL.iter().filter(|c| !covered.contains(c)).collect();
    assert!(missing.is_empty(), "no rule for {missing:?}");
}

#[test]
fn every_built_in_rule_has_two_examples_and_a_near_miss() {
    let engine = Engine::builtin().expect("built-in rules load");
    for rule in &engine.rules {
        assert!(rule.matches.len() >= 2, "{}: fewer than two matching examples", rule.id);
        assert!(!rule.near_misses.is_empty(), "{}: no near miss", rule.id);
        let distinct: HashSet<&String> = rule.matches.iter().collect();
        assert_eq!(distinct.len(), rule.matches.len(), "{}: repeated example", rule.id);
    }
}

#[test]
fn every_built_in_example_behaves_as_its_rule_says() {
    let engine = Engine::builtin().expect("built-in rules load");
    let failures = examples::check(&engine.rules, &engine.matcher);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn built_in_patterns_all_have_a_prefilter_literal() {
    let engine = Engine::builtin().expect("built-in rules load");
    assert!(engine.warnings.is_empty(), "{:#?}", engine.warnings);
    assert!(!engine.matcher.checks_every_line());
}

#[test]
fn no_example_is_a_corpus_line_verbatim() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/excerpts");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        eprintln!("corpus not found at {}; skipping", corpus.display());
        return;
    };
    let mut corpus_lines = HashSet::new();
    for entry in entries.filter_map(Result::ok) {
        let text = std::fs::read(entry.path()).unwrap_or_default();
        for line in String::from_utf8_lossy(&text).lines() {
            let cleaned = clean(line);
            if cleaned.len() > 20 {
                corpus_lines.insert(cleaned);
            }
        }
    }
    let engine = Engine::builtin().expect("built-in rules load");
    for rule in &engine.rules {
        for example in rule.matches.iter().chain(&rule.near_misses) {
            assert!(
                !corpus_lines.contains(&clean(example)),
                "{}: example copied from the corpus: {example}",
                rule.id
            );
        }
    }
}

fn clean(line: &str) -> String {
    let parts = gha_triage::joblog::line::split(line.as_bytes(), false);
    gha_triage::joblog::line::readable(parts.message)
}
