//! Loading rule files: built-in ones first, then user files over them, then disabled ids.
//! Owns validation and the wording of every rule-file problem (file, rule id, line). It does
//! not build the matcher.

use std::{fmt, fs, ops::Range, path::PathBuf};

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::{
    Context, Reach, Rule, SymptomOf, bad_regex, builtin, disabled, literal, model, placeholders,
};
use crate::category::{Category, Severity};

/// Largest compiled size of one pattern, so a hostile rule file cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// Which rule files to read, in order; later ones override earlier ones.
#[derive(Clone, Debug, Default)]
pub struct RuleSources {
    /// Whether the embedded rules come first.
    pub builtin: bool,
    /// Rule files in the order they apply.
    pub files: Vec<PathBuf>,
    /// Ids switched off from the command line.
    pub disable: Vec<String>,
}

impl RuleSources {
    /// The built-in rules only.
    pub fn builtin_only() -> Self {
        RuleSources { builtin: true, ..RuleSources::default() }
    }
}

/// One thing wrong with a rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, as given (or `builtin:<name>`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The rule's id, when the problem is inside a rule.
    pub rule: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Rule files that could not be used; every problem found is listed.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError {
    /// Each problem, in file order.
    pub problems: Vec<Problem>,
}

/// Rules ready for matching, and advice that did not stop loading.
#[derive(Debug)]
pub struct Loaded {
    /// The rules in effect, built-in order first.
    pub rules: Vec<Rule>,
    /// Things worth fixing that do not stop the rules from working.
    pub warnings: Vec<Problem>,
    /// Ids a rule file disables that no rule has: worth a warning on every run.
    pub unknown_disabled: Vec<Problem>,
}

/// One parsed file: its rules and the ids it disables.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// The file's name as problems show it.
    pub name: String,
    /// Rules defined in the file.
    pub rules: Vec<Rule>,
    /// Ids the file switches off.
    pub disable: Vec<String>,
    /// Advice about the file.
    pub warnings: Vec<Problem>,
}

/// Loads and merges the rules named by `sources`.
pub fn load(sources: &RuleSources) -> Result<Loaded, LoadError> {
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    if sources.builtin {
        for (name, text) in builtin::FILES {
            collect(parse_file(&format!("builtin:{name}"), text), &mut parsed, &mut problems);
        }
    }
    for path in &sources.files {
        let name = path.display().to_string();
        match fs::read_to_string(path) {
            Ok(text) => collect(parse_file(&name, &text), &mut parsed, &mut problems),
            Err(error) => problems.push(Problem {
                file: name,
                line: None,
                rule: None,
                message: format!("cannot read the rule file: {error}"),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }

    let mut rules: Vec<Rule> = Vec::new();
    let mut disabled: Vec<String> = sources.disable.clone();
    let mut disabled_in_files: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    for file in parsed {
        for rule in file.rules {
            match rules.iter_mut().find(|existing| existing.id == rule.id) {
                Some(existing) => *existing = rule,
                None => rules.push(rule),
            }
        }
        disabled_in_files.extend(file.disable.iter().map(|id| (file.name.clone(), id.clone())));
        disabled.extend(file.disable);
        warnings.extend(file.warnings);
    }
    let unknown_disabled = disabled::unknown(&rules, sources, &disabled_in_files);
    if !unknown_disabled.command_line.is_empty() {
        return Err(LoadError { problems: unknown_disabled.command_line });
    }
    rules.retain(|rule| !disabled.contains(&rule.id));
    warnings.extend(unknown_symptom_links(&rules));
    Ok(Loaded { rules, warnings, unknown_disabled: unknown_disabled.in_files })
}

fn collect(
    result: Result<ParsedFile, Vec<Problem>>,
    parsed: &mut Vec<ParsedFile>,
    problems: &mut Vec<Problem>,
) {
    match result {
        Ok(file) => parsed.push(file),
        Err(found) => problems.extend(found),
    }
}

fn unknown_symptom_links(rules: &[Rule]) -> Vec<Problem> {
    let mut warnings = Vec::new();
    for rule in rules {
        for link in &rule.symptom_of {
            let SymptomOf::Rule(id) = link else { continue };
            if !rules.iter().any(|other| &other.id == id) {
                warnings.push(Problem {
                    file: rule.origin.clone(),
                    line: None,
                    rule: Some(rule.id.clone()),
                    message: format!("symptom_of names `{id}`, which is not a loaded rule"),
                });
            }
        }
    }
    warnings
}

/// Parses and validates one rule file's text; `name` is used in every problem.
pub fn parse_file(name: &str, text: &str) -> Result<ParsedFile, Vec<Problem>> {
    let locate = |span: Range<usize>| line_of(text, span.start);
    let spec: model::RuleFile = match toml::from_str(text) {
        Ok(spec) => spec,
        Err(error) => {
            let message = error.message().trim().to_owned();
            return Err(vec![Problem {
                file: name.to_owned(),
                line: error.span().map(locate),
                rule: None,
                message: format!("{message} (the README's Rules section shows the format)"),
            }]);
        }
    };

    let mut problems = Vec::new();
    let mut parsed =
        ParsedFile { name: name.to_owned(), disable: spec.disable, ..ParsedFile::default() };
    for rule in spec.rules {
        let id = rule.id.get_ref().clone();
        let line = locate(rule.id.span());
        let mut report = |at: Option<usize>, message: String| {
            problems.push(Problem {
                file: name.to_owned(),
                line: at.or(Some(line)),
                rule: Some(id.clone()),
                message,
            });
        };
        if parsed.rules.iter().any(|earlier: &Rule| earlier.id == id) {
            report(None, "duplicate id: another rule in this file has it; rename one".into());
            continue;
        }
        match compile_rule(name, rule, text) {
            Ok((compiled, warnings)) => {
                parsed.warnings.extend(warnings);
                parsed.rules.push(compiled);
            }
            Err(found) => {
                for (at, message) in found {
                    report(at, message);
                }
            }
        }
    }
    if problems.is_empty() { Ok(parsed) } else { Err(problems) }
}

type Located = (Option<usize>, String);

fn compile_rule(
    file: &str,
    spec: model::RuleSpec,
    text: &str,
) -> Result<(Rule, Vec<Problem>), Vec<Located>> {
    let locate = |span: Range<usize>| line_of(text, span.start);
    let mut problems: Vec<Located> = Vec::new();
    let at = |spanned_span: Range<usize>| Some(locate(spanned_span));
    let id = spec.id.get_ref().clone();
    if !is_kebab(&id) {
        problems.push((None, "ids are kebab-case: lower-case letters, digits and `-`".into()));
    }

    let category = Category::from_id(spec.category.get_ref()).unwrap_or_else(|| {
        problems.push((
            at(spec.category.span()),
            format!(
                "unknown category `{}`; use one of: {}",
                spec.category.get_ref(),
                Category::ALL.map(Category::id).join(", ")
            ),
        ));
        Category::Unknown
    });
    let severity = Severity::from_id(spec.severity.get_ref()).unwrap_or_else(|| {
        problems.push((
            at(spec.severity.span()).filter(|_| spec.severity.span().end > 0),
            format!("unknown severity `{}`; use error, warning or notice", spec.severity.get_ref()),
        ));
        Severity::Error
    });

    if spec.patterns.is_empty() {
        problems.push((None, "a rule needs at least one pattern".into()));
    }
    let mut warnings = Vec::new();
    let mut patterns = Vec::new();
    for pattern in &spec.patterns {
        match compile_regex(pattern) {
            Ok(regex) => patterns.push(regex),
            Err(message) => problems.push((at(pattern.span()), message)),
        }
        if literal::required_literals(pattern.get_ref()).is_none() {
            warnings.push(Problem {
                file: file.to_owned(),
                line: Some(locate(pattern.span())),
                rule: Some(id.clone()),
                message: "pattern has no literal of 3+ characters, so it is tried on every line"
                    .into(),
            });
        }
    }

    let requires = compile_contexts(&spec.requires, &at, &mut problems);
    let unless = compile_contexts(&spec.unless, &at, &mut problems);
    let symptom_of = spec
        .symptom_of
        .iter()
        .filter_map(|link| parse_symptom_link(link, &at, &mut problems))
        .collect();

    let captures: Vec<&str> = patterns.iter().flat_map(Regex::capture_names).flatten().collect();
    for (field, template) in [("title", &spec.title), ("fix", &spec.fix)] {
        for name in placeholders::unknown(template.get_ref(), &captures) {
            let span = template.span();
            let raw = text.get(span.clone()).and_then(|raw| raw.find(&format!("{{{name}}}")));
            problems.push((
                Some(line_of(text, span.start + raw.unwrap_or(0))),
                format!(
                    "{field} uses `{{{name}}}`, which no pattern captures; name a capture group \
                     `(?P<{name}>…)` or fix the spelling"
                ),
            ));
        }
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let rule = Rule {
        id,
        title: spec.title.into_inner(),
        category,
        severity,
        transient: spec.transient,
        priority: spec.priority,
        patterns,
        requires,
        unless,
        symptom_of,
        fix: spec.fix.get_ref().trim().to_owned(),
        references: spec.references,
        matches: spec.matches,
        near_misses: spec.near_misses,
        origin: file.to_owned(),
    };
    Ok((rule, warnings))
}

fn compile_regex(pattern: &Spanned<String>) -> Result<Regex, String> {
    RegexBuilder::new(pattern.get_ref())
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|error| bad_regex::describe(pattern.get_ref(), &error))
}

fn compile_contexts(
    specs: &[model::ContextSpec],
    at: &dyn Fn(Range<usize>) -> Option<usize>,
    problems: &mut Vec<Located>,
) -> Vec<Context> {
    let mut contexts = Vec::new();
    for spec in specs {
        let line = at(spec.pattern.span());
        let reach = match (&spec.within, &spec.scope) {
            (Some(lines), None) => Reach::Lines(*lines),
            (None, Some(scope)) if scope.get_ref() == "step" => Reach::Step,
            (None, Some(scope)) if scope.get_ref() == "job" => Reach::Job,
            (None, Some(scope)) => {
                problems
                    .push((line, format!("unknown scope `{}`; use step or job", scope.get_ref())));
                continue;
            }
            _ => {
                problems.push((line, "give a context either `within = N` or `scope`".into()));
                continue;
            }
        };
        match compile_regex(&spec.pattern) {
            Ok(regex) => contexts.push(Context { regex, reach }),
            Err(message) => problems.push((line, message)),
        }
    }
    contexts
}

fn parse_symptom_link(
    link: &Spanned<String>,
    at: &dyn Fn(Range<usize>) -> Option<usize>,
    problems: &mut Vec<Located>,
) -> Option<SymptomOf> {
    let text = link.get_ref();
    if text == "any" {
        return Some(SymptomOf::Any);
    }
    if let Some(id) = text.strip_prefix("category:") {
        let category = Category::from_id(id);
        if category.is_none() {
            problems.push((at(link.span()), format!("symptom_of names unknown category `{id}`")));
        }
        return category.map(SymptomOf::Category);
    }
    if !is_kebab(text) {
        problems.push((
            at(link.span()),
            format!("symptom_of `{text}` is neither `any`, `category:<id>` nor a rule id"),
        ));
        return None;
    }
    Some(SymptomOf::Rule(text.clone()))
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// The 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[rule]]
id = "disk-full"
title = "The runner ran out of disk"
category = "resources"
patterns = ['No space left on device']
matches = ["x: No space left on device", "write failed: No space left on device"]
near_misses = ["Free space left: 66 MB"]
"#;

    fn problems_of(text: &str) -> Vec<String> {
        parse_file("rules.toml", text).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_file_parses_with_defaults() {
        let parsed = parse_file("rules.toml", GOOD).unwrap();
        let rule = &parsed.rules[0];
        assert_eq!(rule.severity, Severity::Error);
        assert_eq!(rule.priority, 50);
        assert!(!rule.transient);
    }

    #[test]
    fn a_bad_regex_names_file_rule_and_line() {
        let text = GOOD.replace("'No space left on device'", "'No space (left'");
        let problems = problems_of(&text);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("rules.toml:6: rule `disk-full`: bad regex"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_unknown_category_lists_the_known_ones() {
        let problems = problems_of(&GOOD.replace("\"resources\"", "\"memory\""));
        assert!(
            problems[0].starts_with("rules.toml:5: rule `disk-full`: unknown category `memory`")
        );
        assert!(problems[0].contains("rate_limit"));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let problems = problems_of(&GOOD.replace("patterns =", "pattern ="));
        assert!(problems[0].starts_with("rules.toml:"), "{problems:?}");
        assert!(problems[0].contains("pattern"), "{problems:?}");
    }

    #[test]
    fn a_duplicate_id_in_one_file_is_refused() {
        let problems = problems_of(&format!("{GOOD}{}", GOOD.replace("disable = []", "")));
        assert!(problems[0].contains("duplicate id"), "{problems:?}");
    }

    #[test]
    fn a_later_file_replaces_and_disables_rules() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.toml");
        let second = dir.path().join("second.toml");
        fs::write(&first, GOOD).unwrap();
        fs::write(&second, GOOD.replace("ran out of disk", "is full")).unwrap();
        let sources =
            RuleSources { builtin: false, files: vec![first.clone(), second], disable: vec![] };
        let loaded = load(&sources).unwrap();
        assert_eq!(loaded.rules.len(), 1);
        assert_eq!(loaded.rules[0].title, "The runner is full");

        let third = dir.path().join("third.toml");
        fs::write(&third, "disable = [\"disk-full\"]\n").unwrap();
        let sources = RuleSources { builtin: false, files: vec![first, third], disable: vec![] };
        assert!(load(&sources).unwrap().rules.is_empty());
    }

    #[test]
    fn a_missing_rule_file_is_a_problem_not_a_panic() {
        let sources = RuleSources {
            builtin: false,
            files: vec![PathBuf::from("/nonexistent/rules.toml")],
            disable: vec![],
        };
        let error = load(&sources).unwrap_err();
        assert!(error.to_string().starts_with("/nonexistent/rules.toml: cannot read"));
    }
}
