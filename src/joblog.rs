//! Reading job logs: lines and their parts, blocks of lines, step segments and their names.
//! Owns the log formats GitHub produces (raw runner logs, text copied from the web page,
//! `gh run view --log` output); it knows nothing of rules or findings.

pub mod align;
pub mod chunks;
pub mod line;
pub mod steps;

pub use align::{StepMeta, align};
pub use chunks::{Chunks, MAX_LINE_BYTES};
pub use line::{LogTime, Marker, RawParts};
pub use steps::{Segment, SegmentKind, Stepper};
