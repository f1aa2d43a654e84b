//! The `{capture}` placeholders of a rule's title and fix, checked against the capture names
//! of its patterns so that a misspelt one is refused instead of shown literally. Shell-style
//! `${NAME}` and `${{ expression }}` in fixes are text, not placeholders.

/// The placeholder names in `template` that no pattern captures, once each, in order.
pub fn unknown<'t>(template: &'t str, captures: &[&str]) -> Vec<&'t str> {
    let mut found: Vec<&str> = Vec::new();
    let mut rest = template;
    let mut before = None;
    while let Some(open) = rest.find('{') {
        let shell = rest[..open].chars().next_back().or(before) == Some('$');
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !shell && is_name(name) && !captures.contains(&name) && !found.contains(&name) {
            found.push(name);
        }
        before = Some('}');
        rest = &after[close + 1..];
    }
    found
}

/// Whether `name` could be a capture name (what `rules::fill_template` fills).
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::unknown;

    #[test]
    fn a_placeholder_no_pattern_captures_is_unknown() {
        assert_eq!(unknown("Test {test} failed in {nosuch}", &["test"]), ["nosuch"]);
    }

    #[test]
    fn shell_variables_and_expressions_are_not_placeholders() {
        let fix = "cd ${GITHUB_WORKSPACE} and use `${{ github.action_path }}`; {test} failed";
        assert!(unknown(fix, &["test"]).is_empty());
    }
}
