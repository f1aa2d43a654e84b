//! A run as one of its attempts ended. The REST run describes its latest attempt only; an
//! earlier attempt's outcome, start and end are read from that attempt's jobs.

use std::borrow::Cow;

use super::{Conclusion, Job, Run, Status};

impl Run {
    /// The run as the attempt whose `jobs` these are ended: itself when they are the latest
    /// attempt's (or unknown), else with the status, conclusion, attempt number, start and end
    /// those jobs show.
    pub fn as_attempt(&self, jobs: &[Job]) -> Cow<'_, Run> {
        let latest = self.run_attempt.unwrap_or(1);
        let Some(attempt) = jobs.iter().find_map(|job| job.run_attempt) else {
            return Cow::Borrowed(self);
        };
        if attempt >= latest {
            return Cow::Borrowed(self);
        }
        let mut shown = self.clone();
        let settled = jobs.iter().all(|job| job.status == Some(Status::Completed));
        shown.run_attempt = Some(attempt);
        shown.status = Some(if settled { Status::Completed } else { Status::InProgress });
        let worst = jobs.iter().filter_map(|job| job.conclusion).find(|c| c.is_failure());
        shown.conclusion = settled.then(|| worst.unwrap_or(Conclusion::Success));
        if let Some(start) = jobs.iter().filter_map(|job| job.started_at).min() {
            shown.run_started_at = Some(start);
        }
        if let Some(end) = jobs.iter().filter_map(|job| job.completed_at).max() {
            shown.updated_at = end;
        }
        Cow::Owned(shown)
    }
}
