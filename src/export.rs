//! Writing findings out: text for a person, JSON for scripts, markdown for write-ups.
//! Every export goes through [`redact`], so tokens never leave in a report.

pub mod fit;
pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;
pub mod writeup;

pub use redact::redact;
