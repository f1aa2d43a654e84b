//! The paths a job's earlier steps and commands create (`git clone DEST`, `mkdir`, `curl -o`,
//! `touch`, a `cp` or `mv` destination, `>` redirects, `tar -C`, `unzip -d`, `npm install`'s
//! lockfile, `download-artifact`'s and `checkout`'s `path:`), so the files check leaves them
//! alone. It must not count a path that is only mentioned (`hashFiles(…)`, `cat`, `test -f`).

use super::shell;
use crate::workflow::model::Step;

/// Actions whose inputs name paths they read, never ones they write.
const READERS: &[&str] = &[
    "actions/upload-artifact",
    "actions/upload-pages-artifact",
    "actions/cache/save",
    "docker/build-push-action",
];

/// Paths (relative to the workspace) that exist once the steps so far have run.
#[derive(Clone, Debug, Default)]
pub struct Made {
    paths: Vec<String>,
    /// Set after a step that writes files whose names cannot be known (an artifact unpacked
    /// into the workspace).
    unknown: bool,
}

impl Made {
    /// Whether `path` (relative to the workspace) was made, lies in a made folder, or is a
    /// folder above a made path.
    pub fn covers(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        self.unknown
            || self
                .paths
                .iter()
                .any(|made| made == path || is_under(path, made) || is_under(made, path))
    }

    /// Records what an action step writes: `path:` of a download, checkout or cache restore,
    /// and for an action this check does not know, its inputs that are plain paths.
    pub fn add_action(&mut self, step: &Step) {
        let Some(uses) = &step.uses else { return };
        if READERS.iter().any(|reader| step.uses_action(reader)) {
            return;
        }
        if step.uses_action("actions/download-artifact") && step.input("path").is_none() {
            self.unknown = true;
            return;
        }
        let known = uses.action.starts_with("actions/");
        let inputs = step.with.iter().filter(|(name, _)| !known || name == "path");
        for (_, value) in inputs {
            let lines = value.value.lines().map(str::trim);
            self.add_all("", lines.filter(|line| shell::is_checkable_path(line)));
        }
    }

    /// Records what one command of a script writes, run in `cwd`.
    pub fn add_command(&mut self, cwd: &str, words: &[&str]) {
        self.add_redirects(cwd, words);
        let words: Vec<&str> = words.iter().copied().take_while(|w| !w.starts_with('>')).collect();
        let Some((first, rest)) = words.split_first() else { return };
        match (*first, rest) {
            ("mkdir" | "touch", _) => self.add_all(cwd, operands(rest, &["-m", "--mode"])),
            ("git", ["clone", rest @ ..]) => self.add_clone(cwd, rest),
            ("cp" | "mv" | "ln" | "install" | "rsync", _) => self.add_copy(cwd, rest),
            ("curl", _) => self.add_all(cwd, flag_values(rest, &["-o", "--output"])),
            ("wget", _) => self.add_all(cwd, flag_values(rest, &["-O", "--output-document"])),
            ("tar", _) => self.add_all(cwd, flag_values(rest, &["-C", "--directory"])),
            ("unzip", _) => self.add_all(cwd, flag_values(rest, &["-d"])),
            ("tee", _) => self.add_all(cwd, operands(rest, &[])),
            ("npm", ["install" | "i" | "add", ..]) => self.add(cwd, "package-lock.json"),
            _ => {}
        }
    }

    fn add(&mut self, cwd: &str, path: &str) {
        if !shell::is_checkable_path(path) {
            return;
        }
        if let Some(full) = shell::join(cwd, path) {
            self.paths.push(full);
        }
    }

    fn add_all<'a>(&mut self, cwd: &str, paths: impl IntoIterator<Item = &'a str>) {
        paths.into_iter().for_each(|path| self.add(cwd, path));
    }

    /// `> FILE`, `>> FILE` and `>FILE`.
    fn add_redirects(&mut self, cwd: &str, words: &[&str]) {
        for (index, word) in words.iter().enumerate() {
            let target = word.trim_start_matches(['1', '2']).trim_start_matches('>');
            if !word.trim_start_matches(['1', '2']).starts_with('>') {
                continue;
            }
            let target =
                if target.is_empty() { words.get(index + 1).copied() } else { Some(target) };
            self.add_all(cwd, target);
        }
    }

    /// `git clone URL [DEST]`: DEST, else the repository's name.
    fn add_clone(&mut self, cwd: &str, rest: &[&str]) {
        let valued = ["--depth", "-b", "--branch", "-o", "--origin", "--filter", "-c", "--config"];
        let positional = operands(rest, &valued);
        let dest = match positional.as_slice() {
            [_, dest, ..] => Some(*dest),
            [url] => url.trim_end_matches('/').rsplit(['/', ':']).next(),
            [] => None,
        };
        let dest = dest.map(|dest| dest.strip_suffix(".git").unwrap_or(dest));
        self.add_all(cwd, dest);
    }

    /// `cp SRC… DEST`: DEST and DEST/name of each source.
    fn add_copy(&mut self, cwd: &str, rest: &[&str]) {
        let positional = operands(rest, &["-t", "--target-directory", "-m", "--mode"]);
        let Some((dest, sources)) = positional.split_last() else { return };
        self.add(cwd, dest);
        for source in sources {
            let name = source.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            if let Some(inside) = shell::join(dest, name) {
                self.add(cwd, &inside);
            }
        }
    }
}

/// Whether `path` lies inside the folder `dir`.
fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The words that are not flags nor the values of the flags in `valued`.
fn operands<'a>(words: &[&'a str], valued: &[&str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if valued.contains(word) {
            words.next();
        } else if !word.starts_with('-') {
            found.push(*word);
        }
    }
    found
}

/// The values of the flags in `flags`: `-o FILE`, `--output=FILE`, `-oFILE`, and the last
/// letter of a cluster (`unzip -qd out`, `curl -fsSLo out`).
fn flag_values<'a>(words: &[&'a str], flags: &[&str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let next = words.get(index + 1).copied();
        for flag in flags {
            if flag.starts_with("--") {
                let joined = word.strip_prefix(flag).and_then(|rest| rest.strip_prefix('='));
                found.extend(joined.or(next.filter(|_| word == flag)));
                continue;
            }
            let Some(letter) = flag.strip_prefix('-') else { continue };
            let Some(cluster) = word.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
                continue;
            };
            if cluster.ends_with(letter) {
                found.extend(next);
            } else if cluster.len() > 1 && cluster.starts_with(letter) && flag.len() == 2 {
                found.push(&cluster[letter.len()..]);
            }
        }
    }
    found
}
