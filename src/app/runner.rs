//! Carries out effects off the render loop: source calls, triage, indexing and search run on
//! blocking threads and answer with messages. The only place the TUI touches data sources.

use std::io::Cursor;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::effect::Effect;
use super::msg::Msg;
use crate::classify::Engine;
use crate::export::writeup;
use crate::github::model::Conclusion;
use crate::logdoc::index::index_chunk;
use crate::logdoc::search;
use crate::source::{Source, SourceKind};
use crate::triage::run::{JobChoice, classify_run_annotated};

/// Runs effects and sends their answers.
#[derive(Clone)]
pub struct Runner {
    source: Arc<dyn Source>,
    engine: Arc<Engine>,
    messages: UnboundedSender<Msg>,
}

impl Runner {
    /// A runner over a source and the rules.
    pub fn new(
        source: Arc<dyn Source>,
        engine: Arc<Engine>,
        messages: UnboundedSender<Msg>,
    ) -> Runner {
        Runner { source, engine, messages }
    }

    /// Starts one effect; it answers later with a message. `Suspend` and `Copy` touch the
    /// terminal, so the loop carries them out itself; a poll's timer is a Tokio sleep.
    pub fn spawn(&self, effect: Effect) {
        let timer = match effect {
            Effect::PollAfter { request, after } => Some((after, Msg::PollDue { request })),
            Effect::TriageAfter { request, after } => {
                Some((after, Msg::SelectionRested { request }))
            }
            _ => None,
        };
        if let Some((after, msg)) = timer {
            let messages = self.messages.clone();
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                let _ = messages.send(msg);
            });
            return;
        }
        let runner = self.clone();
        tokio::task::spawn_blocking(move || runner.carry_out(effect));
    }

    fn send(&self, msg: Msg) {
        let _ = self.messages.send(msg);
    }

    /// Puts what the source has to tell about its store (moved aside, full, not opened) on the
    /// status line; after the runs list, so it is not overwritten by the list's count.
    fn tell_notice(&self) {
        if let Some(notice) = self.source.take_notice() {
            self.send(Msg::Done { result: Err(notice) });
        }
    }

    fn carry_out(&self, effect: Effect) {
        match effect {
            Effect::LoadRuns { request } => {
                if let Some(result) = self.source.stored_runs() {
                    self.send(Msg::RunsStored { request, result });
                }
                let result = self
                    .source
                    .workflows()
                    .and_then(|workflows| Ok((workflows, self.source.runs()?)))
                    .map_err(|error| error.to_string());
                self.send(Msg::RunsLoaded { request, result });
                self.tell_notice();
            }
            Effect::LoadJobs { request, run, attempt } => {
                let result = self.source.jobs(run, attempt).map_err(|error| error.to_string());
                self.send(Msg::JobsLoaded { request, result });
            }
            Effect::Triage { request, run, attempt } => {
                let result = self.triage(&run, attempt);
                self.send(Msg::Triaged { request, key: (run.id, attempt), result });
                self.tell_notice();
            }
            Effect::Compare { request, range } => {
                let result = self.source.compare(&range.base, &range.head);
                let result = result.map_err(|error| error.to_string());
                self.send(Msg::Compared { request, range, result });
            }
            Effect::OpenLog { request, job } => {
                let result = self.source.log(job).map_err(|error| error.to_string());
                self.send(Msg::LogOpened { request, result });
            }
            Effect::IndexLog { request, bytes } => {
                let (mut offset, mut lines) = (0, 0);
                loop {
                    let chunk = index_chunk(bytes.as_slice(), offset, lines);
                    offset = chunk.next_offset;
                    lines += chunk.starts.len();
                    let last = chunk.last;
                    if self.messages.send(Msg::LogIndexed { request, chunk }).is_err() || last {
                        return;
                    }
                }
            }
            Effect::Search { request, bytes, regex, cancel } => {
                let result = search::search(bytes.as_slice(), &regex, &cancel, |share| {
                    self.send(Msg::SearchProgressed { request, share });
                });
                self.send(Msg::Searched { request, result });
            }
            Effect::Export { facts, report, path } => {
                let text = writeup::render(&facts, &report);
                let result = std::fs::write(&path, text)
                    .map(|()| std::path::absolute(&path).unwrap_or(path.clone()))
                    .map_err(|error| format!("{}: {error}", path.display()));
                self.send(Msg::Exported { result });
            }
            Effect::Act { request, run, action } => {
                let result = self.source.act(run, action).map(|accepted| accepted.status);
                let result = result.map_err(|error| {
                    tracing::warn!(%error, "rerun or cancel refused");
                    error.short()
                });
                self.send(Msg::Acted { request, run, action, result });
            }
            Effect::OpenUrl(url) => {
                let result = browser_opened(open::that_detached(&url), &url);
                self.send(Msg::Done { result });
            }
            Effect::Refresh { request, run } => {
                let result = self.source.refresh_run(run).and_then(|run| {
                    let jobs = self.source.jobs(run.id, run.run_attempt.unwrap_or(1))?;
                    Ok(Box::new((run, jobs)))
                });
                let result = result.map_err(|error| error.to_string());
                self.send(Msg::Refreshed { request, result });
            }
            Effect::PollAfter { .. }
            | Effect::TriageAfter { .. }
            | Effect::Suspend
            | Effect::Copy(_) => {}
        }
    }

    fn triage(
        &self,
        run: &crate::github::model::Run,
        attempt: u32,
    ) -> Result<Arc<crate::triage::Report>, String> {
        let jobs = self.source.jobs(run.id, attempt).map_err(|error| error.to_string())?;
        let kind = self.source.info().kind;
        let choice = if matches!(kind, SourceKind::Live | SourceKind::Stored) {
            JobChoice::Failed
        } else {
            JobChoice::All
        };
        let label = format!("{} run {}", self.source.info().name, run.id);
        let log_of = |job: &crate::github::model::Job| {
            let bytes = self.source.log(job.id).ok()?;
            Some(Box::new(Cursor::new(bytes)) as Box<dyn std::io::Read>)
        };
        let annotations_of = |job: &crate::github::model::Job| {
            let red = job.failed() || job.conclusion == Some(Conclusion::Cancelled);
            if choice == JobChoice::Failed && !red {
                return Vec::new();
            }
            self.source.annotations(job.id).unwrap_or_default()
        };
        let mut report =
            classify_run_annotated(&self.engine, &label, &jobs, choice, log_of, annotations_of)
                .map_err(|error| error.to_string())?;
        for notice in
            crate::workflow::behind::link_from_source(&*self.source, run, &jobs, &mut report)
        {
            tracing::warn!(%notice, "workflow files");
        }
        self.source.remember(run, attempt, &jobs, &report);
        report.recall = self.source.recall(run, attempt, &jobs, &report);
        Ok(Arc::new(report))
    }
}

/// The status line after asking for a browser on a run's page: the launcher's own error goes
/// to the log, and the person is given the address to open themselves.
fn browser_opened(launched: std::io::Result<()>, url: &str) -> Result<String, String> {
    match launched {
        Ok(()) => Ok(format!("opened {url}")),
        Err(error) => {
            tracing::warn!(%error, "no browser could be opened");
            Err(format!("could not open a browser; the run is at {url}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_that_cannot_be_opened_leaves_the_run_s_address_without_the_launcher_s_error() {
        let url = "https://github.com/octo-org/vehicle-inspections/actions/runs/7";
        let launcher = std::io::Error::other(r#"Launcher "gio" "open" failed with ExitStatus(1)"#);

        let said = browser_opened(Err(launcher), url).unwrap_err();

        assert_eq!(said, format!("could not open a browser; the run is at {url}"));
    }
}
