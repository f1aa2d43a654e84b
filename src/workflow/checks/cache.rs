//! Check 1 of issue #6: cache keys restored (`actions/cache/restore`, and `restore-keys` as
//! prefixes) that no workflow of the repository saves (`actions/cache`, `actions/cache/save`),
//! with `${{ … }}` expressions read as "any text". An `actions/cache` step saves the key it
//! restores, so only its `restore-keys` can miss; it must not flag that step's own key.

use super::{Site, upstream};
use crate::category::Severity;
use crate::workflow::model::{Located, Step, Workflow};
use crate::workflow::patch::{self, Edit};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// A saved key and the workflow that saves it.
struct Saved<'a> {
    workflow: &'a Workflow,
    key: &'a str,
}

/// Finds restores that nothing saves.
pub fn check(repo: &RepoView, out: &mut Vec<Problem>) {
    let saved: Vec<Saved<'_>> = repo
        .workflows
        .iter()
        .flat_map(|w| w.jobs.iter().flat_map(move |j| j.steps.iter().map(move |s| (w, s))))
        .filter(|(_, s)| s.uses_action("actions/cache") || s.uses_action("actions/cache/save"))
        .filter_map(|(workflow, s)| Some(Saved { workflow, key: s.input("key")?.value.as_str() }))
        .collect();
    for workflow in &repo.workflows {
        for job in &workflow.jobs {
            for (index, step) in job.steps.iter().enumerate() {
                let site = Site { repo, workflow, job, step: index };
                if step.uses_action("actions/cache/restore") {
                    restore(&site, step, &saved, out);
                } else if step.uses_action("actions/cache") {
                    dead_fallbacks(&site, step, &saved, out);
                }
            }
        }
    }
}

fn restore(site: &Site<'_>, step: &Step, saved: &[Saved<'_>], out: &mut Vec<Problem>) {
    let Some(key) = step.input("key") else { return };
    let wanted = wildcard(&key.value);
    let prefixes: Vec<Vec<Part>> = step
        .input("restore-keys")
        .map(|keys| keys.value.lines().filter(|k| !k.trim().is_empty()).map(prefix).collect())
        .unwrap_or_default();
    let found = saved.iter().any(|save| {
        let pattern = wildcard(save.key);
        overlap(&wanted, &pattern) || prefixes.iter().any(|prefix| overlap(prefix, &pattern))
    });
    if found {
        return;
    }
    let chain = upstream(site.repo, site.workflow);
    let mut near: Vec<&Saved<'_>> =
        saved.iter().filter(|s| chain.iter().any(|w| w.path == s.workflow.path)).collect();
    if near.is_empty() {
        near = saved.iter().collect();
    }
    let keys: Vec<String> = near.iter().take(3).map(|s| format!("`{}`", s.key)).collect();
    let others = match near.first() {
        Some(first) => format!(
            "; {} saves {}{}",
            first.workflow.display_name(),
            keys.join(", "),
            if near.len() > 3 { " and more" } else { "" }
        ),
        None => String::new(),
    };
    let fallback = fallback_step(site, step);
    let advice = if fallback.is_some() {
        "drop the restore and let the artifact download run every time".to_owned()
    } else {
        "restore a key that is saved".to_owned()
    };
    let message = format!(
        "restores the cache key `{}`, which no workflow saves, so the restore never hits{others}: {advice}",
        key.value
    );
    let edits = match (fallback, near.first()) {
        (Some(condition_line), _) => Some(drop_restore(site.workflow, step, condition_line)),
        (None, Some(first)) => key_edit(&site.workflow.lines[key.line - 1], key.line, first.key),
        (None, None) => None,
    };
    let patch = edits.map(|edits| patch::diff(site.workflow, &edits));
    out.push(site.problem(
        key.line,
        CheckId::CacheKeyNeverSaved,
        Severity::Error,
        &key.value,
        message,
        patch,
    ));
}

/// The `restore-keys` of an `actions/cache` step that match no key any workflow saves (the
/// step's own key among them): when the key misses, such a prefix restores nothing either.
fn dead_fallbacks(site: &Site<'_>, step: &Step, saved: &[Saved<'_>], out: &mut Vec<Problem>) {
    let (Some(key), Some(keys)) = (step.input("key"), step.input("restore-keys")) else { return };
    let written: Vec<&str> = keys.value.lines().map(str::trim).filter(|k| !k.is_empty()).collect();
    let mut from = keys.line;
    let mut instead = own_prefix(&key.value).filter(|p| !written.contains(p));
    for fallback in &written {
        let line = site.workflow.find_line(from, step.end_line, fallback).unwrap_or(keys.line);
        from = line + 1;
        let pattern = prefix(fallback);
        if saved.iter().any(|save| overlap(&pattern, &wildcard(save.key))) {
            continue;
        }
        // The own key's prefix is offered once; a second dead prefix is dropped, not doubled.
        let instead = instead.take();
        let advice = instead.map_or_else(
            || "drop it".to_owned(),
            |instead| format!("restore `{instead}`, a prefix of the step's own key, instead"),
        );
        let message = format!(
            "the restore-keys prefix `{fallback}` matches no key any workflow saves (this step \
             saves `{}`), so when the key misses nothing is restored: {advice}",
            key.value
        );
        let edit = fallback_edit(site.workflow, keys, line, fallback, instead, written.len());
        let patch = edit.map(|edit| patch::diff(site.workflow, &[edit]));
        out.push(site.problem(
            line,
            CheckId::CacheKeyNeverSaved,
            Severity::Warning,
            fallback,
            message,
            patch,
        ));
    }
}

/// The key up to its last `${{ … }}`, as `restore-keys` are usually written; none when that
/// leaves nothing.
fn own_prefix(key: &str) -> Option<&str> {
    let cut = &key[..key.rfind("${{")?];
    (!cut.is_empty()).then_some(cut)
}

/// The edit for a dead `restore-keys` prefix on `line`: `instead` in its place, or the line
/// deleted (with the `restore-keys:` key when it is the only prefix). None in flow style
/// (`with: { … }`), where a line edit would touch the other inputs.
fn fallback_edit(
    workflow: &Workflow,
    keys: &Located<String>,
    line: usize,
    fallback: &str,
    instead: Option<&str>,
    count: usize,
) -> Option<Edit> {
    let key_text = workflow.lines.get(keys.line - 1)?.trim_start().trim_start_matches("- ");
    if !key_text.starts_with("restore-keys:") {
        return None;
    }
    if let Some(instead) = instead {
        let text = workflow.lines.get(line - 1)?;
        let at = text.rfind(fallback)?;
        let fixed = format!("{}{instead}{}", &text[..at], &text[at + fallback.len()..]);
        return Some(Edit::replace(line, fixed));
    }
    let start = if count == 1 { keys.line } else { line };
    Some(Edit::delete(start, line + 1))
}

/// The line `key: NEW` in place of the `key:` line, keeping its indentation; none when the key
/// is not alone on its line (flow style `with: { path: …, key: … }`), where a line edit would
/// drop the other inputs.
fn key_edit(text: &str, line: usize, new: &str) -> Option<Vec<Edit>> {
    let alone = text.trim_start().trim_start_matches("- ").trim_start().starts_with("key:");
    let at = text.find("key:").filter(|_| alone)?;
    Some(vec![Edit::replace(line, format!("{}key: {new}", &text[..at]))])
}

/// The `if:` line of a later step of the job that runs only when this restore misses.
fn fallback_step(site: &Site<'_>, step: &Step) -> Option<usize> {
    let id = step.id.as_deref()?;
    let needle = format!("steps.{id}.outputs.cache-hit");
    let later = site.job.steps.iter().skip(site.step + 1);
    later.filter_map(|s| s.condition.as_ref()).find(|c| c.value.contains(&needle)).map(|c| c.line)
}

/// Deletes the restore step (and the blank line after it) and the fallback's condition.
fn drop_restore(workflow: &Workflow, step: &Step, condition_line: usize) -> Vec<Edit> {
    let mut end = step.end_line;
    if workflow.lines.get(end - 1).is_some_and(|line| line.trim().is_empty()) {
        end += 1;
    }
    vec![Edit::delete(step.line, end), Edit::delete(condition_line, condition_line + 1)]
}

/// A `restore-keys` line: the key as a prefix of any longer key.
fn prefix(key: &str) -> Vec<Part> {
    let mut parts = wildcard(key.trim());
    parts.push(Part::Any);
    parts
}

/// A key with every `${{ … }}` turned into `*`, and `*` in the key itself kept literal as `\*`.
pub fn wildcard(key: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = key;
    while let Some(start) = rest.find("${{") {
        parts.extend(rest[..start].chars().map(Part::Char));
        parts.push(Part::Any);
        rest = rest[start..].find("}}").map_or("", |end| &rest[start + end + 2..]);
    }
    parts.extend(rest.chars().map(Part::Char));
    parts
}

/// One element of a key pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// This character.
    Char(char),
    /// Any text, empty included.
    Any,
}

/// Whether some key matches both patterns.
pub fn overlap(a: &[Part], b: &[Part]) -> bool {
    let mut memo = vec![None; (a.len() + 1) * (b.len() + 1)];
    overlap_at(a, b, 0, 0, &mut memo)
}

#[expect(
    clippy::many_single_char_names,
    reason = "the two patterns and their cursors read best as a, b, i, j"
)]
fn overlap_at(a: &[Part], b: &[Part], i: usize, j: usize, memo: &mut [Option<bool>]) -> bool {
    let slot = i * (b.len() + 1) + j;
    if let Some(known) = memo[slot] {
        return known;
    }
    let result = match (a.get(i), b.get(j)) {
        (None, None) => true,
        (Some(Part::Any), _) => {
            overlap_at(a, b, i + 1, j, memo) || (j < b.len() && overlap_at(a, b, i, j + 1, memo))
        }
        (_, Some(Part::Any)) => {
            overlap_at(a, b, i, j + 1, memo) || (i < a.len() && overlap_at(a, b, i + 1, j, memo))
        }
        (Some(Part::Char(x)), Some(Part::Char(y))) => {
            x == y && overlap_at(a, b, i + 1, j + 1, memo)
        }
        _ => false,
    };
    memo[slot] = Some(result);
    result
}
