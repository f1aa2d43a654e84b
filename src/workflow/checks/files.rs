//! Check 2 of issue #6: files and folders a step needs that the repository does not have
//! (`pip install -r`, `npm ci` without a lockfile, `working-directory`, `cd`, scripts run by
//! path, a Docker build context, `hashFiles(…)` matching nothing), with what the repository
//! uses instead from `files::toolchain` and the path meant from `files::nearest`. It must not
//! guess at paths a script builds at run time: words with `$` or globs, and paths that an
//! earlier step or an earlier command of the same script creates (`files::made`), are left alone.

pub mod made;
pub mod nearest;
pub mod shell;
pub mod toolchain;

use globset::GlobBuilder;

use self::made::Made;
use self::nearest::{PathKind, Written};
use super::Site;
use crate::category::Severity;
use crate::workflow::model::{Job, Located, Step};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// Interpreters whose first file argument is a script in the repository.
const INTERPRETERS: &[&str] =
    &["python", "python3", "bash", "sh", "zsh", "node", "ruby", "perl", "pwsh", "Rscript"];

/// Extensions of scripts run by path.
const SCRIPT_EXTENSIONS: &[&str] =
    &["py", "sh", "bash", "js", "mjs", "cjs", "ts", "rb", "pl", "ps1", "R"];

/// Finds missing files in every job that checks out its own repository; none when the file
/// list is cut short, where an absent path proves nothing.
pub fn check(repo: &RepoView, out: &mut Vec<Problem>) {
    if repo.truncated {
        return;
    }
    for workflow in &repo.workflows {
        for job in &workflow.jobs {
            if !checks_out_repository(job) {
                continue;
            }
            let mut made = Made::default();
            for (index, step) in job.steps.iter().enumerate() {
                let site = Site { repo, workflow, job, step: index };
                made = check_step(&site, step, made, out);
                made.add_action(step);
            }
        }
    }
}

/// Whether the job checks out this repository at the workspace root.
fn checks_out_repository(job: &Job) -> bool {
    job.steps.iter().any(|step| {
        step.uses_action("actions/checkout")
            && step.input("repository").is_none()
            && step.input("path").is_none()
    })
}

/// Checks one step and returns `made` with what its script creates.
fn check_step(site: &Site<'_>, step: &Step, mut made: Made, out: &mut Vec<Problem>) -> Made {
    let job = site.job;
    let wd = step.working_directory.as_ref().or(job.working_directory.as_ref());
    let wd = wd.filter(|_| step.run.is_some());
    let absent = |dir: &&Located<String>| {
        shell::is_checkable_path(&dir.value)
            && !site.repo.has_dir(&dir.value)
            && !made.covers(shell::join("", &dir.value).unwrap_or_default().as_str())
    };
    if let Some(dir) = wd.filter(absent) {
        let said = out.iter().any(|p| p.line == dir.line && p.file == site.workflow.path);
        if !said {
            let message = format!(
                "working-directory `{}` is not a folder of the repository; the step cannot start",
                dir.value
            );
            let written = Written { line: dir.line, cwd: "", word: &dir.value, full: &dir.value };
            out.push(nearest::missing(site, &written, PathKind::Folder, message));
        }
        return made;
    }
    let wd = wd.map_or(String::new(), |dir| dir.value.clone());
    hash_files(site, step, out);
    docker_action(site, step, &made, out);
    let mut cwd = wd.clone();
    for (line, text) in step.script_lines(site.workflow) {
        for words in shell::commands(text) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let before = cwd.clone();
            command(site, step, line, &mut cwd, &words, &made, out);
            made.add_command(&before, &words);
        }
    }
    made
}

/// One command of a script, `cwd` following its `cd`s.
fn command(
    site: &Site<'_>,
    step: &Step,
    line: usize,
    cwd: &mut String,
    words: &[&str],
    made: &Made,
    out: &mut Vec<Problem>,
) {
    let missing = |path: &str| {
        let full = shell::join(cwd, path)?;
        let absent = !site.repo.has_file(&full) && !site.repo.has_dir(&full) && !made.covers(&full);
        absent.then_some(full)
    };
    match words {
        ["cd", dir] if shell::is_checkable_path(dir) => {
            if let Some(full) = missing(dir) {
                let message = format!("`cd {dir}`: the repository has no folder `{full}`");
                let written = Written { line, cwd, word: dir, full: &full };
                out.push(nearest::missing(site, &written, PathKind::Folder, message));
            } else if let Some(full) = shell::join(cwd, dir) {
                *cwd = full;
            }
        }
        _ if is_pip_install(words) => {
            for file in requirement_files(words) {
                if let Some(full) = missing(file) {
                    out.push(toolchain::missing_requirements(site, step, line, cwd, &full));
                }
            }
        }
        ["npm", "ci" | "clean-install", ..] => {
            let has_lock = ["package-lock.json", "npm-shrinkwrap.json"].iter().any(|lock| {
                shell::join(cwd, lock).is_some_and(|p| site.repo.has_file(&p) || made.covers(&p))
            });
            if !has_lock {
                out.push(toolchain::npm_ci_without_lock(site, line, cwd));
            }
        }
        ["docker", "build", rest @ ..] | ["docker", "buildx", "build", rest @ ..] => {
            docker_build(site, line, cwd, rest, &missing, out);
        }
        _ => {
            let Some(script) = script_argument(words) else { return };
            if let Some(full) = missing(script) {
                let message =
                    format!("the step runs `{script}`, but the repository has no file `{full}`");
                let written = Written { line, cwd, word: script, full: &full };
                out.push(nearest::missing(site, &written, PathKind::File, message));
            }
        }
    }
}

fn is_pip_install(words: &[&str]) -> bool {
    let pip = words.iter().position(|w| matches!(*w, "pip" | "pip3"));
    pip.is_some_and(|at| words.get(at + 1) == Some(&"install"))
}

/// The files after `-r`, `--requirement`, `-c` and `--constraint`.
fn requirement_files<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut files = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let file = match *word {
            "-r" | "--requirement" | "-c" | "--constraint" => words.get(index + 1).copied(),
            _ => word.strip_prefix("--requirement=").or_else(|| {
                word.strip_prefix("-r").filter(|rest| !rest.is_empty() && !rest.starts_with('-'))
            }),
        };
        files.extend(file.filter(|file| shell::is_checkable_path(file)));
    }
    files
}

/// The script a command runs: `./x.sh`, `tools/x.py`, or `python x.py` (also after
/// `uv run`, `poetry run` and `pipenv run`).
fn script_argument<'a>(words: &[&'a str]) -> Option<&'a str> {
    let words = match words {
        ["uv" | "poetry" | "pipenv", "run", rest @ ..] => skip_flags(rest),
        _ => words,
    };
    let (first, rest) = words.split_first()?;
    if INTERPRETERS.contains(first) {
        if rest.iter().any(|w| matches!(*w, "-c" | "-m" | "-e" | "--eval")) {
            return None;
        }
        let script = skip_flags(rest).first().copied()?;
        return (shell::is_checkable_path(script) && has_script_extension(script))
            .then_some(script);
    }
    let by_path = first.starts_with("./") || (first.contains('/') && has_script_extension(first));
    (by_path && shell::is_checkable_path(first)).then_some(*first)
}

fn skip_flags<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        if !first.starts_with('-') {
            break;
        }
        let takes_value =
            matches!(*first, "--project" | "--directory" | "--with" | "--python" | "-p");
        rest = if takes_value { tail.get(1..).unwrap_or_default() } else { tail };
    }
    rest
}

fn has_script_extension(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| SCRIPT_EXTENSIONS.contains(&ext))
}

/// `docker build [-f FILE] CONTEXT`: the context folder and the Dockerfile.
fn docker_build(
    site: &Site<'_>,
    line: usize,
    cwd: &str,
    rest: &[&str],
    missing: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Problem>,
) {
    let mut file = None;
    let mut context = None;
    let mut index = 0;
    while let Some(word) = rest.get(index) {
        if matches!(*word, "-f" | "--file") {
            file = rest.get(index + 1).copied();
            index += 2;
            continue;
        }
        let valued = matches!(
            *word,
            "-t" | "--tag"
                | "--build-arg"
                | "--target"
                | "--platform"
                | "--label"
                | "--cache-from"
                | "--cache-to"
                | "--secret"
                | "--network"
                | "-o"
                | "--output"
                | "--progress"
                | "--build-context"
                | "--ssh"
        );
        if !word.starts_with('-') {
            context = Some(*word);
        }
        index += if valued { 2 } else { 1 };
    }
    let Some(context) = context.filter(|c| shell::is_checkable_path(c)) else { return };
    if let Some(full) = missing(context) {
        let message = format!(
            "`docker build` uses the context `{context}`, a folder the repository does not have"
        );
        let written = Written { line, cwd, word: context, full: &full };
        out.push(nearest::missing(site, &written, PathKind::Folder, message));
        return;
    }
    let dockerfile = match file {
        Some(file) if shell::is_checkable_path(file) => shell::join(cwd, file),
        Some(_) => None,
        None => shell::join(cwd, context).and_then(|dir| shell::join(&dir, "Dockerfile")),
    };
    let Some(dockerfile) = dockerfile.filter(|path| !site.repo.has_file(path)) else { return };
    let message =
        format!("`docker build` needs `{dockerfile}`, which the repository does not have");
    // The default Dockerfile is not written on the line, so there is no word to correct.
    let word = file.unwrap_or_default();
    let written = Written { line, cwd, word, full: &dockerfile };
    out.push(nearest::missing(site, &written, PathKind::File, message));
}

/// `docker/build-push-action` with a `context` or `file` the repository does not have.
fn docker_action(site: &Site<'_>, step: &Step, made: &Made, out: &mut Vec<Problem>) {
    if !step.uses_action("docker/build-push-action") {
        return;
    }
    let made_here = |path: &str| shell::join("", path).is_some_and(|full| made.covers(&full));
    let context = step.input("context").filter(|c| shell::is_checkable_path(&c.value));
    if let Some(context) = context.filter(|c| !site.repo.has_dir(&c.value) && !made_here(&c.value))
    {
        let message =
            format!("the build context `{}` is not a folder of the repository", context.value);
        let (line, path) = (context.line, context.value.as_str());
        let written = Written { line, cwd: "", word: path, full: path };
        out.push(nearest::missing(site, &written, PathKind::Folder, message));
        return;
    }
    let file = step.input("file").filter(|f| shell::is_checkable_path(&f.value));
    if let Some(file) = file.filter(|f| !site.repo.has_file(&f.value) && !made_here(&f.value)) {
        let message = format!("the Dockerfile `{}` is not in the repository", file.value);
        let (line, path) = (file.line, file.value.as_str());
        let written = Written { line, cwd: "", word: path, full: path };
        out.push(nearest::missing(site, &written, PathKind::File, message));
    }
}

/// `hashFiles('a', 'b')` in a step's inputs or script whose patterns match no file.
fn hash_files(site: &Site<'_>, step: &Step, out: &mut Vec<Problem>) {
    let texts = step.with.iter().map(|(_, value)| value).chain(step.run.as_ref());
    for text in texts {
        for call in text.value.match_indices("hashFiles(").map(|(at, _)| &text.value[at + 10..]) {
            let arguments = call.split(')').next().unwrap_or_default();
            let patterns: Vec<&str> = arguments
                .split(',')
                .map(|p| p.trim().trim_matches(['\'', '"']))
                .filter(|p| !p.is_empty() && !p.starts_with('!') && !p.contains('$'))
                .collect();
            if patterns.is_empty() || patterns.iter().any(|p| matches_a_file(site.repo, p)) {
                continue;
            }
            let shown = patterns.join("`, `");
            let message = format!(
                "`hashFiles('{}')` matches no file in the repository, so it hashes to an empty string and the key never changes",
                patterns.join("', '")
            );
            let line = site
                .workflow
                .find_line(text.line, step.end_line, "hashFiles(")
                .unwrap_or(text.line);
            let (message, patch) = match nearest::hash_pattern(site, line, &patterns) {
                Some((meant, patch)) => {
                    (format!("{message}; did you mean `{meant}`?"), Some(patch))
                }
                None => (message, None),
            };
            out.push(site.problem(
                line,
                CheckId::MissingFile,
                Severity::Warning,
                &shown,
                message,
                patch,
            ));
        }
    }
}

/// Whether a `hashFiles` pattern (relative to the workspace, `**` for any folders) matches.
fn matches_a_file(repo: &RepoView, pattern: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() else {
        return true;
    };
    let matcher = glob.compile_matcher();
    repo.files.iter().any(|file| matcher.is_match(file))
}
