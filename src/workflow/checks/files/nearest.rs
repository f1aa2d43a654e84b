//! The one path of the repository a missing path clearly meant: the same path in other letter
//! case, the same name in exactly one other folder, or one typo away (a character added,
//! dropped or changed, or two swapped); and the patch that writes it on the workflow line. It
//! must not guess: when no path or several fit, the problem keeps its message and no patch.

use std::collections::BTreeSet;

use super::shell;
use crate::category::Severity;
use crate::workflow::checks::Site;
use crate::workflow::patch::{self, Edit};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// What a missing path should have been.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A file: a script, a Dockerfile.
    File,
    /// A folder: a `working-directory`, a `cd`, a build context.
    Folder,
}

/// A way a missing path is like a path of the repository.
type Likeness = fn(&str, &str) -> bool;

/// Ways a missing path is like a repository path, most telling first: the first way any path
/// fits decides, and only when exactly one path fits it.
const PATH_LIKENESSES: [Likeness; 3] = [other_case, same_name, one_typo];

/// The same for a file name in a `hashFiles` glob, where another folder means nothing.
const NAME_LIKENESSES: [Likeness; 2] = [other_case, one_typo];

/// A missing path as a workflow line writes it.
pub struct Written<'a> {
    /// The 1-based line the path is written on.
    pub line: usize,
    /// The folder the path is relative to, `""` for the repository root.
    pub cwd: &'a str,
    /// The path as written.
    pub word: &'a str,
    /// The path from the repository root, as the problem names it.
    pub full: &'a str,
}

/// The missing-file error for `written`, asking "did you mean …?" with a patch when the
/// repository holds one path it clearly meant.
pub fn missing(site: &Site<'_>, written: &Written<'_>, kind: PathKind, message: String) -> Problem {
    let guess = intended(site.repo, written.full, kind).and_then(|meant| {
        let word = relative_word(written, &meant)?;
        let patch = replace_word(site, written.line, written.word, &word)?;
        Some((meant, patch))
    });
    let (message, patch) = match guess {
        Some((meant, patch)) => (format!("{message}; did you mean `{meant}`?"), Some(patch)),
        None => (message, None),
    };
    site.problem(written.line, CheckId::MissingFile, Severity::Error, written.full, message, patch)
}

/// For `hashFiles` patterns on `line` that match nothing: the one pattern with a clearly meant
/// replacement, that replacement, and the patch writing it.
pub fn hash_pattern(site: &Site<'_>, line: usize, patterns: &[&str]) -> Option<(String, String)> {
    let mut guesses = patterns.iter().filter_map(|pattern| {
        let meant = intended_pattern(site.repo, pattern)?;
        Some((*pattern, meant))
    });
    let (pattern, meant) = guesses.next()?;
    if guesses.next().is_some() {
        return None;
    }
    let patch = replace_word(site, line, pattern, &meant)?;
    Some((meant, patch))
}

/// The one file or folder `missing` (from the repository root) clearly meant.
fn intended(repo: &RepoView, missing: &str, kind: PathKind) -> Option<String> {
    let missing = shell::join("", missing)?;
    let pool: BTreeSet<&str> = match kind {
        PathKind::File => repo.files.iter().map(String::as_str).collect(),
        PathKind::Folder => repo.files.iter().flat_map(|file| folders_of(file)).collect(),
    };
    let pool: Vec<&str> = pool.into_iter().filter(|path| !path.contains("node_modules/")).collect();
    let fit = |like: &Likeness| Fit::of(pool.iter().copied().filter(|p| like(&missing, p)));
    PATH_LIKENESSES.iter().map(fit).find(|fit| *fit != Fit::Nothing)?.only()
}

/// A glob pattern whose file name, changed to one the repository has, then matches; or a plain
/// path replaced as a file is.
fn intended_pattern(repo: &RepoView, pattern: &str) -> Option<String> {
    let is_glob = pattern.contains(['*', '?', '[', '{']);
    if !is_glob {
        let path = intended(repo, pattern, PathKind::File)?;
        let dot = if pattern.starts_with("./") { "./" } else { "" };
        return Some(format!("{dot}{path}"));
    }
    let (folder, name) = pattern.rsplit_once('/').unwrap_or(("", pattern));
    if name.contains(['*', '?', '[', '{']) {
        return None;
    }
    let names: BTreeSet<&str> = repo.files.iter().filter_map(|f| f.rsplit('/').next()).collect();
    let with_name = |other: &str| {
        if folder.is_empty() { other.to_owned() } else { format!("{folder}/{other}") }
    };
    let matching = |other: &&str| super::matches_a_file(repo, &with_name(other));
    let fit = |like: &Likeness| {
        Fit::of(names.iter().copied().filter(|other| like(name, other)).filter(matching))
    };
    let meant = NAME_LIKENESSES.iter().map(fit).find(|fit| *fit != Fit::Nothing)?.only()?;
    Some(with_name(&meant))
}

/// How many paths fit one likeness.
#[derive(Debug, PartialEq, Eq)]
enum Fit {
    /// None: the next likeness is tried.
    Nothing,
    /// Exactly this one: the path meant.
    One(String),
    /// Several: a guess would be unsafe, and no later likeness is tried.
    Several,
}

impl Fit {
    fn of<'a>(mut found: impl Iterator<Item = &'a str>) -> Fit {
        match (found.next(), found.next()) {
            (None, _) => Fit::Nothing,
            (Some(one), None) => Fit::One(one.to_owned()),
            (Some(_), Some(_)) => Fit::Several,
        }
    }

    fn only(self) -> Option<String> {
        match self {
            Fit::One(path) => Some(path),
            Fit::Nothing | Fit::Several => None,
        }
    }
}

/// Every folder `file` lies in, nearest the root first.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(|(at, _)| &file[..at])
}

/// The same path in other letter case.
fn other_case(missing: &str, path: &str) -> bool {
    missing != path && missing.to_lowercase() == path.to_lowercase()
}

/// The same name in another folder.
fn same_name(missing: &str, path: &str) -> bool {
    missing != path && missing.rsplit('/').next() == path.rsplit('/').next()
}

/// One edit apart and, for names with an extension, the same extension: a typo in `.sh` is
/// more likely another language than a slip.
fn one_typo(missing: &str, path: &str) -> bool {
    extension(missing) == extension(path) && one_edit_apart(missing, path)
}

/// The extension of a path's file name, if it has one.
fn extension(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    name.rsplit_once('.').map(|(_, extension)| extension)
}

/// Whether `b` is `a` with one character added, dropped or changed, or two neighbours swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a, b) {
        ([_] | [], [_]) | ([_], []) => true,
        ([a1, a2], [b1, b2]) => a1 == b2 && a2 == b1,
        _ => false,
    }
}

/// `path` (from the root) written as `written.word` is: relative to its folder, keeping a
/// leading `./` and a trailing `/`.
fn relative_word(written: &Written<'_>, path: &str) -> Option<String> {
    let cwd = shell::join("", written.cwd)?;
    let relative = match path.strip_prefix(&format!("{cwd}/")) {
        Some(rest) => rest.to_owned(),
        None if cwd.is_empty() => path.to_owned(),
        None => format!("{}{path}", "../".repeat(cwd.split('/').count())),
    };
    let dot =
        if written.word.starts_with("./") && !relative.starts_with("../") { "./" } else { "" };
    let slash = if written.word.ends_with('/') { "/" } else { "" };
    Some(format!("{dot}{relative}{slash}"))
}

/// The patch that puts `new` in place of `old` on `line`, when `old` stands there once as a
/// whole word (a path not part of a longer one).
fn replace_word(site: &Site<'_>, line: usize, old: &str, new: &str) -> Option<String> {
    if old.is_empty() {
        return None;
    }
    let text = site.workflow.lines.get(line.checked_sub(1)?)?;
    let is_path_char = |c: char| c.is_alphanumeric() || "._-/*".contains(c);
    let mut whole = text.match_indices(old).filter(|(at, _)| {
        let before = text[..*at].chars().next_back();
        let after = text[at + old.len()..].chars().next();
        !before.is_some_and(is_path_char) && !after.is_some_and(is_path_char)
    });
    let (at, _) = whole.next()?;
    if whole.next().is_some() {
        return None;
    }
    let fixed = format!("{}{new}{}", &text[..at], &text[at + old.len()..]);
    Some(patch::diff(site.workflow, &[Edit::replace(line, fixed)]))
}

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn a_typo_is_one_character_added_dropped_changed_or_two_swapped() {
        assert!(one_edit_apart("scripts/build.sh", "scripts/biuld.sh"));
        assert!(one_edit_apart("scripts/build.sh", "scripts/buld.sh"));
        assert!(one_edit_apart("scripts/build.sh", "scripts/builds.sh"));
        assert!(one_edit_apart("tools", "tool"));
        assert!(one_edit_apart("tools", "toops"));
        assert!(!one_edit_apart("tools", "tools"));
        assert!(!one_edit_apart("tools", "loots"));
        assert!(!one_edit_apart("deps.txt", "deps-dev.txt"));
    }
}
