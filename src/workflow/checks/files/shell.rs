//! Just enough shell to find the files a `run:` script names: words with quotes removed, and
//! commands split at `&&`, `||`, `;` and `|`. It must not try to run or expand anything; a
//! word holding `$` or a glob is left for the shell and never checked.

/// The commands of one script line, each as its words.
pub fn commands(line: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if word.is_empty() => break,
            (None, ' ' | '\t') => push_word(&mut words, &mut word),
            (None, ';' | '|' | '&') => {
                push_word(&mut words, &mut word);
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            (_, c) => word.push(c),
        }
    }
    push_word(&mut words, &mut word);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

fn push_word(words: &mut Vec<String>, word: &mut String) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// Whether a word is a plain relative path the repository could hold (no `$`, glob, `~`, URL
/// or absolute path).
pub fn is_checkable_path(word: &str) -> bool {
    !word.is_empty()
        && !word.starts_with(['/', '~', '-'])
        && !word.contains(['$', '*', '?', '[', '{', '`', '='])
        && !word.contains("://")
}

/// `base` joined with `path`, `.` and `..` resolved; `None` when it climbs above the root.
pub fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
