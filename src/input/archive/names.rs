//! How GitHub turns a job name into a file or folder name inside the run log archive: `/` and
//! `:` dropped (older service) or replaced by `_` (newer service), then cut to 90 UTF-16 code
//! units the way the server's C# code counts them. Owns that mangling only; which entry belongs
//! to which job is `layout`'s business.

/// Most UTF-16 code units of a job name the server keeps in a file name (`gh` uses the same).
pub const MAX_NAME_UNITS: usize = 90;

/// The names a job called `job` can have in the archive: `/` and `:` dropped, and replaced
/// by `_`, each cut to [`MAX_NAME_UNITS`].
pub fn archive_forms(job: &str) -> [String; 2] {
    let dropped: String = job.chars().filter(|c| !is_mangled(*c)).collect();
    let replaced: String = job.chars().map(|c| if is_mangled(c) { '_' } else { c }).collect();
    [truncate_utf16(&dropped, MAX_NAME_UNITS), truncate_utf16(&replaced, MAX_NAME_UNITS)]
}

/// Whether `folder` (a name as found in the archive) can stand for the job named `job`:
/// the same name, or one of its archive forms, anchored at both ends.
pub fn same_job(folder: &str, job: &str) -> bool {
    if folder == job {
        return true;
    }
    archive_forms(job).iter().any(|form| form == folder || form.trim_end() == folder)
}

/// Cuts `text` to at most `max` UTF-16 code units. A character cut in half (the first unit of
/// a surrogate pair) leaves U+FFFD, which is what the server writes into the archive.
pub fn truncate_utf16(text: &str, max: usize) -> String {
    let mut units = 0;
    let mut kept = String::with_capacity(text.len().min(max * 4));
    for c in text.chars() {
        let width = c.len_utf16();
        if units + width > max {
            if units < max {
                kept.push(char::REPLACEMENT_CHARACTER);
            }
            break;
        }
        units += width;
        kept.push(c);
    }
    kept
}

/// Splits a dedup suffix ` (N)` off a name, as the server adds to colliding file names.
pub fn without_dedup_suffix(name: &str) -> Option<&str> {
    let inner = name.strip_suffix(')')?;
    let (base, number) = inner.rsplit_once(" (")?;
    let is_number = !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit());
    (is_number && !base.is_empty()).then_some(base)
}

fn is_mangled(c: char) -> bool {
    matches!(c, '/' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reusable_workflow_name_has_two_archive_forms() {
        let forms = archive_forms("build (macos-latest, 3.11) / build");
        assert_eq!(forms[0], "build (macos-latest, 3.11)  build");
        assert_eq!(forms[1], "build (macos-latest, 3.11) _ build");
    }

    #[test]
    fn a_long_name_is_cut_at_ninety_utf16_units() {
        let name = "thisisnineteenchars_".repeat(5);
        let cut = truncate_utf16(&name, MAX_NAME_UNITS);
        assert_eq!(cut.len(), 90);
        assert!(same_job(&cut, &name));
    }

    #[test]
    fn an_emoji_cut_in_half_becomes_a_replacement_character() {
        let name = format!("Emoji Test {}", "😅".repeat(45));
        let cut = truncate_utf16(&name, MAX_NAME_UNITS);
        assert_eq!(cut, format!("Emoji Test {}\u{FFFD}", "😅".repeat(39)));
        assert!(same_job(&cut, &name));
    }

    #[test]
    fn matching_is_anchored_at_both_ends() {
        assert!(!same_job("build", "build (3.12)"));
        assert!(!same_job("test (3.12)", "unit test (3.12)"));
        assert!(same_job("deploy prod", "deploy: prod"));
    }

    #[test]
    fn only_a_number_in_parentheses_is_a_dedup_suffix() {
        assert_eq!(
            without_dedup_suffix("Build source distribution (1)"),
            Some("Build source distribution")
        );
        assert_eq!(without_dedup_suffix("test (3.12)"), None);
        assert_eq!(without_dedup_suffix("test (ubuntu)"), None);
        assert_eq!(without_dedup_suffix("(1)"), None);
    }
}
