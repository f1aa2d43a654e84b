//! GitHub's run filters applied to runs the store kept, so a filtered list can be shown at once
//! from the store: workflow (id, file or name), branch, status or conclusion, event, actor,
//! creation range and head commit, each read as GitHub reads it. Pure: no store, no request.

use jiff::{SignedDuration, Timestamp};

use crate::github::model::{Conclusion, Run, Status};
use crate::github::run_filter::{RunFilter, WorkflowRef};

/// Whether GitHub would list `run` for `filter`.
pub fn lets_through(filter: &RunFilter, run: &Run) -> bool {
    let same = |wanted: &Option<String>, value: Option<&str>| {
        wanted.as_deref().is_none_or(|wanted| value.is_some_and(|v| v.eq_ignore_ascii_case(wanted)))
    };
    let actor = run.actor.as_ref().map(|actor| actor.login.as_str());
    filter.workflow.as_ref().is_none_or(|workflow| of_workflow(workflow, run))
        && filter.branch.as_deref().is_none_or(|branch| run.head_branch.as_deref() == Some(branch))
        && filter.status.as_deref().is_none_or(|status| in_state(status, run))
        && same(&filter.event, Some(run.event.as_str()))
        && same(&filter.actor, actor)
        && same(&filter.head_sha, Some(run.head_sha.as_str()))
        && filter.created.as_deref().is_none_or(|range| created_in(range, run.created_at))
}

fn of_workflow(workflow: &WorkflowRef, run: &Run) -> bool {
    match workflow {
        WorkflowRef::Id(id) => run.workflow_id.0 == *id,
        WorkflowRef::File(file) => {
            run.path.as_deref().and_then(|path| path.rsplit('/').next()) == Some(file.as_str())
        }
        WorkflowRef::Name(name) => {
            run.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))
        }
    }
}

/// GitHub's `status` takes a status (`in_progress`) or a conclusion (`failure`) alike.
fn in_state(wanted: &str, run: &Run) -> bool {
    let status = run.status.map(|status| match status {
        Status::Queued => "queued",
        Status::InProgress => "in_progress",
        Status::Completed => "completed",
        Status::Waiting => "waiting",
        Status::Requested => "requested",
        Status::Pending => "pending",
        Status::Unknown => "",
    });
    let conclusion = run.conclusion.map(Conclusion::id);
    status == Some(wanted) || conclusion == Some(wanted)
}

/// Whether `created` is in GitHub's date range: `DAY` (that whole day, UTC), `>DAY`, `>=DAY`,
/// `<DAY`, `<=DAY`, or `FROM..TO` with both ends included and `*` for an open end; times
/// stand for themselves. A range that does not parse lets every run through.
fn created_in(range: &str, created: Timestamp) -> bool {
    if let Some((from, to)) = range.split_once("..") {
        let after_from = from == "*" || span(from).is_some_and(|(start, _)| created >= start);
        let before_to = to == "*" || span(to).is_some_and(|(_, end)| created < end);
        return after_from && before_to;
    }
    let (operator, moment) = match range.find(|c: char| c.is_ascii_digit()) {
        Some(at) => range.split_at(at),
        None => return true,
    };
    let Some((start, end)) = span(moment) else { return true };
    match operator {
        ">" => created >= end,
        ">=" => created >= start,
        "<" => created < start,
        "<=" => created < end,
        _ => start <= created && created < end,
    }
}

/// The moments `text` covers, `[start, end)`: a whole day for a date, one instant for a time
/// (a time without an offset read as UTC).
fn span(text: &str) -> Option<(Timestamp, Timestamp)> {
    let utc = jiff::tz::TimeZone::UTC;
    if let Ok(day) = text.parse::<jiff::civil::Date>() {
        let start = utc.to_timestamp(day.to_datetime(jiff::civil::Time::midnight())).ok()?;
        let end = utc.to_timestamp(day.tomorrow().ok()?.to_datetime(jiff::civil::Time::midnight()));
        return Some((start, end.ok()?));
    }
    let start = text.parse::<Timestamp>().ok().or_else(|| {
        let time = text.parse::<jiff::civil::DateTime>().ok()?;
        utc.to_timestamp(time).ok()
    })?;
    Some((start, start.checked_add(SignedDuration::from_nanos(1)).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_day_is_the_whole_utc_day_and_ranges_include_both_ends() {
        let evening = at("2025-12-15T23:59:59Z");
        assert!(created_in("2025-12-15", evening));
        assert!(!created_in("2025-12-16", evening));
        assert!(created_in("<=2025-12-15", evening) && !created_in("<2025-12-15", evening));
        assert!(created_in(">=2025-12-15", evening) && !created_in(">2025-12-15", evening));
        assert!(created_in("2025-12-01..2025-12-15", evening));
        assert!(created_in("2025-12-15..*", evening) && !created_in("2025-12-16..*", evening));
        assert!(created_in(">2025-12-15T10:00:00Z", evening));
        assert!(!created_in("<2025-12-15T10:00:00", evening));
    }
}
