//! The rule files embedded at build time from `assets/rules/`.
//! Owns nothing but the list; parsing is `rules::load`.

/// `(file name, contents)` of every built-in rule file, sorted by name.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
