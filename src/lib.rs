//! gha-triage: triage failed GitHub Actions runs.
//!
//! The library holds the product; `main.rs` only calls [`cli::run`].
//! - [`joblog`] reads job logs in every form GitHub produces and splits them into steps.
//! - [`rules`] loads failure rules (data under `assets/rules/`) and matches them in one pass.
//! - [`triage`] turns matches into ranked findings, causes before symptoms.
//! - [`input`] opens what the user points at: a file, standard input, a folder or a zip.
//! - [`export`] writes findings as text, JSON and markdown; [`cli`] is the command line.

pub mod app;
pub mod category;
pub mod classify;
pub mod cli;
pub mod config;
pub mod demo;
pub mod export;
pub mod fingerprint;
pub mod github;
pub mod input;
pub mod joblog;
pub mod logdiff;
pub mod logdoc;
pub mod rules;
pub mod source;
pub mod store;
pub mod streak;
pub mod triage;
pub mod ui;
pub mod workflow;

pub use category::{Category, Severity};
