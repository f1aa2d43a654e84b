//! Check-run annotations as evidence: written out as the log lines a runner would print for
//! them, scanned by the same rules, and kept only where they add something the job's log did not
//! already show (a runner that lost its server often leaves no log at all). Pure; no I/O.

use std::fmt::Write as _;

use super::{FALLBACK_RULE, Finding};
use crate::category::Severity;
use crate::github::annotations::Annotation;

/// The name findings from annotations give as their file.
pub const ANNOTATIONS_FILE: &str = "check-run annotations";

/// The annotations as log lines, one each, with the runner's marker for their level; line N
/// is annotation N.
pub fn as_log(annotations: &[Annotation]) -> String {
    let mut log = String::new();
    for annotation in annotations {
        let _ = writeln!(log, "{}{}", annotation.level().marker(), annotation.one_line());
    }
    log
}

/// The findings from annotations that the log's findings do not already hold: a rule the log
/// matched is not repeated, and an unrecognised annotation is dropped when the log explained the
/// failure.
pub fn keep_new(found: Vec<Finding>, log: &[Finding]) -> Vec<Finding> {
    let log_has_error = log.iter().any(|finding| finding.severity == Severity::Error);
    found
        .into_iter()
        .filter(|finding| !log.iter().any(|seen| seen.rule == finding.rule))
        .filter(|finding| !(finding.rule == FALLBACK_RULE && log_has_error))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::annotations::AnnotationLevel;

    fn annotation(level: AnnotationLevel, message: &str) -> Annotation {
        Annotation {
            path: Some(".github".to_owned()),
            start_line: Some(1),
            annotation_level: Some(level),
            title: Some(".github#L1".to_owned()),
            message: message.to_owned(),
        }
    }

    #[test]
    fn each_annotation_is_one_line_with_its_level_s_marker() {
        let log = as_log(&[
            annotation(AnnotationLevel::Warning, "Failed to restore: Cache service responded"),
            annotation(AnnotationLevel::Failure, "The operation\nwas canceled."),
        ]);
        assert_eq!(
            log,
            "##[warning]Failed to restore: Cache service responded\n\
             ##[error]The operation was canceled.\n"
        );
    }
}
