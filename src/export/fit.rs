//! Fitting a markdown write-up under a size limit (a step summary's bytes, a comment's
//! characters) without losing what it is for: the long lists of evidence are shortened first,
//! each section keeping its head, and the root causes, the symptoms explained and the
//! resolution are kept whole. Only when those alone are too long is the text cut at a line end.

/// Sections kept whole while others are shortened.
const KEPT_WHOLE: [&str; 3] = ["## Root causes", "## Symptoms explained", "## Resolution"];

/// `text` within `limit` as `measure` counts it (bytes or characters); `note` (in the same
/// measure well under `limit`) says it was cut, and is added whenever anything is.
pub fn fit(text: &str, limit: usize, measure: fn(&str) -> usize, note: &str) -> String {
    if measure(text) <= limit {
        return text.to_owned();
    }
    let sections = sections(text);
    let whole: usize =
        sections.iter().filter(|section| !shortened(section)).map(|section| measure(section)).sum();
    let budget = limit.saturating_sub(whole + measure(note));
    let shares = shares(&sections, budget, measure);
    let mut out = String::with_capacity(text.len().min(limit * 4));
    for (section, share) in sections.iter().zip(shares) {
        match share {
            Some(share) => out.push_str(&head_of(section, share, measure)),
            None => out.push_str(section),
        }
    }
    if measure(&out) + measure(note) > limit {
        out = cut_at_line(&out, limit.saturating_sub(measure(note)), measure);
    }
    out.truncate(out.trim_end_matches('\n').len());
    out.push_str(note);
    out
}

/// The text split before each `## ` heading; the part before the first is a section too.
fn sections(text: &str) -> Vec<&str> {
    let mut starts = vec![0];
    starts.extend(text.match_indices("\n## ").map(|(at, _)| at + 1));
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(text.len()));
    starts.iter().zip(ends).map(|(&start, end)| &text[start..end]).collect()
}

/// Whether a section may be shortened: every `## ` section but the ones kept whole.
fn shortened(section: &str) -> bool {
    section.starts_with("## ")
        && !KEPT_WHOLE.iter().any(|kept| section.lines().next() == Some(*kept))
}

/// How much each shortened section may keep (`None` for the ones kept whole): an equal share
/// of `budget`, what a small section leaves over going to the larger ones.
fn shares(sections: &[&str], budget: usize, measure: fn(&str) -> usize) -> Vec<Option<usize>> {
    let sizes: Vec<Option<usize>> =
        sections.iter().map(|s| shortened(s).then(|| measure(s))).collect();
    let mut shares = vec![None; sections.len()];
    let mut open: Vec<usize> = (0..sections.len()).filter(|&i| sizes[i].is_some()).collect();
    let mut left = budget;
    while !open.is_empty() {
        let share = left / open.len();
        let (small, large): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| sizes[i].unwrap_or(0) <= share);
        if small.is_empty() {
            for &i in &large {
                shares[i] = Some(share);
            }
            break;
        }
        for &i in &small {
            let size = sizes[i].unwrap_or(0);
            shares[i] = Some(size);
            left -= size;
        }
        open = large;
    }
    shares
}

/// The section's first lines within `share`, with a line saying how many were left out.
fn head_of(section: &str, share: usize, measure: fn(&str) -> usize) -> String {
    if measure(section) <= share {
        return section.to_owned();
    }
    let total = section.lines().count();
    let marker = |left: usize| format!("\n_… {left} more lines cut to fit._\n\n");
    let room = share.saturating_sub(measure(&marker(total)));
    let head = cut_at_line(section, room, measure);
    let kept = head.lines().count();
    let head = if head.trim().is_empty() { section.lines().next().unwrap_or("") } else { &head };
    let kept = kept.max(1);
    format!("{}{}", head.trim_end_matches('\n'), marker(total.saturating_sub(kept)))
}

/// The longest prefix of `text` within `limit` that ends at a line end.
fn cut_at_line(text: &str, limit: usize, measure: fn(&str) -> usize) -> String {
    let (mut kept, mut used) = (String::new(), 0);
    for line in text.split_inclusive('\n') {
        used += measure(line);
        if used > limit {
            break;
        }
        kept.push_str(line);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn chars(text: &str) -> usize {
        text.chars().count()
    }

    fn write_up(messages: usize) -> String {
        let mut text = "# CI run #7\n\n- **Status:** failure\n\n## Symptoms\n\n".to_owned();
        for n in 0..messages {
            let _ = writeln!(text, "- `error {n}: something failed` ×1");
        }
        text.push_str("\n## Investigation\n\n```\nline 1\nline 2\n```\n\n");
        text.push_str("## Root causes\n\n### 1. pip cannot open requirements.txt\n\nFix it.\n\n");
        text.push_str(
            "## Symptoms explained\n\n- `exit code 1`\n\n## Resolution\n\n_To be written._\n",
        );
        text
    }

    #[test]
    fn a_long_list_of_messages_is_shortened_and_the_root_causes_are_kept() {
        let text = write_up(5_000);
        let fitted = fit(&text, 4_000, chars, "\n_cut_\n");

        assert!(chars(&fitted) <= 4_000, "{}", chars(&fitted));
        assert!(fitted.contains("## Root causes\n\n### 1. pip cannot open requirements.txt"));
        assert!(fitted.contains("## Resolution\n\n_To be written._"));
        assert!(fitted.contains("## Investigation\n\n```\nline 1"), "the small section is whole");
        assert!(fitted.contains("more lines cut to fit._"), "{fitted}");
        assert!(fitted.contains("- `error 0: something failed`"), "the list keeps its head");
        assert!(fitted.ends_with("\n_cut_\n"));
    }

    #[test]
    fn a_write_up_within_the_limit_is_left_as_it_is() {
        let text = write_up(3);
        assert_eq!(fit(&text, 100_000, str::len, "\n_cut_\n"), text);
    }

    #[test]
    fn root_causes_too_long_for_the_limit_are_cut_at_a_line_end() {
        let text = write_up(10);
        let fitted = fit(&text, 60, chars, "\n_cut_\n");
        assert!(chars(&fitted) <= 60, "{fitted}");
        assert!(fitted.starts_with("# CI run #7\n"));
    }
}
